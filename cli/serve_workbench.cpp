#include "cli/serve_workbench.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/http_exchange.hpp"
#include "cli/serve_evaluation.hpp"
#include "cli/serve_handlers.hpp"
#include "cli/serve_simulation.hpp"
#include "dsl/source.hpp"
#include "engine/application_load.hpp"
#include "engine/cohort_generator.hpp"
#include "engine/cohort_write.hpp"
#include "engine/elm_load.hpp"
#include "engine/evaluator.hpp"
#include "engine/policy_variant.hpp"
#include "engine/simulation.hpp"
#include "engine/simulation_render.hpp"
#include "engine/statement.hpp"

namespace mcre::cli {

namespace {

using Json = nlohmann::ordered_json;

Problem bad_field(const std::string& pointer, const std::string& detail) {
    return with_pointer(make_problem(422, "invalid-request", "The request is not usable", detail),
                        pointer);
}

// ---------------------------------------------------------------------------------------
// The policy source: its files (the extends chain, root first, then the policy), each with
// the sections its `# === Title ===` and `# --- Title ---` comments open and the line of
// every declaration, so a reason's `location` (file:line:column) can be shown in place.

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

// "# === Parameters ====" -> ("Parameters", 1); "# --- Workload (x) ---" -> ("Workload (x)", 2)
bool heading(std::string_view line, std::string& title, int& level) {
    line = trim(line);
    if (line.size() < 8 || line[0] != '#') return false;
    line = trim(line.substr(1));
    for (const auto& [mark, lvl] :
         {std::pair{std::string_view("==="), 1}, std::pair{std::string_view("---"), 2}}) {
        if (line.rfind(mark, 0) != 0) continue;
        std::string_view inner = line;
        while (!inner.empty() && inner.front() == mark[0]) inner.remove_prefix(1);
        while (!inner.empty() && inner.back() == mark[0]) inner.remove_suffix(1);
        inner = trim(inner);
        if (inner.empty()) return false;
        title = std::string(inner);
        level = lvl;
        return true;
    }
    return false;
}

// "  override param hours_per_ects = 25 hours" -> ("param", "hours_per_ects")
bool declaration(std::string_view line, std::string& kind, std::string& name) {
    static constexpr std::string_view kinds[] = {"param", "rule",  "exclude", "cap",   "exception",
                                                 "table", "stack", "pathway", "forbid"};
    line = trim(line);
    if (line.rfind("override ", 0) == 0) line = trim(line.substr(9));
    for (std::string_view k : kinds) {
        if (line.size() <= k.size() || line.rfind(k, 0) != 0 || line[k.size()] != ' ') continue;
        std::string_view rest = trim(line.substr(k.size()));
        std::size_t end = 0;
        while (end < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[end])) != 0 ||
                                     rest[end] == '_' || rest[end] == '.')) {
            ++end;
        }
        if (end == 0) return false;
        kind = std::string(k);
        name = std::string(rest.substr(0, end));
        return true;
    }
    return false;
}

Json source_file_json(const std::string& file, const std::string& text) {
    Json sections = Json::array();
    Json declarations = Json::array();
    int number = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        const std::string_view line(text.data() + pos, end - pos);
        ++number;
        std::string a;
        std::string b;
        int level = 0;
        if (heading(line, a, level)) {
            sections.push_back({{"title", a}, {"level", level}, {"line", number}});
        } else if (declaration(line, a, b)) {
            declarations.push_back({{"kind", a}, {"name", b}, {"line", number}});
        }
        if (end == text.size()) break;
        pos = end + 1;
    }
    Json j;
    j["file"] = file;
    j["lines"] = number;
    j["sections"] = std::move(sections);
    j["declarations"] = std::move(declarations);
    j["text"] = text;
    return j;
}

// ---------------------------------------------------------------------------------------
// Simulation: the baseline against a draft with some parameters changed, on a cohort
// generated on the fly (engine::generate_application) or sent as JSON Lines.

struct Cohort {
    bool generated = true;
    engine::CohortSpec spec;
    std::string jsonl;
};

constexpr std::uint64_t max_generated = 1'000'000;

std::optional<Problem> read_cohort_request(const Json& body, const rules::Policy& policy,
                                           Cohort& cohort) {
    cohort.spec = default_cohort(policy);
    cohort.spec.size = 10'000;
    if (!body.contains("cohort")) return std::nullopt;
    const Json& c = body["cohort"];
    if (!c.is_object())
        return bad_field(
            "/cohort",
            "cohort must be an object: {\"generate\": {\"size\": N}} or {\"jsonl\": TEXT}");
    if (c.contains("jsonl")) {
        if (!c["jsonl"].is_string())
            return bad_field(
                "/cohort/jsonl",
                "cohort.jsonl must be a string of JSON Lines, one application per line");
        cohort.generated = false;
        cohort.jsonl = c["jsonl"].get<std::string>();
        return std::nullopt;
    }
    if (!c.contains("generate"))
        return bad_field("/cohort", "give cohort.generate (size, seed) or cohort.jsonl");
    const Json& g = c["generate"];
    if (!g.is_object())
        return bad_field("/cohort/generate",
                         "cohort.generate must be an object with size and seed");
    if (g.contains("size")) {
        if (!g["size"].is_number_unsigned() || g["size"].get<std::uint64_t>() == 0 ||
            g["size"].get<std::uint64_t>() > max_generated) {
            return bad_field(
                "/cohort/generate/size",
                fmt::format("size must be a whole number from 1 to {}", max_generated));
        }
        cohort.spec.size = g["size"].get<std::uint64_t>();
    }
    if (g.contains("seed")) {
        if (!g["seed"].is_number_unsigned())
            return bad_field("/cohort/generate/seed", "seed must be a whole number");
        cohort.spec.seed = g["seed"].get<std::uint64_t>();
    }
    if (g.contains("jurisdiction")) {
        const std::string j =
            g["jurisdiction"].is_string() ? g["jurisdiction"].get<std::string>() : "";
        if (j == "GE")
            cohort.spec.jurisdiction = engine::CohortJurisdiction::Georgia;
        else if (j == "AM")
            cohort.spec.jurisdiction = engine::CohortJurisdiction::Armenia;
        else if (j == "both")
            cohort.spec.jurisdiction = engine::CohortJurisdiction::Both;
        else
            return bad_field("/cohort/generate/jurisdiction",
                             "jurisdiction must be \"GE\", \"AM\" or \"both\"");
    }
    return std::nullopt;
}

std::optional<Problem> read_settings(const Json& body, std::vector<engine::Setting>& settings) {
    if (!body.contains("settings")) return std::nullopt;
    const Json& s = body["settings"];
    if (!s.is_object())
        return bad_field("/settings", "settings must be an object: {\"bachelor_cap\": \"90\"}");
    for (const auto& [name, value] : s.items()) {
        if (value.is_string()) {
            settings.push_back({name, value.get<std::string>()});
        } else if (value.is_number()) {
            settings.push_back({name, value.dump()});
        } else {
            return bad_field("/settings/" + name,
                             fmt::format("the value of {} must be a string as the policy writes it "
                                         "(\"90\", \"90 ects\", \"{{6, 7}}\") or a number",
                                         name));
        }
    }
    return std::nullopt;
}

std::vector<std::string_view> split_lines(const std::string& text,
                                          std::vector<std::size_t>& numbers) {
    std::vector<std::string_view> lines;
    std::size_t pos = 0;
    std::size_t number = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        ++number;
        std::string_view line(text.data() + pos, end - pos);
        pos = end + 1;
        if (trim(line).empty()) continue;
        lines.push_back(line);
        numbers.push_back(number);
    }
    return lines;
}

}  // namespace

bool is_yaml_body(const httplib::Request& req) {
    const std::string type = req.get_header_value("Content-Type");
    return type.rfind("application/yaml", 0) == 0 || type.rfind("text/yaml", 0) == 0 ||
           type.rfind("application/x-yaml", 0) == 0;
}

void handle_statement(const ServeContext& context, const httplib::Request& req,
                      httplib::Response& res) {
    const std::string format = req.has_param("format") ? req.get_param_value("format") : "html";
    if (format != "html" && format != "markdown") {
        Problem p = make_problem(400, "invalid-parameter", "Unknown statement format",
                                 fmt::format("format '{}' is not one of html, markdown", format));
        p.extra["parameter"] = "format";
        return send_problem(res, p);
    }
    auto policies = context.policies->current();
    DecideRequest request{req.body, req.get_param_value("policy"), "", true,
                          context.options.limits};
    request.yaml = is_yaml_body(req);
    request.keep_decision = true;
    ItemResult result = decide(request, *policies);
    if (result.problem) return send_problem(res, *result.problem);
    const engine::Statement statement = engine::build_statement(*result.decision);
    if (format == "markdown") {
        res.set_content(engine::render_statement_markdown(statement),
                        "text/markdown; charset=utf-8");
    } else {
        res.set_content(engine::render_statement_html(statement), "text/html; charset=utf-8");
    }
}

void handle_read_credential(const ServeContext&, const httplib::Request& req,
                            httplib::Response& res) {
    const dsl::SourceFile document("credential", req.body);
    engine::ElmReadResult read = engine::read_elm_credential(document);
    if (!read.credential) {
        Json errors = Json::array();
        for (const engine::ElmProblem& p : read.problems) {
            Json e;
            e["code"] = p.code;
            e["detail"] = p.message;
            e["line"] = p.line;
            e["column"] = p.column;
            if (!p.hint.empty()) e["hint"] = p.hint;
            errors.push_back(std::move(e));
        }
        Problem p = make_problem(422, "invalid-credential", "The credential cannot be read",
                                 read.problems.empty() ? "not a credential mcre can read"
                                                       : read.problems.front().message);
        if (!read.problems.empty()) {
            p.extra["line"] = read.problems.front().line;
            p.extra["column"] = read.problems.front().column;
        }
        p.extra["errors"] = std::move(errors);
        return send_problem(res, p);
    }
    // The application format's own writer gives the credential's fields, in its order.
    engine::Application holder;
    holder.id = "credential";
    holder.credentials.push_back(*read.credential);
    if (req.has_param("id")) holder.credentials.front().id = req.get_param_value("id");
    Json line = Json::parse(engine::application_json_line(holder));
    Json body;
    body["format"] = read.format;
    body["credential"] = line["credentials"][0];
    body["absent"] = read.absent;
    body["remarks"] = read.remarks;
    res.set_content(body.dump(2, ' ', false, Json::error_handler_t::replace) + "\n",
                    "application/json");
}

void handle_policy_source(const ServeContext& context, const httplib::Request& req,
                          httplib::Response& res) {
    auto policies = context.policies->current();
    const engine::LoadedPolicy* found = requested_policy(*policies, req, res);
    if (found == nullptr) return;
    Json files = Json::array();
    for (const engine::PolicySource& base : found->bases) {
        files.push_back(source_file_json(base.file, base.text));
    }
    files.push_back(source_file_json(found->policy.file, found->source_text));
    Json body;
    body["id"] = found->policy.id;
    body["version"] = found->policy.version;
    body["files"] = std::move(files);
    res.set_content(body.dump(2, ' ', false, Json::error_handler_t::replace) + "\n",
                    "application/json");
}

void handle_simulate(const ServeContext& context, const httplib::Request& req,
                     httplib::Response& res) {
    if (auto problem = json_syntax_problem(req.body)) return send_problem(res, *problem);
    const Json body = Json::parse(req.body);
    if (!body.is_object())
        return send_problem(res, bad_field("", "the body must be a JSON object"));
    if (!body.contains("policy") || !body["policy"].is_string()) {
        return send_problem(
            res,
            bad_field(
                "/policy",
                "name the policy in force: \"policy\": \"georgia\" (GET /v1/policies lists them)"));
    }
    auto policies = context.policies->current();
    const std::string id = body["policy"].get<std::string>();
    const engine::LoadedPolicy* baseline = policies->find(id);
    if (baseline == nullptr) {
        return send_problem(
            res, with_pointer(
                     make_problem(
                         404, "unknown-policy", "Unknown policy",
                         fmt::format("no policy '{}' is loaded; GET /v1/policies lists them", id)),
                     "/policy"));
    }
    std::vector<engine::Setting> settings;
    if (auto problem = read_settings(body, settings)) return send_problem(res, *problem);
    Cohort cohort;
    if (auto problem = read_cohort_request(body, baseline->policy, cohort)) {
        return send_problem(res, *problem);
    }
    std::size_t most_changed = 5;
    if (body.contains("most_changed")) {
        if (!body["most_changed"].is_number_unsigned() ||
            body["most_changed"].get<std::size_t>() > 100) {
            return send_problem(
                res,
                bad_field("/most_changed", "most_changed must be a whole number from 0 to 100"));
        }
        most_changed = body["most_changed"].get<std::size_t>();
    }

    // The draft: the policy in force extended, with the changed parameters overridden.
    std::optional<engine::PolicyVariant> variant;
    if (!settings.empty()) {
        const dsl::SourceFile base_source(baseline->policy.file, baseline->source_text);
        variant = engine::policy_with_settings(baseline->policy, base_source, settings);
        if (!variant->policy) {
            Json errors = Json::array();
            for (const dsl::Diagnostic& d : variant->diagnostics) {
                if (d.severity != dsl::Severity::Error) continue;
                Json e;
                e["code"] = d.code;
                e["detail"] = d.message;
                if (!d.hint.empty()) e["hint"] = d.hint;
                errors.push_back(std::move(e));
            }
            Problem p = make_problem(422, "invalid-setting", "A changed parameter is not accepted",
                                     errors.empty() ? "the draft does not check"
                                                    : errors.front()["detail"].get<std::string>());
            p.extra["errors"] = std::move(errors);
            p.extra["draft"] = variant->source.text();
            return send_problem(res, with_pointer(std::move(p), "/settings"));
        }
    }
    const rules::Policy& reform = variant ? *variant->policy : baseline->policy;

    const auto started = std::chrono::steady_clock::now();
    engine::Simulation simulation(baseline->policy, reform,
                                  engine::SimulationOptions{most_changed, 10});
    SimulationCohort run_cohort;
    run_cohort.generated = cohort.generated;
    run_cohort.spec = cohort.spec;
    if (!cohort.generated) {
        run_cohort.lines = split_lines(cohort.jsonl, run_cohort.line_numbers);
        run_cohort.limits = context.options.limits;
        if (run_cohort.lines.empty())
            return send_problem(
                res,
                bad_field("/cohort/jsonl",
                          "the cohort has no application: send one JSON application per line"));
    }
    const SimulationRun run =
        run_simulation(simulation, baseline->policy, variant ? &reform : nullptr, run_cohort);
    const std::size_t size = run.applications;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    Json out;
    out["baseline"] = engine::policy_label(baseline->policy);
    out["reform"] = engine::policy_label(reform);
    Json changed = Json::object();
    for (const engine::Setting& s : settings) changed[s.name] = s.value;
    out["settings"] = std::move(changed);
    Json c;
    c["source"] = cohort.generated ? "generated" : "uploaded";
    c["applications"] = size;
    if (cohort.generated) c["seed"] = cohort.spec.seed;
    out["cohort"] = std::move(c);
    out["threads"] = run.threads;
    out["baseline_cached"] = run.baseline_cached;
    out["seconds"] = std::round(seconds * 1000) / 1000;
    out["report"] = Json::parse(engine::render_simulation_json(simulation.report()));
    if (variant) {
        Json draft;
        draft["file"] = baseline->policy.id + "-draft.policy";
        draft["text"] = variant->source.text();
        out["draft"] = std::move(draft);
    } else {
        out["draft"] = nullptr;
    }
    res.set_content(out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n",
                    "application/json");
}

}  // namespace mcre::cli
