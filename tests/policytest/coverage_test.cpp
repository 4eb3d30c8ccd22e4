// `mcre test --coverage`: which checks, caps and thresholds a policy's tests exercised,
// read from the decisions the tests produced.

#include <catch2/catch.hpp>
#include <string>

#include "dsl/diagnostic_render.hpp"
#include "engine/policy_coverage.hpp"
#include "engine/policy_test_report.hpp"
#include "engine/policy_tests.hpp"
#include "rules/checker.hpp"
#include "tests/support/files.hpp"

namespace mcre::engine {
namespace {

rules::Policy fixture(const std::string& name) {
    std::string path = test::source_path("tests/policytest/data/" + name);
    dsl::SourceFile source(path, test::read_text(path));
    rules::CheckResult r = rules::load_policy(source);
    INFO(dsl::render_all(r.diagnostics, source));
    REQUIRE(r.policy);
    return std::move(*r.policy);
}

rules::Policy policy_with(const std::string& body) {
    dsl::SourceFile source("p.policy",
                           "policy p {\n  title \"t\"\n  jurisdiction GE\n  version \"1\"\n"
                           "  in force from 2026-01-01\n" +
                               body + "}\n");
    rules::CheckResult r = rules::load_policy(source);
    INFO(dsl::render_all(r.diagnostics, source));
    REQUIRE(r.policy);
    return std::move(*r.policy);
}

const CheckCoverage& check(const PolicyCoverage& c, const std::string& name) {
    for (const CheckCoverage& x : c.checks) {
        if (x.name == name) return x;
    }
    FAIL("no check " << name);
    return c.checks.front();
}

TEST_CASE("thresholds are comparisons of a fact with a constant, the fact on the left",
          "[policytest][coverage]") {
    rules::Policy p = policy_with(
        "  param low = 3 ects cite \"c\"\n"
        "  rule size require credential.workload between low and 30 ects\n"
        "    else reject SIZE \"s\" cite \"c\"\n"
        "  rule flipped require 6 ects < credential.ects or credential.ects is missing\n"
        "    else reject SMALL \"s\" cite \"c\"\n"
        "  rule recent require credential.issued >= application.date - 5 years\n"
        "    else reject OLD \"o\" cite \"c\"\n"
        "  rule fits require credential.ects <= programme.total_ects\n"
        "    else reject FITS \"f\" cite \"c\"\n"
        "  exclude big when programme.total_ects >= 300 ects and credential.kind == non_formal\n"
        "    then reject BIG \"b\" cite \"c\"\n");
    std::vector<ThresholdCoverage> t = thresholds_of(p);
    REQUIRE(t.size() == 5);
    CHECK(t[0].check == "p.size");
    CHECK(t[0].text == "credential.workload >= low");
    CHECK(t[1].text == "credential.workload <= 30 ECTS");
    CHECK(t[2].check == "p.flipped");
    CHECK(t[2].text == "credential.ects > 6 ECTS");
    // The edge may be reckoned from the application's date ...
    CHECK(t[3].check == "p.recent");
    CHECK(t[3].text == "credential.issued >= application.date - 5 years");
    // ... but a credential compared with its programme has no edge of its own: p.fits is
    // no threshold.
    CHECK(t[4].check == "p.big");
    CHECK(t[4].text == "programme.total_ects >= 300 ECTS");
}

TEST_CASE("the passing fixture's tests cover every check, cap and threshold",
          "[policytest][coverage]") {
    rules::Policy policy = fixture("passing.policy");
    PolicyCoverage c = measure_coverage(policy, run_policy_tests(policy));
    CHECK(c.tests == 4);
    CHECK(c.credentials == 10);

    REQUIRE(c.checks.size() == 3);
    CHECK(check(c, "passing.non_formal").kind == "exclude");
    CHECK(check(c, "passing.non_formal").passed == 9);
    CHECK(check(c, "passing.non_formal").failed == 1);
    CHECK(check(c, "passing.workload").passed == 6);
    CHECK(check(c, "passing.workload").failed == 3);
    CHECK(check(c, "passing.level").failed == 1);

    REQUIRE(c.caps.size() == 1);
    CHECK(c.caps[0].name == "passing.total");
    CHECK(c.caps[0].charged == 5);
    CHECK(c.caps[0].bound == 1);

    REQUIRE(c.thresholds.size() == 2);
    const ThresholdCoverage& low = c.thresholds[0];
    CHECK(low.text == "credential.workload >= mc_min_ects");
    CHECK(low.edge == "3 ECTS");
    CHECK((low.below == 1 && low.at == 1 && low.above == 7));
    const ThresholdCoverage& high = c.thresholds[1];
    CHECK(high.text == "credential.workload <= mc_max_ects");
    // 30 ECTS in 2026; the test read `as of 2027-01-01` met 40 ECTS there.
    CHECK(high.edge == "30 ECTS");
    CHECK((high.below == 6 && high.at == 1 && high.above == 2));
    CHECK((high.held && high.failed));

    CHECK(c.total() == 12);
    CHECK(c.covered() == 12);
    std::string report = render_coverage(c);
    INFO(report);
    CHECK(report.find("coverage of passing: 12 of 12 items (100 %)") != std::string::npos);
    CHECK(report.find("never") == std::string::npos);
}

TEST_CASE("a single test leaves gaps, and the report names them", "[policytest][coverage]") {
    rules::Policy policy = fixture("passing.policy");
    const rules::PolicyTest* only = nullptr;
    for (const rules::PolicyTest& t : policy.tests) {
        if (t.name == "maximum_in_2026") only = &t;
    }
    REQUIRE(only);
    PolicyCoverage c = measure_coverage(policy, {run_policy_test(policy, *only)});
    CHECK(c.tests == 1);
    // 35 ECTS: passes the level and the exclusion, fails the workload, is never charged.
    CHECK(check(c, "passing.workload").failed == 1);
    CHECK(check(c, "passing.workload").passed == 0);
    CHECK(c.caps[0].charged == 0);
    const ThresholdCoverage& high = c.thresholds[1];
    CHECK((high.above == 1 && high.at == 0 && high.held == false));
    // workload failed, level and exclusion passed, high edge crossed on one side, low
    // edge held on one side: 3 of 12.
    CHECK(c.covered() == 3);

    std::string report = render_coverage(c);
    INFO(report);
    CHECK(report.find("rule passing.workload") != std::string::npos);
    CHECK(report.find("never passed") != std::string::npos);
    CHECK(report.find("never failed") != std::string::npos);
    CHECK(report.find("never charged") != std::string::npos);
    CHECK(report.find("one side only, never at the edge") != std::string::npos);
    CHECK(report.find("3 of 12 items (25 %)") != std::string::npos);
}

TEST_CASE("an exception counts when it decides, and its limit counts as a cap",
          "[policytest][coverage]") {
    rules::Policy p = policy_with(R"(
  rule workload require credential.workload <= 30 ects
    else reject WORKLOAD "w" cite "c"
  exception vet_large to workload for vocational_l5
    require credential.workload <= 60 ects else reject VET_WORKLOAD "v" cite "c"
  cap all at most 20 ects cite "c"
  exception regulated_cap to all when programme.regulated == true at most 5 ects cite "c"
  test plain {
    application """
      id: a1
      date: 2026-10-01
      learner: { id: L }
      programme: { id: P, kind: bachelor }
      credentials:
        - { id: a, kind: micro_credential, ects: 10, issued: 2026-01-01 }
        - { id: b, kind: vocational_l5, ects: 40, issued: 2026-02-01 }
        - { id: c, kind: vocational_l5, ects: 70, issued: 2026-03-01 }
        - { id: d, kind: micro_credential, ects: 35, issued: 2026-04-01 }
    """
    expect "b" partially_recognized 10 ects because CAP_ALL
    expect "c" not_recognized because VET_WORKLOAD not because WORKLOAD
  }
  test regulated {
    application """
      id: a2
      date: 2026-10-01
      learner: { id: L }
      programme: { id: P, kind: bachelor, regulated: true }
      credentials:
        - { id: x, kind: micro_credential, ects: 8 }
    """
    expect "x" partially_recognized 5 ects because CAP_REGULATED_CAP
  }
)");
    std::vector<TestResult> results = run_policy_tests(p);
    for (const TestResult& r : results) {
        INFO(render_test_results({r}));
        CHECK(r.passed());
    }
    PolicyCoverage c = measure_coverage(p, results);
    CHECK(check(c, "p.workload").passed == 2);
    CHECK(check(c, "p.workload").failed == 1);
    const CheckCoverage& vet = check(c, "p.vet_large");
    CHECK(vet.kind == "exception");
    CHECK((vet.passed == 1 && vet.failed == 1 && vet.two_sided));
    REQUIRE(c.caps.size() == 2);
    CHECK((c.caps[0].kind == "cap" && c.caps[0].name == "p.all"));
    CHECK((c.caps[0].charged == 2 && c.caps[0].bound == 1));
    CHECK((c.caps[1].kind == "exception" && c.caps[1].name == "p.regulated_cap"));
    CHECK((c.caps[1].charged == 1 && c.caps[1].bound == 1));
    // The exception's requirement is a threshold read where the exception decided.
    REQUIRE(c.thresholds.size() == 2);
    CHECK(c.thresholds[1].text == "credential.workload <= 60 ECTS");
    CHECK((c.thresholds[1].below == 1 && c.thresholds[1].above == 1));
}

TEST_CASE("tests that did not run count for nothing", "[policytest][coverage]") {
    rules::Policy policy = fixture("bad-inline.policy");
    PolicyCoverage c = measure_coverage(policy, run_policy_tests(policy));
    CHECK(c.tests == 0);
    CHECK(c.covered() == 0);
    CHECK(c.total() == 2);
    CHECK(render_coverage_total({c}) == "coverage of 1 policy: 0 of 2 items (0 %)\n");
}

}  // namespace
}  // namespace mcre::engine
