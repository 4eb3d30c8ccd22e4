// Simulation aggregates: a reform's gains and losses, the flip matrix with its causes and
// witnesses, the rules that decide, the most-changed applications, and the reports.

#include "engine/simulation.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "engine/application_load.hpp"
#include "engine/evaluator.hpp"
#include "engine/policy_variant.hpp"
#include "engine/simulation_render.hpp"
#include "rules/checker.hpp"

namespace mcre::engine {
namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const std::string root = MCRE_SOURCE_DIR;

struct Shipped {
    rules::Policy policy;
    dsl::SourceFile source;
};

Shipped shipped(const std::string& name) {
    const std::string path = root + "/policies/" + name;
    dsl::SourceFile source(path, slurp(path));
    rules::CheckResult checked = rules::load_policy(source);
    REQUIRE(checked.policy);
    return Shipped{*checked.policy, source};
}

Application example(const std::string& name) {
    const std::string path = root + "/examples/" + name;
    LoadResult loaded = load_application(dsl::SourceFile(path, slurp(path)));
    REQUIRE(loaded.application);
    return *loaded.application;
}

rules::Policy with(const Shipped& base, std::vector<Setting> settings) {
    PolicyVariant v = policy_with_settings(base.policy, base.source, settings);
    INFO(v.source.text());
    REQUIRE(v.policy);
    return *v.policy;
}

TEST_CASE("a policy against itself changes nothing", "[simulate]") {
    const Shipped georgia = shipped("georgia.policy");
    Simulation sim(georgia.policy, georgia.policy);
    for (const char* f : {"drone.yaml", "gtu-network-admin.yaml", "ug-master-data-analysis.yaml"})
        sim.add(example(f));
    const SimulationReport& r = sim.report();
    CHECK(r.total.applications == 3);
    CHECK(r.total.applications_changed == 0);
    CHECK(r.total.credentials_changed == 0);
    CHECK(r.total.baseline_ects == r.total.reform_ects);
    CHECK(r.most_changed.empty());
    for (const auto& row : r.flips)
        for (const FlipCell& cell : row) CHECK(cell.count == 0);
    // Every credential a check or cap stopped counts once under each policy.
    for (const auto& [rule, counts] : r.deciding) CHECK(counts.baseline == counts.reform);
    // Two credentials of 35 ECTS: drone's c2 and gtu-network-admin's c5.
    CHECK(r.deciding.at("georgia.workload").baseline == 2);
}

TEST_CASE("raising the maximum lets the 35-ECTS credential through, and the report says why",
          "[simulate]") {
    const Shipped georgia = shipped("georgia.policy");
    const rules::Policy reform = with(georgia, {{"mc_max_ects", "40"}});
    Simulation sim(georgia.policy, reform);
    const Application drone = example("drone.yaml");
    sim.add(drone);
    sim.add(example("gtu-vet-pathway.yaml"));  // nothing in it is near the maximum
    const SimulationReport& r = sim.report();
    CHECK(r.reform == "georgia_set 2026.1-S1+set");
    CHECK(r.total.applications == 2);
    CHECK(r.total.applications_changed == 1);
    CHECK(r.total.applications_gaining == 1);
    CHECK(r.total.credentials_changed == 1);
    CHECK(r.total.gained == Approx(35));
    CHECK(r.total.lost == 0);
    CHECK(r.total.reform_ects - r.total.baseline_ects == Approx(35));

    const FlipCell& cell = r.flips[static_cast<std::size_t>(Status::NotRecognized)]
                                  [static_cast<std::size_t>(Status::Recognized)];
    CHECK(cell.count == 1);
    CHECK(cell.by_cause.at("WORKLOAD -> recognized") == 1);
    CHECK(cell.witness.application == drone.id);
    CHECK(cell.witness.credential == "c2");

    CHECK(r.deciding.at("georgia.workload").baseline == 1);
    CHECK(r.deciding.at("georgia.workload").reform == 0);
    REQUIRE(r.most_changed.size() == 1);
    CHECK(r.most_changed[0].application == drone.id);
    CHECK(r.most_changed[0].change() == Approx(35));
    CHECK(r.most_changed[0].baseline_text.find("NOT RECOGNIZED by WORKLOAD") != std::string::npos);
    CHECK(r.most_changed[0].reform_text.find("RECOGNIZED 35 ECTS") != std::string::npos);
    CHECK(r.by_programme_kind.at("bachelor").applications_changed == 1);
    CHECK(r.by_field.at("07").gained == Approx(35));
}

TEST_CASE("lowering a cap costs learners ECTS, and the cap is what decides", "[simulate]") {
    const Shipped georgia = shipped("georgia.policy");
    const rules::Policy reform = with(georgia, {{"cap.bachelor_combined", "10"}});
    Simulation sim(georgia.policy, reform);
    sim.add(example("gtu-network-admin.yaml"));
    const SimulationReport& r = sim.report();
    CHECK(r.total.applications_losing == 1);
    CHECK(r.total.lost > 0);
    CHECK(r.total.gained == 0);
    CHECK(r.total.reform_ects <= 10);
    CHECK(r.deciding.at("georgia.bachelor_combined").reform >
          r.deciding.at("georgia.bachelor_combined").baseline);
    // Each application lands in exactly one bin of each distribution.
    std::size_t in_bins = 0;
    for (std::size_t c : r.change_distribution.counts) in_bins += c;
    CHECK(in_bins == 1);
}

TEST_CASE("two jurisdictions compare like a reform: Georgia against Armenia", "[simulate]") {
    const Shipped georgia = shipped("georgia.policy");
    const Shipped armenia = shipped("armenia.policy");
    Simulation sim(georgia.policy, armenia.policy);
    sim.add(example("drone.yaml"));
    sim.add(example("armenia-ysu-informatics.yaml"));
    const SimulationReport& r = sim.report();
    CHECK(r.baseline.rfind("georgia ", 0) == 0);
    CHECK(r.reform.rfind("armenia ", 0) == 0);
    CHECK(r.total.applications == 2);
    CHECK(r.total.applications_changed >= 1);
    // Rules of either policy appear under their own names.
    bool georgian = false;
    bool armenian = false;
    for (const auto& [rule, counts] : r.deciding) {
        georgian = georgian || rule.rfind("georgia.", 0) == 0 || rule.rfind("eu_baseline.", 0) == 0;
        armenian = armenian || rule.rfind("armenia.", 0) == 0;
    }
    CHECK(georgian);
    CHECK(armenian);
}

TEST_CASE("only the most changed applications are kept, largest change first", "[simulate]") {
    const Shipped georgia = shipped("georgia.policy");
    const rules::Policy reform = with(georgia, {{"cap.bachelor_combined", "5"}});
    Simulation sim(georgia.policy, reform, SimulationOptions{2, 10});
    for (const char* f : {"drone.yaml", "gtu-network-admin.yaml", "gtu-vet-pathway.yaml",
                          "gtu-architecture-gis.yaml"})
        sim.add(example(f));
    const SimulationReport& r = sim.report();
    REQUIRE(r.most_changed.size() == 2);
    CHECK(std::abs(r.most_changed[0].change()) >= std::abs(r.most_changed[1].change()));
    CHECK(r.total.applications_changed >= 2);
}

TEST_CASE("bad records are counted and listed, not decided", "[simulate]") {
    const Shipped georgia = shipped("georgia.policy");
    Simulation sim(georgia.policy, georgia.policy, SimulationOptions{10, 1});
    sim.add_bad_record(3, "cohort.jsonl:3:1: not JSON");
    sim.add_bad_record(9, "cohort.jsonl:9:5: unknown key");
    CHECK(sim.report().bad_records == 2);
    CHECK(sim.report().bad_examples ==
          std::vector<std::string>{"line 3: cohort.jsonl:3:1: not JSON"});
    CHECK(sim.report().total.applications == 0);
}

TEST_CASE("the reports carry the same figures in JSON, CSV, text and HTML", "[simulate]") {
    const Shipped georgia = shipped("georgia.policy");
    const rules::Policy reform = with(georgia, {{"mc_max_ects", "40"}});
    Simulation sim(georgia.policy, reform);
    sim.add(example("drone.yaml"));
    const SimulationReport& r = sim.report();

    const auto json = nlohmann::json::parse(render_simulation_json(r));
    CHECK(json["total"]["gained_ects"] == 35);
    CHECK(json["flips"][0]["from"] == "not_recognized");
    CHECK(json["flips"][0]["to"] == "recognized");
    CHECK(json["flips"][0]["by_cause"][0]["cause"] == "WORKLOAD -> recognized");
    CHECK(json["most_changed"][0]["application"] == "app-2026-0102");

    const std::string csv = render_simulation_csv(r);
    CHECK(csv.rfind("section,group,measure,baseline,reform\n", 0) == 0);
    CHECK(csv.find("total,,gained_ects,,35\n") != std::string::npos);
    CHECK(csv.find("flip,not_recognized -> recognized,WORKLOAD -> recognized,,1\n") !=
          std::string::npos);

    const std::string text = render_simulation_text(r);
    CHECK(text.find("not_recognized -> recognized: 1") != std::string::npos);

    const std::string html = render_simulation_html(r);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("<svg") != std::string::npos);
    // The most-changed cases: a table linking to both explanations side by side.
    CHECK(html.find("<a href=\"#case-app-2026-0102\">app-2026-0102</a>") != std::string::npos);
    CHECK(html.find("<td class=\"num\">+35</td>") != std::string::npos);
    CHECK(html.find("<h3 id=\"case-app-2026-0102\">") != std::string::npos);
    // Self-contained: nothing fetched from anywhere.
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
}

// With stacks, the application's own credentials are compared by position and those stacks
// yield by id: a stack only one policy completes shows as "not formed" under the other.
TEST_CASE("a reform that stops a stack from forming shows its parts counted alone",
          "[simulate][stack]") {
    const std::string path = root + "/examples/stacking/pilot-stacks.policy";
    const std::string text = slurp(path);
    auto load = [](const std::string& name, const std::string& policy_text) {
        rules::CheckResult checked = rules::load_policy(dsl::SourceFile(name, policy_text));
        REQUIRE(checked.policy);
        return *checked.policy;
    };
    const rules::Policy baseline = load(path, text);
    std::string stricter = text;
    const std::string from = "require total at least 10 ects";
    const std::size_t at = stricter.find(from);  // the data certificate's minimum
    REQUIRE(at != std::string::npos);
    stricter.replace(at, from.size(), "require total at least 11 ects");
    const rules::Policy reform = load("stricter.policy", stricter);

    const std::string app_path = root + "/examples/stacking/gtu-informatics-stacks.yaml";
    LoadResult loaded = load_application(dsl::SourceFile(app_path, slurp(app_path)));
    REQUIRE(loaded.application);
    Simulation sim(baseline, reform);
    sim.add(*loaded.application);
    const SimulationReport& r = sim.report();
    CHECK(r.total.credentials == 7);  // the learner's own
    // The certificate (10 ECTS) is gone; its two modules (4 + 6 ECTS) count alone.
    CHECK(r.total.credentials_changed == 3);
    CHECK(r.total.baseline_ects == Approx(35));
    CHECK(r.total.reform_ects == Approx(35));
    const FlipCell& lost = r.flips[static_cast<std::size_t>(Status::Recognized)]
                                  [static_cast<std::size_t>(Status::NotRecognized)];
    CHECK(lost.by_cause.at("recognized -> NOT_FORMED") == 1);
    CHECK(lost.witness_by_cause.at("recognized -> NOT_FORMED").credential ==
          "data_analysis_medicine");
    const FlipCell& freed = r.flips[static_cast<std::size_t>(Status::NotRecognized)]
                                   [static_cast<std::size_t>(Status::Recognized)];
    CHECK(freed.by_cause.at("IN_STACK -> recognized") == 2);
    CHECK(r.deciding.count("NOT_FORMED") == 0);
}

}  // namespace
}  // namespace mcre::engine
