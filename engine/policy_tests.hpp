#pragma once

// Runs a policy's `test` blocks (rules/policy_test.hpp): loads each test's application,
// evaluates it under the policy and compares the decision with every expectation.
// Inherited tests run against the policy given, not the one that wrote them: that is how a
// draft sees which expectations of the law in force it changes.

#include <optional>
#include <string>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"
#include "engine/application.hpp"
#include "engine/decision.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

// One thing the decision got different from an expectation.
struct Mismatch {
    std::string aspect;    // "status", "ECTS", "reasons", "total", "credential"
    std::string expected;  // "recognized", "6 ECTS", "because WORKLOAD"
    std::string actual;    // "not_recognized", "0 ECTS", "because LEVEL, QA"
};

struct FailedExpectation {
    rules::TestExpectation expectation;
    std::vector<Mismatch> mismatches;
    // The credential's decision, for its deciding reasons; empty for totals and for an id
    // the application does not have.
    std::optional<CredentialDecision> credential;
};

struct TestResult {
    std::string name;
    std::string origin;   // the policy that wrote the test
    std::string policy;   // the policy it ran against
    dsl::Location where;  // the `test` statement
    // Why the test could not run (its application is missing or invalid), rendered with
    // file:line:column; empty when it ran.
    std::string problem;
    std::vector<FailedExpectation> failures;
    std::optional<Application> application;  // as evaluated (with `as of` applied)
    std::optional<Decision> decision;

    [[nodiscard]] bool passed() const { return problem.empty() && failures.empty(); }
};

struct TestRunOptions {
    // When set, application files of the tests the policy itself wrote are looked for in
    // this directory instead of beside the policy file (a policy held in memory, e.g. an
    // example in the docs). Inherited tests always resolve beside the file that wrote them.
    std::string directory;
    // When set, relative policy file names are relative to this directory, not to the
    // current one (tests that load policies by a name relative to the source tree).
    std::string root;
};

// The test's application: the file, or the inline YAML read with its positions in the
// policy file (so an error in it points at the policy's line and column).
struct TestApplication {
    std::optional<Application> application;  // present exactly when there is no error
    std::optional<dsl::SourceFile> source;   // what the diagnostics point into
    std::vector<dsl::Diagnostic> diagnostics;
    std::string problem;  // rendered: the file cannot be read, or the diagnostics
};
[[nodiscard]] TestApplication load_test_application(const rules::Policy& policy,
                                                    const rules::PolicyTest& test,
                                                    const TestRunOptions& options = {});

// The mismatches between a decision and one expectation; empty when it holds.
[[nodiscard]] std::vector<Mismatch> compare(const rules::TestExpectation& expectation,
                                            const Decision& decision);

[[nodiscard]] TestResult run_policy_test(const rules::Policy& policy, const rules::PolicyTest& test,
                                         const TestRunOptions& options = {});
// Every test of the policy, in order: the inherited ones first.
[[nodiscard]] std::vector<TestResult> run_policy_tests(const rules::Policy& policy,
                                                       const TestRunOptions& options = {});

}  // namespace mcre::engine
