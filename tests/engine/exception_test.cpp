// Exceptions in decisions: the chosen exception decides instead of its rule, exclusion or
// cap, the narrower or prevailing one wins, and the explanation says which replaced what
// and why.

#include <catch2/catch.hpp>
#include <string>

#include "engine/application_load.hpp"
#include "engine/decision_json.hpp"
#include "engine/decision_text.hpp"
#include "engine/evaluator.hpp"
#include "rules/checker.hpp"

namespace mcre::engine {
namespace {

// The law the issue quotes: recognized up to 60 ECTS; in regulated programmes only up to
// 10. Plus a size rule with layered exceptions and an exclusion with one.
const std::string law = R"POLICY(policy law {
  title "Law"
  jurisdiction GE
  version "1"
  in force from 2026-01-01
  cap overall for micro_credential at most 60 ects cite "art. 1"
  exception regulated_cap to overall when programme.regulated == true at most 10 ects
    cite "art. 1(2)"
  exception apprenticeship to overall over regulated_cap when credential.field in {"0788"} exempt cite "art. 1(3)"
  rule size for micro_credential require credential.workload <= 30 ects
    else reject SIZE "too large" cite "art. 2"
  exception level7 to size when credential.level == 7 exempt cite "art. 2(2)"
  exception level7_large to size when credential.level == 7 and credential.workload > 35 ects
    require credential.qa == "eqar_agency" else refer QA7 "needs an EQAR agency" cite "art. 2(3)"
  exception level7_huge to level7 when credential.workload > 50 ects
    then reject HUGE "far too large" cite "art. 2(4)"
  exclude old when credential.issued < 2020-01-01
    then reject OLD "issued before 2020" cite "art. 3"
  exception old_doctoral to old over old_any when credential.level == 8
    then refer OLD8 "ask the doctoral school" cite "art. 3(2)"
  exception old_any to old when credential.issued >= 2019-01-01 exempt cite "art. 3(3)"
}
)POLICY";

struct Cred {
    const char* id;
    int ects;
    int level;
    const char* qa = "accredited_hei";
    const char* issued = "2026-02-01";
    const char* field = "0612";
};

Application application(bool regulated, const std::vector<Cred>& creds) {
    std::string yaml =
        "id: a1\ndate: 2026-10-15\nlearner: {id: L1}\n"
        "programme: {id: P1, kind: bachelor, total_ects: 240, regulated: " +
        std::string(regulated ? "true" : "false") + "}\ncredentials:\n";
    for (const Cred& c : creds) {
        yaml += std::string("  - {id: ") + c.id +
                ", kind: micro_credential, ects: " + std::to_string(c.ects) +
                ", nqf_level: " + std::to_string(c.level) + ", qa: " + c.qa +
                ", issued: " + c.issued + ", field: \"" + c.field + "\"}\n";
    }
    LoadResult loaded = load_application(dsl::SourceFile("a.yaml", yaml));
    REQUIRE(loaded.application);
    return *loaded.application;
}

rules::Policy checked_law() {
    rules::CheckResult checked = rules::load_policy(dsl::SourceFile("law.policy", law));
    INFO(checked.diagnostics.size());
    REQUIRE(checked.policy);
    return *checked.policy;
}

const CredentialDecision& by_id(const Decision& d, const std::string& id) {
    for (const CredentialDecision& c : d.credentials) {
        if (c.id == id) return c;
    }
    FAIL("no credential " << id);
    return d.credentials.front();
}

const Reason* reason_from(const CredentialDecision& c, const std::string& rule) {
    for (const auto* list : {&c.reasons, &c.passed}) {
        for (const Reason& r : *list) {
            if (r.rule == rule) return &r;
        }
    }
    return nullptr;
}

TEST_CASE("without an applicable exception the rule decides", "[engine][exception]") {
    Decision d = evaluate(checked_law(), application(false, {{"c1", 32, 6}}));
    const CredentialDecision& c = by_id(d, "c1");
    CHECK(c.status == Status::NotRecognized);
    CHECK(c.primary_code == "SIZE");
    CHECK(c.reasons.at(0).instead_of.empty());
}

TEST_CASE("an exempting exception lets the credential past the rule, and says why",
          "[engine][exception]") {
    Decision d = evaluate(checked_law(), application(false, {{"c1", 32, 7}}));
    const CredentialDecision& c = by_id(d, "c1");
    CHECK(c.status == Status::Recognized);
    CHECK(c.recognized_ects == 32);
    const Reason* r = reason_from(c, "law.level7");
    REQUIRE(r != nullptr);
    CHECK(r->passed);
    CHECK(r->instead_of == "law.size");
    CHECK_THAT(r->because, Catch::Contains("credential.level"));
    std::string text = render_text(d);
    CHECK_THAT(text, Catch::Contains("law.level7 applied instead of law.size because"));
}

TEST_CASE("the narrower exception wins, and the explanation names the one that gave way",
          "[engine][exception]") {
    Decision d =
        evaluate(checked_law(), application(false, {{"c1", 40, 7}, {"c2", 40, 7, "eqar_agency"}}));
    const CredentialDecision& c1 = by_id(d, "c1");
    CHECK(c1.status == Status::Referred);
    CHECK(c1.primary_code == "QA7");
    REQUIRE_FALSE(c1.reasons.empty());
    CHECK(c1.reasons[0].instead_of == "law.size");
    CHECK(c1.reasons[0].prevailed_over ==
          std::vector<std::string>{"level7 (level7_large is narrower)"});
    CHECK(by_id(d, "c2").status == Status::Recognized);
}

TEST_CASE("an exception to an exception decides below it", "[engine][exception]") {
    // 55 ECTS at level 7: level7_large is narrower than level7 and wins among the
    // siblings, so level7's own exception level7_huge is never reached.
    Decision large = evaluate(checked_law(), application(false, {{"c1", 55, 7, "eqar_agency"}}));
    CHECK(by_id(large, "c1").status == Status::Recognized);
    // Without level7_large, level7 is chosen and its exception decides below it.
    std::string only_chain = law;
    auto at = only_chain.find("  exception level7_large");
    auto end = only_chain.find("  exception level7_huge");
    only_chain.erase(at, end - at);
    rules::CheckResult checked = rules::load_policy(dsl::SourceFile("law.policy", only_chain));
    REQUIRE(checked.policy);
    Decision d = evaluate(*checked.policy, application(false, {{"c1", 55, 7}, {"c2", 45, 7}}));
    const CredentialDecision& huge = by_id(d, "c1");
    CHECK(huge.status == Status::NotRecognized);
    CHECK(huge.primary_code == "HUGE");
    CHECK(huge.reasons.at(0).instead_of == "law.size");
    CHECK(by_id(d, "c2").status == Status::Recognized);
}

TEST_CASE("a stated priority beats a narrower sibling's absence of one", "[engine][exception]") {
    // Issued 2019 at level 8: both old_doctoral and old_any apply; old_doctoral is stated
    // to prevail, so the credential is referred rather than exempted.
    Decision d = evaluate(checked_law(),
                          application(false, {{"c1", 10, 8, "accredited_hei", "2019-06-01"},
                                              {"c2", 10, 6, "accredited_hei", "2019-06-01"},
                                              {"c3", 10, 6, "accredited_hei", "2018-06-01"}}));
    const CredentialDecision& doctoral = by_id(d, "c1");
    CHECK(doctoral.status == Status::Referred);
    CHECK(doctoral.primary_code == "OLD8");
    CHECK(doctoral.reasons.at(0).prevailed_over ==
          std::vector<std::string>{"old_any (old_doctoral is stated to prevail)"});
    CHECK(by_id(d, "c2").status == Status::Recognized);  // exempted by old_any
    CHECK(by_id(d, "c3").primary_code == "OLD");         // the exclusion itself
}

TEST_CASE("a cap's exception replaces its limit for the credentials it covers",
          "[engine][exception]") {
    Decision regulated = evaluate(checked_law(), application(true, {{"c1", 6, 6}, {"c2", 6, 6}}));
    CHECK(by_id(regulated, "c1").recognized_ects == 6);
    CHECK(by_id(regulated, "c2").recognized_ects == 4);
    CHECK(by_id(regulated, "c2").primary_code == "CAP_REGULATED_CAP");
    REQUIRE(regulated.cap_ledger.size() == 2);
    CHECK(regulated.cap_ledger[1].cap == "regulated_cap");
    CHECK(regulated.cap_ledger[1].instead_of == "overall");
    CHECK(regulated.cap_ledger[0].used == 0);  // nothing charged to the replaced cap
    CHECK(regulated.total_recognized == 10);

    Decision ordinary = evaluate(checked_law(), application(false, {{"c1", 6, 6}, {"c2", 6, 6}}));
    CHECK(ordinary.total_recognized == 12);
    CHECK(ordinary.cap_ledger.size() == 1);

    std::string json = render_json(regulated);
    CHECK_THAT(json, Catch::Contains("\"instead_of\": \"overall\""));
}

TEST_CASE("an exempting exception to a cap keeps the credential out of it", "[engine][exception]") {
    Decision d = evaluate(
        checked_law(),
        application(true, {{"c1", 12, 6, "accredited_hei", "2026-02-01", "0788"}, {"c2", 12, 6}}));
    CHECK(by_id(d, "c1").recognized_ects == 12);  // apprenticeship: not counted
    CHECK(by_id(d, "c2").recognized_ects == 10);  // regulated cap of 10 untouched by c1
}

TEST_CASE("when a fact decides whether an exception applies, its absence is incomplete",
          "[engine][exception]") {
    std::string yaml =
        "id: a1\ndate: 2026-10-15\nlearner: {id: L1}\n"
        "programme: {id: P1, kind: bachelor, total_ects: 240, regulated: false}\n"
        "credentials:\n  - {id: c1, kind: micro_credential, ects: 32, issued: 2026-01-01}\n";
    LoadResult loaded = load_application(dsl::SourceFile("a.yaml", yaml));
    REQUIRE(loaded.application);
    Decision d = evaluate(checked_law(), *loaded.application);
    const CredentialDecision& c = by_id(d, "c1");
    CHECK(c.status == Status::Incomplete);
    REQUIRE_FALSE(c.reasons.empty());
    CHECK_THAT(c.reasons[0].facts, Catch::Contains("cannot tell whether exception level7"));
}

}  // namespace
}  // namespace mcre::engine
