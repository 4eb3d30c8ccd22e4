#include "cli/test_command.hpp"

#include "cli/commands.hpp"
#include "cli/policy_loading.hpp"
#include "engine/policy_coverage.hpp"
#include "engine/policy_set.hpp"
#include "engine/policy_test_report.hpp"
#include "engine/policy_tests.hpp"

namespace mcre::cli {

namespace {

constexpr const char* test_help = R"(usage: mcre test [--coverage] FILE|DIR...

Runs the tests written inside each policy file (docs/policy-tests.md); a directory means
every *.policy file in it. A policy that extends another also runs the tests it inherits,
against itself. Prints a line per test, PASS or FAIL with the file and line of the test;
under a failure, for each expectation that does not hold, what was expected and what the
policy decided, and the reasons that decided the credential; then a summary line.

options:
  --coverage   then report, per policy, which checks the tests passed and failed, which
               caps they charged and bound, and which thresholds they tested on both
               sides and exactly at the edge (does not change the exit code)

exit codes: 0 every test passed, 1 a test failed or a policy or application did not
load, 2 wrong usage
)";

}  // namespace

int run_test(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    bool coverage = false;
    std::vector<std::string> paths;
    for (const std::string& a : args) {
        if (a == "--help" || a == "-h") {
            out << test_help;
            return exit_ok;
        }
        if (a == "--coverage") {
            coverage = true;
        } else if (a.rfind("--", 0) == 0) {
            err << "mcre: unknown option '" << a << "'\n\n" << test_help;
            return exit_usage;
        } else {
            paths.push_back(a);
        }
    }
    if (paths.empty()) {
        err << "mcre: test needs at least one policy file\n\n" << test_help;
        return exit_usage;
    }
    std::vector<std::string> files = engine::policy_files(paths);
    if (files.empty()) {
        err << "mcre: no *.policy files found\n\n" << test_help;
        return exit_usage;
    }
    engine::TestTally tally;
    std::vector<engine::PolicyCoverage> coverages;
    for (const std::string& file : files) {
        auto policy = load_policy_file(file, err);
        if (!policy) {
            ++tally.unloaded_policies;
            continue;
        }
        if (policy->tests.empty()) {
            out << file << ": policy " << policy->id << " has no tests\n";
        }
        std::vector<engine::TestResult> results = engine::run_policy_tests(*policy);
        out << engine::render_test_results(results);
        tally.add(results);
        if (coverage) coverages.push_back(engine::measure_coverage(*policy, results));
    }
    for (const engine::PolicyCoverage& c : coverages) out << "\n" << engine::render_coverage(c);
    if (coverages.size() > 1) out << "\n" << engine::render_coverage_total(coverages);
    if (coverage) out << "\n";
    out << engine::render_test_summary(tally);
    return tally.failed > 0 || tally.unloaded_policies > 0 ? exit_rejected : exit_ok;
}

}  // namespace mcre::cli
