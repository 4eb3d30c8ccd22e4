// `extends`, explicit overriding and removal, and dated parameter values.

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "dsl/diagnostic_render.hpp"
#include "rules/checker.hpp"

namespace mcre::rules {
namespace {

const std::string base_text = R"POLICY(policy base {
  title "Base"
  jurisdiction GE
  version "1"
  in force from 2026-01-01
  param mc_max_ects = 30 ects cite "base (d)"
  table regulated : codes { "0912" "Medicine" } cite "base (l)"
  rule workload require credential.workload <= mc_max_ects
    else reject WORKLOAD "more than {mc_max_ects}" cite "base (d)"
  exclude sectoral when programme.field in regulated
    then reject REGULATED "regulated" cite "base (l)"
  cap overall in bachelor at most 60 ects cite "base (m)"
}
)POLICY";

CheckResult load_child(const std::string& child_body, const std::string& header_extra = "") {
    std::string text =
        "policy child extends base {\n  title \"Child\"\n  version \"2\"\n"
        "  in force from 2027-01-01\n" +
        header_extra + child_body + "}\n";
    PolicyFinder find = [](const std::string& id) -> std::optional<dsl::SourceFile> {
        if (id == "base") return dsl::SourceFile("base.policy", base_text);
        return std::nullopt;
    };
    return load_policy(dsl::SourceFile("child.policy", text), find);
}

std::vector<std::string> error_codes(const CheckResult& r) {
    std::vector<std::string> codes;
    for (const auto& d : r.diagnostics) {
        if (d.severity == dsl::Severity::Error) codes.push_back(d.code);
    }
    return codes;
}

const Rule* find_rule(const Policy& p, const std::string& name) {
    for (const Rule& r : p.rules) {
        if (r.name == name) return &r;
    }
    return nullptr;
}

TEST_CASE("a policy inherits parameters, tables, rules and caps, each with its origin",
          "[rules][extends]") {
    CheckResult r = load_child(
        "  rule level require credential.level >= 6 else reject LEVEL \"low\" cite \"child "
        "(g)\"\n");
    INFO(r.diagnostics.size());
    REQUIRE(r.policy);
    const Policy& p = *r.policy;
    CHECK(p.jurisdiction == "GE");  // inherited
    CHECK(p.version == "2");        // its own
    CHECK(p.chain == std::vector<std::string>{"base", "child"});
    REQUIRE(find_rule(p, "workload"));
    CHECK(find_rule(p, "workload")->origin == "base");
    CHECK(find_rule(p, "workload")->where.file == "base.policy");
    CHECK(find_rule(p, "level")->origin == "child");
    REQUIRE(p.caps.size() == 1);
    CHECK(p.caps[0].origin == "base");
    // Inherited rules come first: the parent's check order is kept.
    CHECK(p.rules.back().name == "level");
}

TEST_CASE("redefining an inherited name without 'override' points at both places",
          "[rules][extends]") {
    CheckResult r = load_child("  param mc_max_ects = 40 ects cite \"child (d)\"\n");
    REQUIRE(error_codes(r) == std::vector<std::string>{"E2120"});
    const dsl::Diagnostic& d = r.diagnostics[0];
    CHECK(d.message == "param 'mc_max_ects' is already defined by policy base");
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].message == "first defined here: base.policy:6:3");
    CHECK(d.hint == "to change it here, write 'override param mc_max_ects ...'");

    CheckResult rule = load_child("  rule workload require true else reject X \"x\" cite \"c\"\n");
    CHECK(error_codes(rule) == std::vector<std::string>{"E2120"});
    CheckResult cap = load_child("  cap overall at most 1 ects cite \"c\"\n");
    CHECK(error_codes(cap) == std::vector<std::string>{"E2120"});
}

TEST_CASE("an overridden parameter changes the inherited rules that read it", "[rules][extends]") {
    CheckResult r = load_child("  override param mc_max_ects = 40 ects cite \"child (d)\"\n");
    REQUIRE(r.policy);
    const Rule* workload = find_rule(*r.policy, "workload");
    REQUIRE(workload);
    CHECK(workload->origin == "base");
    CHECK(workload->condition.args[1].literal.number == 40);
    CHECK(r.policy->find_parameter("mc_max_ects")->origin == "child");
}

TEST_CASE("an overridden parameter keeps its type: the inherited rules were checked with it",
          "[rules][extends]") {
    CheckResult r = load_child("  override param mc_max_ects = 2027-01-01 cite \"child (d)\"\n");
    REQUIRE(error_codes(r) == std::vector<std::string>{"E2123"});
    CHECK(r.diagnostics[0].message ==
          "override of 'mc_max_ects' changes its type from ECTS to date");
    CHECK(error_codes(load_child("  override param mc_max_ects = 40 hours cite \"c\"\n")) ==
          std::vector<std::string>{"E2123"});
}

TEST_CASE("override replaces in place, remove deletes, both only what is inherited",
          "[rules][extends]") {
    CheckResult r = load_child(
        "  override rule workload require credential.workload <= 20 ects\n"
        "    else reject WORKLOAD \"more than 20\" cite \"child (d)\"\n"
        "  remove exclude sectoral cite \"child: regulated programmes admitted\"\n"
        "  override cap overall in bachelor at most 30 ects cite \"child (m)\"\n");
    INFO(r.diagnostics.size());
    REQUIRE(r.policy);
    REQUIRE(r.policy->rules.size() == 1);
    CHECK(r.policy->rules[0].origin == "child");
    CHECK(r.policy->caps[0].limit.literal.number == 30);

    CHECK(error_codes(load_child("  override rule nothing require true else reject X \"x\" "
                                 "cite \"c\"\n")) == std::vector<std::string>{"E2121"});
    CHECK(error_codes(load_child("  remove cap nothing cite \"c\"\n")) ==
          std::vector<std::string>{"E2121"});
}

TEST_CASE("a missing or broken parent is reported at 'extends'", "[rules][extends]") {
    PolicyFinder none = [](const std::string&) -> std::optional<dsl::SourceFile> {
        return std::nullopt;
    };
    CheckResult r =
        load_policy(dsl::SourceFile("x.policy",
                                    "policy x extends nowhere { title \"x\" version \"1\" "
                                    "in force from 2026-01-01 }"),
                    none);
    REQUIRE(error_codes(r) == std::vector<std::string>{"E2122"});
    CHECK(r.diagnostics[0].message == "cannot find policy 'nowhere' to extend");

    PolicyFinder self = [](const std::string&) -> std::optional<dsl::SourceFile> {
        return dsl::SourceFile("loop.policy",
                               "policy loop extends loop { title \"l\" version \"1\" "
                               "in force from 2026-01-01 }");
    };
    CheckResult loop =
        load_policy(dsl::SourceFile("loop.policy",
                                    "policy loop extends loop { title \"l\" version \"1\" "
                                    "in force from 2026-01-01 }"),
                    self);
    CHECK(error_codes(loop) == std::vector<std::string>{"E2122"});
}

const std::string dated_header =
    "policy italy {\n  title \"Italy\"\n  jurisdiction IT\n  version \"1\"\n"
    "  in force from 2011-01-29\n";

CheckResult load_dated(const std::string& body) {
    return load_policy(dsl::SourceFile("italy.policy", dated_header + body + "}\n"));
}

TEST_CASE("a parameter with dated values is read on the evaluation date", "[rules][dated]") {
    CheckResult r = load_dated(
        "  param cap_laurea = 12 ects until 2024-07-03, 48 ects from 2024-07-04 cite \"DM 931\"\n"
        "  cap overall in bachelor at most cap_laurea cite \"L. 240/2010 art. 14\"\n"
        "  rule transitional require credential.workload <= cap_laurea as of credential.issued\n"
        "    else reject TOO_BIG \"over {cap_laurea}\" cite \"transitional\"\n");
    INFO(r.diagnostics.size());
    REQUIRE(r.policy);
    const Parameter* p = r.policy->find_parameter("cap_laurea");
    REQUIRE(p);
    REQUIRE(p->dated.size() == 2);
    CHECK(value_in_force(*p, *dsl::parse_date("2024-07-03"))->value.number == 12);
    CHECK(value_in_force(*p, *dsl::parse_date("2024-07-04"))->value.number == 48);
    CHECK(r.policy->caps[0].limit.op == Op::DatedParam);
    CHECK(r.policy->rules[0].condition.args[1].op == Op::AsOf);
}

TEST_CASE("dated values may not overlap; a gap is a warning", "[rules][dated]") {
    CheckResult overlap = load_dated(
        "  param x = 12 ects until 2024-07-04, 48 ects from 2024-07-04 cite \"c\"\n"
        "  cap c at most x cite \"c\"\n");
    CHECK(error_codes(overlap) == std::vector<std::string>{"E2310"});
    CheckResult open_ended = load_dated(
        "  param x = 12 ects, 48 ects from 2024-07-04 cite \"c\"\n"
        "  cap c at most x cite \"c\"\n");
    CHECK(error_codes(open_ended) == std::vector<std::string>{"E2310"});
    CheckResult gap = load_dated(
        "  param x = 12 ects until 2024-06-30, 48 ects from 2024-07-04 cite \"c\"\n"
        "  cap c at most x cite \"c\"\n");
    REQUIRE(gap.policy);
    REQUIRE(gap.diagnostics.size() == 1);
    CHECK(gap.diagnostics[0].code == "W3005");
    CHECK(gap.diagnostics[0].message == "'x' has no value in force from 2024-07-01 to 2024-07-03");
    CheckResult types = load_dated(
        "  param x = 12 ects until 2024-06-30, 48 hours from "
        "2024-07-01 cite \"c\"\n  cap c at most x cite \"c\"\n");
    CHECK(error_codes(types) == std::vector<std::string>{"E2201"});
    CheckResult as_of = load_dated(
        "  param x = 3 ects cite \"c\"\n"
        "  rule r require 1 ects <= x as of 5 ects else reject X \"x\" "
        "cite \"c\"\n");
    CHECK(error_codes(as_of) == std::vector<std::string>{"E2201"});
}

TEST_CASE("a ban on overriding is inherited, and a removed rule cannot be banned",
          "[rules][extends]") {
    const std::string base_with_ban = "forbid override sectoral cite \"base (l)\"\n";
    PolicyFinder find = [&](const std::string& id) -> std::optional<dsl::SourceFile> {
        if (id != "base") return std::nullopt;
        std::string text = base_text;
        text.insert(text.rfind('}'), base_with_ban);
        return dsl::SourceFile("base.policy", text);
    };
    auto child = [&](const std::string& body) {
        return load_policy(dsl::SourceFile("child.policy",
                                           "policy child extends base {\n  title \"Child\"\n"
                                           "  version \"2\"\n  in force from 2027-01-01\n" +
                                               body + "}\n"),
                           find);
    };
    CheckResult inherited = child("forbid override workload cite \"child 3\"\n");
    REQUIRE(inherited.policy);
    REQUIRE(inherited.policy->override_bans.size() == 2);
    CHECK(inherited.policy->override_bans[0].name == "sectoral");
    CHECK(inherited.policy->override_bans[0].origin == "base");
    CHECK(inherited.policy->override_bans[0].where.file == "base.policy");
    CHECK(inherited.policy->override_bans[1].origin == "child");

    CheckResult removed =
        child("remove rule workload cite \"gone\"\nforbid override workload cite \"c\"\n");
    CHECK(error_codes(removed) == std::vector<std::string>{"E2114"});
}

}  // namespace
}  // namespace mcre::rules
