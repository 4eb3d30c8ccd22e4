#include "engine/evaluator.hpp"

#include <catch2/catch.hpp>

#include "tests/engine/policy_builder.hpp"

namespace mcre::engine {
namespace {

using namespace mcre::test;

Expr workload_rule_condition() {
    return between(attr(Attr::CredentialWorkload),
                   param("mc_min_ects", Value::of_number(Type::Ects, 3)),
                   param("mc_max_ects", Value::of_number(Type::Ects, 30)));
}

// The Georgian draft's size rule: 3 to 30 ECTS inclusive, per micro-credential.
rules::Policy workload_policy() {
    rules::Policy p = policy();
    rules::Rule r = rule("workload", "WORKLOAD", workload_rule_condition());
    r.credential_kinds = {"micro_credential"};
    r.message = {say("a micro-credential carries "),
                 quote(param("mc_min_ects", Value::of_number(Type::Ects, 3))),
                 say("-"),
                 quote(param("mc_max_ects", Value::of_number(Type::Ects, 30))),
                 say("; this one carries "),
                 quote(attr(Attr::CredentialWorkload))};
    p.rules.push_back(r);
    return p;
}

Expr level_in_6_7() {
    Value s = Value::of_number(Type::Set, 0);
    s.items = {Value::of_number(Type::Level, 6), Value::of_number(Type::Level, 7)};
    return op(Op::In, {attr(Attr::CredentialLevel), param("mc_levels", s)});
}

const CredentialDecision& only(const Decision& d) {
    REQUIRE(d.credentials.size() == 1);
    return d.credentials[0];
}

TEST_CASE("workload exactly at the minimum and the maximum passes; just outside fails",
          "[engine][eval]") {
    struct Case {
        double ects;
        Status status;
    };
    auto c = GENERATE(values<Case>({{3, Status::Recognized},
                                    {30, Status::Recognized},
                                    {2.99, Status::NotRecognized},
                                    {30.5, Status::NotRecognized}}));
    Decision d = evaluate(workload_policy(), application({credential("c1", c.ects)}));
    INFO("ects " << c.ects);
    CHECK(only(d).status == c.status);
    CHECK(only(d).recognized_ects == (c.status == Status::Recognized ? c.ects : 0));
}

TEST_CASE("a failed rule gives its code, message, facts, citation and a way out",
          "[engine][eval]") {
    Decision d = evaluate(workload_policy(), application({credential("c2", 35)}));
    const CredentialDecision& cd = only(d);
    CHECK(cd.status == Status::NotRecognized);
    CHECK(cd.primary_code == "WORKLOAD");
    REQUIRE(cd.reasons.size() == 1);
    const Reason& r = cd.reasons[0];
    CHECK(r.rule == "test.workload");
    CHECK(r.message == "a micro-credential carries 3 ECTS-30 ECTS; this one carries 35 ECTS");
    CHECK(
        r.facts ==
        "credential.workload is 35 ECTS, not within 3 ECTS to 30 ECTS (mc_min_ects, mc_max_ects)");
    CHECK(r.cite == "clause workload");
    CHECK(r.where.file == "test.policy");
    CHECK(cd.would_change ==
          std::vector<std::string>{
              "recognized with 30 ECTS if it carried at most 30 ECTS (it carries 35 ECTS)"});
    CHECK(cd.recognized_ects == 0);
    CHECK(cd.caps.empty());
}

TEST_CASE("hours convert exactly for eligibility and round down for credit", "[engine][eval]") {
    rules::Policy p = workload_policy();
    convert_hours(p);
    auto hours_credential = [](const char* id, double hours) {
        Credential c = credential(id, 0);
        c.ects.reset();
        c.hours = hours;
        return c;
    };
    Decision d = evaluate(p, application({hours_credential("h74", 74), hours_credential("h75", 75),
                                          hours_credential("h80", 80)}));
    // 74 / 25 = 2.96: below 3 even though it would round to 3.
    CHECK(d.credentials[0].status == Status::NotRecognized);
    CHECK(d.credentials[0].reasons.at(0).facts ==
          "credential.workload is 2.96 ECTS (74 hours / 25 hours per ECTS), not within 3 ECTS to "
          "30 ECTS "
          "(mc_min_ects, mc_max_ects)");
    CHECK(d.credentials[1].status == Status::Recognized);
    CHECK(d.credentials[1].recognized_ects == 3);
    // 80 / 25 = 3.2 is eligible; credit is floored to a half ECTS.
    CHECK(d.credentials[2].status == Status::Recognized);
    CHECK(d.credentials[2].claimed_ects == Approx(3.2));
    CHECK(d.credentials[2].recognized_ects == 3);
    CHECK(d.credentials[2].workload_basis ==
          "80 hours / 25 hours per ECTS = 3.2 ECTS; credit rounded down to a multiple of 0.5 ECTS: "
          "3 ECTS");
    CHECK(d.total_recognized == 6);
}

TEST_CASE("the credential's own validity is checked whatever the policy says", "[engine][eval]") {
    struct Case {
        const char* name;
        void (*change)(Credential&);
        const char* code;
    };
    auto c = GENERATE(values<Case>({
        {"revoked", [](Credential& x) { x.revoked = true; }, "REVOKED"},
        {"expired", [](Credential& x) { x.expires = date("2026-10-14"); }, "EXPIRED_CREDENTIAL"},
        {"issued after the application", [](Credential& x) { x.issued = date("2026-10-16"); },
         "ISSUED_AFTER_APPLICATION"},
        {"someone else's", [](Credential& x) { x.learner = "L2"; }, "OTHER_LEARNER"},
    }));
    Credential cred = credential("c1", 6);
    c.change(cred);
    Decision d = evaluate(workload_policy(), application({cred}));
    INFO(c.name);
    const CredentialDecision& cd = only(d);
    CHECK(cd.status == Status::NotRecognized);
    CHECK(cd.primary_code == c.code);
    CHECK(cd.reasons.at(0).rule == "validity");
    CHECK(cd.reasons.at(0).cite == "the credential's own validity (not a policy clause)");
    CHECK(cd.reasons.at(0).where.file.empty());
    CHECK_FALSE(cd.would_change.empty());
}

TEST_CASE("a credential expiring on the application date is still valid", "[engine][eval]") {
    Credential cred = credential("c1", 6);
    cred.expires = date("2026-10-15");
    cred.issued = date("2026-10-15");
    Decision cd_decision = evaluate(workload_policy(), application({cred}));
    const CredentialDecision& cd = only(cd_decision);
    CHECK(cd.status == Status::Recognized);
    REQUIRE(cd.passed.size() == 2);
    CHECK(cd.passed[0].code == "VALIDITY");
    CHECK(cd.passed[0].facts ==
          "not revoked; valid until 2026-10-15; issued 2026-10-15, before the application; issued "
          "to the applicant");
}

TEST_CASE("duplicates by id and by fingerprint are counted once", "[engine][eval]") {
    rules::Policy p = workload_policy();
    p.caps.push_back(cap("overall", ects(60)));
    Credential first = credential("c1", 6);
    Credential same_id = credential("c1", 6);
    same_id.title = "Something else";
    Credential same_fingerprint =
        credential("c3", 6);  // same body, title, learner, issue date as c1
    same_fingerprint.title = first.title;
    Credential other = credential("c4", 6, "2026-03-01");
    Decision d = evaluate(p, application({first, same_id, same_fingerprint, other}));

    CHECK(d.credentials[0].status == Status::Recognized);
    for (std::size_t i : {1u, 2u}) {
        const CredentialDecision& cd = d.credentials[i];
        CHECK(cd.status == Status::NotRecognized);
        CHECK(cd.primary_code == "DUPLICATE");
        CHECK(cd.duplicate_of == "c1");
        REQUIRE(cd.reasons.size() == 1);
        CHECK(cd.reasons[0].rule == "duplicate");
        CHECK(cd.reasons[0].message == "same credential as c1; it is counted once");
        CHECK(cd.passed.empty());
        CHECK(cd.caps.empty());
    }
    CHECK(d.credentials[3].status == Status::Recognized);
    CHECK(d.total_recognized == 12);
    CHECK(d.cap_ledger.at(0).used == 12);
}

TEST_CASE("a fingerprint needs all four parts; a missing part never makes a duplicate",
          "[engine][eval]") {
    Credential a = credential("c1", 6);
    Credential b = credential("c2", 6);
    b.title = a.title;
    a.learner.reset();
    b.learner.reset();
    Decision d = evaluate(workload_policy(), application({a, b}));
    CHECK(d.credentials[1].status == Status::Recognized);
}

TEST_CASE("a missing element makes the credential incomplete, names it, and uses no cap",
          "[engine][eval]") {
    rules::Policy p = workload_policy();
    p.rules.push_back(rule("level", "LEVEL", level_in_6_7()));
    p.caps.push_back(cap("overall", ects(60)));
    Credential c = credential("c1", 6);
    c.nqf_level.reset();
    Decision d = evaluate(p, application({c}));
    const CredentialDecision& cd = only(d);
    CHECK(cd.status == Status::Incomplete);
    CHECK(cd.primary_code == "LEVEL");
    REQUIRE(cd.reasons.size() == 1);
    CHECK(cd.reasons[0].outcome == rules::Outcome::Incomplete);
    CHECK(cd.reasons[0].missing == std::vector<std::string>{"level"});
    CHECK(cd.reasons[0].facts == "cannot be checked: the credential does not state its level");
    CHECK(cd.would_change ==
          std::vector<std::string>{"supply the level",
                                   "recognized with 6 ECTS if its level were 6, one of mc_levels "
                                   "(not stated)"});
    CHECK(cd.caps.empty());
    CHECK(d.cap_ledger.at(0).used == 0);
    CHECK(d.total_recognized == 0);
}

TEST_CASE("a rule scoped to kinds cannot be checked on a credential that states no kind",
          "[engine][eval]") {
    Credential c = credential("c1", 6);
    c.kind.reset();
    Decision cd_decision = evaluate(workload_policy(), application({c}));
    const CredentialDecision& cd = only(cd_decision);
    CHECK(cd.status == Status::Incomplete);
    CHECK(cd.reasons.at(0).missing == std::vector<std::string>{"kind"});
}

TEST_CASE("a rule scoped to other kinds does not apply", "[engine][eval]") {
    Credential c = credential("c1", 50);
    c.kind = "vocational_l5";
    Decision cd_decision = evaluate(workload_policy(), application({c}));
    const CredentialDecision& cd = only(cd_decision);
    CHECK(cd.status == Status::Recognized);
    CHECK(cd.recognized_ects == 50);
}

TEST_CASE("a foreign credential with only an EQF level is placed through the level map",
          "[engine][eval]") {
    rules::Policy p = workload_policy();
    rules::LevelMap m;
    m.name = "eqf_to_nqf";
    m.levels = {{5, 5}, {6, 6}, {7, 7}};
    p.level_maps.push_back(m);
    p.rules.push_back(rule("level", "LEVEL", level_in_6_7()));
    Credential c = credential("c1", 6);
    c.issuer_country = "AM";
    c.nqf_level.reset();
    c.eqf_level = 7;
    Decision cd_decision = evaluate(p, application({c}));
    const CredentialDecision& cd = only(cd_decision);
    CHECK(cd.status == Status::Recognized);
    CHECK(cd.level_basis == "EQF 7 -> NQF 7 by table eqf_to_nqf");

    c.eqf_level = 5;
    Decision low_decision = evaluate(p, application({c}));
    const CredentialDecision& low = only(low_decision);
    CHECK(low.status == Status::NotRecognized);
    CHECK(low.primary_code == "LEVEL");
    CHECK(low.reasons.at(0).facts ==
          "credential.level is level 5 (EQF 5 -> NQF 5 by table eqf_to_nqf), not in mc_levels");
}

TEST_CASE("a regulated programme field is excluded by ISCED-F hierarchy", "[engine][eval]") {
    rules::Policy p = workload_policy();
    p.rules.insert(p.rules.begin(),
                   exclusion("regulated", "REGULATED",
                             op(Op::In, {attr(Attr::ProgrammeField),
                                         param("regulated_sectoral",
                                               set_value(Type::Code, {"0911", "0912", "084"}))})));
    Application app = application({credential("c1", 6)});
    app.programme.field = "0841";
    Decision cd_decision = evaluate(p, app);
    const CredentialDecision& cd = only(cd_decision);
    CHECK(cd.status == Status::NotRecognized);
    CHECK(cd.primary_code == "REGULATED");
    CHECK(cd.reasons.at(0).facts == "programme.field is 0841, in regulated_sectoral");
    CHECK(cd.would_change ==
          std::vector<std::string>{
              "no change to the facts this credential states can get it recognized here: "
              "test.regulated (REGULATED) turns only on programme.field; it would pass if "
              "programme.field were not in regulated_sectoral"});

    app.programme.field = "0612";
    Decision ok_decision = evaluate(p, app);
    const CredentialDecision& ok = only(ok_decision);
    CHECK(ok.status == Status::Recognized);
    CHECK(ok.passed.at(0).code == "REGULATED");
}

TEST_CASE("the first failing check decides the status; every failure is listed", "[engine][eval]") {
    rules::Policy p = policy();
    p.rules.push_back(rule("qa", "QA_REFER",
                           op(Op::Eq, {attr(Attr::CredentialQa), text("accredited_hei")}),
                           rules::Outcome::Refer));
    p.rules.push_back(rule("size", "SIZE", op(Op::Le, {attr(Attr::CredentialWorkload), ects(5)})));
    p.rules.push_back(rule("outcomes", "FEW_OUTCOMES",
                           op(Op::IsMissing, {attr(Attr::CredentialLearningOutcomes)}),
                           rules::Outcome::Warn));
    Credential c = credential("c1", 6);
    c.qa = "third_party_certification";
    Decision cd_decision = evaluate(p, application({c}));
    const CredentialDecision& cd = only(cd_decision);
    CHECK(cd.status == Status::Referred);
    CHECK(cd.primary_code == "QA_REFER");
    REQUIRE(cd.reasons.size() == 3);
    CHECK(cd.reasons[0].code == "QA_REFER");
    CHECK(cd.reasons[1].code == "SIZE");
    CHECK(cd.reasons[2].code == "FEW_OUTCOMES");
    CHECK(cd.reasons[2].outcome == rules::Outcome::Warn);

    std::swap(p.rules[0], p.rules[1]);
    CHECK(only(evaluate(p, application({c}))).status == Status::NotRecognized);
}

TEST_CASE("a warning never changes the status", "[engine][eval]") {
    rules::Policy p = workload_policy();
    p.rules.push_back(rule("hours", "HOURS_RATIO", op(Op::IsPresent, {attr(Attr::CredentialHours)}),
                           rules::Outcome::Warn));
    Decision cd_decision = evaluate(p, application({credential("c1", 6)}));
    const CredentialDecision& cd = only(cd_decision);
    CHECK(cd.status == Status::Recognized);
    REQUIRE(cd.reasons.size() == 1);
    CHECK(cd.reasons[0].outcome == rules::Outcome::Warn);
    CHECK(cd.primary_code.empty());
    CHECK(cd.would_change.empty());
}

TEST_CASE("exclusions come before validity, validity before the policy's rules", "[engine][eval]") {
    rules::Policy p = workload_policy();
    p.rules.push_back(exclusion("regulated", "REGULATED", attr(Attr::ProgrammeRegulated)));
    Credential c = credential("c1", 35);
    c.revoked = true;
    Application app = application({c});
    app.programme.regulated = true;
    Decision cd_decision = evaluate(p, app);
    const CredentialDecision& cd = only(cd_decision);
    REQUIRE(cd.reasons.size() == 3);
    CHECK(cd.reasons[0].code == "REGULATED");
    CHECK(cd.reasons[1].code == "REVOKED");
    CHECK(cd.reasons[2].code == "WORKLOAD");
    CHECK(cd.primary_code == "REGULATED");
}

TEST_CASE("a rule whose `when` cannot be decided makes the credential incomplete",
          "[engine][eval]") {
    rules::Policy p = policy();
    rules::Rule r =
        rule("registry", "REGISTRY", op(Op::Eq, {attr(Attr::CredentialInRegistry), boolean(true)}));
    r.when = op(Op::Eq, {attr(Attr::CredentialProviderType), text("hei")});
    p.rules.push_back(r);
    Credential c = credential("c1", 6);
    Decision cd_decision = evaluate(p, application({c}));
    const CredentialDecision& cd = only(cd_decision);
    CHECK(cd.status == Status::Incomplete);
    CHECK(cd.reasons.at(0).missing == std::vector<std::string>{"provider type"});

    c.provider_type = "vet";  // the rule does not apply
    CHECK(only(evaluate(p, application({c}))).status == Status::Recognized);
}

TEST_CASE("the decision header names the policy version and hash", "[engine][eval]") {
    Decision d = evaluate(workload_policy(), application({}));
    CHECK(d.policy_id == "test");
    CHECK(d.policy_version == "1");
    CHECK(d.policy_hash == "0123abcd");
    CHECK(d.application_id == "app-1");
    CHECK(d.application_date == "2026-10-15");
    CHECK(d.programme_kind == "bachelor");
}

}  // namespace
}  // namespace mcre::engine
