#pragma once

// `mcre test --coverage`: what a policy's tests exercised, read from the decisions they
// produced. A check (rule, exclusion, exception) is covered when some tested credential
// passed it and some failed it; a cap when it was charged and when it bound (limited
// recognition); a threshold (a fact of the credential or programme compared with a
// parameter or constant, possibly reckoned from the application date, by <, <=, >, >= or an
// end of `between`) when tested values fell on both sides of the edge and one sat on it.

#include <string>
#include <vector>

#include "dsl/source.hpp"
#include "engine/policy_tests.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

struct CheckCoverage {
    std::string kind;  // "rule", "exclude" or "exception"
    std::string name;  // "georgia.workload": origin and name, as decisions name it
    int passed = 0;    // tested credentials that passed it (an exception: exempted them)
    int failed = 0;    // ... that failed it (or were warned by it)
    // Whether it can both pass and fail. An exception that exempts, or that decides with
    // `then`, has one outcome only: it is covered once it applied.
    bool two_sided = true;
};

struct CapCoverage {
    std::string kind;  // "cap", or "exception" for an exception's limit that replaces a cap
    std::string name;  // "georgia.bachelor_combined"
    int charged = 0;   // tested credentials charged to it
    int bound = 0;     // ... whose recognition it limited
};

struct ThresholdCoverage {
    std::string check;         // the rule or exclusion it is written in
    std::string text;          // "credential.workload <= mc_max_ects", the attribute on the left
    std::string edge;          // the edge's value: "30 ECTS" (the first one met)
    bool edge_varies = false;  // other values were met too (dated values, dates)
    int below = 0;             // tested values below the edge
    int at = 0;                // exactly at it
    int above = 0;
    bool held = false;    // the comparison held for some tested value
    bool failed = false;  // and failed for some
};

struct PolicyCoverage {
    std::string policy;
    std::string file;
    int tests = 0;        // tests that ran
    int credentials = 0;  // credentials they decided
    std::vector<CheckCoverage> checks;
    std::vector<CapCoverage> caps;
    std::vector<ThresholdCoverage> thresholds;

    // Items: each check passed and failed (a one-sided exception: applied), each cap
    // charged and bound, each threshold tested on both sides and at the edge.
    [[nodiscard]] int covered() const;
    [[nodiscard]] int total() const;
};

// The comparisons of the policy's checks that coverage measures, with no values yet.
[[nodiscard]] std::vector<ThresholdCoverage> thresholds_of(const rules::Policy& policy);

// What the results of running the policy's tests exercised. Tests that did not run are
// left out.
[[nodiscard]] PolicyCoverage measure_coverage(const rules::Policy& policy,
                                              const std::vector<TestResult>& results);

// A table per kind and a summary line with the percentage.
[[nodiscard]] std::string render_coverage(const PolicyCoverage& coverage);
// "coverage: 34 of 50 items (68 %)" over several policies.
[[nodiscard]] std::string render_coverage_total(const std::vector<PolicyCoverage>& coverages);

}  // namespace mcre::engine
