// Running tests inside policies: loading each test's application, comparing the decision
// with each expectation, and what `mcre test` prints for a failure.

#include <catch2/catch.hpp>
#include <string>

#include "dsl/diagnostic_render.hpp"
#include "engine/application_load.hpp"
#include "engine/evaluator.hpp"
#include "engine/policy_test_report.hpp"
#include "engine/policy_tests.hpp"
#include "rules/checker.hpp"
#include "tests/support/files.hpp"

namespace mcre::engine {
namespace {

// A fixture policy under tests/policytest/data, loaded by its path in the source tree
// (the parent of an extending policy is found beside it).
rules::Policy fixture(const std::string& name) {
    std::string path = test::source_path("tests/policytest/data/" + name);
    dsl::SourceFile source(path, test::read_text(path));
    rules::CheckResult r = rules::load_policy(source);
    INFO(dsl::render_all(r.diagnostics, source));
    REQUIRE(r.policy);
    return std::move(*r.policy);
}

const TestResult& named(const std::vector<TestResult>& results, const std::string& name) {
    for (const TestResult& r : results) {
        if (r.name == name) return r;
    }
    FAIL("no test " << name);
    return results.front();
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST_CASE("every test of the passing fixture passes, files and inline YAML alike",
          "[policytest][engine]") {
    rules::Policy policy = fixture("passing.policy");
    std::vector<TestResult> results = run_policy_tests(policy);
    REQUIRE(results.size() == 4);
    for (const TestResult& r : results) {
        INFO(r.name << "\n" << r.problem << render_test_results({r}));
        CHECK(r.passed());
        CHECK(r.policy == "passing");
        CHECK(r.origin == "passing");
        REQUIRE(r.decision);
    }
    // The file was read relative to the policy, the inline YAML from the policy itself.
    CHECK(named(results, "workload_edges").decision->application_id == "pt-edges");
    CHECK(named(results, "cap_binds").decision->application_id == "pt-cap");
}

TEST_CASE("'as of' reads dated parameters on that day, as --as-of does", "[policytest][engine]") {
    rules::Policy policy = fixture("passing.policy");
    std::vector<TestResult> results = run_policy_tests(policy);
    const TestResult& in_2027 = named(results, "maximum_in_2027");
    REQUIRE(in_2027.application);
    REQUIRE(in_2027.application->values_as_of);
    CHECK(dsl::format_date(*in_2027.application->values_as_of) == "2027-01-01");
    CHECK(in_2027.decision->values_as_of == "2027-01-01");
    CHECK(in_2027.passed());
    // The same application without `as of` is judged by the 2026 maximum.
    const TestResult& in_2026 = named(results, "maximum_in_2026");
    CHECK_FALSE(in_2026.application->values_as_of);
    CHECK(in_2026.decision->credentials.at(0).status == Status::NotRecognized);
}

TEST_CASE("inherited tests run against the extending policy and show what it changes",
          "[policytest][engine][extends]") {
    rules::Policy policy = fixture("failing.policy");
    std::vector<TestResult> results = run_policy_tests(policy);
    REQUIRE(results.size() == 5);
    const TestResult& edges = named(results, "workload_edges");
    CHECK(edges.origin == "passing");
    CHECK(edges.policy == "failing");
    // Inherited: the application file is found beside the parent that wrote the test.
    CHECK(contains(edges.where.file, "passing.policy"));
    CHECK(edges.problem.empty());
    REQUIRE_FALSE(edges.passed());
    // 31 ECTS is now within the maximum: recognized, in part, as far as the cap allows.
    REQUIRE(edges.failures.size() == 2);
    const FailedExpectation& above = edges.failures[0];
    CHECK(above.expectation.credential == "above_max");
    REQUIRE(above.mismatches.size() == 2);
    CHECK(above.mismatches[0].aspect == "status");
    CHECK(above.mismatches[0].expected == "not_recognized");
    CHECK(above.mismatches[0].actual == "partially_recognized");
    CHECK(above.mismatches[1].aspect == "reasons");
    CHECK(above.mismatches[1].expected == "because WORKLOAD");
    CHECK(above.mismatches[1].actual == "because CAP_TOTAL");
    REQUIRE(above.credential);
    CHECK(above.credential->id == "above_max");
    const FailedExpectation& total = edges.failures[1];
    CHECK(total.expectation.total);
    CHECK(total.mismatches.at(0).expected == "33 ECTS");
    CHECK(total.mismatches.at(0).actual == "40 ECTS");
    CHECK_FALSE(total.credential);

    CHECK(named(results, "cap_binds").passed());
    CHECK_FALSE(named(results, "maximum_in_2026").passed());
    CHECK(named(results, "wrong_total").origin == "failing");
}

Decision decided(const std::string& yaml) {
    rules::Policy policy = fixture("passing.policy");
    LoadResult loaded = load_application(dsl::SourceFile("app.yaml", yaml));
    REQUIRE(loaded.application);
    return evaluate(policy, *loaded.application);
}

const char* const two_credentials = R"(id: a
date: 2026-10-01
learner: { id: L1 }
programme: { id: P, kind: bachelor }
credentials:
  - { id: ok, kind: micro_credential, ects: 6, nqf_level: 6 }
  - { id: big, kind: micro_credential, ects: 31, nqf_level: 5 }
)";

rules::TestExpectation expect(const std::string& credential) {
    rules::TestExpectation x;
    x.credential = credential;
    return x;
}

TEST_CASE("each aspect of an expectation is compared on its own", "[policytest][engine]") {
    Decision d = decided(two_credentials);

    rules::TestExpectation holds = expect("big");
    holds.status = "not_recognized";
    holds.ects = 0;
    holds.because = {"WORKLOAD", "LEVEL"};
    holds.not_because = {"CAP_TOTAL"};
    CHECK(compare(holds, d).empty());

    rules::TestExpectation wrong = expect("ok");
    wrong.status = "partially_recognized";
    wrong.ects = 5.5;
    wrong.because = {"CAP_TOTAL"};
    std::vector<Mismatch> m = compare(wrong, d);
    REQUIRE(m.size() == 3);
    CHECK((m[0].aspect == "status" && m[0].expected == "partially_recognized" &&
           m[0].actual == "recognized"));
    CHECK((m[1].aspect == "ECTS" && m[1].expected == "5.5 ECTS" && m[1].actual == "6 ECTS"));
    CHECK((m[2].aspect == "reasons" && m[2].expected == "because CAP_TOTAL" &&
           m[2].actual == "no reasons (every check passed)"));

    rules::TestExpectation absent = expect("big");
    absent.not_because = {"LEVEL", "DUPLICATE", "WORKLOAD"};
    m = compare(absent, d);
    REQUIRE(m.size() == 1);
    CHECK(m[0].expected == "not because LEVEL, WORKLOAD");
    CHECK(m[0].actual == "because WORKLOAD, LEVEL");

    rules::TestExpectation unknown = expect("c9");
    unknown.status = "recognized";
    m = compare(unknown, d);
    REQUIRE(m.size() == 1);
    CHECK(m[0].aspect == "credential");
    CHECK(m[0].actual == "the application has only ok, big");

    rules::TestExpectation total;
    total.total = true;
    total.ects = 6;
    CHECK(compare(total, d).empty());
    total.ects = 6.5;
    REQUIRE(compare(total, d).size() == 1);
    CHECK(compare(total, d)[0].actual == "6 ECTS");
}

TEST_CASE("a test whose application has a forbidden override fails, as evaluate refuses it",
          "[policytest][engine]") {
    // The shipped example policy forbids waiving its regulated-programme exclusion; a test
    // that tries it must not pass on a decision the engine would never make.
    const std::string path = test::source_path("examples/overrides/recognition-2026.policy");
    std::string text = test::read_text(path);
    const auto end = text.rfind('}');
    text.insert(end,
                "  test waiver_of_regulated {\n"
                "    application \"forbidden-override.yaml\"\n"
                "    expect \"c1\" recognized\n"
                "  }\n");
    dsl::SourceFile source(path, text);
    rules::CheckResult r = rules::load_policy(source);
    INFO(dsl::render_all(r.diagnostics, source));
    REQUIRE(r.policy);
    const std::vector<TestResult> results = run_policy_tests(*r.policy);
    const TestResult& result = named(results, "waiver_of_regulated");
    CHECK_FALSE(result.passed());
    CHECK(contains(result.problem, "its application has an override the policy forbids"));
    CHECK(contains(result.problem, "[E4013]"));
    CHECK_FALSE(result.decision);
}

TEST_CASE("an error in an inline application points at the policy's line and column",
          "[policytest][engine]") {
    rules::Policy policy = fixture("bad-inline.policy");
    std::vector<TestResult> results = run_policy_tests(policy);
    const TestResult& broken = named(results, "broken");
    CHECK_FALSE(broken.passed());
    CHECK_FALSE(broken.decision);
    INFO(broken.problem);
    // date: 2026-13-01 is line 17 of the policy; the value starts in column 13.
    CHECK(contains(broken.problem, "bad-inline.policy:17:13: error:"));
    CHECK(contains(broken.problem, "   17 |       date: 2026-13-01"));
    CHECK(contains(broken.problem, "test 'broken': its application is not valid"));

    const TestResult& missing = named(results, "missing_file");
    INFO(missing.problem);
    CHECK(contains(missing.problem,
                   "bad-inline.policy:26:3: error: test 'missing_file': cannot "
                   "read the application 'apps/no-such-file.yaml'"));
    CHECK(contains(missing.problem, "no such file"));
}

TEST_CASE("an error in an application on the line of 'application' shows that line",
          "[policytest][engine]") {
    dsl::SourceFile source("j.policy",
                           "policy j {\n  title \"t\"\n  jurisdiction GE\n  version \"1\"\n"
                           "  in force from 2026-01-01\n"
                           "  test json {\n"
                           "    application \"\"\"{\"id\": \"a\", \"date\": \"2026-10-01\", "
                           "\"learner\": {\"id\": \"L\"}, \"programme\": {\"id\": \"P\"}, "
                           "\"credentials\": [{\"id\": \"c1\", \"ectz\": 31}]}\"\"\"\n"
                           "    expect \"c1\" recognized\n  }\n}\n");
    rules::CheckResult r = rules::load_policy(source);
    REQUIRE(r.policy);
    TestResult result = run_policy_test(*r.policy, r.policy->tests.at(0));
    INFO(result.problem);
    CHECK(contains(result.problem, "j.policy:7:133: error: unknown field 'ectz'"));
    CHECK(contains(result.problem, "    7 |     application \"\"\"{\"id\": \"a\""));
}

TEST_CASE("a directory given for a policy in memory resolves its own tests' files",
          "[policytest][engine]") {
    std::string text = test::read_text(test::source_path("tests/policytest/data/passing.policy"));
    dsl::SourceFile source("docs/example.md:12", text);
    rules::CheckResult r = rules::load_policy(source);
    REQUIRE(r.policy);
    const rules::PolicyTest& edges = r.policy->tests.at(0);
    CHECK_FALSE(run_policy_test(*r.policy, edges).problem.empty());
    TestRunOptions options;
    options.directory = test::source_path("tests/policytest/data");
    CHECK(run_policy_test(*r.policy, edges, options).passed());
}

TEST_CASE("the report shows a line per test and, for a failure, expected against actual",
          "[policytest][engine]") {
    rules::Policy policy = fixture("failing.policy");
    std::vector<TestResult> results = run_policy_tests(policy);
    std::string out = render_test_results(results);
    INFO(out);
    CHECK(contains(out, "PASS failing.cap_binds (from passing)\n"));
    CHECK(contains(out, "FAIL failing.workload_edges (from passing) ("));
    CHECK(contains(out,
                   ": expect \"above_max\" not_recognized because WORKLOAD\n"
                   "    status   expected not_recognized\n"
                   "             actual   partially_recognized\n"
                   "    reasons  expected because WORKLOAD\n"
                   "             actual   because CAP_TOTAL\n"
                   "    above_max is partially_recognized, 7 ECTS, decided by:\n"
                   "      CAP_TOTAL: limit 40 ECTS (total_cap);"));
    CHECK(contains(out, "FAIL failing.wrong_total ("));
    CHECK(contains(out, "    total  expected 33 ECTS\n           actual   40 ECTS\n"));

    TestTally tally;
    tally.add(results);
    CHECK(render_test_summary(tally) == "5 tests, 2 passed, 3 failed\n");
    tally.unloaded_policies = 1;
    CHECK(render_test_summary(tally) ==
          "5 tests, 2 passed, 3 failed; 1 policy file did not load\n");
}

}  // namespace
}  // namespace mcre::engine
