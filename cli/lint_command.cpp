#include "cli/lint_command.hpp"

#include <algorithm>
#include <filesystem>

#include "cli/commands.hpp"
#include "cli/policy_loading.hpp"
#include "dsl/diagnostic_render.hpp"
#include "engine/policy_set.hpp"
#include "rules/analysis/analyze.hpp"
#include "rules/checker.hpp"

namespace mcre::cli {

namespace {

constexpr const char* lint_help = R"(usage: mcre lint [--strict] FILE|DIR...

Checks each policy file (a directory means every *.policy file in it) like `mcre check`,
then analyses the checked policy for problems that are not errors (docs/analysis.md):
checks that can never fail or never pass, exclusions that never or always apply, rules
that contradict each other, caps that cannot bind or exceed a programme, shares above
100 %, unused tables, unknown ISCED-F codes, and kinds no check or cap covers. Each
warning (W31xx) comes with a witness where one exists.

options:
  --strict   exit 1 on any warning, not only on errors

exit codes: 0 no errors (warnings allowed unless --strict), 1 errors (or warnings with
--strict), 2 wrong usage
)";

// All diagnostics of one file, checker's and analyses'; nullopt if it cannot be read.
std::optional<std::vector<dsl::Diagnostic>> lint_file(const std::string& path, std::ostream& out,
                                                      std::ostream& err) {
    auto source = read_source(path, err);
    if (!source) return std::nullopt;
    rules::CheckResult result = rules::load_policy(*source);
    std::vector<dsl::Diagnostic> diagnostics = std::move(result.diagnostics);
    if (result.policy) {
        std::vector<dsl::Diagnostic> found = rules::analyze(*result.policy, *source);
        diagnostics.insert(diagnostics.end(), found.begin(), found.end());
        dsl::sort_by_position(diagnostics);
    }
    if (diagnostics.empty()) {
        out << path << ": ok: no problems found\n";
    } else {
        out << dsl::render_all(diagnostics, *source);
    }
    return diagnostics;
}

}  // namespace

int run_lint(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    bool strict = false;
    std::vector<std::string> paths;
    for (const std::string& a : args) {
        if (a == "--help" || a == "-h") {
            out << lint_help;
            return exit_ok;
        }
        if (a == "--strict") {
            strict = true;
        } else if (a.rfind("--", 0) == 0) {
            err << "mcre: unknown option '" << a << "'\n\n" << lint_help;
            return exit_usage;
        } else {
            paths.push_back(a);
        }
    }
    std::vector<std::string> files = engine::policy_files(paths);
    if (files.empty()) {
        err << "mcre: lint needs at least one policy file\n\n" << lint_help;
        return exit_usage;
    }
    bool failed = false;
    for (const std::string& file : files) {
        auto diagnostics = lint_file(file, out, err);
        if (!diagnostics) {
            failed = true;
            continue;
        }
        bool warned = !diagnostics->empty();
        failed = failed || dsl::has_errors(*diagnostics) || (strict && warned);
    }
    return failed ? exit_rejected : exit_ok;
}

}  // namespace mcre::cli
