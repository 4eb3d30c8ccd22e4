// Dated parameter values and inheritance as an officer sees them in a decision: the value
// in force on the application date (or --as-of), the date it took effect, and the policy
// in the `extends` chain that wrote each rule.

#include <catch2/catch.hpp>
#include <string>

#include "engine/application_load.hpp"
#include "engine/decision_text.hpp"
#include "engine/evaluator.hpp"
#include "rules/checker.hpp"

namespace mcre::engine {
namespace {

const std::string italy = R"POLICY(policy italy {
  title "Italy: Law 240/2010 art. 14"
  jurisdiction IT
  version "2"
  in force from 2011-01-29
  param cap_laurea = 12 ects until 2024-07-03, 48 ects from 2024-07-04
    cite "L. 240/2010 art. 14 (12 CFU); DM 931 of 4 July 2024 (48 CFU)"
  rule size require credential.workload <= cap_laurea
    else reject OVER_CAP "more than {cap_laurea}" cite "art. 14"
  rule transitional require credential.workload <= cap_laurea as of credential.issued
    else warn OLD_RULE "issued when the cap was {cap_laurea}" cite "transitional"
}
)POLICY";

Application application_on(const std::string& date, const std::string& issued, int ects) {
    std::string yaml = "id: a1\ndate: " + date +
                       "\nlearner: {id: L1}\nprogramme: {id: P1, kind: bachelor}\n"
                       "credentials:\n  - id: c1\n    kind: micro_credential\n    issued: " +
                       issued + "\n    ects: " + std::to_string(ects) + "\n";
    LoadResult loaded = load_application(dsl::SourceFile("a.yaml", yaml));
    REQUIRE(loaded.application);
    return *loaded.application;
}

rules::Policy policy_from(const std::string& text) {
    rules::CheckResult checked = rules::load_policy(dsl::SourceFile("italy.policy", text));
    REQUIRE(checked.policy);
    return *checked.policy;
}

TEST_CASE("the value in force on the application date decides, at and around the change",
          "[engine][dated]") {
    rules::Policy policy = policy_from(italy);
    auto status = [&](const char* date) {
        Decision d = evaluate(policy, application_on(date, "2024-01-10", 20));
        return d.credentials.at(0);
    };
    CHECK(status("2024-07-03").primary_code == "OVER_CAP");    // last day of 12 CFU
    CHECK(status("2024-07-04").status == Status::Recognized);  // first day of 48 CFU
    CHECK(status("2025-03-01").status == Status::Recognized);

    CredentialDecision before = status("2024-07-03");
    REQUIRE_FALSE(before.reasons.empty());
    // The explanation names the value and the date it took effect.
    CHECK(before.reasons[0].facts.find("12 ECTS (cap_laurea, in force until 2024-07-03)") !=
          std::string::npos);
}

TEST_CASE("values can be read as in force on another day (--as-of)", "[engine][dated]") {
    rules::Policy policy = policy_from(italy);
    Application app = application_on("2025-03-01", "2024-01-10", 20);
    app.values_as_of = dsl::parse_date("2024-01-01");
    Decision d = evaluate(policy, app);
    CHECK(d.credentials.at(0).primary_code == "OVER_CAP");
}

TEST_CASE("a transitional provision reads the value in force when the credential was issued",
          "[engine][dated]") {
    rules::Policy policy = policy_from(italy);
    Decision d = evaluate(policy, application_on("2025-03-01", "2024-01-10", 20));
    const CredentialDecision& c = d.credentials.at(0);
    CHECK(c.status == Status::Recognized);  // warnings never change the status
    REQUIRE(c.reasons.size() == 1);
    CHECK(c.reasons[0].code == "OLD_RULE");
    CHECK(c.reasons[0].facts.find("cap_laurea as of credential.issued") != std::string::npos);
}

TEST_CASE("a date on which no value is in force makes the credential incomplete, saying why",
          "[engine][dated]") {
    std::string gap = italy;
    gap.replace(gap.find("until 2024-07-03"), 16, "until 2024-06-30");
    rules::CheckResult checked = rules::load_policy(dsl::SourceFile("italy.policy", gap));
    REQUIRE(checked.policy);
    Decision d = evaluate(*checked.policy, application_on("2024-07-02", "2024-01-10", 5));
    const CredentialDecision& c = d.credentials.at(0);
    CHECK(c.status == Status::Incomplete);
    REQUIRE_FALSE(c.reasons.empty());
    REQUIRE_FALSE(c.reasons[0].missing.empty());
    CHECK(c.reasons[0].missing[0] == "value of cap_laurea in force on 2024-07-02");
}

TEST_CASE("the explanation names the policy in the chain each rule came from",
          "[engine][extends]") {
    std::string base =
        "policy base { title \"b\" jurisdiction IT version \"1\" "
        "in force from 2011-01-01\n"
        "  rule size require credential.workload <= 10 ects\n"
        "    else reject SIZE \"too big\" cite \"base\" }\n";
    std::string child =
        "policy child extends base { title \"c\" version \"2\" "
        "in force from 2012-01-01\n"
        "  rule level require credential.workload >= 1 ects\n"
        "    else reject TINY \"too small\" cite \"child\" }\n";
    rules::PolicyFinder find = [&](const std::string& id) -> std::optional<dsl::SourceFile> {
        if (id == "base") return dsl::SourceFile("base.policy", base);
        return std::nullopt;
    };
    rules::CheckResult checked = rules::load_policy(dsl::SourceFile("child.policy", child), find);
    REQUIRE(checked.policy);
    Decision d = evaluate(*checked.policy, application_on("2025-01-01", "2024-01-10", 20));
    const CredentialDecision& c = d.credentials.at(0);
    REQUIRE_FALSE(c.reasons.empty());
    CHECK(c.reasons[0].rule == "base.size");
    CHECK(c.reasons[0].where.file == "base.policy");
    REQUIRE_FALSE(c.passed.empty());
    CHECK(c.passed.back().rule == "child.level");
    CHECK(render_text(d).find("rule base.size [base.policy:2:3]") != std::string::npos);
}

}  // namespace
}  // namespace mcre::engine
