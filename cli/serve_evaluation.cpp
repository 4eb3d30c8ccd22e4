#include "cli/serve_evaluation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "dsl/date.hpp"
#include "dsl/source.hpp"
#include "engine/application_load.hpp"
#include "engine/decision_json.hpp"
#include "engine/evaluator.hpp"
#include "engine/overrides.hpp"

namespace mcre::cli {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

Problem invalid_application(const std::vector<dsl::Diagnostic>& diagnostics,
                            const dsl::SourceFile& source, const DecideRequest& request) {
    nlohmann::ordered_json errors = nlohmann::ordered_json::array();
    const dsl::Diagnostic* first = nullptr;
    for (const dsl::Diagnostic& d : diagnostics) {
        if (d.severity != dsl::Severity::Error) continue;
        if (first == nullptr) first = &d;
        nlohmann::ordered_json e;
        e["code"] = d.code;
        e["detail"] = d.message;
        e["pointer"] = request.pointer_prefix + d.pointer;
        if (!d.hint.empty()) e["hint"] = d.hint;
        if (request.with_positions) {
            dsl::Location where = source.location(d.span);
            e["line"] = where.line;
            e["column"] = where.column;
        }
        errors.push_back(std::move(e));
    }
    std::string detail = first == nullptr ? "the application was rejected" : first->message;
    if (errors.size() > 1) detail += fmt::format(" (and {} more)", errors.size() - 1);
    Problem p = with_pointer(make_problem(422, "invalid-application",
                                          "The application does not match the schema", detail),
                             request.pointer_prefix + (first ? first->pointer : ""));
    p.extra["errors"] = std::move(errors);
    return p;
}

std::optional<Problem> choose_policy(const engine::Application& app, const DecideRequest& request,
                                     const engine::PolicySet& policies,
                                     const engine::LoadedPolicy*& chosen) {
    if (!request.policy_id.empty()) {
        if (auto problem = unknown_policy_problem(request.policy_id, policies)) return problem;
        chosen = policies.find(request.policy_id);
        return std::nullopt;
    }
    if (!app.jurisdiction) {
        return with_pointer(
            make_problem(422, "no-policy", "No policy applies",
                         "the application states no jurisdiction and the request names no "
                         "policy: add \"jurisdiction\" or ?policy=ID"),
            request.pointer_prefix + "/jurisdiction");
    }
    const engine::PolicyChoice choice = policies.select(*app.jurisdiction, app.date);
    chosen = choice.chosen();
    if (chosen != nullptr) return std::nullopt;
    nlohmann::ordered_json candidates = nlohmann::ordered_json::array();
    auto candidate = [&](const engine::LoadedPolicy& p, bool in_force, const std::string& why) {
        nlohmann::ordered_json c;
        c["id"] = p.policy.id;
        c["version"] = p.policy.version;
        c["in_force_from"] = p.policy.in_force_from
                                 ? nlohmann::ordered_json(dsl::format_date(*p.policy.in_force_from))
                                 : nlohmann::ordered_json();
        c["in_force_until"] =
            p.policy.in_force_until
                ? nlohmann::ordered_json(dsl::format_date(*p.policy.in_force_until))
                : nlohmann::ordered_json();
        c["in_force"] = in_force;
        c["why"] = why;
        candidates.push_back(std::move(c));
    };
    for (const engine::LoadedPolicy* p : choice.in_force) {
        candidate(*p, true, "in force on " + dsl::format_date(app.date));
    }
    for (const engine::NotInForce& other : choice.not_in_force) {
        candidate(*other.policy, false, other.why);
    }
    std::string detail = choice.summary();
    const std::vector<std::string> lines = choice.details(false);
    for (std::size_t i = 0; i < lines.size(); ++i) detail += (i == 0 ? ": " : "; ") + lines[i];
    Problem p = choice.several()
                    ? make_problem(422, "several-policies", "Several policies apply", detail)
                    : make_problem(422, "no-policy", "No policy applies", detail);
    p.extra["candidates"] = std::move(candidates);
    p.extra["hint"] =
        choice.several() ? "name one with ?policy=ID, or load policies whose periods do not overlap"
                         : "name a policy with ?policy=ID, or load the policy in force on the date";
    const bool at_jurisdiction = !choice.several() && !choice.jurisdiction_loaded();
    return with_pointer(std::move(p),
                        request.pointer_prefix + (at_jurisdiction ? "/jurisdiction" : "/date"));
}

// Byte ranges of the elements of a top-level JSON array that is already known to be valid.
std::vector<std::pair<std::size_t, std::size_t>> array_elements(const std::string& s) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    constexpr std::size_t none = std::string::npos;
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    std::size_t start = none;
    std::size_t last = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            last = i;
            continue;
        }
        if (is_space(c)) continue;
        if (depth == 1 && (c == ',' || c == ']')) {
            if (start != none) out.emplace_back(start, last + 1);
            start = none;
            if (c == ']') depth = 0;
            continue;
        }
        if (depth == 1 && start == none) start = i;
        if (c == '"')
            in_string = true;
        else if (c == '[' || c == '{')
            ++depth;
        else if (c == ']' || c == '}')
            --depth;
        last = i;
    }
    return out;
}

// Validates JSON without building it: only where the first error is matters.
struct SyntaxCheck : nlohmann::json_sax<nlohmann::json> {
    std::size_t byte = 0;
    std::string message;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t position, const std::string&,
                     const nlohmann::detail::exception& e) override {
        byte = position;
        message = e.what();
        return false;
    }
};

Problem batch_too_large(std::size_t max_items) {
    return make_problem(
        413, "batch-too-large", "Too many applications in one batch",
        fmt::format("a batch holds at most {} applications (--max-batch)", max_items));
}

}  // namespace

std::optional<Problem> json_syntax_problem(std::string_view text) {
    SyntaxCheck check;
    if (nlohmann::json::sax_parse(text.begin(), text.end(), &check)) return std::nullopt;
    const std::size_t offset = check.byte == 0 ? 0 : std::min(check.byte - 1, text.size());
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    Problem p =
        make_problem(400, "malformed-json", "The request body is not valid JSON", check.message);
    p.extra["line"] = line;
    p.extra["column"] = column;
    return p;
}

std::optional<Problem> unknown_policy_problem(const std::string& policy_id,
                                              const engine::PolicySet& policies) {
    if (policies.find(policy_id) != nullptr) return std::nullopt;
    Problem p = make_problem(
        404, "unknown-policy", "Unknown policy",
        fmt::format("no policy '{}' is loaded; GET /v1/policies lists them", policy_id));
    p.extra["parameter"] = "policy";
    return p;
}

ItemResult decide(const DecideRequest& request, const engine::PolicySet& policies) {
    ItemResult result;
    if (!request.yaml) {
        if (auto problem = json_syntax_problem(request.text)) {
            result.problem = std::move(problem);
            return result;
        }
    }
    dsl::SourceFile source("request", std::string(request.text));
    engine::LoadOptions load_options;
    load_options.limits = request.limits;
    load_options.strict_json = !request.yaml;  // json_syntax_problem made sure
    engine::LoadResult loaded = engine::load_application(source, load_options);
    if (!loaded.application) {
        result.problem = invalid_application(loaded.diagnostics, source, request);
        return result;
    }
    const engine::LoadedPolicy* chosen = nullptr;
    if (auto problem = choose_policy(*loaded.application, request, policies, chosen)) {
        result.problem = std::move(problem);
        return result;
    }
    // An override the chosen policy forbids is an error, like an input error: nothing decided.
    std::vector<dsl::Diagnostic> forbidden =
        engine::check_overrides(chosen->policy, *loaded.application);
    if (!forbidden.empty()) {
        Problem p = invalid_application(forbidden, source, request);
        p.kind = "forbidden-override";
        p.title = "The policy forbids an override in the application";
        result.problem = std::move(p);
        return result;
    }
    engine::Decision decision = engine::evaluate(chosen->policy, *loaded.application);
    for (const engine::CredentialDecision& c : decision.credentials) {
        result.credential_statuses.emplace_back(engine::status_name(c.status));
    }
    result.decision_json = engine::render_json(decision);
    result.policy = chosen;
    if (request.keep_decision) {
        result.decision = std::make_shared<const engine::Decision>(std::move(decision));
    }
    return result;
}

BatchSplit split_batch(const std::string& body, bool ndjson, std::size_t max_items) {
    BatchSplit split;
    auto first = std::find_if_not(body.begin(), body.end(), is_space);
    if (!ndjson && first != body.end() && *first == '[') {
        if (auto problem = json_syntax_problem(body)) {
            split.problem = std::move(problem);
            return split;
        }
        auto ranges = array_elements(body);
        if (ranges.empty()) {
            split.problem = make_problem(422, "empty-batch", "The batch is empty",
                                         "send at least one application");
            return split;
        }
        if (ranges.size() > max_items) {
            split.problem = batch_too_large(max_items);
            return split;
        }
        for (std::size_t i = 0; i < ranges.size(); ++i) {
            const auto [begin, end] = ranges[i];
            split.items.push_back(
                {body.substr(begin, end - begin), "/" + std::to_string(i), 0, std::nullopt});
        }
        return split;
    }
    int line = 0;
    std::size_t pos = 0;
    while (pos < body.size()) {
        std::size_t end = body.find('\n', pos);
        if (end == std::string::npos) end = body.size();
        ++line;
        std::string text = body.substr(pos, end - pos);
        pos = end + 1;
        if (std::all_of(text.begin(), text.end(), is_space)) continue;
        if (split.items.size() == max_items) {
            split.items.clear();
            split.problem = batch_too_large(max_items);
            return split;
        }
        BatchItem item{std::move(text), "", line, std::nullopt};
        if (auto problem = json_syntax_problem(item.text)) {
            problem->extra["line"] = line;  // the line of the body, not of the item
            item.problem = std::move(problem);
        }
        split.items.push_back(std::move(item));
    }
    if (split.items.empty()) {
        split.problem = make_problem(422, "empty-batch", "The batch is empty",
                                     "send a JSON array or NDJSON with at least one application");
    }
    return split;
}

}  // namespace mcre::cli
