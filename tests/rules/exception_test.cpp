// Exceptions as the checker sees them: bound to what they qualify, narrowing it, ordered
// by specificity or stated priority, and conflicts reported with a witness.

#include <catch2/catch.hpp>
#include <string>

#include "dsl/diagnostic_render.hpp"
#include "rules/checker.hpp"

namespace mcre::rules {
namespace {

const std::string header = R"P(policy law {
  title "Law"
  jurisdiction GE
  version "1"
  in force from 2026-01-01
  cap overall for micro_credential at most 60 ects cite "art. 1"
  rule size for micro_credential require credential.workload <= 30 ects
    else reject SIZE "too large" cite "art. 2"
  exclude regulated when programme.regulated == true
    then reject REGULATED "regulated programme" cite "art. 3"
)P";

CheckResult check_text(const std::string& body) {
    return load_policy(dsl::SourceFile("law.policy", header + body + "}\n"),
                       [](const std::string&) { return std::nullopt; });
}

std::vector<std::string> codes(const CheckResult& r) {
    std::vector<std::string> out;
    for (const dsl::Diagnostic& d : r.diagnostics) out.push_back(d.code);
    return out;
}

bool has(const CheckResult& r, const char* code) {
    auto c = codes(r);
    return std::find(c.begin(), c.end(), code) != c.end();
}

std::string rendered(const CheckResult& r, const std::string& body) {
    dsl::SourceFile source("law.policy", header + body + "}\n");
    return dsl::render_all(r.diagnostics, source);
}

TEST_CASE("an exception is bound to the rule, exclusion or cap it qualifies", "[exception]") {
    const std::string body = R"P(
  exception level7 to size when credential.level == 7 exempt cite "art. 2(2)"
  exception medicine to regulated when programme.field in {"0912"} exempt cite "art. 3(2)"
  exception regulated_cap to overall when programme.regulated == true at most 10 ects
    cite "art. 1(2)"
)P";
    CheckResult ok = check_text(body);
    REQUIRE(ok.policy);
    REQUIRE(ok.policy->exceptions.size() == 3);
    const Exception& cap = ok.policy->exceptions[2];
    CHECK(cap.root == "overall");
    CHECK(cap.qualifies_cap);
    CHECK(cap.effect == ExceptionEffect::Limit);
    // The exception covers only what its base covers.
    CHECK(cap.credential_kinds == std::vector<std::string>{"micro_credential"});

    const std::string typo_body = R"P(
  exception level7 to sise when credential.level == 7 exempt cite "art. 2(2)"
)P";
    CheckResult typo = check_text(typo_body);
    REQUIRE_FALSE(typo.policy);
    CHECK(codes(typo) == std::vector<std::string>{"E2130"});
    std::string text = rendered(typo, typo_body);
    CHECK_THAT(text,
               Catch::Contains("law.policy:12:23: error: exception 'level7' qualifies 'sise'") &&
                   Catch::Contains("did you mean 'size'?"));
}

TEST_CASE("an exception's effect must suit what it qualifies", "[exception]") {
    const std::string body1 = R"P(
  exception a to overall when programme.regulated == true
    then reject X "x" cite "c"
)P";
    CHECK(has(check_text(body1), "E2133"));
    const std::string body2 = R"P(
  exception a to size when credential.level == 7 at most 5 ects cite "c"
)P";
    CHECK(has(check_text(body2), "E2133"));
    const std::string body6 = R"P(
  exception a to size when credential.level == 7
    require credential.qa is present else refer QA "needs QA" cite "c"
)P";
    CHECK(check_text(body6).policy);
}

TEST_CASE("an exception must narrow its base", "[exception]") {
    CheckResult everywhere = check_text(R"P(
  exception a to size exempt cite "c"
)P");
    CHECK(codes(everywhere) == std::vector<std::string>{"E2135"});
    CheckResult wider = check_text(R"P(
  exception a to size for course_units when credential.level == 6 exempt cite "c"
)P");
    CHECK(has(wider, "E2134"));
    const std::string body7 = R"P(
  exception a to regulated in master exempt cite "c"
)P";
    CHECK(check_text(body7).policy);
}

TEST_CASE("two exceptions that can apply together and decide differently conflict", "[exception]") {
    const std::string body = R"P(
  exception a to size when credential.level == 7 exempt cite "c"
  exception b to size when credential.workload > 40 ects
    then reject HUGE "huge" cite "c"
)P";
    CheckResult conflict = check_text(body);
    REQUIRE_FALSE(conflict.policy);
    CHECK(codes(conflict) == std::vector<std::string>{"E2138"});
    std::string text = rendered(conflict, body);
    CHECK_THAT(text, Catch::Contains("exceptions 'a' and 'b' to 'size' can both apply") &&
                         Catch::Contains("witness: a micro_credential") &&
                         Catch::Contains("credential.workload = 41 ECTS") &&
                         Catch::Contains("credential.level = 7") && Catch::Contains("over a"));

    SECTION("a stated priority settles it") {
        CheckResult settled = check_text(R"P(
  exception a to size when credential.level == 7 exempt cite "c"
  exception b to size over a when credential.workload > 40 ects
    then reject HUGE "huge" cite "c"
)P");
        REQUIRE(settled.policy);
        CHECK(settled.policy->exceptions[1].over == std::vector<std::string>{"a"});
    }
    SECTION("exclusive conditions never meet") {
        const std::string body8 = R"P(
  exception a to size when credential.level == 7 exempt cite "c"
  exception b to size when credential.level == 6 and credential.workload > 40 ects
    then reject HUGE "huge" cite "c"
)P";
        CHECK(check_text(body8).policy);
    }
    SECTION("the narrower one wins without a priority") {
        CheckResult narrower = check_text(R"P(
  exception a to size when credential.level == 7 exempt cite "c"
  exception b to size when credential.level == 7 and credential.workload > 40 ects
    then reject HUGE "huge" cite "c"
)P");
        REQUIRE(narrower.policy);
        CHECK(narrower.policy->exceptions[1].more_specific_than == std::vector<std::string>{"a"});
        CHECK(narrower.policy->exceptions[0].more_specific_than.empty());
    }
}

TEST_CASE("priorities name sibling exceptions, one way only", "[exception]") {
    const std::string body3 = R"P(
  exception a to size over nobody when credential.level == 7 exempt cite "c"
)P";
    CHECK(has(check_text(body3), "E2136"));
    const std::string body4 = R"P(
  exception a to size over b when credential.level == 7 exempt cite "c"
  exception b to size over a when credential.workload > 40 ects
    then reject HUGE "huge" cite "c"
)P";
    CHECK(has(check_text(body4), "E2137"));
}

TEST_CASE("exceptions to exceptions, and circles", "[exception]") {
    CheckResult nested = check_text(R"P(
  exception a to size when credential.level == 7 exempt cite "c"
  exception a_huge to a when credential.workload > 40 ects
    then reject HUGE "huge" cite "c"
)P");
    REQUIRE(nested.policy);
    CHECK(nested.policy->exceptions[1].root == "size");
    const std::string body5 = R"P(
  exception a to b when credential.level == 7 exempt cite "c"
  exception b to a when credential.level == 6 exempt cite "c"
)P";
    CHECK(has(check_text(body5), "E2132"));
}

TEST_CASE("exceptions are inherited, overridden and removed like rules", "[exception]") {
    const std::string parent = header + R"P(
  exception level7 to size when credential.level == 7 exempt cite "art. 2(2)"
}
)P";
    PolicyFinder find = [&](const std::string& id) -> std::optional<dsl::SourceFile> {
        if (id == "law") return dsl::SourceFile("law.policy", parent);
        return std::nullopt;
    };
    auto child = [&](const std::string& body) {
        return load_policy(dsl::SourceFile("draft.policy",
                                           "policy draft extends law {\n"
                                           "  title \"Draft\"\n  version \"2\"\n"
                                           "  in force from 2027-01-01\n" +
                                               body + "}\n"),
                           find);
    };
    CheckResult inherits = child("");
    REQUIRE(inherits.policy);
    REQUIRE(inherits.policy->exceptions.size() == 1);
    CHECK(inherits.policy->exceptions[0].origin == "law");

    CHECK(has(child("  exception level7 to size when credential.level == 6 exempt cite \"x\"\n"),
              "E2120"));
    CheckResult overridden =
        child("  override exception level7 to size when credential.level == 6 exempt cite \"x\"\n");
    REQUIRE(overridden.policy);
    CHECK(overridden.policy->exceptions[0].origin == "draft");

    CheckResult removed = child("  remove exception level7 cite \"draft art. 1\"\n");
    REQUIRE(removed.policy);
    CHECK(removed.policy->exceptions.empty());

    // Removing the rule but not its exception leaves the exception qualifying nothing.
    CheckResult orphan = child("  remove rule size cite \"draft art. 2\"\n");
    CHECK(codes(orphan) == std::vector<std::string>{"E2130"});
}

}  // namespace
}  // namespace mcre::rules
