#include "engine/cap_allocation.hpp"

#include <catch2/catch.hpp>

#include "dsl/diagnostic.hpp"
#include "engine/evaluator.hpp"
#include "rules/checker.hpp"
#include "tests/engine/policy_builder.hpp"

namespace mcre::engine {
namespace {

using namespace mcre::test;

Credential vocational(const char* id, double ects_value, const char* issued) {
    Credential c = credential(id, ects_value, issued);
    c.kind = "vocational_l5";
    c.nqf_level = 5;
    return c;
}

const CapLedgerEntry& ledger(const Decision& d, const std::string& name) {
    for (const CapLedgerEntry& e : d.cap_ledger) {
        if (e.cap == name) return e;
    }
    FAIL("no ledger entry " << name);
    return d.cap_ledger.front();
}

TEST_CASE("a cap reached in the middle of a credential recognizes it partially, to the ECTS",
          "[engine][caps]") {
    rules::Policy p = policy();
    p.caps.push_back(cap("overall", ects(10)));
    Decision d = evaluate(
        p, application({credential("c1", 6, "2026-01-10"), credential("c2", 6, "2026-02-10")}));
    CHECK(d.credentials[0].status == Status::Recognized);
    CHECK(d.credentials[0].recognized_ects == 6);
    const CredentialDecision& cut = d.credentials[1];
    CHECK(cut.status == Status::PartiallyRecognized);
    CHECK(cut.recognized_ects == 4);
    CHECK(cut.primary_code == "CAP_OVERALL");
    REQUIRE(cut.reasons.size() == 1);
    CHECK(cut.reasons[0].rule == "test.overall");
    CHECK(cut.reasons[0].message ==
          "cap overall (10 ECTS) had 4 ECTS left; 4 of 6 ECTS recognized");
    CHECK(cut.reasons[0].cite == "cap clause overall");
    CHECK(cut.reasons[0].where.line == 2);
    CHECK(cut.would_change ==
          std::vector<std::string>{"the cap overall of 10 ECTS was reached; 2 ECTS were cut"});
    REQUIRE(cut.caps.size() == 1);
    CHECK(cut.caps[0].used_before == 6);
    CHECK(cut.caps[0].charged == 4);
    CHECK(cut.caps[0].remaining == 0);
    CHECK(ledger(d, "overall").used == 10);
    CHECK(ledger(d, "overall").remaining == 0);
    CHECK(d.total_recognized == 10);
}

TEST_CASE("credentials are charged in issue-date order, not input order", "[engine][caps]") {
    rules::Policy p = policy();
    p.caps.push_back(cap("overall", ects(10)));
    Decision d = evaluate(p, application({credential("late", 6, "2026-05-01"),
                                          credential("early", 6, "2025-05-01")}));
    CHECK(d.credentials[0].id == "late");  // the decision keeps input order
    CHECK(d.credentials[0].recognized_ects == 4);
    CHECK(d.credentials[1].recognized_ects == 6);
}

TEST_CASE("equal issue dates are ordered by id; a missing date goes last", "[engine][caps]") {
    rules::Policy p = policy();
    p.caps.push_back(cap("overall", ects(6)));
    Credential undated = credential("a0", 6);
    undated.issued.reset();
    Decision d = evaluate(p, application({undated, credential("b", 6), credential("a", 6)}));
    CHECK(d.credentials[2].recognized_ects == 6);  // "a" first
    CHECK(d.credentials[1].recognized_ects == 0);
    CHECK(d.credentials[0].recognized_ects == 0);
}

TEST_CASE("with an overall and a vocational cap the tightest decides and both are charged",
          "[engine][caps]") {
    rules::Policy p = policy();
    p.caps.push_back(cap("overall_bachelor", ects(60)));
    p.caps.push_back(cap("vocational", ects(30), {"vocational_l5"}));
    Decision d = evaluate(
        p, application({vocational("v1", 20, "2025-01-01"), vocational("v2", 20, "2025-02-01"),
                        credential("m1", 25, "2025-03-01"), credential("m2", 30, "2025-04-01")}));
    const auto& v2 = d.credentials[1];
    CHECK(v2.status == Status::PartiallyRecognized);
    CHECK(v2.recognized_ects == 10);
    CHECK(v2.primary_code == "CAP_VOCATIONAL");
    REQUIRE(v2.caps.size() == 2);
    CHECK(v2.caps[0].cap == "overall_bachelor");
    CHECK(v2.caps[0].charged == 10);
    CHECK(v2.caps[1].cap == "vocational");
    CHECK(v2.caps[1].charged == 10);

    CHECK(d.credentials[2].status == Status::Recognized);  // 30 left overall
    const auto& m2 = d.credentials[3];
    CHECK(m2.status == Status::PartiallyRecognized);  // now the overall cap binds
    CHECK(m2.recognized_ects == 5);
    CHECK(m2.primary_code == "CAP_OVERALL_BACHELOR");
    REQUIRE(m2.caps.size() == 1);  // the vocational cap does not cover micro-credentials

    CHECK(ledger(d, "overall_bachelor").used == 60);
    CHECK(ledger(d, "vocational").used == 30);
    CHECK(d.recognized_by_kind.at("vocational_l5") == 30);
    CHECK(d.recognized_by_kind.at("micro_credential") == 30);
    CHECK(d.total_recognized == 60);
}

// Two caps used up by the same credential: the vocational sub-cap is the reason, in
// whichever order the policy writes them (docs/language.md, section 9).
TEST_CASE("on a tie of room left the most specific cap is the reason, whatever the order",
          "[engine][caps]") {
    for (bool overall_first : {true, false}) {
        rules::Policy p = policy();
        rules::Cap overall = cap("overall_bachelor", ects(30));
        rules::Cap sub = cap("vocational", ects(30), {"vocational_l5"});
        p.caps.push_back(overall_first ? overall : sub);
        p.caps.push_back(overall_first ? sub : overall);
        Decision d = evaluate(p, application({vocational("v1", 30, "2025-01-01"),
                                              vocational("v2", 6, "2025-02-01")}));
        INFO("overall cap written first: " << overall_first);
        CHECK(d.credentials[1].status == Status::NotRecognized);
        CHECK(d.credentials[1].primary_code == "CAP_VOCATIONAL");
        REQUIRE(d.credentials[1].reasons.size() == 1);
        CHECK(d.credentials[1].reasons[0].rule == "test.vocational");
    }
}

TEST_CASE("on a tie, fewer programme kinds and then a condition make a cap more specific",
          "[engine][caps]") {
    rules::Policy p = policy();
    rules::Cap everywhere = cap("everywhere", ects(10));
    rules::Cap bachelor = cap("in_bachelor", ects(10));
    bachelor.programme_kinds = {"bachelor"};
    p.caps.push_back(everywhere);
    p.caps.push_back(bachelor);
    Decision d = evaluate(
        p, application({credential("c1", 10, "2025-01-01"), credential("c2", 5, "2025-02-01")}));
    CHECK(d.credentials[1].primary_code == "CAP_IN_BACHELOR");
}

TEST_CASE("a cap's code clause names the reason code of the credentials it cuts",
          "[engine][caps]") {
    const char* source = R"(policy law {
  title "Caps sharing one code"
  jurisdiction GE
  version "1"
  in force from 2026-01-01
  cap vocational for vocational_l5 in bachelor at most 10 ects code CAP_VOCATIONAL
    cite "sub-cap"
  cap overall in bachelor at most 60 ects cite "overall cap"
})";
    rules::CheckResult checked = rules::load_policy(dsl::SourceFile("law.policy", source));
    REQUIRE(checked.policy);
    Decision d = evaluate(*checked.policy, application({vocational("v1", 8, "2025-01-01"),
                                                        vocational("v2", 8, "2025-02-01")}));
    CHECK(d.credentials[1].status == Status::PartiallyRecognized);
    CHECK(d.credentials[1].primary_code == "CAP_VOCATIONAL");
    CHECK(d.credentials[1].reasons[0].rule == "law.vocational");

    std::string lower = source;
    lower.replace(lower.find("CAP_VOCATIONAL"), 14, "cap_vocational");
    rules::CheckResult bad = rules::load_policy(dsl::SourceFile("law.policy", lower));
    CHECK_FALSE(bad.policy);
    REQUIRE_FALSE(bad.diagnostics.empty());
    CHECK(bad.diagnostics[0].code == "E2109");
    CHECK(bad.diagnostics[0].message == "reason code 'cap_vocational' must be written in capitals");
}

TEST_CASE("ECTS recognized by earlier decisions count first", "[engine][caps]") {
    rules::Policy p = policy();
    p.caps.push_back(cap("overall", ects(60)));
    p.caps.push_back(cap("micro", ects(20), {"micro_credential"}));
    Application app = application({credential("c1", 6)});
    app.prior_recognized = {{"micro_credential", 16}, {"vocational_l5", 30}};
    Decision d = evaluate(p, app);
    const auto& cd = d.credentials[0];
    CHECK(cd.status == Status::PartiallyRecognized);
    CHECK(cd.recognized_ects == 4);
    CHECK(cd.primary_code == "CAP_MICRO");
    CHECK(ledger(d, "overall").prior == 46);
    CHECK(ledger(d, "micro").prior == 16);  // vocational credit does not count against a micro cap
    CHECK(ledger(d, "micro").remaining == 0);
    CHECK(cd.reasons.at(0).facts ==
          "limit 20 ECTS; recognized by earlier decisions 16 ECTS; used by earlier credentials "
          "here 0 ECTS; left 4 "
          "ECTS; this credential carries 6 ECTS");
}

TEST_CASE("when partial recognition is not allowed, a credential that does not fit gets nothing",
          "[engine][caps]") {
    rules::Policy p = policy();
    p.allocation.partial_allowed = false;
    p.caps.push_back(cap("programme", ects(10)));
    Decision d = evaluate(
        p, application({credential("c1", 6, "2026-01-01"), credential("c2", 6, "2026-01-02"),
                        credential("c3", 4, "2026-01-03")}));
    CHECK(d.credentials[0].status == Status::Recognized);
    const auto& c2 = d.credentials[1];
    CHECK(c2.status == Status::NotRecognized);
    CHECK(c2.recognized_ects == 0);
    CHECK(c2.primary_code == "CAP_PROGRAMME");
    CHECK(c2.reasons.at(0).message ==
          "cap programme (10 ECTS) had 4 ECTS left and the policy does not allow partial "
          "recognition; 0 of 6 ECTS "
          "recognized");
    // First fit: the smaller credential after it still fits.
    CHECK(d.credentials[2].status == Status::Recognized);
    CHECK(d.credentials[2].recognized_ects == 4);
    CHECK(d.total_recognized == 10);
}

TEST_CASE("a used-up cap recognizes nothing and says so", "[engine][caps]") {
    rules::Policy p = policy();
    p.caps.push_back(cap("overall", ects(6)));
    Decision d = evaluate(
        p, application({credential("c1", 6, "2026-01-01"), credential("c2", 3, "2026-01-02")}));
    CHECK(d.credentials[1].status == Status::NotRecognized);
    CHECK(d.credentials[1].reasons.at(0).message ==
          "cap overall (6 ECTS) is used up; 0 of 3 ECTS recognized");
}

TEST_CASE("a cap whose limit needs a fact the application lacks makes its credentials incomplete",
          "[engine][caps]") {
    rules::Policy p = policy();
    p.caps.push_back(cap("programme_cap", attr(Attr::ProgrammeMcCap)));
    Decision d = evaluate(p, application({credential("c1", 6)}));
    const auto& cd = d.credentials[0];
    CHECK(cd.status == Status::Incomplete);
    CHECK(cd.primary_code == "CAP_PROGRAMME_CAP");
    CHECK(cd.reasons.at(0).missing == std::vector<std::string>{"programme's own cap"});
    CHECK(cd.recognized_ects == 0);
    CHECK(ledger(d, "programme_cap").missing == "programme's own cap");

    Application with_cap = application({credential("c1", 6)});
    with_cap.programme.mc_cap = 4;
    CHECK(evaluate(p, with_cap).credentials[0].recognized_ects == 4);
}

TEST_CASE("caps apply by programme kind and by their condition", "[engine][caps]") {
    rules::Policy p = policy();
    rules::Cap master = cap("master", ects(24));
    master.programme_kinds = {"master"};
    rules::Cap bachelor =
        cap("bachelor",
            op(Op::PercentOf,
               {literal(Value::of_number(Type::Percent, 25)), attr(Attr::ProgrammeTotalEcts)},
               Type::Ects, "25 % of programme.total_ects"));
    bachelor.programme_kinds = {"bachelor"};
    rules::Cap regulated = cap("regulated", ects(10));
    regulated.when = attr(Attr::ProgrammeRegulated);
    p.caps = {master, bachelor, regulated};

    Application app = application({credential("c1", 6)});
    Decision d = evaluate(p, app);
    REQUIRE(d.cap_ledger.size() == 1);
    CHECK(d.cap_ledger[0].cap == "bachelor");
    CHECK(d.cap_ledger[0].limit == 60);

    app.programme.regulated = true;
    CHECK(evaluate(p, app).cap_ledger.size() == 2);

    app.programme.kind.reset();
    Decision unknown = evaluate(p, app);
    CHECK(unknown.cap_ledger.size() == 1);
    CHECK(unknown.notes.size() == 2);
}

TEST_CASE("credit rounding follows the policy's step and direction", "[engine][caps]") {
    rules::Conversion c;
    c.rounding = rules::Rounding::Down;
    c.step = 0.5;
    CHECK(round_credit(3.2, c) == 3);
    CHECK(round_credit(3.5, c) == 3.5);
    CHECK(round_credit(2.96, c) == 2.5);
    c.rounding = rules::Rounding::Up;
    CHECK(round_credit(3.2, c) == 3.5);
    CHECK(round_credit(3.0, c) == 3);
    c.rounding = rules::Rounding::Nearest;
    CHECK(round_credit(3.2, c) == 3);
    CHECK(round_credit(3.25, c) == 3.5);
    c.rounding = rules::Rounding::None;
    CHECK(round_credit(3.2, c) == 3.2);
}

}  // namespace
}  // namespace mcre::engine
