#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/decision_json.hpp"
#include "engine/decision_text.hpp"
#include "engine/evaluator.hpp"
#include "tests/engine/policy_builder.hpp"

namespace mcre::engine {
namespace {

using namespace mcre::test;

rules::Policy sample_policy() {
    rules::Policy p = policy();
    convert_hours(p);
    rules::Rule workload = rule("workload", "WORKLOAD",
                                between(attr(Attr::CredentialWorkload),
                                        param("mc_min_ects", Value::of_number(Type::Ects, 3)),
                                        param("mc_max_ects", Value::of_number(Type::Ects, 30))));
    workload.where = dsl::Location{"policies/test.policy", 5, 3};
    p.rules.push_back(workload);
    p.rules.push_back(rule("registry", "NOT_IN_REGISTRY",
                           op(Op::Eq, {attr(Attr::CredentialInRegistry), boolean(true)}),
                           rules::Outcome::Warn));
    p.caps.push_back(cap("overall", ects(10)));
    return p;
}

Application sample_application() {
    Credential hours = credential("c3", 0, "2026-03-01");
    hours.ects.reset();
    hours.hours = 80;
    hours.in_registry = true;
    Credential ok = credential("c1", 6, "2026-01-01");
    ok.in_registry = true;
    return application({ok, credential("c2", 35, "2026-02-01"), hours, credential("c1", 6)});
}

TEST_CASE("evaluating twice gives byte-identical JSON and text", "[engine][render]") {
    rules::Policy p = sample_policy();
    Application a = sample_application();
    Decision first = evaluate(p, a);
    Decision second = evaluate(p, a);
    CHECK(render_json(first) == render_json(second));
    CHECK(render_text(first) == render_text(second));
}

TEST_CASE("the JSON decision has the documented shape", "[engine][render]") {
    std::string text = render_json(evaluate(sample_policy(), sample_application()));
    CHECK(text.back() == '\n');
    auto j = nlohmann::json::parse(text);
    CHECK(j["schema"] == "mcre.decision/1");
    CHECK(j["policy"]["sha256"] == "0123abcd");
    CHECK(j["application"]["programme"]["kind"] == "bachelor");
    REQUIRE(j["credentials"].size() == 4);
    const auto& c1 = j["credentials"][0];
    CHECK(c1["status"] == "recognized");
    CHECK(c1["recognized_ects"].is_number_integer());
    CHECK(c1["recognized_ects"] == 6);
    CHECK(c1["primary_code"].is_null());
    const auto& c2 = j["credentials"][1];
    CHECK(c2["status"] == "not_recognized");
    CHECK(c2["reasons"][0]["code"] == "WORKLOAD");
    CHECK(c2["reasons"][0]["outcome"] == "reject");
    CHECK(c2["reasons"][0]["location"] == "policies/test.policy:5:3");
    CHECK(c2["reasons"][0]["missing"].is_array());
    const auto& c3 = j["credentials"][2];
    CHECK(c3["status"] == "recognized");
    CHECK(c3["claimed_ects"] == 3.2);
    CHECK(c3["recognized_ects"] == 3);  // 80 hours -> 3.2 ECTS, rounded down to 3 for credit
    const auto& dup = j["credentials"][3];
    CHECK(dup["duplicate_of"] == "c1");
    CHECK(dup["reasons"][0]["location"].is_null());
    CHECK(j["cap_ledger"][0]["used"] == 9);
    CHECK(j["totals"]["recognized_ects"] == 9);
    CHECK(j["totals"]["credentials_by_status"]["not_recognized"] == 2);
}

TEST_CASE("the officer's text names status, reasons, facts, rule, citation and caps",
          "[engine][render]") {
    std::string text = render_text(evaluate(sample_policy(), sample_application()));
    INFO(text);
    CHECK(text.rfind("Recognition decision for application app-1\n", 0) == 0);
    CHECK(text.find("  policy test version 1 \"Test policy\" sha256 0123abcd\n") !=
          std::string::npos);
    CHECK(text.find("  RECOGNIZED 6 ECTS (micro_credential; workload 6 ECTS stated; level NQF 6 as "
                    "stated)\n") != std::string::npos);
    CHECK(text.find(
              "  - WORKLOAD: workload\n"
              "      facts: credential.workload is 35 ECTS, not within 3 ECTS to 30 ECTS "
              "(mc_min_ects, "
              "mc_max_ects)\n"
              "      rule test.workload [policies/test.policy:5:3], cites: clause workload\n") !=
          std::string::npos);
    CHECK(text.find("  - warning NOT_IN_REGISTRY: registry\n") != std::string::npos);
    CHECK(text.find("  NOT RECOGNIZED: duplicate of c1\n") != std::string::npos);
    CHECK(
        text.find("\ncaps\n  overall  limit 10 ECTS  prior 0 ECTS  used 9 ECTS  remaining 1 ECTS  "
                  "[test.policy:2:3] cites: cap clause overall\n") != std::string::npos);
    CHECK(text.find("\ntotals\n  micro_credential 9 ECTS\n  total 9 ECTS\n") != std::string::npos);
}

}  // namespace
}  // namespace mcre::engine
