#include "cli/commands.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

#include "cli/batch_command.hpp"
#include "cli/diff_command.hpp"
#include "cli/fmt_command.hpp"
#include "cli/lint_command.hpp"
#include "cli/log_command.hpp"
#include "cli/policy_loading.hpp"
#include "cli/serve_command.hpp"
#include "dsl/date.hpp"
#include "dsl/diagnostic_render.hpp"
#include "engine/application_load.hpp"
#include "engine/decision_json.hpp"
#include "engine/decision_text.hpp"
#include "engine/evaluator.hpp"
#include "engine/policy_set.hpp"

namespace mcre::cli {

namespace {

constexpr const char* main_help = R"(mcre - the micro-credential recognition engine

usage: mcre <command> [options]

commands:
  check FILE|DIR...       parse and check policy files; report every problem
  evaluate --policy FILE APPLICATION [--format text|json]
                          decide an application (YAML or JSON) under a policy
  batch --policy FILE [-j N] < applications.jsonl > decisions.jsonl
                          decide many applications, one JSON line each, in order
  serve --policies DIR|FILE... [--port N] [--api-keys FILE]
                          the HTTP/JSON API for admissions systems
  diff OLD NEW [--format text|json] [--max-witnesses N]
                          what changes for learners between two policies, with witnesses
  fmt [--check | --stdout] FILE|DIR...
                          rewrite policies in the canonical layout, comments kept
  lint [--strict] FILE|DIR...
                          check, then find dead, contradicting and uncovered rules
  log show ID | log verify --decision-log FILE
                          print a logged decision, or re-check every logged one
  help [COMMAND]          show help for a command

exit codes: 0 success, 1 a policy or application was rejected, 2 wrong usage
)";

constexpr const char* check_help = R"(usage: mcre check FILE|DIR...

Parses and checks each policy file (a directory means every *.policy file in it).
Every error in a file is reported in one run, with file:line:column, the source line,
a caret under the problem, and a hint. Warnings do not fail the check.

exit codes: 0 all files are valid, 1 at least one has errors, 2 wrong usage
)";

constexpr const char* evaluate_help =
    R"(usage: mcre evaluate --policy FILE APPLICATION [--format text|json]

Evaluates one application (YAML or JSON, see docs/input-format.md) under the policy
and prints the explained decision: per credential the status, the recognized ECTS,
every reason with the facts compared and the clause cited; then the caps and totals.

options:
  --policy FILE     the policy to apply (required)
  --format FORMAT   text (default, for an officer) or json (docs/decision-format.md)
  --as-of DATE      read dated parameter values in force on DATE instead of the
                    application date (to see what other rules in force would decide)

exit codes: 0 decided, 1 the policy or application was rejected, 2 wrong usage
)";

int usage_error(std::ostream& err, const std::string& message, const char* help) {
    err << "mcre: " << message << "\n\n" << help;
    return exit_usage;
}

bool wants_help(const std::vector<std::string>& args) {
    return std::any_of(args.begin(), args.end(),
                       [](const std::string& a) { return a == "--help" || a == "-h"; });
}

int run_check(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (wants_help(args)) {
        out << check_help;
        return exit_ok;
    }
    for (const std::string& a : args) {
        if (a.rfind("--", 0) == 0)
            return usage_error(err, "unknown option '" + a + "'", check_help);
    }
    if (args.empty()) return usage_error(err, "check needs at least one policy file", check_help);
    std::vector<std::string> files = engine::policy_files(args);
    if (files.empty()) return usage_error(err, "no *.policy files found", check_help);
    bool all_ok = true;
    for (const std::string& file : files) {
        auto policy = load_policy_file(file, err);
        if (!policy) {
            all_ok = false;
            continue;
        }
        out << file << ": ok: policy " << policy->id << " version " << policy->version << ", "
            << policy->params.size() << " parameters, " << policy->rules.size()
            << " rules and exclusions, " << policy->caps.size() << " caps\n";
    }
    return all_ok ? exit_ok : exit_rejected;
}

int run_evaluate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (wants_help(args)) {
        out << evaluate_help;
        return exit_ok;
    }
    std::optional<std::string> policy_path;
    std::optional<std::string> application_path;
    std::string format = "text";
    std::optional<dsl::Date> as_of;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](const char* name) -> std::optional<std::string> {
            if (i + 1 >= args.size()) return std::nullopt;
            (void)name;
            return args[++i];
        };
        if (a == "--policy") {
            policy_path = value("--policy");
            if (!policy_path) return usage_error(err, "--policy needs a file", evaluate_help);
        } else if (a == "--as-of") {
            auto d = value("--as-of");
            as_of = d ? dsl::parse_date(*d) : std::nullopt;
            if (!as_of) return usage_error(err, "--as-of needs a date YYYY-MM-DD", evaluate_help);
        } else if (a == "--format") {
            auto f = value("--format");
            if (!f || (*f != "text" && *f != "json")) {
                return usage_error(err, "--format is text or json", evaluate_help);
            }
            format = *f;
        } else if (a.rfind("--", 0) == 0) {
            return usage_error(err, "unknown option '" + a + "'", evaluate_help);
        } else if (!application_path) {
            application_path = a;
        } else {
            return usage_error(err, "evaluate takes one application file", evaluate_help);
        }
    }
    if (!policy_path) return usage_error(err, "evaluate needs --policy FILE", evaluate_help);
    if (!application_path)
        return usage_error(err, "evaluate needs an application file", evaluate_help);

    auto policy = load_policy_file(*policy_path, err);
    if (!policy) return exit_rejected;
    auto source = read_source(*application_path, err);
    if (!source) return exit_rejected;
    engine::LoadResult loaded = engine::load_application(*source);
    err << dsl::render_all(loaded.diagnostics, *source);
    if (!loaded.application) return exit_rejected;

    engine::Application& application = *loaded.application;
    application.values_as_of = as_of;
    if (application.jurisdiction && *application.jurisdiction != policy->jurisdiction) {
        err << "mcre: warning: the application is for " << *application.jurisdiction
            << " but policy " << policy->id << " is for " << policy->jurisdiction << "\n";
    }
    bool before = policy->in_force_from && application.date < *policy->in_force_from;
    bool after = policy->in_force_until && application.date > *policy->in_force_until;
    if (before || after) {
        err << "mcre: warning: policy " << policy->id << " version " << policy->version
            << " is not in force on the application date " << dsl::format_date(application.date)
            << "\n";
    }
    engine::Decision decision = engine::evaluate(*policy, application);
    out << (format == "json" ? engine::render_json(decision) : engine::render_text(decision));
    return exit_ok;
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (args.empty()) return usage_error(err, "no command given", main_help);
    const std::string& command = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "--help" || command == "-h") {
        out << main_help;
        return exit_ok;
    }
    if (command == "help") {
        if (rest.empty())
            out << main_help;
        else if (rest[0] == "check")
            out << check_help;
        else if (rest[0] == "evaluate")
            out << evaluate_help;
        else if (rest[0] == "batch" || rest[0] == "serve" || rest[0] == "log" ||
                 rest[0] == "diff" || rest[0] == "fmt" || rest[0] == "lint")
            return run(std::vector<std::string>{rest[0], "--help"}, out, err);
        else
            return usage_error(err, "no help for '" + rest[0] + "'", main_help);
        return exit_ok;
    }
    if (command == "--version") {
        out << "mcre 0.1\n";
        return exit_ok;
    }
    if (command == "check") return run_check(rest, out, err);
    if (command == "evaluate") return run_evaluate(rest, out, err);
    if (command == "batch") return run_batch(rest, out, err);
    if (command == "serve") return run_serve(rest, out, err);
    if (command == "log") return run_log(rest, out, err);
    if (command == "diff") return run_diff(rest, out, err);
    if (command == "fmt") return run_fmt(rest, out, err);
    if (command == "lint") return run_lint(rest, out, err);
    return usage_error(err, "unknown command '" + command + "'", main_help);
}

}  // namespace mcre::cli
