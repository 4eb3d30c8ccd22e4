#include "cli/commands.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

#include "cli/batch_command.hpp"
#include "cli/diff_command.hpp"
#include "cli/fmt_command.hpp"
#include "cli/gen_cohort_command.hpp"
#include "cli/input_limit_options.hpp"
#include "cli/input_map_option.hpp"
#include "cli/lint_command.hpp"
#include "cli/log_command.hpp"
#include "cli/plan_command.hpp"
#include "cli/policy_loading.hpp"
#include "cli/serve_command.hpp"
#include "cli/simulate_command.hpp"
#include "cli/test_command.hpp"
#include "dsl/date.hpp"
#include "dsl/diagnostic_render.hpp"
#include "engine/application_load.hpp"
#include "engine/decision_json.hpp"
#include "engine/decision_text.hpp"
#include "engine/evaluator.hpp"
#include "engine/overrides.hpp"
#include "engine/policy_set.hpp"
#include "engine/statement.hpp"

namespace mcre::cli {

namespace {

constexpr const char* main_help = R"(mcre - the micro-credential recognition engine

usage: mcre <command> [options]

commands:
  check FILE|DIR...       parse and check policy files; report every problem
  evaluate --policy FILE|DIR... APPLICATION [--format text|json|markdown|html]
                          decide an application (YAML or JSON) under a policy, or
                          under the one in force among several
  batch --policy FILE [-j N] < applications.jsonl > decisions.jsonl
                          decide many applications, one JSON line each, in order
  serve --policies DIR|FILE... [--port N] [--api-keys FILE]
                          the HTTP/JSON API for admissions systems
  diff OLD NEW [--format text|json] [--max-witnesses N]
                          what changes for learners between two policies, with witnesses
  simulate --baseline POLICY [--reform POLICY] [--set NAME=VALUE]... COHORT
                          what a reform does to a cohort: gains, losses, flips, binding rules
  sweep --policy POLICY --param NAME=FROM..TO:STEP COHORT
                          one row per value of a number: the curve before it becomes law
  plan --policy FILE --application FILE --catalogue FILE --target NAME
                          the smallest set of offered micro-credentials that completes
                          a stack or a pathway, with the reasoning, or why none can
  gen-cohort --size N --seed S [--jurisdiction GE|AM|both] [--format jsonl|csv] [-o FILE]
                          a synthetic Georgian and Armenian cohort for simulate and sweep
  fmt [--check | --stdout] FILE|DIR...
                          rewrite policies in the canonical layout, comments kept
  lint [--strict] FILE|DIR...
                          check, then find dead, contradicting and uncovered rules
  test [--coverage] FILE|DIR...
                          run the tests written inside policies; what they cover
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
    R"(usage: mcre evaluate --policy FILE|DIR [--policy ...] APPLICATION [options]

Evaluates one application (YAML or JSON, see docs/input-format.md) under the policy
and prints the explained decision: per credential the status, the recognized ECTS,
every reason with the facts compared and the clause cited; then the caps and totals.

With one policy file, that policy is applied (with a warning when it is for another
jurisdiction or not in force on the application date). With several files, a directory
(its *.policy files), --jurisdiction or --policy-id, mcre chooses: the policy of the
jurisdiction in force on the application date (or --as-of), and says on stderr which one
and why. When none or several are in force, it lists them and exits 1.

options:
  --policy FILE|DIR  a policy file, or a directory of them; repeat for more (required)
  --jurisdiction XX  choose among the policies of this jurisdiction (default: the
                     application's "jurisdiction")
  --policy-id ID     apply the loaded policy with this id, whatever its jurisdiction
                     and period
  --format FORMAT    text (default, for an officer), json (docs/decision-format.md),
                     or markdown or html: the statement for the applicant in plain
                     words, with the full record as an annex (docs/officer-guide.md)
  --as-of DATE       read dated parameter values in force on DATE instead of the
                     application date (to see what other rules in force would decide),
                     and choose the policy in force on DATE
  --input-map FILE   the application is another system's export: FILE says which of
                     its keys holds each field (docs/input-format.md, "Input maps")
  --max-input-bytes N  the largest application file read (default 8388608; E4050)
  --max-credentials N  most credentials in one application (default 1000; E4051)
  --max-depth N        deepest nesting of mappings and lists (default 32; E4052)
  --max-nodes N        most values in the application, YAML aliases expanded
                       (default 500000; E4053)

exit codes: 0 decided, 1 the policy or application was rejected, or no single policy
            is in force, 2 wrong usage
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
    rules::PolicyLoader loader(rules::PolicyLoader::Options{.content_hash = false});
    for (const std::string& file : files) {
        const rules::Policy* policy = check_policy_file(file, loader, err);
        if (policy == nullptr) {
            all_ok = false;
            continue;
        }
        out << file << ": ok: policy " << policy->id << " version " << policy->version << ", "
            << policy->params.size() << " parameters, " << policy->rules.size()
            << " rules and exclusions, " << policy->caps.size() << " caps";
        if (!policy->exceptions.empty()) out << ", " << policy->exceptions.size() << " exceptions";
        out << "\n";
    }
    return all_ok ? exit_ok : exit_rejected;
}

struct EvaluateOptions {
    std::vector<std::string> policy_paths;
    std::optional<std::string> application_path;
    std::string format = "text";
    std::optional<dsl::Date> as_of;
    std::optional<std::string> jurisdiction;
    std::optional<std::string> policy_id;
    engine::InputLimits limits;
    std::optional<std::string> input_map_path;

    // One file and nothing to choose by: applied as given, as it always was.
    [[nodiscard]] bool chooses() const {
        std::error_code ec;
        return policy_paths.size() > 1 || std::filesystem::is_directory(policy_paths[0], ec) ||
               jurisdiction || policy_id;
    }
};

// Nullopt after printing a usage error.
std::optional<EvaluateOptions> parse_evaluate(const std::vector<std::string>& args,
                                              std::ostream& err) {
    EvaluateOptions o;
    auto fail = [&](const std::string& message) -> std::optional<EvaluateOptions> {
        (void)usage_error(err, message, evaluate_help);
        return std::nullopt;
    };
    std::string problem;  // of a limit option
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const std::optional<std::string> value =
            i + 1 < args.size() ? std::optional<std::string>(args[i + 1]) : std::nullopt;
        if (a == "--policy" || a == "--as-of" || a == "--format" || a == "--jurisdiction" ||
            a == "--policy-id" || a == "--input-map") {
            if (!value || value->rfind("--", 0) == 0) return fail(a + " needs a value");
            ++i;
        }
        if (a == "--policy") {
            o.policy_paths.push_back(*value);
        } else if (a == "--as-of") {
            o.as_of = dsl::parse_date(*value);
            if (!o.as_of) return fail("--as-of needs a date YYYY-MM-DD");
        } else if (a == "--format") {
            if (*value != "text" && *value != "json" && *value != "markdown" && *value != "html")
                return fail("--format is text, json, markdown or html");
            o.format = *value;
        } else if (a == "--jurisdiction") {
            o.jurisdiction = *value;
        } else if (a == "--policy-id") {
            o.policy_id = *value;
        } else if (a == "--input-map") {
            o.input_map_path = *value;
        } else if (LimitOption taken = take_limit_option(args, i, o.limits, true, problem);
                   taken != LimitOption::NotOne) {
            if (taken == LimitOption::Bad) return fail(problem);
        } else if (a.rfind("--", 0) == 0) {
            return fail("unknown option '" + a + "'");
        } else if (!o.application_path) {
            o.application_path = a;
        } else {
            return fail("evaluate takes one application file");
        }
    }
    if (o.policy_paths.empty()) return fail("evaluate needs --policy FILE");
    if (!o.application_path) return fail("evaluate needs an application file");
    return o;
}

void warn_mismatches(const rules::Policy& policy, const engine::Application& application,
                     std::ostream& err) {
    if (application.jurisdiction && *application.jurisdiction != policy.jurisdiction) {
        err << "mcre: warning: the application is for " << *application.jurisdiction
            << " but policy " << policy.id << " is for " << policy.jurisdiction << "\n";
    }
    bool before = policy.in_force_from && application.date < *policy.in_force_from;
    bool after = policy.in_force_until && application.date > *policy.in_force_until;
    if (before || after) {
        err << "mcre: warning: policy " << policy.id << " version " << policy.version
            << " is not in force on the application date " << dsl::format_date(application.date)
            << "\n";
    }
}

std::string loaded_ids(const engine::PolicySet& set) {
    std::string ids;
    for (const engine::LoadedPolicy& p : set.all()) ids += (ids.empty() ? "" : ", ") + p.policy.id;
    return ids;
}

// The policy to apply from several: by id, or the one of the jurisdiction in force on the
// date. Null after saying why not on `err`; `exit_code` is then set.
const engine::LoadedPolicy* choose_policy(const engine::PolicySet& set,
                                          const EvaluateOptions& options,
                                          const engine::Application& application, std::ostream& err,
                                          int& exit_code) {
    exit_code = exit_rejected;
    if (options.policy_id) {
        const engine::LoadedPolicy* found = set.find(*options.policy_id);
        if (found == nullptr) {
            err << "mcre: no policy '" << *options.policy_id
                << "' among the files given (loaded: " << loaded_ids(set) << ")\n";
        }
        return found;
    }
    const std::optional<std::string> jurisdiction =
        options.jurisdiction ? options.jurisdiction : application.jurisdiction;
    if (!jurisdiction) {
        exit_code = usage_error(err,
                                "the application states no jurisdiction: give --jurisdiction XX "
                                "(or --policy-id ID) to choose among the policies",
                                evaluate_help);
        return nullptr;
    }
    const dsl::Date date = options.as_of.value_or(application.date);
    const engine::PolicyChoice choice = set.select(*jurisdiction, date);
    const std::string from =
        options.jurisdiction ? "--jurisdiction" : "the application's jurisdiction";
    const std::string summary =
        choice.summary(from, options.as_of ? "--as-of" : "the application date");
    const engine::LoadedPolicy* chosen = choice.chosen();
    if (chosen != nullptr) {
        err << "mcre: using " << chosen->policy.file << ": " << summary << "\n";
    } else {
        err << "mcre: " << summary << "\n";
    }
    for (const std::string& line : choice.details(true)) err << "  " << line << "\n";
    if (chosen != nullptr) return chosen;
    if (choice.several()) {
        err << "  = hint: name one with --policy-id ID, pass only one of these files, or end the "
               "earlier period ('in force from ... until DATE') so that they do not overlap\n";
    } else if (choice.jurisdiction_loaded()) {
        err << "  = hint: add the policy in force on that date, or apply one anyway with "
               "--policy-id ID\n";
    } else {
        err << "  = hint: check the jurisdiction (" << from
            << "), or add a policy whose header says 'jurisdiction " << *jurisdiction << "'\n";
    }
    return nullptr;
}

int run_evaluate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (wants_help(args)) {
        out << evaluate_help;
        return exit_ok;
    }
    auto options = parse_evaluate(args, err);
    if (!options) return exit_usage;

    std::optional<rules::Policy> single;
    engine::PolicySet set;
    if (!options->chooses()) {
        single = load_policy_file(options->policy_paths[0], err);
        if (!single) return exit_rejected;
    } else {
        std::vector<engine::PolicyLoadProblem> problems;
        set = engine::PolicySet::load(options->policy_paths, problems);
        for (const engine::PolicyLoadProblem& problem : problems) err << problem.rendered;
        // A file left out might be the one in force: choosing without it could be wrong.
        if (!problems.empty()) {
            err << "mcre: " << problems.size() << " of the policy files could not be loaded, "
                << "so no policy is chosen; fix them or leave them out\n";
            return exit_rejected;
        }
        if (set.empty()) return usage_error(err, "no *.policy files found", evaluate_help);
    }
    auto source = read_limited(*options->application_path, options->limits.max_bytes, err);
    if (!source) return exit_rejected;
    // An `elm:` credential entry names a document beside the application file.
    engine::LoadOptions load_options;
    load_options.limits = options->limits;
    std::optional<engine::InputMap> input_map;
    if (options->input_map_path) {
        input_map = read_input_map(*options->input_map_path, err);
        if (!input_map) return exit_rejected;
        load_options.input_map = &*input_map;
    }
    load_options.credential_directory =
        std::filesystem::path(*options->application_path).parent_path().string();
    engine::LoadResult loaded = engine::load_application(*source, load_options);
    err << dsl::render_all(loaded.diagnostics, *source);
    if (!loaded.application) return exit_rejected;

    engine::Application& application = *loaded.application;
    application.values_as_of = options->as_of;
    const rules::Policy* policy = single ? &*single : nullptr;
    if (policy == nullptr) {
        int exit_code = exit_ok;
        const engine::LoadedPolicy* chosen =
            choose_policy(set, *options, application, err, exit_code);
        if (chosen == nullptr) return exit_code;
        policy = &chosen->policy;
    }
    warn_mismatches(*policy, application, err);
    // An override the policy forbids is an error, and nothing is decided.
    std::vector<dsl::Diagnostic> forbidden = engine::check_overrides(*policy, application);
    if (!forbidden.empty()) {
        err << dsl::render_all(forbidden, *source);
        return exit_rejected;
    }
    engine::Decision decision = engine::evaluate(*policy, application);
    if (options->format == "json") {
        out << engine::render_json(decision);
    } else if (options->format == "markdown") {
        out << engine::render_statement_markdown(engine::build_statement(decision));
    } else if (options->format == "html") {
        out << engine::render_statement_html(engine::build_statement(decision));
    } else {
        out << engine::render_text(decision);
    }
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
                 rest[0] == "diff" || rest[0] == "simulate" || rest[0] == "sweep" ||
                 rest[0] == "gen-cohort" || rest[0] == "fmt" || rest[0] == "lint" ||
                 rest[0] == "test" || rest[0] == "plan")
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
    if (command == "simulate") return run_simulate(rest, out, err);
    if (command == "sweep") return run_sweep(rest, out, err);
    if (command == "plan") return run_plan(rest, out, err);
    if (command == "gen-cohort") return run_gen_cohort(rest, out, err);
    if (command == "fmt") return run_fmt(rest, out, err);
    if (command == "lint") return run_lint(rest, out, err);
    if (command == "test") return run_test(rest, out, err);
    return usage_error(err, "unknown command '" + command + "'", main_help);
}

}  // namespace mcre::cli
