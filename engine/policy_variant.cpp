#include "engine/policy_variant.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "dsl/content_hash.hpp"
#include "rules/checker.hpp"
#include "rules/scope.hpp"

namespace mcre::engine {

namespace {

constexpr std::string_view cap_prefix = "cap.";

std::string trimmed(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return std::string(text);
}

bool bare_number(const std::string& text) {
    if (text.empty()) return false;
    char* end = nullptr;
    std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size();
}

// A diagnostic about the whole setting, shown against the draft text.
dsl::Diagnostic setting_error(std::string message, std::string hint) {
    dsl::Diagnostic d;
    d.code = "E2901";
    d.message = std::move(message);
    d.hint = std::move(hint);
    return d;
}

const rules::Cap* find_cap(const rules::Policy& policy, const std::string& name) {
    for (const rules::Cap& c : policy.caps) {
        if (c.name == name) return &c;
    }
    return nullptr;
}

// The new limit of a cap: "90" or "90 ects" for a fixed limit, "30 %" for a cap written as
// a share of the programme ("25 % of programme.total_ects").
std::optional<rules::Expr> cap_limit(const rules::Cap& cap, const std::string& value,
                                     std::string& problem) {
    std::string number = value;
    bool percent = false;
    if (number.size() > 4 && number.substr(number.size() - 4) == "ects") {
        number = trimmed(number.substr(0, number.size() - 4));
    } else if (!number.empty() && number.back() == '%') {
        number = trimmed(number.substr(0, number.size() - 1));
        percent = true;
    }
    if (!bare_number(number) || std::strtod(number.c_str(), nullptr) < 0) {
        problem = fmt::format(
            "'{}' is not a limit: write a number of ECTS such as 90, or a "
            "share such as 30 %",
            value);
        return std::nullopt;
    }
    const double n = std::strtod(number.c_str(), nullptr);
    if (!percent) {
        rules::Expr e;
        e.op = rules::Op::Literal;
        e.type = rules::Type::Ects;
        e.literal = rules::Value::of_number(rules::Type::Ects, n);
        e.text = rules::format_value(e.literal);
        return e;
    }
    if (cap.limit.op != rules::Op::PercentOf) {
        problem =
            fmt::format("cap {} is not a share of the programme; give its limit in ECTS", cap.name);
        return std::nullopt;
    }
    if (n > 100) {
        problem = fmt::format("{} % is more than the whole programme", number);
        return std::nullopt;
    }
    rules::Expr e = cap.limit;
    rules::Expr share;
    share.op = rules::Op::Literal;
    share.type = rules::Type::Percent;
    share.literal = rules::Value::of_number(rules::Type::Percent, n);
    share.text = rules::format_value(share.literal);
    e.args.at(0) = share;
    return e;
}

std::string draft_text(const rules::Policy& base, const std::vector<Setting>& params,
                       const std::vector<Setting>& all) {
    std::string text = fmt::format("policy {}_set extends {} {{\n", base.id, base.id);
    text += fmt::format("  title \"{} with {}\"\n", base.title, settings_label(all));
    text += fmt::format("  version \"{}+set\"\n", base.version);
    if (base.in_force_from)
        text += fmt::format("  in force from {}\n", dsl::format_date(*base.in_force_from));
    for (const Setting& s : params) {
        text += fmt::format("  override param {} = {}\n    cite \"--set {}={}\"\n", s.name, s.value,
                            s.name, s.value);
    }
    return text + "}\n";
}

}  // namespace

std::optional<Setting> parse_setting(const std::string& text) {
    const auto eq = text.find('=');
    if (eq == std::string::npos) return std::nullopt;
    Setting s{trimmed(std::string_view(text).substr(0, eq)),
              trimmed(std::string_view(text).substr(eq + 1))};
    if (s.name.empty() || s.value.empty()) return std::nullopt;
    return s;
}

std::string settings_label(const std::vector<Setting>& settings) {
    std::vector<std::string> parts;
    for (const Setting& s : settings) parts.push_back(s.name + "=" + s.value);
    return fmt::format("{}", fmt::join(parts, ", "));
}

PolicyVariant policy_with_settings(const rules::Policy& base, const dsl::SourceFile& base_source,
                                   const std::vector<Setting>& settings) {
    std::vector<Setting> params;
    std::vector<Setting> caps;
    std::vector<dsl::Diagnostic> problems;
    std::vector<std::string> param_names;
    for (const rules::Parameter& p : base.params) param_names.push_back(p.name);
    std::vector<std::string> cap_names;
    for (const rules::Cap& c : base.caps) cap_names.push_back(std::string(cap_prefix) + c.name);

    for (Setting s : settings) {
        if (s.name.rfind(cap_prefix, 0) == 0) {
            if (find_cap(base, s.name.substr(cap_prefix.size())) == nullptr) {
                auto near = rules::closest(s.name, cap_names);
                problems.push_back(
                    setting_error(fmt::format("--set {}: policy {} has no cap {}", s.name, base.id,
                                              s.name.substr(cap_prefix.size())),
                                  near ? fmt::format("did you mean {}?", *near)
                                       : fmt::format("its caps: {}", fmt::join(cap_names, ", "))));
            }
            caps.push_back(std::move(s));
            continue;
        }
        const rules::Parameter* p = base.find_parameter(s.name);
        if (p == nullptr) {
            auto near = rules::closest(s.name, param_names);
            problems.push_back(setting_error(
                fmt::format("--set {}: policy {} has no parameter {}", s.name, base.id, s.name),
                near ? fmt::format("did you mean {}?", *near)
                     : "write --set NAME=VALUE with a parameter of the policy, or "
                       "--set cap.NAME=LIMIT for a cap"));
            continue;
        }
        // Written as the language writes units: "40 ects", "5 years", "25 %".
        std::string unit = rules::unit_word(p->value.type);
        std::transform(unit.begin(), unit.end(), unit.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (bare_number(s.value) && !unit.empty()) s.value += " " + unit;
        params.push_back(std::move(s));
    }

    PolicyVariant out{
        std::nullopt, {}, dsl::SourceFile("--set", draft_text(base, params, settings))};
    if (!problems.empty()) {
        out.diagnostics = std::move(problems);
        return out;
    }
    rules::PolicyFinder find = [&](const std::string& id) -> std::optional<dsl::SourceFile> {
        if (id == base.id) return base_source;
        return rules::sibling_finder(base.file)(id);
    };
    rules::CheckResult checked = rules::load_policy(out.source, find);
    out.diagnostics = std::move(checked.diagnostics);
    if (!checked.policy) return out;

    rules::Policy policy = std::move(*checked.policy);
    for (const Setting& s : caps) {
        const std::string name = s.name.substr(cap_prefix.size());
        auto cap = std::find_if(policy.caps.begin(), policy.caps.end(),
                                [&](const rules::Cap& c) { return c.name == name; });
        std::string problem;
        auto limit = cap_limit(*cap, s.value, problem);
        if (!limit) {
            out.diagnostics.push_back(
                setting_error(fmt::format("--set {}: {}", s.name, problem),
                              "write --set cap.NAME=90 (ECTS) or --set cap.NAME=30% (a share)"));
            return out;
        }
        cap->limit = std::move(*limit);
        cap->cite = fmt::format("--set {}={} (was: {})", s.name, s.value, cap->cite);
    }
    // The hash names exactly what decided: the chain's text and every setting.
    policy.content_hash = dsl::sha256_hex(policy.content_hash + "\n" + settings_label(settings));
    out.policy = std::move(policy);
    return out;
}

}  // namespace mcre::engine
