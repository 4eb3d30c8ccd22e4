#include "engine/facts.hpp"

#include <catch2/catch.hpp>

#include "tests/engine/policy_builder.hpp"

namespace mcre::engine {
namespace {

using namespace mcre::test;

rules::LevelMap level_map(const char* name, rules::Framework from, const char* country,
                          rules::Framework to, std::map<int, int> levels) {
    rules::LevelMap m;
    m.name = name;
    m.from = from;
    m.from_country = country;
    m.to = to;
    m.levels = std::move(levels);
    return m;
}

Credential bare(const char* country) {
    Credential c;
    c.id = "c";
    if (country != nullptr) c.issuer_country = country;
    return c;
}

TEST_CASE("stated ECTS win over hours; hours convert exactly, unrounded", "[engine][facts]") {
    rules::Policy p = policy();
    convert_hours(p);
    Credential c = bare("GE");
    c.ects = 6;
    c.hours = 1000;
    DerivedFact stated = credential_workload(p, c);
    CHECK(stated.value.number == 6);
    CHECK(stated.basis == "stated");
    CHECK_FALSE(stated.converted);

    c.ects.reset();
    c.hours = 74;
    DerivedFact converted = credential_workload(p, c);
    CHECK(converted.value.number == Approx(2.96));
    CHECK(converted.basis == "74 hours / 25 hours per ECTS");
    CHECK(converted.converted);
}

TEST_CASE("hours without a declared conversion leave the workload missing", "[engine][facts]") {
    Credential c = bare("GE");
    c.hours = 150;
    DerivedFact w = credential_workload(policy(), c);
    CHECK(w.value.missing);
    CHECK(w.value.text == "notional workload");
    CHECK(w.basis == "150 hours stated; the policy converts no hours to ECTS");
}

TEST_CASE("the level is derived in the documented order", "[engine][facts]") {
    rules::Policy p = policy();
    p.level_maps.push_back(level_map("eqf_to_nqf", rules::Framework::Eqf, "", rules::Framework::Nqf,
                                     {{5, 5}, {6, 6}, {7, 7}}));
    p.level_maps.push_back(level_map("am_nqf_to_eqf", rules::Framework::Nqf, "AM",
                                     rules::Framework::Eqf, {{6, 6}, {7, 7}}));

    SECTION("own NQF level as stated") {
        Credential c = bare("GE");
        c.nqf_level = 7;
        c.eqf_level = 6;
        DerivedFact l = credential_level(p, c);
        CHECK(l.value.number == 7);
        CHECK(l.basis == "NQF 7 as stated");
    }
    SECTION("an NQF level without an issuer country is taken as the policy's own") {
        Credential c = bare(nullptr);
        c.nqf_level = 6;
        CHECK(credential_level(p, c).basis == "NQF 6 as stated");
    }
    SECTION("EQF level through the policy's table") {
        Credential c = bare("DE");
        c.nqf_level = 6;  // a German NQF level: the policy has no German table, EQF wins
        c.eqf_level = 6;
        DerivedFact l = credential_level(p, c);
        CHECK(l.value.number == 6);
        CHECK(l.basis == "EQF 6 -> NQF 6 by table eqf_to_nqf");
    }
    SECTION("a foreign NQF level through that country's table, then EQF") {
        Credential c = bare("AM");
        c.nqf_level = 6;
        DerivedFact l = credential_level(p, c);
        CHECK(l.value.number == 6);
        CHECK(l.basis == "AM NQF 6 -> EQF 6 -> NQF 6 by tables am_nqf_to_eqf, eqf_to_nqf");
    }
    SECTION("a QF-EHEA cycle through EQF") {
        Credential c = bare("FR");
        c.cycle = "second";
        DerivedFact l = credential_level(p, c);
        CHECK(l.value.number == 7);
        CHECK(l.basis == "QF-EHEA second cycle -> EQF 7 -> NQF 7 by table eqf_to_nqf");
    }
    SECTION("an EQF level the table does not list is missing, and says why") {
        Credential c = bare("DE");
        c.eqf_level = 8;
        DerivedFact l = credential_level(p, c);
        CHECK(l.value.missing);
        CHECK(l.basis == "EQF 8: EQF 8 has no entry in table eqf_to_nqf");
    }
    SECTION("a foreign NQF level with no table and no cycle is missing") {
        Credential c = bare("UA");
        c.nqf_level = 6;
        DerivedFact l = credential_level(p, c);
        CHECK(l.value.missing);
        CHECK(l.basis == "UA NQF 6 cannot be placed: the policy has no table from the UA NQF");
    }
}

TEST_CASE("without an EQF table, EQF n is NQF n", "[engine][facts]") {
    Credential c = bare("DE");
    c.eqf_level = 5;
    DerivedFact l = credential_level(policy(), c);
    CHECK(l.value.number == 5);
    CHECK(l.basis == "EQF 5 -> NQF 5 (EQF n taken as NQF n: the policy declares no EQF table)");
}

TEST_CASE("attribute values: missing facts name their element, defaults where documented",
          "[engine][facts]") {
    rules::Policy p = policy();
    Application app = application({bare("GE")});
    Credential& c = app.credentials[0];
    c.issued = date("2021-10-16");
    EvalContext ctx{p, app, &c};

    CHECK(attribute_value(Attr::CredentialAge, ctx).number == 4);
    CHECK(attribute_value(Attr::CredentialRevoked, ctx).number == 0);
    CHECK(attribute_value(Attr::ProgrammeRegulated, ctx).number == 0);
    rules::Value lo = attribute_value(Attr::CredentialLearningOutcomes, ctx);
    CHECK(lo.missing);
    CHECK(lo.text == "learning outcomes");
    CHECK(attribute_value(Attr::CredentialInRegistry, ctx).missing);
    CHECK(attribute_value(Attr::ProgrammeMcCap, ctx).text == "programme's own cap");
    CHECK(attribute_value(Attr::ProgrammeField, ctx).type == Type::Code);

    c.issued.reset();
    rules::Value age = attribute_value(Attr::CredentialAge, ctx);
    CHECK(age.missing);
    CHECK(age.text == "date of issuing");

    EvalContext programme_only{p, app, nullptr};
    CHECK(attribute_value(Attr::CredentialTitle, programme_only).missing);
    CHECK(attribute_value(Attr::ProgrammeId, programme_only).text == "P1");
}

}  // namespace
}  // namespace mcre::engine
