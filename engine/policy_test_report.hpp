#pragma once

// What `mcre test` prints: a line per test, a diff of expected against actual for each
// failing expectation with the reasons that decided the credential, and a summary line.
// Deterministic, no I/O.

#include <string>
#include <vector>

#include "engine/policy_tests.hpp"

namespace mcre::engine {

// "georgia.workload_bounds", or "draft.workload_bounds (from georgia)" for an inherited test.
[[nodiscard]] std::string test_title(const TestResult& result);

// "PASS georgia.workload_bounds" for each test that passed; "FAIL ... (file:line)" followed
// by why for each that did not.
[[nodiscard]] std::string render_test_results(const std::vector<TestResult>& results);

struct TestTally {
    int tests = 0;
    int passed = 0;
    int failed = 0;
    int unloaded_policies = 0;  // policy files that did not load, so their tests did not run

    void add(const std::vector<TestResult>& results);
};

// "12 tests, 11 passed, 1 failed", and how many policy files did not load, if any.
[[nodiscard]] std::string render_test_summary(const TestTally& tally);

}  // namespace mcre::engine
