#include "rules/inheritance.hpp"

#include <algorithm>
#include <filesystem>
#include <string_view>
#include <vector>

#include "dsl/policy_input.hpp"

namespace mcre::rules {

namespace {

Value table_value(const Table& table) {
    Value set;
    set.type = Type::Set;
    Type element = table.kind == TableKind::Codes ? Type::Code : Type::Text;
    for (const auto& [key, label] : table.entries)
        set.items.push_back(Value::of_text(element, key));
    return set;
}

void rebind(Expr& e, const Policy& policy, const std::set<std::string>& changed) {
    if ((e.op == Op::Param || e.op == Op::DatedParam) && changed.count(e.text) > 0) {
        if (const Parameter* p = policy.find_parameter(e.text)) {
            e.op = p->dated.empty() ? Op::Param : Op::DatedParam;
            e.literal = p->dated.empty() ? p->value : Value{};
            e.type = p->value.type;
        }
        for (const Table& t : policy.tables) {
            if (t.name == e.text) e.literal = table_value(t);
        }
    }
    for (Expr& arg : e.args) rebind(arg, policy, changed);
}

std::optional<dsl::SourceFile> read(const std::filesystem::path& path) {
    std::string name = path.string();
    std::optional<std::string> text = dsl::read_policy_file(name);
    if (!text) return std::nullopt;
    return dsl::SourceFile(std::move(name), std::move(*text));
}

// The id a policy file declares, read from its first words ("policy ID"): words are runs
// of anything but blanks, and a word that starts with '#' begins a comment to the end of
// its line.
std::string declared_id(std::string_view text) {
    auto blank = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
    };
    std::size_t at = 0;
    auto next_word = [&]() -> std::string_view {
        while (at < text.size() && blank(text[at])) ++at;
        const std::size_t start = at;
        while (at < text.size() && !blank(text[at])) ++at;
        return text.substr(start, at - start);
    };
    for (std::string_view word = next_word(); !word.empty(); word = next_word()) {
        if (word[0] == '#') {
            const std::size_t newline = text.find('\n', at);
            at = newline == std::string_view::npos ? text.size() : newline + 1;
            continue;
        }
        if (word == "policy") return std::string(next_word());
        return {};
    }
    return {};
}

}  // namespace

void rebind_inherited(Policy& policy, const std::set<std::string>& changed,
                      const std::string& own_id) {
    if (changed.empty()) return;
    for (Rule& rule : policy.rules) {
        if (rule.origin == own_id) continue;
        if (rule.when) rebind(*rule.when, policy, changed);
        rebind(rule.condition, policy, changed);
        for (MessagePart& part : rule.message) {
            if (part.value) rebind(*part.value, policy, changed);
        }
    }
    for (Cap& cap : policy.caps) {
        if (cap.origin == own_id) continue;
        if (cap.when) rebind(*cap.when, policy, changed);
        rebind(cap.limit, policy, changed);
    }
    for (Exception& x : policy.exceptions) {
        if (x.origin == own_id) continue;
        if (x.when) rebind(*x.when, policy, changed);
        rebind(x.expr, policy, changed);
        for (MessagePart& part : x.message) {
            if (part.value) rebind(*part.value, policy, changed);
        }
    }
}

PolicyFinder sibling_finder(const std::string& extending_file) {
    std::filesystem::path dir = std::filesystem::path(extending_file).parent_path();
    return [dir](const std::string& id) -> std::optional<dsl::SourceFile> {
        std::string dashed = id;
        std::replace(dashed.begin(), dashed.end(), '_', '-');
        for (const std::string& name : {id, dashed}) {
            auto path = dir / (name + ".policy");
            if (auto source = read(path); source && declared_id(source->text()) == id) {
                return source;
            }
        }
        std::error_code ec;
        std::vector<std::filesystem::path> candidates;
        for (const auto& entry : std::filesystem::directory_iterator(
                 dir.empty() ? std::filesystem::path(".") : dir, ec)) {
            if (entry.path().extension() == ".policy") candidates.push_back(entry.path());
        }
        std::sort(candidates.begin(), candidates.end());
        for (const auto& path : candidates) {
            if (auto source = read(path); source && declared_id(source->text()) == id) {
                return source;
            }
        }
        return std::nullopt;
    };
}

}  // namespace mcre::rules
