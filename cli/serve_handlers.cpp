#include "cli/serve_handlers.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli/http_exchange.hpp"
#include "cli/serve_evaluation.hpp"
#include "cli/serve_workbench.hpp"
#include "dsl/content_hash.hpp"
#include "dsl/date.hpp"
#include "rules/value.hpp"

namespace mcre::cli {

namespace {

using Json = nlohmann::ordered_json;

Problem log_failure(const std::string& why) {
    return make_problem(
        500, "decision-log-failed", "The decision could not be recorded",
        "the decision was not returned because the decision log refused it: " + why);
}

// A decision is only returned once it is recorded: an answer the log does not hold could
// not be audited later.
std::optional<Problem> record(const ServeContext& context, const std::string& request_id,
                              std::string_view input, const ItemResult& result) {
    if (context.decision_log == nullptr) return std::nullopt;
    DecisionRecord r;
    r.request_id = request_id;
    r.input_sha256 = dsl::sha256_hex(input);
    r.policy_id = result.policy->policy.id;
    r.policy_version = result.policy->policy.version;
    r.policy_sha256 = result.policy->policy.content_hash;
    r.policy_source = result.policy->source_text;
    r.policy_file = result.policy->policy.file;  // `log verify` reloads the text under this name
    r.decided_at = utc_timestamp(false);
    r.input_text = std::string(input);
    r.decision_json = result.decision_json;
    for (const engine::PolicySource& base : result.policy->bases) {
        r.policy_bases.push_back({base.file, base.text});
    }
    std::string error;
    if (!context.decision_log->record(r, error)) return log_failure(error);
    return std::nullopt;
}

// Reusing a request id would make two decisions indistinguishable in the log.
std::optional<Problem> reused_request_id(const ServeContext& context, const std::string& id) {
    if (context.decision_log == nullptr || !current_exchange().request_id_from_client) {
        return std::nullopt;
    }
    std::string error;
    auto existing = context.decision_log->find(id, error);
    if (!error.empty()) return log_failure(error);
    if (!existing) return std::nullopt;
    Problem p = make_problem(409, "request-id-reused", "Request id already used",
                             fmt::format("the decision log already holds request '{}'; send a "
                                         "new X-Request-Id or none",
                                         id));
    p.extra["header"] = "X-Request-Id";
    return p;
}

void count(const ServeContext& context, const ItemResult& result) {
    for (const std::string& status : result.credential_statuses) {
        context.metrics->count_decision(status);
    }
}

Json policy_json(const engine::LoadedPolicy& loaded) {
    const rules::Policy& p = loaded.policy;
    Json j;
    j["id"] = p.id;
    j["title"] = p.title;
    j["jurisdiction"] = p.jurisdiction;
    j["version"] = p.version;
    j["in_force_from"] = p.in_force_from ? Json(dsl::format_date(*p.in_force_from)) : Json();
    j["in_force_until"] = p.in_force_until ? Json(dsl::format_date(*p.in_force_until)) : Json();
    j["sha256"] = p.content_hash;
    j["sources"] = p.sources;
    Json params = Json::array();
    for (const rules::Parameter& param : p.params) {
        Json entry;
        entry["name"] = param.name;
        entry["type"] = rules::type_name(param.value.type);
        entry["value"] = rules::format_value(param.value);
        entry["cite"] = param.cite;
        entry["unit"] = rules::unit_word(param.value.type);
        entry["origin"] = param.origin;
        entry["location"] = param.where.line > 0
                                ? Json(fmt::format("{}:{}:{}", param.where.file, param.where.line,
                                                   param.where.column))
                                : Json();
        params.push_back(std::move(entry));
    }
    j["parameters"] = std::move(params);
    // Each cap's limit, changed by a setting "cap.NAME": a number of ECTS, or for a cap
    // written as a share of the programme ("25 % of programme.total_ects") a new share.
    Json caps = Json::array();
    for (const rules::Cap& cap : p.caps) {
        Json entry;
        entry["name"] = cap.name;
        entry["setting"] = "cap." + cap.name;
        entry["credential_kinds"] = cap.credential_kinds;
        entry["programme_kinds"] = cap.programme_kinds;
        entry["when"] = cap.when ? Json(cap.when->text) : Json();
        entry["limit"] = cap.limit.text;
        const bool share = cap.limit.op == rules::Op::PercentOf && cap.limit.args.size() == 2;
        const rules::Expr& amount = share ? cap.limit.args[0] : cap.limit;
        // The value in force when the limit is one number (written, or a parameter's).
        const bool one_number = amount.op == rules::Op::Literal || amount.op == rules::Op::Param;
        entry["value"] = one_number ? Json(rules::format_value(amount.literal)) : Json();
        entry["unit"] = share ? "%" : "ECTS";
        entry["share_of"] = share ? Json(cap.limit.args[1].text) : Json();
        entry["code"] = cap.reason_code();
        entry["cite"] = cap.cite;
        entry["origin"] = cap.origin;
        entry["location"] =
            cap.where.line > 0
                ? Json(fmt::format("{}:{}:{}", cap.where.file, cap.where.line, cap.where.column))
                : Json();
        caps.push_back(std::move(entry));
    }
    j["caps"] = std::move(caps);
    return j;
}

// Rendered JSON without the whitespace between tokens: what dump(-1) of it parsed would
// give, at a fraction of the cost (a batch line splices each decision in as it is).
std::string compact_json(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            out += c;
            if (c == '\\' && i + 1 < text.size()) {
                out += text[++i];
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
            out += c;
        } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
            out += c;
        }
    }
    return out;
}

bool wants_ndjson(const httplib::Request& req) {
    const std::string type = req.get_header_value("Content-Type");
    return type.rfind("application/x-ndjson", 0) == 0 || type.rfind("application/jsonl", 0) == 0;
}

}  // namespace

void handle_evaluate(const ServeContext& context, const httplib::Request& req,
                     httplib::Response& res) {
    auto policies = context.policies->current();
    const std::string policy_id = req.get_param_value("policy");
    const std::string& request_id = current_exchange().request_id;
    if (auto problem = reused_request_id(context, request_id)) return send_problem(res, *problem);
    DecideRequest request{req.body, policy_id, "", true, context.options.limits};
    request.yaml = is_yaml_body(req);
    ItemResult result = decide(request, *policies);
    if (result.problem) return send_problem(res, *result.problem);
    if (auto problem = record(context, request_id, req.body, result)) {
        return send_problem(res, *problem);
    }
    count(context, result);
    res.set_content(result.decision_json, "application/json");
}

void handle_batch(const ServeContext& context, const httplib::Request& req,
                  httplib::Response& res) {
    auto policies = context.policies->current();
    const std::string policy_id = req.get_param_value("policy");
    if (!policy_id.empty()) {
        if (auto problem = unknown_policy_problem(policy_id, *policies)) {
            return send_problem(res, *problem);
        }
    }
    const bool ndjson = wants_ndjson(req);
    BatchSplit split = split_batch(req.body, ndjson, context.options.max_batch);
    if (split.problem) return send_problem(res, *split.problem);

    const std::string& request_id = current_exchange().request_id;
    Json results = Json::array();
    std::string lines;  // NDJSON: each result written as it is decided
    std::size_t decided = 0;
    for (std::size_t i = 0; i < split.items.size(); ++i) {
        BatchItem& item = split.items[i];
        const std::string item_id = fmt::format("{}/{}", request_id, i);
        Json entry;
        entry["index"] = i;
        if (item.line > 0) entry["line"] = item.line;
        entry["request_id"] = item_id;
        std::optional<Problem> problem = std::move(item.problem);
        ItemResult result;
        if (!problem) problem = reused_request_id(context, item_id);
        if (!problem) {
            result = decide(
                {item.text, policy_id, item.pointer_prefix, item.line > 0, context.options.limits},
                *policies);
            problem = std::move(result.problem);
        }
        if (!problem) problem = record(context, item_id, item.text, result);
        if (problem) {
            context.metrics->count_error(problem->kind);
            entry["status"] = problem->status;
            entry["problem"] = problem_json(*problem);
        } else {
            count(context, result);
            ++decided;
            entry["status"] = 200;
        }
        if (ndjson) {
            // A problem's detail may quote the client's bytes, which need not be UTF-8.
            std::string line = entry.dump(-1, ' ', false, Json::error_handler_t::replace);
            if (!problem) {
                // Spliced in rather than parsed and dumped again (about 1 ms for 20 KB).
                line.pop_back();
                line += ",\"decision\":" + compact_json(result.decision_json) + "}";
            }
            lines += line + "\n";
            continue;
        }
        if (!problem) entry["decision"] = Json::parse(result.decision_json);
        results.push_back(std::move(entry));
    }
    if (ndjson) {
        res.set_content(lines, "application/x-ndjson");
        return;
    }
    Json body;
    body["results"] = std::move(results);
    body["summary"] = {{"total", split.items.size()},
                       {"decided", decided},
                       {"failed", split.items.size() - decided}};
    res.set_content(body.dump(2, ' ', false, Json::error_handler_t::replace) + "\n",
                    "application/json");
}

void handle_policies(const ServeContext& context, const httplib::Request&, httplib::Response& res) {
    auto policies = context.policies->current();
    Json list = Json::array();
    for (const engine::LoadedPolicy& p : policies->all()) list.push_back(policy_json(p));
    Json body;
    body["policies"] = std::move(list);
    res.set_content(body.dump(2) + "\n", "application/json");
}

const engine::LoadedPolicy* requested_policy(const engine::PolicySet& policies,
                                             const httplib::Request& req, httplib::Response& res) {
    const std::string id = req.matches.size() > 1 ? std::string(req.matches[1]) : "";
    const engine::LoadedPolicy* found = policies.find(id);
    if (found == nullptr) {
        Problem p =
            make_problem(404, "unknown-policy", "Unknown policy",
                         fmt::format("no policy '{}' is loaded; GET /v1/policies lists them", id));
        p.extra["parameter"] = "id";
        send_problem(res, p);
    }
    return found;
}

void handle_policy(const ServeContext& context, const httplib::Request& req,
                   httplib::Response& res) {
    auto policies = context.policies->current();
    const engine::LoadedPolicy* found = requested_policy(*policies, req, res);
    if (found == nullptr) return;
    res.set_content(policy_json(*found).dump(2) + "\n", "application/json");
}

}  // namespace mcre::cli
