#include "cli/batch_line.hpp"

#include <algorithm>
#include <exception>
#include <nlohmann/json.hpp>
#include <utility>

#include "cli/batch_summary.hpp"
#include "dsl/content_hash.hpp"
#include "dsl/date.hpp"
#include "dsl/source.hpp"
#include "engine/application_load.hpp"
#include "engine/decision_json.hpp"
#include "engine/evaluator.hpp"
#include "engine/overrides.hpp"

namespace mcre::cli {

namespace {

using Json = nlohmann::ordered_json;

std::string dump(const Json& json) {
    // Replace rather than throw on bad UTF-8: an output line must always be written.
    return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json error_entry(const std::string& code, const std::string& message, std::size_t line, int column,
                 const std::string& hint) {
    Json entry;
    entry["code"] = code;
    entry["message"] = message;
    entry["line"] = line;
    entry["column"] = column;
    entry["hint"] = hint.empty() ? Json(nullptr) : Json(hint);
    return entry;
}

LineOutcome failed(std::size_t line, Json errors) {
    Json record;
    record["line"] = line;
    record["ok"] = false;
    record["errors"] = std::move(errors);
    LineOutcome outcome;
    outcome.line = line;
    outcome.json = dump(record);
    return outcome;
}

LineOutcome failed(std::size_t line, const std::string& code, const std::string& message,
                   int column, const std::string& hint) {
    return failed(line, Json::array({error_entry(code, message, line, column, hint)}));
}

// Pretty-printed JSON on one line: the whitespace outside strings dropped, which gives the
// bytes a compact dump of the same document gives.
void append_compact(std::string& out, const std::string& json) {
    bool in_string = false;
    bool escaped = false;
    for (const char ch : json) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (ch == '\\') {
                escaped = true;
            } else if (ch == '"') {
                in_string = false;
            }
        } else if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') {
            continue;
        } else if (ch == '"') {
            in_string = true;
        }
        out += ch;
    }
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1,
// column 12: " prefix, which repeats what the record says in its own fields.
std::string parse_problem(const std::string& what) {
    const std::string marker = ": ";
    const auto column = what.find("column ");
    const auto colon = column == std::string::npos ? what.find(marker) : what.find(marker, column);
    return colon == std::string::npos ? what : what.substr(colon + marker.size());
}

// nlohmann counts bytes from 1; the records count characters, like every diagnostic.
int column_at_byte(const std::string& text, std::size_t byte) {
    const std::size_t before = std::min(byte == 0 ? 0 : byte - 1, text.size());
    return dsl::utf8_length(std::string_view(text).substr(0, before)) + 1;
}

// The checks yaml-cpp does not make: a JSONL line must be strict JSON holding one object,
// not any YAML that happens to fit on a line.
std::optional<LineOutcome> check_json(std::size_t line, const std::string& text) {
    const std::size_t start = text.find_first_not_of(" \t");
    if (start == std::string::npos) {
        return failed(line, "E4001", "the line is blank; every line must hold one application", 1,
                      "remove blank lines, or expect one error record for each");
    }
    // Most lines are good: accept() checks them without building a document. Valid JSON
    // that starts with '{' is an object; anything else is parsed again for the message.
    if (text[start] == '{' && Json::accept(text)) return std::nullopt;
    try {
        const Json parsed = Json::parse(text);
        if (!parsed.is_object()) {
            return failed(line, "E4001",
                          std::string("the line holds a JSON ") + parsed.type_name() +
                              ", not an application object",
                          1, "write one JSON object per line");
        }
    } catch (const Json::parse_error& e) {
        return failed(line, "E4001", "not valid JSON: " + parse_problem(e.what()),
                      column_at_byte(text, e.byte), "each line must be one complete JSON object");
    } catch (const Json::out_of_range& e) {
        // Valid JSON with a number no double holds (1e400): bad input, not a bug.
        const std::string what = e.what();
        const auto end = what.find("] ");
        return failed(line, "E4005",
                      "a number on the line is too large: " +
                          (end == std::string::npos ? what : what.substr(end + 2)),
                      1, "an amount in an application is at most 1000000000");
    }
    return std::nullopt;
}

std::vector<std::string> warnings_for(const rules::Policy& policy,
                                      const engine::Application& application) {
    std::vector<std::string> warnings;
    if (application.jurisdiction && *application.jurisdiction != policy.jurisdiction) {
        warnings.push_back("the application is for " + *application.jurisdiction + " but policy " +
                           policy.id + " is for " + policy.jurisdiction);
    }
    const bool before = policy.in_force_from && application.date < *policy.in_force_from;
    const bool after = policy.in_force_until && application.date > *policy.in_force_until;
    if (before || after) {
        warnings.push_back("policy " + policy.id + " version " + policy.version +
                           " is not in force on the application date " +
                           dsl::format_date(application.date));
    }
    return warnings;
}

// The line's policy from several; an error record when none or several are in force.
std::optional<LineOutcome> choose(const BatchContext& context, std::size_t line,
                                  const engine::Application& application,
                                  const engine::LoadedPolicy*& chosen) {
    const std::optional<std::string>& jurisdiction =
        context.jurisdiction ? context.jurisdiction : application.jurisdiction;
    if (!jurisdiction) {
        return failed(line, "E4006",
                      "the application states no jurisdiction, so no policy can be chosen", 1,
                      "add \"jurisdiction\" to the line, or run with --jurisdiction XX or "
                      "--policy-id ID");
    }
    const engine::PolicyChoice choice = context.policies->select(*jurisdiction, application.date);
    chosen = choice.chosen();
    if (chosen != nullptr) return std::nullopt;
    std::string message = choice.summary();
    const std::vector<std::string> details = choice.details(true);
    for (std::size_t i = 0; i < details.size(); ++i) {
        message += (i == 0 ? ": " : "; ") + details[i];
    }
    if (choice.several()) {
        return failed(line, "E4007", message, 1,
                      "run with --policy-id ID, pass only one of these files, or end the earlier "
                      "period so that they do not overlap");
    }
    return failed(line, "E4006", message, 1,
                  "add the policy in force on the application date, or run with --policy-id ID");
}

LineOutcome decide(const BatchContext& context, std::size_t line, std::string text) {
    const dsl::SourceFile source("line " + std::to_string(line), std::move(text));
    engine::LoadOptions load_options;
    load_options.limits = context.limits;
    load_options.strict_json = true;  // a line that is not is reported by check_json below
    load_options.input_map = context.input_map;
    engine::LoadResult loaded = engine::load_application(source, load_options);
    // A line the JSON reader took is strict JSON holding one object; any other is checked
    // before its diagnostics count, as it always was (a JSON error is the line's only error).
    if (!loaded.read_as_json) {
        if (auto problem = check_json(line, source.text())) return std::move(*problem);
    }
    auto rejected = [&](const std::vector<dsl::Diagnostic>& diagnostics) {
        Json errors = Json::array();
        for (const dsl::Diagnostic& d : diagnostics) {
            if (d.severity != dsl::Severity::Error) continue;
            errors.push_back(
                error_entry(d.code, d.message, line, source.column_of(d.span.begin), d.hint));
        }
        return failed(line, std::move(errors));
    };
    if (!loaded.application) return rejected(loaded.diagnostics);

    const engine::LoadedPolicy* chosen = context.policy;
    if (chosen == nullptr) {
        auto outcome = choose(context, line, *loaded.application, chosen);
        if (outcome) return std::move(*outcome);
    }
    const rules::Policy& policy = chosen->policy;
    // An override the policy forbids fails the line, as an input error does.
    const std::vector<dsl::Diagnostic> forbidden =
        engine::check_overrides(policy, *loaded.application);
    if (!forbidden.empty()) return rejected(forbidden);
    const bool summary = context.format == BatchFormat::Summary;
    // The summary prints no explanation, so the engine writes none and skips the search for
    // what would change a decision; a logged decision is always the whole one, as evaluate
    // prints it.
    engine::EvaluateOptions options;
    options.what_would_change = !summary || context.log != nullptr;
    options.explain = options.what_would_change;
    // Each batch thread decides its lines into one Decision it keeps, whose memory serves
    // the next line (engine/evaluator.hpp).
    thread_local engine::Decision decision;
    engine::evaluate(policy, *loaded.application, options, decision);
    std::string decision_json;
    if (!summary || context.log != nullptr) decision_json = engine::render_json(decision);

    std::optional<std::string> request_id;
    if (context.log != nullptr) {
        request_id = context.request_id_prefix + "-" + std::to_string(line);
        DecisionRecord logged{*request_id,
                              dsl::sha256_hex(source.text()),
                              policy.id,
                              policy.version,
                              policy.content_hash,
                              chosen->source_text,
                              utc_now_iso8601(),
                              source.text(),
                              decision_json,
                              policy.file,
                              {}};
        for (const engine::PolicySource& base : chosen->bases) {
            logged.policy_bases.push_back({base.file, base.text});
        }
        std::string error;
        // A decision reported without its log entry would break the audit trail, so an
        // unlogged decision is a failed line.
        if (!context.log->record(logged, error)) {
            // A run resumed after a kill, with the same --request-id-prefix, finds the lines
            // it had logged: the same input under the same policy is that decision, kept
            // once (docs/robustness.md, "Decision log under SIGKILL").
            std::string ignored;
            const std::optional<DecisionRecord> earlier = context.log->find(*request_id, ignored);
            if (!earlier || earlier->input_sha256 != logged.input_sha256 ||
                earlier->policy_sha256 != logged.policy_sha256) {
                return failed(line, "E5001", "the decision could not be recorded: " + error, 1,
                              earlier ? "the request id holds another input or policy in the "
                                        "log; use another --request-id-prefix"
                                      : "check the decision log file; the line was not decided");
            }
            decision_json = earlier->decision_json;
        }
    }
    const std::vector<std::string> warnings = warnings_for(policy, *loaded.application);

    LineOutcome outcome;
    outcome.line = line;
    outcome.ok = true;
    if (summary) {
        outcome.json = summary_record(line, request_id, decision, warnings);
    } else {
        // Assembled around the decision as rendered, so that it is not parsed again.
        outcome.json = "{\"line\":" + std::to_string(line) + ",\"ok\":true";
        if (request_id) outcome.json += ",\"request_id\":" + dump(Json(*request_id));
        outcome.json += ",\"decision\":";
        append_compact(outcome.json, decision_json);
        if (!warnings.empty()) outcome.json += ",\"warnings\":" + dump(Json(warnings));
        outcome.json += '}';
    }
    outcome.statuses.reserve(decision.credentials.size());  // one allocation, not four
    for (const engine::CredentialDecision& credential : decision.credentials) {
        outcome.statuses.push_back(credential.status);
    }
    engine::recycle_credentials(*loaded.application);  // for this thread's next line
    return outcome;
}

}  // namespace

LineOutcome line_too_long(std::size_t line, std::size_t bytes, std::size_t limit) {
    const dsl::Diagnostic d = engine::too_large(bytes, limit, "the line", "--max-line-bytes");
    return failed(line, d.code, d.message, 1, d.hint);
}

LineOutcome decide_line(const BatchContext& context, std::size_t line, std::string text) {
    try {
        return decide(context, line, std::move(text));
    } catch (const std::exception& e) {
        // A bug must not take the other lines down with it; the run reports it and exits 70.
        LineOutcome outcome = failed(line, "E7000", std::string("internal error: ") + e.what(), 1,
                                     "please report this with the input line");
        outcome.internal_error = true;
        return outcome;
    }
}

}  // namespace mcre::cli
