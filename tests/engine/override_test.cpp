// Officers' overrides: waive a check or set a fact for one credential, a policy's ban on
// overriding, and what re-evaluation under a newer policy says about each override.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "dsl/diagnostic_render.hpp"
#include "engine/application_load.hpp"
#include "engine/application_yaml.hpp"
#include "engine/decision_json.hpp"
#include "engine/decision_text.hpp"
#include "engine/evaluator.hpp"
#include "engine/overrides.hpp"
#include "rules/checker.hpp"

namespace mcre::engine {
namespace {

const std::string law_2026 = R"POLICY(policy demo {
  title "Demo"
  jurisdiction GE
  version "2026"
  in force from 2026-01-01
  param recency = 5 years cite "item 2"
  exclude regulated when programme.regulated == true
    then reject REGULATED "regulated programme" cite "Law on Higher Education, Art. 12"
  forbid override regulated, credential.in_registry cite "Law on Higher Education, Art. 12"
  rule recency require credential.issued >= application.date - recency
    else reject TOO_OLD "too old" cite "item 2"
  rule level require credential.level in {6, 7}
    else reject LEVEL "level {credential.level}" cite "item 3"
  rule registry require credential.in_registry == true
    else reject NOT_IN_REGISTRY "not in the registry" cite "item 5"
  rule vet_only for vocational_l5 require credential.ects <= 30 ects
    else reject VET "too large" cite "item 6"
}
)POLICY";

// The amendment: a ten-year window, and no registry check.
const std::string law_2027 = R"POLICY(policy demo_2027 extends demo {
  title "Demo, amended"
  version "2027"
  in force from 2027-01-01
  override param recency = 10 years cite "amendment, item 2"
  remove rule registry cite "amendment, item 5"
}
)POLICY";

rules::Policy load(const std::string& text, const char* name) {
    rules::PolicyFinder find = [](const std::string& id) -> std::optional<dsl::SourceFile> {
        if (id == "demo") return dsl::SourceFile("demo.policy", law_2026);
        return std::nullopt;
    };
    rules::CheckResult checked = rules::load_policy(dsl::SourceFile(name, text), find);
    INFO(dsl::render_all(checked.diagnostics, dsl::SourceFile(name, text)));
    REQUIRE(checked.policy);
    return *checked.policy;
}

// c1 is old, c2 states no level, c3 is not in the registry; each has one override.
const std::string application_text = R"(id: a1
date: 2026-11-20
learner: { id: L1 }
programme: { id: P1, kind: bachelor, regulated: false }
credentials:
  - { id: c1, kind: micro_credential, issued: 2019-05-01, ects: 5, nqf_level: 6, in_registry: true }
  - { id: c2, kind: micro_credential, issued: 2026-05-01, ects: 4, in_registry: true }
  - { id: c3, kind: micro_credential, issued: 2026-05-01, ects: 3, nqf_level: 6, in_registry: false }
overrides:
  - credential: c1
    waive: recency
    author: "N. Beridze"
    date: 2026-11-20
    reason: "current practice since 2019"
  - credential: c2
    set: { nqf_level: 6 }
    author: "N. Beridze"
    date: 2026-11-20
    reason: "the issuer confirmed level 6"
  - credential: c3
    waive: demo.registry
    author: "T. Gelashvili"
    date: 2026-11-21
    reason: "registry entry pending"
)";

Application application(const std::string& text = application_text) {
    dsl::SourceFile source("a.yaml", text);
    LoadResult loaded = load_application(source);
    INFO(dsl::render_all(loaded.diagnostics, source));
    REQUIRE(loaded.application);
    return *loaded.application;
}

const CredentialDecision& credential(const Decision& d, const std::string& id) {
    for (const CredentialDecision& cd : d.credentials) {
        if (cd.id == id) return cd;
    }
    FAIL("no credential " << id);
    return d.credentials.front();
}

const Reason* passed_check(const CredentialDecision& cd, const std::string& rule) {
    for (const Reason& r : cd.passed) {
        if (r.rule == rule) return &r;
    }
    return nullptr;
}

TEST_CASE("a waiver makes the check pass for that credential, attributed and dated",
          "[engine][overrides]") {
    Decision d = evaluate(load(law_2026, "demo.policy"), application());
    const CredentialDecision& c1 = credential(d, "c1");
    CHECK(c1.status == Status::Recognized);
    CHECK(c1.recognized_ects == 5);
    const Reason* waived = passed_check(c1, "demo.recency");
    REQUIRE(waived != nullptr);
    CHECK(waived->code == "TOO_OLD");
    CHECK(waived->override_id == "o1");
    CHECK(waived->override_by == "N. Beridze, 2026-11-20");
    CHECK(waived->override_reason == "current practice since 2019");

    // A qualified name ("demo.registry") waives the same rule as the bare one.
    const CredentialDecision& c3 = credential(d, "c3");
    CHECK(c3.status == Status::Recognized);
    REQUIRE(passed_check(c3, "demo.registry") != nullptr);
    CHECK(passed_check(c3, "demo.registry")->override_id == "o3");

    const std::string text = render_text(d);
    CHECK(text.find("  - waived TOO_OLD: too old\n") != std::string::npos);
    CHECK(text.find("      waived by override o1 (N. Beridze, 2026-11-20): current practice "
                    "since 2019\n") != std::string::npos);
    CHECK(text.find("recency (waived)") != std::string::npos);
}

TEST_CASE("a set fact replaces the credential's before the checks, and says so",
          "[engine][overrides]") {
    const rules::Policy policy = load(law_2026, "demo.policy");
    Decision d = evaluate(policy, application());
    const CredentialDecision& c2 = credential(d, "c2");
    CHECK(c2.status == Status::Recognized);
    CHECK(c2.recognized_ects == 4);
    CHECK(c2.level_basis == "NQF 6 (set by override o2: N. Beridze, 2026-11-20)");
    const Reason* level = passed_check(c2, "demo.level");
    REQUIRE(level != nullptr);
    CHECK(level->facts.find("credential.level is level 6 (NQF 6 (set by override o2: N. Beridze") !=
          std::string::npos);

    // Without the override the credential has no level, and the level rule cannot pass.
    Application without = application();
    without.overrides.erase(without.overrides.begin() + 1);
    CHECK(credential(evaluate(policy, without), "c2").status != Status::Recognized);
}

TEST_CASE("every override is reported with what it changed", "[engine][overrides]") {
    Decision d = evaluate(load(law_2026, "demo.policy"), application());
    REQUIRE(d.overrides.size() == 3);
    for (const OverrideRecord& o : d.overrides) {
        INFO(o.id << ": " << o.note);
        CHECK(o.status == OverrideStatus::Applied);
    }
    CHECK(d.overrides[0].action == "waive");
    CHECK(d.overrides[0].target == "recency");
    CHECK(d.overrides[0].note ==
          "waived recency: recognized, 5 ECTS instead of not recognized (TOO_OLD)");
    CHECK(d.overrides[1].action == "set");
    CHECK(d.overrides[1].target == "credential.nqf_level");
    CHECK(d.overrides[1].value == "6");
    CHECK(d.overrides[2].date == "2026-11-21");

    const std::string text = render_text(d);
    CHECK(text.find("\noverrides\n  o1 waive recency for credential c1: applied\n      by N. "
                    "Beridze, 2026-11-20: current practice since 2019\n") != std::string::npos);
    CHECK(text.find("  o2 set credential.nqf_level = 6 for credential c2: applied\n") !=
          std::string::npos);
}

TEST_CASE("under a newer policy an override may be unnecessary or no longer apply",
          "[engine][overrides]") {
    Decision d = evaluate(load(law_2027, "demo-2027.policy"), application());
    REQUIRE(d.overrides.size() == 3);
    // Ten years: c1 (2019) passes recency anyway.
    CHECK(d.overrides[0].status == OverrideStatus::Unnecessary);
    CHECK(d.overrides[0].note ==
          "recency passes for credential c1 under policy demo_2027 version 2027; the credential "
          "is decided the same without it: recognized, 5 ECTS");
    CHECK(passed_check(credential(d, "c1"), "demo.recency")->override_id.empty());
    // The level is still needed.
    CHECK(d.overrides[1].status == OverrideStatus::Applied);
    // The registry rule was removed.
    CHECK(d.overrides[2].status == OverrideStatus::NotApplicable);
    CHECK(d.overrides[2].note ==
          "policy demo_2027 version 2027 has no rule, exclusion or exception called registry");
    CHECK(render_text(d).find("  o3 waive demo.registry for credential c3: not_applicable\n") !=
          std::string::npos);
}

TEST_CASE("an override that changes nothing is unnecessary, one out of scope not applicable",
          "[engine][overrides]") {
    std::string text = application_text;
    text += R"(  - credential: c1
    set: { nqf_level: 7 }
    author: "N. Beridze"
    date: 2026-11-20
    reason: "checked the syllabus"
  - credential: c2
    waive: vet_only
    author: "N. Beridze"
    date: 2026-11-20
    reason: "not needed"
)";
    Decision d = evaluate(load(law_2026, "demo.policy"), application(text));
    REQUIRE(d.overrides.size() == 5);
    CHECK(d.overrides[3].status == OverrideStatus::Unnecessary);
    CHECK(d.overrides[3].note ==
          "credential.nqf_level set to 7 (stated: 6); the credential is decided the same "
          "without it: recognized, 5 ECTS");
    CHECK(d.overrides[4].status == OverrideStatus::NotApplicable);
    CHECK(d.overrides[4].note ==
          "vet_only does not apply to credential c2 under policy demo version 2026");
}

const std::string forbidden_text = R"(id: a2
date: 2026-11-20
learner: { id: L1 }
programme: { id: P1, kind: bachelor, regulated: true }
credentials:
  - { id: c1, kind: micro_credential, issued: 2026-05-01, ects: 5, nqf_level: 6, in_registry: false }
overrides:
  - credential: c1
    waive: regulated
    author: "N. Beridze"
    date: 2026-11-20
    reason: "elective outside the regulated core"
  - credential: c1
    set: { in_registry: true }
    author: "N. Beridze"
    date: 2026-11-20
    reason: "pending"
)";

TEST_CASE("an override the policy forbids is an error at the override, citing the ban",
          "[engine][overrides]") {
    const rules::Policy policy = load(law_2026, "demo.policy");
    const Application app = application(forbidden_text);
    std::vector<dsl::Diagnostic> errors = check_overrides(policy, app);
    REQUIRE(errors.size() == 2);
    const std::string rendered = dsl::render_all(errors, dsl::SourceFile("a.yaml", forbidden_text));
    CHECK(rendered.find("a.yaml:9:12: error: override o1 waives regulated for credential c1, "
                        "which policy demo forbids overriding (Law on Higher Education, Art. "
                        "12) [E4013]") != std::string::npos);
    CHECK(rendered.find("note: forbidden by 'forbid override regulated' at demo.policy:9:19") !=
          std::string::npos);
    CHECK(errors[0].pointer == "/overrides/0/waive");
    CHECK(errors[1].message.find("sets credential.in_registry of credential c1") !=
          std::string::npos);
    CHECK(errors[1].pointer == "/overrides/1/set");

    // Evaluated anyway (a caller that skipped check_overrides), a forbidden override is
    // not applied and the decision says so.
    Decision d = evaluate(policy, app);
    CHECK(credential(d, "c1").status == Status::NotRecognized);
    CHECK(credential(d, "c1").primary_code == "REGULATED");
    REQUIRE(d.overrides.size() == 2);
    CHECK(d.overrides[0].status == OverrideStatus::Forbidden);
    CHECK(d.overrides[1].status == OverrideStatus::Forbidden);

    // A ban on the level covers both stated levels it is derived from.
    const std::string level_ban = R"(policy strict {
  title "Strict"
  jurisdiction GE
  version "1"
  in force from 2026-01-01
  rule level require credential.level in {6, 7} else reject LEVEL "m" cite "c"
  forbid override credential.level cite "levels are set by the issuer"
}
)";
    const rules::Policy strict = load(level_ban, "strict.policy");
    CHECK(check_overrides(strict, application()).size() == 1);  // o2 sets nqf_level
}

TEST_CASE("the JSON decision lists the overrides and marks waived checks", "[engine][overrides]") {
    auto j = nlohmann::json::parse(
        render_json(evaluate(load(law_2027, "demo-2027.policy"), application())));
    REQUIRE(j["overrides"].size() == 3);
    const auto& o = j["overrides"][1];
    CHECK(o["id"] == "o2");
    CHECK(o["credential"] == "c2");
    CHECK(o["action"] == "set");
    CHECK(o["target"] == "credential.nqf_level");
    CHECK(o["value"] == "6");
    CHECK(o["author"] == "N. Beridze");
    CHECK(o["date"] == "2026-11-20");
    CHECK(o["reason"] == "the issuer confirmed level 6");
    CHECK(o["status"] == "applied");
    CHECK(o["note"].is_string());
    CHECK(j["overrides"][0]["value"].is_null());
    CHECK(j["overrides"][0]["status"] == "unnecessary");
    CHECK(j["overrides"][2]["status"] == "not_applicable");

    auto first =
        nlohmann::json::parse(render_json(evaluate(load(law_2026, "demo.policy"), application())));
    bool found = false;
    for (const auto& check : first["credentials"][0]["passed"]) {
        if (check["rule"] != "demo.recency") continue;
        found = true;
        CHECK(check["override"]["id"] == "o1");
        CHECK(check["override"]["by"] == "N. Beridze, 2026-11-20");
        CHECK(check["outcome"] == "reject");
        CHECK(check["message"] == "too old");
    }
    CHECK(found);

    // No overrides, no key: decisions without them are unchanged.
    Application plain = application();
    plain.overrides.clear();
    CHECK_FALSE(nlohmann::json::parse(render_json(evaluate(load(law_2026, "demo.policy"), plain)))
                    .contains("overrides"));
}

TEST_CASE("overrides survive writing the application back as YAML", "[engine][overrides]") {
    const Application app = application();
    const Application again = application(application_yaml(app));
    REQUIRE(again.overrides.size() == app.overrides.size());
    for (std::size_t i = 0; i < app.overrides.size(); ++i) {
        const Override& a = app.overrides[i];
        const Override& b = again.overrides[i];
        CHECK(a.id == b.id);
        CHECK(a.credential == b.credential);
        CHECK(a.waive == b.waive);
        CHECK(a.fact == b.fact);
        CHECK(a.value == b.value);
        CHECK(a.author == b.author);
        CHECK(a.date == b.date);
        CHECK(a.reason == b.reason);
    }
}

}  // namespace
}  // namespace mcre::engine
