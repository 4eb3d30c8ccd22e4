// `--set`: a number changed on the command line is checked like policy text, and a wrong
// name or value is an error that says how to fix it.

#include "engine/policy_variant.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "rules/checker.hpp"

namespace mcre::engine {
namespace {

struct Base {
    rules::Policy policy;
    dsl::SourceFile source;
};

Base georgia() {
    const std::string path = std::string(MCRE_SOURCE_DIR) + "/policies/georgia.policy";
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    dsl::SourceFile source(path, text.str());
    rules::CheckResult checked = rules::load_policy(source);
    REQUIRE(checked.policy);
    return Base{*checked.policy, source};
}

const rules::Value& value_of(const rules::Policy& p, const std::string& name) {
    const rules::Parameter* param = p.find_parameter(name);
    REQUIRE(param != nullptr);
    return param->value;
}

TEST_CASE("NAME=VALUE is read with spaces trimmed; anything else is not a setting",
          "[simulate][set]") {
    auto s = parse_setting(" mc_max_ects = 40 ects ");
    REQUIRE(s);
    CHECK(s->name == "mc_max_ects");
    CHECK(s->value == "40 ects");
    CHECK_FALSE(parse_setting("mc_max_ects"));
    CHECK_FALSE(parse_setting("=40"));
    CHECK_FALSE(parse_setting("mc_max_ects="));
}

TEST_CASE("a parameter set on the command line replaces the value, with its unit",
          "[simulate][set]") {
    const Base base = georgia();
    PolicyVariant v = policy_with_settings(base.policy, base.source, {{"mc_max_ects", "40"}});
    REQUIRE(v.policy);
    CHECK(value_of(*v.policy, "mc_max_ects").number == 40);
    CHECK(value_of(*v.policy, "mc_max_ects").type == rules::Type::Ects);
    CHECK(v.policy->content_hash != base.policy.content_hash);
    // Everything else is inherited unchanged.
    CHECK(v.policy->rules.size() == base.policy.rules.size());
    CHECK(value_of(*v.policy, "mc_min_ects").number == value_of(base.policy, "mc_min_ects").number);
    CHECK(v.source.text().find("override param mc_max_ects = 40 ects") != std::string::npos);
}

TEST_CASE("a cap's limit is set in ECTS, or as a share for a cap written as one",
          "[simulate][set]") {
    const Base base = georgia();
    PolicyVariant v =
        policy_with_settings(base.policy, base.source,
                             {{"cap.bachelor_combined", "90"}, {"cap.bachelor_share", "30 %"}});
    REQUIRE(v.policy);
    for (const rules::Cap& c : v.policy->caps) {
        if (c.name == "bachelor_combined") {
            CHECK(c.limit.literal.number == 90);
            CHECK(c.cite.rfind("--set cap.bachelor_combined=90", 0) == 0);
        }
        if (c.name == "bachelor_share") CHECK(c.limit.args.at(0).literal.number == 30);
        // Reports name the cap as before, so the baseline and the variant share a row.
        CHECK(c.origin == "georgia");
    }
    // The draft overrides each cap with its scope and citation: a policy file that runs.
    const std::string text = v.source.text();
    CHECK(text.find("  override cap bachelor_combined for micro_credential, vocational_l5 in "
                    "bachelor\n    at most 90 ects\n    cite \"--set cap.bachelor_combined=90 "
                    "(was: MICRO-GEAR") != std::string::npos);
    CHECK(text.find("  override cap bachelor_share for micro_credential, vocational_l5 in "
                    "bachelor\n    at most 30 % of programme.total_ects\n") != std::string::npos);
    // "ECTS" as the form shows a value, and a `when` kept as written.
    PolicyVariant upper = policy_with_settings(
        base.policy, base.source,
        {{"cap.bachelor_combined", "75 ECTS"}, {"cap.regulated_electives", "5"}});
    REQUIRE(upper.policy);
    CHECK(upper.source.text().find("    when programme.field in regulated_national or "
                                   "programme.regulated == true\n    at most 5 ects\n") !=
          std::string::npos);
}

TEST_CASE("a wrong name or value is an error with a way to fix it", "[simulate][set]") {
    const Base base = georgia();
    PolicyVariant unknown = policy_with_settings(base.policy, base.source, {{"mc_max_ect", "40"}});
    CHECK_FALSE(unknown.policy);
    REQUIRE(unknown.diagnostics.size() == 1);
    CHECK(unknown.diagnostics[0].message ==
          "--set mc_max_ect: policy georgia has no parameter mc_max_ect");
    CHECK(unknown.diagnostics[0].hint == "did you mean mc_max_ects?");

    PolicyVariant no_cap = policy_with_settings(base.policy, base.source, {{"cap.bachelor", "90"}});
    CHECK_FALSE(no_cap.policy);
    REQUIRE_FALSE(no_cap.diagnostics.empty());
    CHECK(no_cap.diagnostics[0].hint.find("cap.bachelor_") != std::string::npos);

    // The value goes through the checker like any policy text: a date is not ECTS.
    PolicyVariant wrong_type =
        policy_with_settings(base.policy, base.source, {{"mc_max_ects", "2026-01-01"}});
    CHECK_FALSE(wrong_type.policy);
    CHECK(dsl::has_errors(wrong_type.diagnostics));

    // A wrong unit likewise: the inherited rules compare the maximum as ECTS.
    PolicyVariant wrong_unit =
        policy_with_settings(base.policy, base.source, {{"mc_max_ects", "40 hours"}});
    CHECK_FALSE(wrong_unit.policy);
    REQUIRE_FALSE(wrong_unit.diagnostics.empty());
    CHECK(wrong_unit.diagnostics[0].code == "E2123");
    CHECK(wrong_unit.diagnostics[0].message ==
          "override of 'mc_max_ects' changes its type from ECTS to hours");

    PolicyVariant not_a_share =
        policy_with_settings(base.policy, base.source, {{"cap.bachelor_combined", "30%"}});
    CHECK_FALSE(not_a_share.policy);
    REQUIRE_FALSE(not_a_share.diagnostics.empty());
    CHECK(not_a_share.diagnostics.back().message.find("not a share") != std::string::npos);
}

}  // namespace
}  // namespace mcre::engine
