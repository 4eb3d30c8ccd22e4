// Choosing the policy by jurisdiction and date (PolicySet::select): exactly one, none (with
// each candidate and why it does not cover the date), or several; both ends of a period
// count. The fixtures in data/ are a chain xx_draft -> xx_law -> xx_base and a policy of XY.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "engine/policy_set.hpp"
#include "tests/support/files.hpp"

namespace mcre::engine {
namespace {

dsl::Date day(const char* text) { return *dsl::parse_date(text); }

const PolicySet& fixtures() {
    static const PolicySet set = [] {
        std::vector<PolicyLoadProblem> problems;
        PolicySet loaded = PolicySet::load({test::source_path("tests/select/data")}, problems);
        REQUIRE(problems.empty());
        return loaded;
    }();
    return set;
}

std::vector<std::string> ids(const std::vector<const LoadedPolicy*>& policies) {
    std::vector<std::string> out;
    for (const LoadedPolicy* p : policies) out.push_back(p->policy.id);
    return out;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& line : lines) out += line + "\n";
    return out;
}

TEST_CASE("one policy in force is chosen, and the others are said not to be", "[select]") {
    PolicyChoice choice = fixtures().select("XX", day("2026-10-15"));
    REQUIRE(choice.chosen() != nullptr);
    CHECK(choice.chosen()->policy.id == "xx_law");
    CHECK(choice.summary() ==
          "policy xx_law version 2 is the only policy for XX in force on "
          "2026-10-15");
    REQUIRE(choice.not_in_force.size() == 2);
    const std::string details = joined(choice.details(false));
    CHECK_THAT(details, Catch::Contains("xx_base version 1: in force from 2020-01-01 until "
                                        "2026-08-31, no longer in force on 2026-10-15"));
    CHECK_THAT(details, Catch::Contains("xx_draft version 3-draft: in force from 2027-09-01, not "
                                        "yet in force on 2026-10-15"));
}

TEST_CASE("the first and the last day of a period are in force", "[select]") {
    CHECK(fixtures().select("XX", day("2020-01-01")).chosen()->policy.id == "xx_base");
    CHECK(fixtures().select("XX", day("2026-08-31")).chosen()->policy.id == "xx_base");
    CHECK(fixtures().select("XX", day("2026-09-01")).chosen()->policy.id == "xx_law");
    CHECK(fixtures().select("XX", day("2027-08-31")).chosen()->policy.id == "xx_law");
    CHECK(fixtures().select("XY", day("2024-01-01")).chosen()->policy.id == "xy_law");
    CHECK(fixtures().select("XY", day("2023-12-31")).none());
}

TEST_CASE("a draft extending the law in force is a candidate like any other", "[select]") {
    PolicyChoice choice = fixtures().select("XX", day("2027-09-01"));
    CHECK(choice.chosen() == nullptr);
    REQUIRE(choice.several());
    CHECK(ids(choice.in_force) == std::vector<std::string>{"xx_draft", "xx_law"});
    CHECK(choice.summary() == "2 policies for XX are in force on 2027-09-01");
    const std::string details = joined(choice.details(true));
    CHECK_THAT(details, Catch::Contains("xx_draft version 3-draft ("));
    CHECK_THAT(details, Catch::Contains("xx-draft.policy): in force from 2027-09-01, in force on "
                                        "2027-09-01"));
    CHECK_THAT(details, Catch::Contains("xx_law version 2 ("));
}

TEST_CASE("before any period: none, with every candidate and the jurisdictions loaded",
          "[select]") {
    PolicyChoice choice = fixtures().select("XX", day("2019-12-31"));
    REQUIRE(choice.none());
    CHECK(choice.jurisdiction_loaded());
    CHECK(choice.summary() == "no policy for XX is in force on 2019-12-31");
    const std::vector<std::string> details = choice.details(false);
    REQUIRE(details.size() == 4);
    CHECK(details[0] ==
          "xx_base version 1: in force from 2020-01-01 until 2026-08-31, not yet "
          "in force on 2019-12-31");
    CHECK(details.back() == "loaded: XX (xx_base, xx_draft, xx_law), XY (xy_law)");
}

TEST_CASE("a jurisdiction with no policy loaded says which ones are", "[select]") {
    PolicyChoice choice = fixtures().select("FR", day("2026-10-15"));
    REQUIRE(choice.none());
    CHECK_FALSE(choice.jurisdiction_loaded());
    CHECK(choice.summary() == "no policy for FR is loaded");
    CHECK(choice.details(false) ==
          std::vector<std::string>{"loaded: XX (xx_base, xx_draft, xx_law), XY (xy_law)"});
}

TEST_CASE("a policy that extends others keeps their texts, root first", "[select][extends]") {
    const LoadedPolicy* draft = fixtures().find("xx_draft");
    REQUIRE(draft != nullptr);
    REQUIRE(draft->bases.size() == 2);
    CHECK_THAT(draft->bases[0].file, Catch::EndsWith("xx-base.policy"));
    CHECK_THAT(draft->bases[1].file, Catch::EndsWith("xx-law.policy"));
    CHECK_THAT(draft->bases[1].text, Catch::Contains("policy xx_law extends xx_base"));
    CHECK(fixtures().find("xx_base")->bases.empty());

    // Checked again from the stored texts alone, under names no file has: the same policy.
    std::string diagnostics;
    std::vector<PolicySource> stored{{"stored/base.policy", draft->bases[0].text},
                                     {"stored/law.policy", draft->bases[1].text}};
    auto again =
        PolicySet::load_text("stored/draft.policy", draft->source_text, stored, diagnostics);
    INFO(diagnostics);
    REQUIRE(again);
    CHECK(again->policy.content_hash == draft->policy.content_hash);
    CHECK(again->policy.chain == std::vector<std::string>{"xx_base", "xx_law", "xx_draft"});
    CHECK(again->bases.size() == 2);

    // Without the stored chain nothing is read from disk: the parent cannot be found.
    auto alone = PolicySet::load_text("stored/draft.policy", draft->source_text, {}, diagnostics);
    CHECK_FALSE(alone);
    CHECK_THAT(diagnostics, Catch::Contains("cannot find policy 'xx_law' to extend"));
}

}  // namespace
}  // namespace mcre::engine
