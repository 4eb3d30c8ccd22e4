// Checking `test` blocks: what a policy author is told about a test that cannot mean what
// it says, and how tests are inherited, overridden and removed through `extends`.

#include <catch2/catch.hpp>
#include <string>

#include "dsl/diagnostic_render.hpp"
#include "dsl/parser.hpp"
#include "engine/decision.hpp"
#include "rules/checker.hpp"
#include "rules/policy_test.hpp"

namespace mcre::rules {
namespace {

const std::string header =
    "policy p {\n"
    "  title \"t\"\n"
    "  jurisdiction GE\n"
    "  version \"1\"\n"
    "  in force from 2026-01-01\n"
    "  rule workload require credential.workload <= 30 ects\n"
    "    else reject WORKLOAD \"too large\" cite \"c\"\n"
    "  cap overall in bachelor at most 60 ects cite \"c\"\n";

CheckResult check_text(const std::string& body, const std::string& name = "p.policy") {
    return load_policy(dsl::SourceFile(name, header + body + "}\n"));
}

std::vector<std::string> codes(const CheckResult& r) {
    std::vector<std::string> out;
    for (const auto& d : r.diagnostics) out.push_back(d.code);
    return out;
}

const dsl::Diagnostic* find(const CheckResult& r, const std::string& code) {
    for (const auto& d : r.diagnostics) {
        if (d.code == code) return &d;
    }
    return nullptr;
}

std::string rendered(const CheckResult& r, const std::string& body) {
    return dsl::render_all(r.diagnostics, dsl::SourceFile("p.policy", header + body + "}\n"));
}

TEST_CASE("a checked test keeps its application, date, expectations and where they are",
          "[policytest][rules]") {
    CheckResult r = check_text(
        "  test sizes {\n"
        "    application \"../examples/x.yaml\"\n"
        "    as of 2027-01-01\n"
        "    expect \"c1\"   recognized 6 ects\n"
        "    expect \"c2\" not_recognized because WORKLOAD not because CAP_OVERALL, DUPLICATE\n"
        "    expect total 6 ects\n"
        "  }\n");
    INFO(rendered(r, ""));
    REQUIRE(r.policy);
    REQUIRE(r.policy->tests.size() == 1);
    const PolicyTest& t = r.policy->tests[0];
    CHECK(t.name == "sizes");
    CHECK(t.origin == "p");
    CHECK(t.where.file == "p.policy");
    CHECK(t.where.line == 9);
    CHECK(t.application_file == "../examples/x.yaml");
    CHECK(t.application_inline.empty());
    REQUIRE(t.as_of);
    CHECK(dsl::format_date(*t.as_of) == "2027-01-01");
    REQUIRE(t.expectations.size() == 3);
    CHECK(t.expectations[0].credential == "c1");
    CHECK(t.expectations[0].status == "recognized");
    CHECK(t.expectations[0].ects == 6);
    CHECK(t.expectations[0].text == "expect \"c1\" recognized 6 ects");
    CHECK(t.expectations[0].where.line == 12);
    CHECK(t.expectations[0].where.column == 5);
    CHECK(t.expectations[1].because == std::vector<std::string>{"WORKLOAD"});
    CHECK(t.expectations[1].not_because == std::vector<std::string>{"CAP_OVERALL", "DUPLICATE"});
    CHECK_FALSE(t.expectations[1].ects);
    CHECK(t.expectations[2].total);
    CHECK(t.expectations[2].ects == 6);
    // Known codes (a rule's, a cap's, the engine's) are not warned about.
    CHECK(r.diagnostics.empty());
}

TEST_CASE("an inline application is kept byte for byte with where it starts",
          "[policytest][rules]") {
    const std::string yaml = "\n      id: a\n      date: 2026-10-01  # trailing\n    ";
    CheckResult r = check_text("  test inline {\n    application \"\"\"" + yaml +
                               "\"\"\"\n    expect \"c1\" recognized\n  }\n");
    REQUIRE(r.policy);
    const PolicyTest& t = r.policy->tests.at(0);
    CHECK(t.application_inline == yaml);
    CHECK(t.application_file.empty());
    CHECK(t.inline_at.line == 10);
    CHECK(t.inline_at.column == 20);
}

TEST_CASE("an unknown status is an error with a suggestion", "[policytest][rules]") {
    const std::string body =
        "  test t {\n    application \"a.yaml\"\n    expect \"c1\" recognised\n  }\n";
    CheckResult r = check_text(body);
    CHECK_FALSE(r.policy);
    const dsl::Diagnostic* d = find(r, "E2601");
    REQUIRE(d);
    std::string text = rendered(r, body);
    CHECK(text.find("p.policy:11:17: error: unknown status 'recognised' [E2601]") !=
          std::string::npos);
    CHECK(text.find("did you mean 'recognized'?") != std::string::npos);
}

TEST_CASE("every status word is a status the engine gives", "[policytest][rules]") {
    using engine::Status;
    std::vector<std::string> names;
    for (Status s : {Status::Recognized, Status::PartiallyRecognized, Status::NotRecognized,
                     Status::Referred, Status::Incomplete, Status::NotApplicable}) {
        names.emplace_back(engine::status_name(s));
    }
    std::vector<std::string> words(status_words().begin(), status_words().end());
    CHECK(words == names);
}

TEST_CASE("an expectation or a test that checks nothing is an error", "[policytest][rules]") {
    CheckResult bare =
        check_text("  test t {\n    application \"a.yaml\"\n    expect \"c1\"\n  }\n");
    CHECK(codes(bare) == std::vector<std::string>{"E2602"});
    CheckResult empty = check_text("  test t {\n    application \"a.yaml\"\n  }\n");
    CHECK(codes(empty) == std::vector<std::string>{"E2602"});
    REQUIRE(find(empty, "E2602"));
    CHECK(find(empty, "E2602")->message == "test 't' expects nothing");
}

TEST_CASE("an amount must be ECTS and not below zero", "[policytest][rules]") {
    CheckResult hours = check_text(
        "  test t {\n    application \"a.yaml\"\n    expect \"c1\" recognized 6 hours\n  }\n");
    REQUIRE(find(hours, "E2201"));
    CHECK(find(hours, "E2201")->message == "the expected amount is in hours, not ECTS");
    CheckResult bare =
        check_text("  test t {\n    application \"a.yaml\"\n    expect total 6\n  }\n");
    REQUIRE(find(bare, "E2201"));
    CHECK(find(bare, "E2201")->hint == "recognized credit is counted in ECTS: write 6 ects");

    // The grammar reads no sign, so a negative amount can only come from a built tree; the
    // checker refuses it all the same.
    const std::string text =
        header + "  test t {\n    application \"a.yaml\"\n    expect total 6 ects\n  }\n}\n";
    dsl::SourceFile source("p.policy", text);
    dsl::ParseResult parsed = dsl::parse(source);
    REQUIRE(parsed.policy);
    parsed.policy->tests.at(0).expectations.at(0).ects->number = -6;
    CheckResult negative = check(*parsed.policy, source);
    CHECK(codes(negative) == std::vector<std::string>{"E2301"});
}

TEST_CASE("two tests of one name, a wrong date and an empty application are errors",
          "[policytest][rules]") {
    CheckResult twice = check_text(
        "  test t {\n    application \"a.yaml\"\n    expect total 0 ects\n  }\n"
        "  test t {\n    application \"b.yaml\"\n    expect total 0 ects\n  }\n");
    REQUIRE(find(twice, "E2101"));
    CHECK(find(twice, "E2101")->message == "test 't' is defined twice");
    CHECK(find(twice, "E2101")->notes.at(0).message == "first defined here");
    // Also when the first one has an error of its own.
    CheckResult broken_first = check_text(
        "  test t {\n    application \"a.yaml\"\n  }\n"
        "  test t {\n    application \"b.yaml\"\n    expect total 0 ects\n  }\n");
    CHECK(codes(broken_first) == std::vector<std::string>{"E2602", "E2101"});

    CheckResult date = check_text(
        "  test t {\n    application \"a.yaml\"\n    as of 2026-02-30\n    expect total 0 ects\n"
        "  }\n");
    CHECK(codes(date) == std::vector<std::string>{"E2004"});

    CheckResult inline_empty = check_text(
        "  test t {\n    application \"\"\"\n    \"\"\"\n    expect total 0 ects\n  }\n");
    CHECK(codes(inline_empty) == std::vector<std::string>{"E2603"});
    CheckResult file_empty =
        check_text("  test t {\n    application \"\"\n    expect total 0 ects\n  }\n");
    CHECK(codes(file_empty) == std::vector<std::string>{"E2603"});
}

TEST_CASE("a reason code no check can give is a warning with a suggestion", "[policytest][rules]") {
    const std::string body =
        "  test t {\n    application \"a.yaml\"\n"
        "    expect \"c1\" not_recognized because WORKLOD not because CAP_OVERAL, workload\n"
        "  }\n";
    CheckResult r = check_text(body);
    CHECK(r.policy);  // only warnings
    CHECK(codes(r) == std::vector<std::string>{"W3006", "W3006", "W3006"});
    std::string text = rendered(r, body);
    CHECK(text.find("p.policy:11:40: warning: no check of policy p gives the reason code "
                    "'WORKLOD' [W3006]") != std::string::npos);
    CHECK(text.find("did you mean 'WORKLOAD'?") != std::string::npos);
    CHECK(text.find("did you mean 'CAP_OVERALL'?") != std::string::npos);
    CHECK(r.diagnostics[2].notes.at(0).message == "did you mean 'WORKLOAD'?");
}

// ---- inheritance --------------------------------------------------------------------

const std::string parent_text = R"POLICY(policy base {
  title "Base"
  jurisdiction GE
  version "1"
  in force from 2026-01-01
  rule workload require credential.workload <= 30 ects
    else reject WORKLOAD "too large" cite "base (d)"
  test small {
    application "apps/small.yaml"
    expect "c1" recognized
  }
  test large {
    application "apps/large.yaml"
    expect "c1" not_recognized because WORKLOAD
  }
}
)POLICY";

CheckResult load_child(const std::string& body) {
    std::string text =
        "policy child extends base {\n  title \"Child\"\n  version \"2\"\n"
        "  in force from 2027-01-01\n" +
        body + "}\n";
    PolicyFinder finder = [](const std::string& id) -> std::optional<dsl::SourceFile> {
        if (id == "base") return dsl::SourceFile("parent/base.policy", parent_text);
        return std::nullopt;
    };
    return load_policy(dsl::SourceFile("child.policy", text), finder);
}

TEST_CASE("a policy inherits its parent's tests, which remember where they were written",
          "[policytest][rules][extends]") {
    CheckResult r = load_child("");
    REQUIRE(r.policy);
    REQUIRE(r.policy->tests.size() == 2);
    CHECK(r.policy->tests[0].name == "small");
    CHECK(r.policy->tests[0].origin == "base");
    CHECK(r.policy->tests[0].where.file == "parent/base.policy");
    CHECK(r.policy->tests[0].where.line == 8);
}

TEST_CASE("a same-named test needs override, which replaces the inherited one in place",
          "[policytest][rules][extends]") {
    const std::string test =
        "test small {\n    application \"mine.yaml\"\n    expect \"c1\" referred\n  }\n";
    CheckResult clash = load_child("  " + test);
    CHECK(codes(clash) == std::vector<std::string>{"E2120"});
    REQUIRE(find(clash, "E2120"));
    CHECK(find(clash, "E2120")->message == "test 'small' is already defined by policy base");
    CHECK(find(clash, "E2120")->notes.at(0).message ==
          "first defined here: parent/base.policy:8:3");

    CheckResult replaced = load_child("  override " + test);
    REQUIRE(replaced.policy);
    REQUIRE(replaced.policy->tests.size() == 2);
    CHECK(replaced.policy->tests[0].name == "small");
    CHECK(replaced.policy->tests[0].origin == "child");
    CHECK(replaced.policy->tests[0].application_file == "mine.yaml");
    CHECK(replaced.policy->tests[1].origin == "base");

    CheckResult nothing = load_child(
        "  override test medium {\n    application \"m.yaml\"\n"
        "    expect total 0 ects\n  }\n");
    CHECK(codes(nothing) == std::vector<std::string>{"E2121"});
}

TEST_CASE("remove test drops an inherited test; an unknown name is an error",
          "[policytest][rules][extends]") {
    CheckResult removed = load_child("  remove test large cite \"amendment, art. 2\"\n");
    REQUIRE(removed.policy);
    REQUIRE(removed.policy->tests.size() == 1);
    CHECK(removed.policy->tests[0].name == "small");

    CheckResult unknown = load_child("  remove test lage cite \"amendment, art. 2\"\n");
    CHECK(codes(unknown) == std::vector<std::string>{"E2121"});
    REQUIRE(find(unknown, "E2121"));
    CHECK(find(unknown, "E2121")->message == "no inherited test is called 'lage'");
    CHECK(find(unknown, "E2121")->notes.at(0).message == "did you mean 'large'?");

    // A policy's own test is not inherited, so it cannot be removed.
    CheckResult own = check_text(
        "  test t {\n    application \"a.yaml\"\n    expect total 0 ects\n  }\n"
        "  remove test t cite \"c\"\n");
    CHECK(codes(own) == std::vector<std::string>{"E2121"});
}

}  // namespace
}  // namespace mcre::rules
