#include "rules/checker.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace mcre::rules {
namespace {

const std::string header =
    "policy p {\n  title \"t\"\n  jurisdiction GE\n  version \"1\"\n  in force from 2026-09-01\n";

CheckResult check_body(const std::string& body) {
    return load_policy(dsl::SourceFile("p.policy", header + body + "}\n"));
}

std::vector<std::string> error_codes(const CheckResult& r) {
    std::vector<std::string> codes;
    for (const auto& d : r.diagnostics) {
        if (d.severity == dsl::Severity::Error) codes.push_back(d.code);
    }
    return codes;
}

struct Case {
    const char* body;
    const char* code;
};

TEST_CASE("the checker rejects each kind of mistake with its own code", "[rules]") {
    auto c = GENERATE(values<Case>({
        {"param a = 3 ects cite \"c\"\nrule r require credential.hours <= a else reject X \"m\" "
         "cite \"c\"\n",
         "E2201"},
        {"rule r require credential.workload <= 3 else reject X \"m\" cite \"c\"\n", "E2201"},
        {"rule r require credential.wrkload <= 3 ects else reject X \"m\" cite \"c\"\n", "E2103"},
        {"rule r require credentail.workload <= 3 ects else reject X \"m\" cite \"c\"\n", "E2103"},
        {"rule r require credential.workload <= mx else reject X \"m\" cite \"c\"\n", "E2104"},
        {"rule r for micro_credentail require true else reject X \"m\" cite \"c\"\n", "E2102"},
        {"rule r in bachlor require true else reject X \"m\" cite \"c\"\n", "E2102"},
        {"rule r require credential.workload else reject X \"m\" cite \"c\"\n", "E2202"},
        {"rule r require true else rejectt X \"m\" cite \"c\"\n", "E2108"},
        {"rule r require true else reject lower \"m\" cite \"c\"\n", "E2109"},
        {"rule r require true else reject X \"{nope}\" cite \"c\"\n", "E2104"},
        {"rule r require true else reject X \"{open\" cite \"c\"\n", "E2110"},
        {"rule r require true else reject X \"m\" cite \"  \"\n", "E2111"},
        {"rule r require true else reject X \"m\" cite \"c\"\nrule r require true else reject Y "
         "\"m\" cite \"c\"\n",
         "E2101"},
        {"param mc_min_ects = 30 ects cite \"c\"\nparam mc_max_ects = 3 ects cite \"c\"\n",
         "E2303"},
        {"cap c at most 0 ects - 5 ects cite \"c\"\n", "E2301"},
        {"param neg = 0 ects cite \"c\"\ncap c at most 25 % cite \"c\"\n", "E2201"},
        {"param a = credential.workload cite \"c\"\n", "E2105"},
        {"param d = 2026-02-30 cite \"c\"\n", "E2004"},
        {"table t : codes { \"0912\" \"a\", \"0912\" \"b\" } cite \"c\"\n", "E2106"},
        {"table t : codes { \"09x\" } cite \"c\"\n", "E2306"},
        {"table t : levels eqf -> nqf { 9 -> 9 } cite \"c\"\n", "E2305"},
        {"rule r require ects(credential.hours) <= 3 ects else reject X \"m\" cite \"c\"\n",
         "E2112"},
        {"rule r require sqrt(1) <= 3 else reject X \"m\" cite \"c\"\n", "E2113"},
        {"rule r require credential.field in \"06\" else reject X \"m\" cite \"c\"\n", "E2203"},
        {"rule r require credential.workload between 30 ects and 3 ects else reject X \"m\" cite "
         "\"c\"\n",
         "E2304"},
        {"rule r require credential.issued >= application.date - 5 ects else reject X \"m\" cite "
         "\"c\"\n",
         "E2201"},
        {"rule r require 3 ects is missing else reject X \"m\" cite \"c\"\n", "E2204"},
        {"allocate by issue then id cite \"c\"\n", "E2103"},
    }));
    CheckResult r = check_body(c.body);
    INFO(c.body);
    CHECK_FALSE(r.policy);
    auto codes = error_codes(r);
    CHECK(std::find(codes.begin(), codes.end(), c.code) != codes.end());
}

TEST_CASE("every error in a file is reported in one run, in source order", "[rules]") {
    CheckResult r = check_body(
        "rule a require credential.wrkload <= 3 ects else reject X \"m\" cite \"c\"\n"
        "rule b require credential.hours <= 3 ects else reject Y \"m\" cite \"c\"\n"
        "cap c in bachlor at most 5 ects cite \"c\"\n");
    REQUIRE(error_codes(r) == std::vector<std::string>{"E2103", "E2201", "E2102"});
    CHECK(r.diagnostics[0].span.begin < r.diagnostics[1].span.begin);
}

TEST_CASE("the unknown parameter's span and did-you-mean note point at the right places",
          "[rules]") {
    std::string body =
        "param mc_max_ects = 30 ects cite \"c\"\n"
        "rule r require credential.workload <= mc_max_ect else reject X \"m\" cite \"c\"\n";
    std::string text = header + body + "}\n";
    CheckResult r = load_policy(dsl::SourceFile("p.policy", text));
    REQUIRE(error_codes(r) == std::vector<std::string>{"E2104"});
    const auto& d = *std::find_if(r.diagnostics.begin(), r.diagnostics.end(),
                                  [](const dsl::Diagnostic& x) { return x.code == "E2104"; });
    CHECK(d.code == "E2104");
    CHECK(text.substr(d.span.begin, d.span.end - d.span.begin) == "mc_max_ect");
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].message == "did you mean 'mc_max_ects'?");
    CHECK(text.substr(d.notes[0].span.begin, 11) == "mc_max_ects");
}

TEST_CASE("a missing header item is an error naming it", "[rules]") {
    CheckResult r = load_policy(dsl::SourceFile("p.policy", "policy p { title \"t\" }"));
    CHECK(error_codes(r) == std::vector<std::string>{"E2001", "E2001", "E2001"});
}

TEST_CASE("a valid policy becomes a model with folded constants", "[rules]") {
    CheckResult r = check_body(
        "param mc_max_ects = 30 ects cite \"item (d)\"\n"
        "param hpe = 25 hours cite \"h\"\n"
        "table sectoral : codes { \"0912\" \"Medicine\" } cite \"dir\"\n"
        "convert hours to ects at hpe per ects round down to 0.5 ects cite \"c\"\n"
        "rule size for micro_credential require credential.workload <= mc_max_ects\n"
        "  else reject WORKLOAD \"at most {mc_max_ects}, not {credential.workload}\" cite \"d\"\n"
        "exclude reg when programme.field in sectoral then reject REGULATED \"r\" cite \"l\"\n"
        "cap overall in bachelor at most 25 % of programme.total_ects cite \"m\"\n");
    INFO(r.diagnostics.size());
    REQUIRE(r.policy);
    const Policy& p = *r.policy;
    CHECK(p.id == "p");
    CHECK(p.version == "1");
    CHECK(p.conversion.hours_per_ects == 25);
    CHECK(p.conversion.rounding == Rounding::Down);
    REQUIRE(p.rules.size() == 2);
    const Rule& size = p.rules[0];
    CHECK(size.credential_kinds == std::vector<std::string>{"micro_credential"});
    CHECK(size.condition.op == Op::Le);
    CHECK(size.condition.args[1].op == Op::Param);
    CHECK(size.condition.args[1].literal.number == 30);
    CHECK(size.message.size() == 4);
    CHECK(size.where.line == 10);
    CHECK(p.rules[1].exclusion);
    CHECK(p.caps[0].limit.op == Op::PercentOf);
    CHECK(p.content_hash.size() == 64);
}

TEST_CASE("an unused parameter is a warning, not an error", "[rules]") {
    CheckResult r = check_body("param spare = 3 ects cite \"c\"\n");
    REQUIRE(r.policy);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "W3002");
}

// `forbid override`: what an officer's override may not touch (engine/overrides.hpp).
const std::string regulated_exclusion =
    "exclude regulated when programme.regulated == true then reject REGULATED \"m\" cite "
    "\"c\"\n";

TEST_CASE("forbid override names rules, exclusions, exceptions and settable facts", "[rules]") {
    CheckResult r = check_body(regulated_exclusion +
                               "forbid override regulated, credential.level, credential.qa\n"
                               "  cite \"Law on Higher Education, Art. 12\"\n");
    REQUIRE(r.policy);
    REQUIRE(r.policy->override_bans.size() == 3);
    const OverrideBan& ban = r.policy->override_bans[0];
    CHECK(ban.name == "regulated");
    CHECK_FALSE(ban.fact);
    CHECK(ban.cite == "Law on Higher Education, Art. 12");
    CHECK(ban.where.line == 7);
    CHECK(ban.where.column == 17);
    CHECK(r.policy->override_bans[1].fact);
    CHECK(r.policy->override_bans[2].name == "credential.qa");
}

TEST_CASE("forbid override of an unknown name is an error with a suggestion", "[rules]") {
    CheckResult rule = check_body(regulated_exclusion + "forbid override regulatd cite \"c\"\n");
    REQUIRE(error_codes(rule) == std::vector<std::string>{"E2114"});
    const dsl::Diagnostic& d = rule.diagnostics[0];
    CHECK(d.message == "no rule, exclusion or exception is called 'regulatd'");
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].message == "did you mean 'regulated'?");
    CHECK(dsl::SourceFile("p.policy",
                          header + regulated_exclusion + "forbid override regulatd cite \"c\"\n}\n")
              .location(d.span)
              .column == 17);

    // A fact an override cannot set: the workload is derived, not judged.
    CheckResult fact = check_body("forbid override credential.workload cite \"c\"\n");
    REQUIRE(error_codes(fact) == std::vector<std::string>{"E2114"});
    CHECK(fact.diagnostics[0].message ==
          "'credential.workload' is not a credential fact an override can set");
    CHECK(fact.diagnostics[0].hint.find("credential.level") != std::string::npos);

    CheckResult empty_cite =
        check_body(regulated_exclusion + "forbid override regulated cite \"\"\n");
    CHECK(error_codes(empty_cite) == std::vector<std::string>{"E2111"});
}

}  // namespace
}  // namespace mcre::rules
