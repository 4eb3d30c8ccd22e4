// What would change a decision: the engine's smallest changes are checked against a brute
// force over every combination of a credential's facts on a small grid, so "smallest" is
// a tested property and not a claim.

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "engine/application_load.hpp"
#include "engine/evaluator.hpp"
#include "rules/checker.hpp"

namespace mcre::engine {
namespace {

// Thresholds of every kind the search reads: a range, a level bound, a set or a flag, a
// date, and an exception that lets level-7 credentials carry up to 40 ECTS.
const std::string small_law = R"POLICY(policy small {
  title "Small"
  jurisdiction GE
  version "1"
  in force from 2020-01-01
  param accepted_qa = {"eqar", "national"} cite "art. 3(2)"
  rule workload for micro_credential require credential.workload between 3 ects and 30 ects
    else reject WORKLOAD "size" cite "art. 1"
  exception level7_size to workload when credential.level == 7 and credential.workload <= 40 ects
    exempt cite "art. 1(2)"
  rule level require credential.level >= 6 else reject LEVEL "level" cite "art. 2"
  rule qa require credential.qa in accepted_qa or credential.programme_accredited == true
    else reject QA "quality" cite "art. 3"
  rule recent require credential.issued >= 2021-10-01 else reject OLD "old" cite "art. 4"
  exclude regulated when programme.regulated == true then reject REGULATED "regulated"
    cite "art. 5"
}
)POLICY";

rules::Policy small_policy() {
    rules::CheckResult checked = rules::load_policy(dsl::SourceFile("small.policy", small_law));
    REQUIRE(checked.policy);
    return *checked.policy;
}

// One credential's facts on the grid; -1 / "" mean "not stated".
struct Facts {
    double ects = 0;
    int level = 0;
    std::string qa;
    int accredited = -1;  // -1 unstated, 0 no, 1 yes
    std::string issued;

    [[nodiscard]] int differences(const Facts& o) const {
        return (ects != o.ects) + (level != o.level) + (qa != o.qa) + (accredited != o.accredited) +
               (issued != o.issued);
    }
};

// The grid holds every threshold of the law and values on both sides of each.
const std::vector<double> grid_ects{1, 2.5, 3, 12, 30, 31, 40, 45};
const std::vector<int> grid_levels{4, 5, 6, 7, 8};
const std::vector<std::string> grid_qa{"eqar", "national", "none", ""};
const std::vector<int> grid_accredited{-1, 0, 1};
const std::vector<std::string> grid_issued{"2019-03-01", "2021-09-30", "2021-10-01", "2024-05-05"};

Application application(const Facts& f, bool regulated) {
    std::string c = "{id: c1, kind: micro_credential, ects: " + std::to_string(f.ects) +
                    ", nqf_level: " + std::to_string(f.level) + ", issued: " + f.issued;
    if (!f.qa.empty()) c += ", qa: " + f.qa;
    if (f.accredited >= 0)
        c += f.accredited ? ", programme_accredited: true" : ", programme_accredited: false";
    c += "}";
    const std::string yaml =
        "id: a1\ndate: 2026-10-15\nlearner: {id: L1}\n"
        "programme: {id: P1, kind: bachelor, total_ects: 240, regulated: " +
        std::string(regulated ? "true" : "false") + "}\ncredentials:\n  - " + c + "\n";
    LoadResult loaded = load_application(dsl::SourceFile("a.yaml", yaml));
    REQUIRE(loaded.application);
    return *loaded.application;
}

bool recognized(const rules::Policy& policy, const Facts& f, bool regulated) {
    Decision d = evaluate(policy, application(f, regulated), EvaluateOptions{false});
    Status s = d.credentials.at(0).status;
    return s == Status::Recognized || s == Status::PartiallyRecognized;
}

std::vector<Facts> whole_grid() {
    std::vector<Facts> out;
    for (double e : grid_ects)
        for (int l : grid_levels)
            for (const std::string& q : grid_qa)
                for (int a : grid_accredited)
                    for (const std::string& i : grid_issued) out.push_back(Facts{e, l, q, a, i});
    return out;
}

// The fewest facts that must differ from `start` for a recognized credential on the grid;
// 99 when no point of the grid is recognized.
int brute_force_minimum(const std::vector<Facts>& recognized_points, const Facts& start) {
    int best = 99;
    for (const Facts& p : recognized_points) best = std::min(best, p.differences(start));
    return best;
}

TEST_CASE("the smallest change the engine reports is never larger than brute force finds",
          "[engine][counterfactual]") {
    const rules::Policy policy = small_policy();
    const std::vector<Facts> grid = whole_grid();
    std::vector<Facts> good;
    for (const Facts& f : grid) {
        if (recognized(policy, f, false)) good.push_back(f);
    }
    REQUIRE(!good.empty());

    // Every seventh point of the grid that is refused: a spread of one to four failures.
    int checked = 0;
    std::set<std::size_t> sizes_seen;
    for (std::size_t i = 0; i < grid.size(); i += 7) {
        const Facts& start = grid[i];
        Decision d = evaluate(policy, application(start, false));
        const CredentialDecision& cd = d.credentials.at(0);
        if (cd.status == Status::Recognized) continue;
        ++checked;
        const int minimum = brute_force_minimum(good, start);
        INFO("ects " << start.ects << " level " << start.level << " qa '" << start.qa
                     << "' accredited " << start.accredited << " issued " << start.issued);
        INFO("brute force minimum " << minimum);
        if (minimum > 3) {
            CHECK(cd.counterfactuals.empty());
            CHECK_FALSE(cd.no_change_helps.empty());
            continue;
        }
        REQUIRE_FALSE(cd.counterfactuals.empty());
        for (const Counterfactual& cf : cd.counterfactuals) {
            CHECK(static_cast<int>(cf.changes.size()) == minimum);
            CHECK(cf.status == Status::Recognized);
        }
        sizes_seen.insert(cd.counterfactuals.front().changes.size());
    }
    CHECK(checked > 100);
    // The grid exercises single, double and triple changes.
    CHECK(sizes_seen == std::set<std::size_t>{1, 2, 3});
}

TEST_CASE("a reported change, applied to the credential, gets it recognized",
          "[engine][counterfactual]") {
    const rules::Policy policy = small_policy();
    // 2.5 ECTS, level 5, no quality assurance, issued too early: four checks fail, but the
    // level-7 exception passes the workload rule too, so three changes are enough.
    Facts start{2.5, 5, "none", 0, "2019-03-01"};
    Decision d = evaluate(policy, application(start, false));
    const CredentialDecision& cd = d.credentials.at(0);
    REQUIRE(cd.status == Status::NotRecognized);
    REQUIRE(cd.counterfactuals.size() == 2);
    CHECK(cd.counterfactuals[0].changes.size() == 3);
    CHECK(cd.would_change ==
          std::vector<std::string>{
              "recognized with 2.5 ECTS if its level were 7 (it is at level 5) and its type of "
              "quality assurance were eqar, one of accepted_qa (it is none) and it were issued "
              "on or after 2021-10-01 (it was issued 2019-03-01)",
              "recognized with 2.5 ECTS if its level were 7 (it is at level 5) and its programme "
              "were accredited (it is not) and it were issued on or after 2021-10-01 (it was "
              "issued 2019-03-01)"});
    CHECK(recognized(policy, Facts{2.5, 7, "eqar", 0, "2021-10-01"}, false));

    // Four facts wrong and no exception to help: the search says so instead of guessing.
    Decision d4 = evaluate(policy, application(Facts{45, 5, "none", 0, "2019-03-01"}, false));
    const CredentialDecision& c4 = d4.credentials.at(0);
    CHECK(c4.counterfactuals.empty());
    CHECK(c4.no_change_helps ==
          "no change of at most 3 of the credential's facts, to any value the policy tests, "
          "gets it recognized");

    Facts two_wrong{2.5, 6, "eqar", 1, "2019-03-01"};
    Decision d2 = evaluate(policy, application(two_wrong, false));
    const CredentialDecision& c2 = d2.credentials.at(0);
    REQUIRE(c2.counterfactuals.size() == 2);
    const Counterfactual& cf = c2.counterfactuals[0];
    REQUIRE(cf.changes.size() == 2);
    CHECK(cf.changes[0].fact == "credential.workload");
    CHECK(cf.changes[0].from == "2.5 ECTS");
    CHECK(cf.changes[0].to == "3 ECTS");
    CHECK(cf.changes[1].fact == "credential.issued");
    CHECK(cf.changes[1].to == "2021-10-01");
    CHECK(c2.would_change ==
          std::vector<std::string>{
              "recognized with 3 ECTS if it carried at least 3 ECTS (it carries 2.5 ECTS) and it "
              "were issued on or after 2021-10-01 (it was issued 2019-03-01)",
              "recognized with 2.5 ECTS if its level were 7 (it is at level 6) and it were "
              "issued on or after 2021-10-01 (it was issued 2019-03-01)"});
    Facts applied{3, 6, "eqar", 1, "2021-10-01"};
    CHECK(recognized(policy, applied, false));
}

TEST_CASE("an exception is one of the ways out: level 7 lets 35 ECTS through",
          "[engine][counterfactual]") {
    const rules::Policy policy = small_policy();
    Decision d = evaluate(policy, application(Facts{35, 6, "eqar", -1, "2024-05-05"}, false));
    const CredentialDecision& cd = d.credentials.at(0);
    REQUIRE(cd.counterfactuals.size() == 2);
    CHECK(cd.would_change ==
          std::vector<std::string>{
              "recognized with 30 ECTS if it carried at most 30 ECTS (it carries 35 ECTS)",
              "recognized with 35 ECTS if its level were 7 (it is at level 6)"});
}

TEST_CASE("when the check turns on the programme, no change of the credential helps",
          "[engine][counterfactual]") {
    const rules::Policy policy = small_policy();
    const Facts fine{12, 6, "eqar", 1, "2024-05-05"};
    Decision d = evaluate(policy, application(fine, true));
    const CredentialDecision& cd = d.credentials.at(0);
    CHECK(cd.status == Status::NotRecognized);
    CHECK(cd.counterfactuals.empty());
    CHECK(cd.no_change_helps ==
          "no change to the facts this credential states can get it recognized here: "
          "small.regulated (REGULATED) turns only on programme.regulated; it would pass if "
          "programme.regulated were not yes");
    // Brute force agrees: nothing on the grid is recognized in a regulated programme.
    for (const Facts& f : whole_grid()) {
        CHECK_FALSE(recognized(policy, f, true));
    }
}

TEST_CASE("without the search the decision is the same, with no counterfactuals",
          "[engine][counterfactual]") {
    const rules::Policy policy = small_policy();
    Application app = application(Facts{2.5, 6, "eqar", 1, "2019-03-01"}, false);
    Decision with = evaluate(policy, app);
    Decision without = evaluate(policy, app, EvaluateOptions{false});
    CHECK(with.credentials.at(0).status == without.credentials.at(0).status);
    CHECK(with.credentials.at(0).primary_code == without.credentials.at(0).primary_code);
    CHECK_FALSE(with.credentials.at(0).counterfactuals.empty());
    CHECK(without.credentials.at(0).counterfactuals.empty());
}

// Derived facts: the workload converted from hours and the age in whole years. The search
// changes them through the stated ECTS and the issue date, and still finds the fewest
// changes.
const std::string derived_law = R"POLICY(policy derived {
  title "Derived"
  jurisdiction GE
  version "1"
  in force from 2020-01-01
  convert hours to ects at 25 hours per ects cite "art. 0"
  rule workload require credential.workload >= 3 ects else reject WORKLOAD "size" cite "art. 1"
  rule age require credential.age <= 5 years else reject OLD "old" cite "art. 2"
  rule assessed require credential.assessment is present
    else incomplete NO_ASSESSMENT "assessment" cite "art. 3"
}
)POLICY";

struct HoursFacts {
    int hours = 0;
    std::string issued;
    bool assessed = false;

    [[nodiscard]] int differences(const HoursFacts& o) const {
        return (hours != o.hours) + (issued != o.issued) + (assessed != o.assessed);
    }
};

Application hours_application(const HoursFacts& f) {
    std::string c = "{id: c1, kind: micro_credential, hours: " + std::to_string(f.hours) +
                    ", nqf_level: 6, issued: " + f.issued;
    if (f.assessed) c += ", assessment: \"written exam\"";
    c += "}";
    const std::string yaml =
        "id: a1\ndate: 2026-10-15\nlearner: {id: L1}\n"
        "programme: {id: P1, kind: bachelor, total_ects: 240}\ncredentials:\n  - " +
        c + "\n";
    LoadResult loaded = load_application(dsl::SourceFile("a.yaml", yaml));
    REQUIRE(loaded.application);
    return *loaded.application;
}

TEST_CASE("derived facts change through what they come from: ECTS and the issue date",
          "[engine][counterfactual]") {
    rules::CheckResult checked = rules::load_policy(dsl::SourceFile("derived.policy", derived_law));
    REQUIRE(checked.policy);
    const rules::Policy& policy = *checked.policy;
    const std::vector<int> hours{25, 50, 74, 75, 100};
    const std::vector<std::string> issued{"2019-01-01", "2021-10-14", "2021-10-15", "2025-01-01"};
    std::vector<HoursFacts> grid;
    for (int h : hours)
        for (const std::string& i : issued)
            for (bool a : {false, true}) grid.push_back(HoursFacts{h, i, a});
    std::vector<HoursFacts> good;
    for (const HoursFacts& f : grid) {
        Decision d = evaluate(policy, hours_application(f), EvaluateOptions{false});
        if (d.credentials.at(0).status == Status::Recognized) good.push_back(f);
    }
    REQUIRE_FALSE(good.empty());
    for (const HoursFacts& start : grid) {
        Decision d = evaluate(policy, hours_application(start));
        const CredentialDecision& cd = d.credentials.at(0);
        if (cd.status == Status::Recognized) continue;
        int minimum = 99;
        for (const HoursFacts& g : good) minimum = std::min(minimum, g.differences(start));
        INFO(start.hours << " hours, issued " << start.issued << ", assessed " << start.assessed);
        REQUIRE_FALSE(cd.counterfactuals.empty());
        CHECK(static_cast<int>(cd.counterfactuals.front().changes.size()) == minimum);
    }

    Decision d = evaluate(policy, hours_application(HoursFacts{50, "2019-01-01", true}));
    CHECK(d.credentials.at(0).would_change ==
          std::vector<std::string>{
              "recognized with 3 ECTS if it carried at least 3 ECTS (it carries 2 ECTS) and it "
              "were at most 5 years old (it is 7 years old)"});
    const Counterfactual& cf = d.credentials.at(0).counterfactuals.at(0);
    CHECK(cf.changes.at(0).fact == "credential.workload");
    CHECK(cf.changes.at(0).from == "2 ECTS");
    CHECK(cf.changes.at(1).fact == "credential.age");
    CHECK(cf.changes.at(1).to == "5 years");
}

}  // namespace
}  // namespace mcre::engine
