// Pathways: the recognized credit placed on the units of the programme's articulation
// table, each unit covered once by a credential with enough credit left, covering the most.

#include "engine/pathway.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "dsl/diagnostic_render.hpp"
#include "engine/application_load.hpp"
#include "engine/decision_json.hpp"
#include "engine/decision_text.hpp"
#include "engine/evaluator.hpp"
#include "rules/checker.hpp"
#include "rules/value.hpp"

namespace mcre::engine {
namespace {

rules::Policy law(const std::string& statements) {
    const std::string text =
        "policy pw {\n  title \"Pathways\"\n  jurisdiction GE\n"
        "  version \"1\"\n  in force from 2020-01-01\n"
        "  rule workload require credential.workload >= 3 ects\n"
        "    else reject WORKLOAD \"size\" cite \"art. 1\"\n" +
        statements + "}\n";
    dsl::SourceFile source("pw.policy", text);
    rules::CheckResult checked = rules::load_policy(source);
    INFO(dsl::render_all(checked.diagnostics, source));
    REQUIRE(checked.policy);
    return *checked.policy;
}

Application application(const std::string& credentials, const std::string& programme = "P1") {
    const std::string yaml =
        "id: a1\ndate: 2026-10-15\nlearner: {id: L1}\n"
        "programme: {id: " +
        programme + ", kind: bachelor, total_ects: 240}\ncredentials:\n" + credentials;
    LoadResult loaded = load_application(dsl::SourceFile("a.yaml", yaml));
    REQUIRE(loaded.application);
    return *loaded.application;
}

std::vector<PathwayDecision> placed(const rules::Policy& policy, const Application& app) {
    return place_on_pathways(policy, app, evaluate(policy, app));
}

std::vector<std::string> covering(const PathwayDecision& p) {
    std::vector<std::string> out;
    for (const UnitCoverage& u : p.units) out.push_back(u.credential);
    return out;
}

const std::string bsc =
    "  pathway bsc {\n    title \"BSc in Informatics\"\n"
    "    applies when programme.id == \"P1\"\n"
    "    unit \"NET\" \"Networks\" 5 ects when credential.title == \"Networks\"\n"
    "    unit \"DAT\" \"Data Analysis\" 5 ects when credential.field in {\"0542\"}\n"
    "    unit \"STA\" \"Statistics\" 4 ects when credential.field in {\"0542\"}\n"
    "    unit \"ELE\" \"Free elective\" 5 ects when credential.level >= 6\n"
    "    cite \"art. 7\"\n  }\n";

TEST_CASE("units are covered by the credentials their conditions name", "[engine][pathway]") {
    rules::Policy policy = law(bsc);
    Application app = application(
        "  - {id: c1, title: Networks, kind: micro_credential, ects: 6, nqf_level: 5}\n"
        "  - {id: c2, title: Biostatistics, kind: micro_credential, ects: 10, field: \"0542\"}\n"
        "  - {id: c3, title: Tiny, kind: micro_credential, ects: 2, nqf_level: 6}\n"
        "  - {id: c4, title: GIS, kind: micro_credential, ects: 5, nqf_level: 6}\n");
    std::vector<PathwayDecision> pathways = placed(policy, app);
    REQUIRE(pathways.size() == 1);
    const PathwayDecision& p = pathways[0];
    CHECK(p.name == "bsc");
    CHECK(p.title == "BSc in Informatics");
    CHECK(p.cite == "art. 7");
    CHECK(p.where.line == 8);
    // c2's 10 ECTS cover two units (5 + 4); c3 was not recognized (2 ECTS), so c4 takes ELE.
    CHECK(covering(p) == std::vector<std::string>{"c1", "c2", "c2", "c4"});
    CHECK(p.units[1].code == "DAT");
    CHECK(p.units[1].title == "Data Analysis");
    CHECK(p.units[1].ects == 5);
    CHECK(p.covered_ects == 19);
    CHECK(p.remaining_ects == 0);
    // What no unit took: 1 of c1's 6, 1 of c2's 10; c4's 5 went whole to the elective.
    CHECK(p.unplaced == std::map<std::string, double>{{"c1", 1}, {"c2", 1}});
    CHECK(p.note.empty());
}

TEST_CASE("a unit is covered once and credit is used once", "[engine][pathway]") {
    rules::Policy policy = law(bsc);
    // c2 has 6 ECTS: enough for DAT or STA, not both; nothing else fits DAT, STA or ELE
    // except c2 (level 6 is not stated, so the elective's condition does not hold).
    Application app = application(
        "  - {id: c1, title: Networks, kind: micro_credential, ects: 5}\n"
        "  - {id: c2, title: Biostatistics, kind: micro_credential, ects: 6, field: \"0542\"}\n"
        "  - {id: c3, title: Networks, kind: micro_credential, ects: 8, issued: 2025-01-01}\n");
    std::vector<PathwayDecision> pathways = placed(policy, app);
    REQUIRE(pathways.size() == 1);
    const PathwayDecision& p = pathways[0];
    // NET goes to the earlier of two equal choices; the more ECTS (DAT's 5 over STA's 4).
    CHECK(covering(p) == std::vector<std::string>{"c1", "c2", "", ""});
    CHECK(p.covered_ects == 10);
    CHECK(p.remaining_ects == 9);
    CHECK(p.unplaced == std::map<std::string, double>{{"c2", 1}, {"c3", 8}});
    const std::string text = render_text(evaluate(policy, app));
    INFO(text);
    CHECK(text.find("\npathways\n  bsc: BSc in Informatics\n"
                    "    NET  Networks       5 ECTS  covered by c1\n"
                    "    DAT  Data Analysis  5 ECTS  covered by c2\n"
                    "    STA  Statistics     4 ECTS  not covered\n"
                    "    ELE  Free elective  5 ECTS  not covered\n"
                    "    covered 10 ECTS, remaining 9 ECTS\n"
                    "    unplaced: c2 1 ECTS, c3 8 ECTS\n"
                    "    [pw.policy:8:3] cites: art. 7\n") != std::string::npos);
}

TEST_CASE("the placement covering the most ECTS wins over the first that fits",
          "[engine][pathway]") {
    // Greedy would give c1 (8 ECTS) to A and leave B (8 ECTS) uncovered; the best placement
    // gives A to c2 and B to c1.
    rules::Policy policy =
        law("  pathway p {\n    title \"P\"\n"
            "    unit \"A\" \"A\" 4 ects when credential.title in {\"x\", \"y\"}\n"
            "    unit \"B\" \"B\" 8 ects when credential.title == \"x\"\n"
            "    cite \"c\"\n  }\n");
    Application app = application(
        "  - {id: c1, title: x, kind: micro_credential, ects: 8}\n"
        "  - {id: c2, title: y, kind: micro_credential, ects: 4}\n");
    std::vector<PathwayDecision> pathways = placed(policy, app);
    REQUIRE(pathways.size() == 1);
    CHECK(covering(pathways[0]) == std::vector<std::string>{"c2", "c1"});
    CHECK(pathways[0].covered_ects == 12);
    CHECK(pathways[0].unplaced.empty());
}

TEST_CASE("credit cut by a cap is what a pathway places", "[engine][pathway]") {
    rules::Policy policy =
        law("  cap overall in bachelor at most 7 ects cite \"art. 5\"\n"
            "  pathway p {\n    title \"P\"\n"
            "    unit \"A\" \"A\" 5 ects when credential.title == \"x\"\n"
            "    unit \"B\" \"B\" 5 ects when credential.title == \"y\"\n"
            "    cite \"c\"\n  }\n");
    Application app = application(
        "  - {id: c1, title: x, kind: micro_credential, ects: 5}\n"
        "  - {id: c2, title: y, kind: micro_credential, ects: 5}\n");
    Decision d = evaluate(policy, app);
    REQUIRE(d.credentials[1].recognized_ects == 2);  // partially recognized: the cap is reached
    std::vector<PathwayDecision> pathways = place_on_pathways(policy, app, d);
    REQUIRE(pathways.size() == 1);
    CHECK(covering(pathways[0]) == std::vector<std::string>{"c1", ""});
    CHECK(pathways[0].remaining_ects == 5);
    CHECK(pathways[0].unplaced == std::map<std::string, double>{{"c2", 2}});
}

TEST_CASE("a pathway for another programme, or one needing a missing fact, is absent",
          "[engine][pathway]") {
    rules::Policy policy = law(bsc +
                               "  pathway by_field {\n    title \"By field\"\n"
                               "    applies when programme.field in {\"06\"}\n"
                               "    unit \"X\" \"X\" 5 ects when true\n    cite \"c\"\n  }\n"
                               "  pathway everywhere {\n    title \"Every programme\"\n"
                               "    unit \"X\" \"X\" 5 ects when true\n    cite \"c\"\n  }\n");
    const std::string credentials =
        "  - {id: c1, title: Networks, kind: micro_credential, ects: 5}\n";
    // P2 states no field: by_field does not apply; bsc is for P1 only.
    std::vector<PathwayDecision> pathways = placed(policy, application(credentials, "P2"));
    REQUIRE(pathways.size() == 1);
    CHECK(pathways[0].name == "everywhere");
    CHECK(covering(pathways[0]) == std::vector<std::string>{"c1"});
    pathways = placed(policy, application(credentials, "P1"));
    REQUIRE(pathways.size() == 2);
    CHECK(pathways[0].name == "bsc");
    CHECK(pathways[1].name == "everywhere");
    // Each pathway places the whole credit afresh: it is one table or the other.
    CHECK(pathways[0].units[0].credential == "c1");
    CHECK(pathways[1].units[0].credential == "c1");
}

TEST_CASE("no recognized credit: every unit remains", "[engine][pathway]") {
    rules::Policy policy = law(bsc);
    Application app =
        application("  - {id: c1, title: Networks, kind: micro_credential, ects: 2}\n");
    std::vector<PathwayDecision> pathways = placed(policy, app);
    REQUIRE(pathways.size() == 1);
    CHECK(covering(pathways[0]) == std::vector<std::string>{"", "", "", ""});
    CHECK(pathways[0].covered_ects == 0);
    CHECK(pathways[0].remaining_ects == 19);
    CHECK(pathways[0].unplaced.empty());
}

TEST_CASE("a search stopped at its limit keeps the best found and says so", "[engine][pathway]") {
    rules::Policy policy = law(bsc);
    Application app = application(
        "  - {id: c1, title: Networks, kind: micro_credential, ects: 6, nqf_level: 6}\n"
        "  - {id: c2, title: Biostatistics, kind: micro_credential, ects: 10, field: \"0542\"}\n");
    Decision d = evaluate(policy, app);
    std::vector<PathwayDecision> pathways = place_on_pathways(policy, app, d, 5);
    REQUIRE(pathways.size() == 1);
    // The first placement reached is the greedy one, in five steps.
    CHECK(covering(pathways[0]) == std::vector<std::string>{"c1", "c2", "c2", ""});
    CHECK(pathways[0].note ==
          "the search for the placement covering the most ECTS stopped after 5 steps; this is "
          "the best placement found, not proven the best");
    CHECK(place_on_pathways(policy, app, d).at(0).note.empty());
}

TEST_CASE("decisions carry their pathways in text and JSON", "[engine][pathway]") {
    rules::Policy policy = law(bsc);
    Application app = application(
        "  - {id: c1, title: Networks, kind: micro_credential, ects: 6, nqf_level: 5}\n");
    Decision d = evaluate(policy, app);
    REQUIRE(d.pathways.size() == 1);
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(render_json(d));
    const auto& p = j.at("pathways").at(0);
    CHECK(p.at("name") == "bsc");
    CHECK(p.at("title") == "BSc in Informatics");
    CHECK(p.at("cite") == "art. 7");
    CHECK(p.at("location") == "pw.policy:8:3");
    CHECK(p.at("units").at(0) ==
          nlohmann::ordered_json{
              {"code", "NET"}, {"title", "Networks"}, {"ects", 5}, {"credential", "c1"}});
    CHECK(p.at("units").at(1).at("credential").is_null());
    CHECK(p.at("covered_ects") == 5);
    CHECK(p.at("remaining_ects") == 14);
    CHECK(p.at("unplaced") == nlohmann::ordered_json{{"c1", 1}});
    CHECK_FALSE(p.contains("note"));
    // Keys follow cap_ledger, in the documented order.
    std::vector<std::string> keys;
    for (const auto& [key, value] : j.items()) keys.push_back(key);
    auto after = std::find(keys.begin(), keys.end(), "cap_ledger");
    REQUIRE(after != keys.end());
    CHECK(*(after + 1) == "pathways");

    // Without an applicable pathway neither output mentions pathways.
    Decision other =
        evaluate(policy, application("  - {id: c1, kind: micro_credential, ects: 6}\n", "P9"));
    CHECK(other.pathways.empty());
    CHECK(render_text(other).find("pathways") == std::string::npos);
    CHECK_FALSE(nlohmann::json::parse(render_json(other)).contains("pathways"));
}

// Optimality: on many small random tables, the placement is the one a brute-force
// enumeration of every placement finds best (most ECTS, then most units, then earlier units
// covered by earlier credentials).
struct RandomCase {
    std::vector<double> unit_ects;
    std::vector<double> credential_ects;       // all recognized (each at least 3 ECTS)
    std::vector<std::vector<bool>> may_cover;  // [unit][credential]
};

// Per unit the index of the credential covering it, or -1.
std::vector<int> brute_force(const RandomCase& rc) {
    const int units = static_cast<int>(rc.unit_ects.size());
    const int creds = static_cast<int>(rc.credential_ects.size());
    std::vector<int> choice(units, 0);  // 0: uncovered, k: credential k-1
    std::vector<int> best;
    double best_ects = -1;
    int best_units = -1;
    auto key = [&](const std::vector<int>& a) {  // smaller is preferred among equals
        std::vector<int> k;
        for (int c : a) k.push_back(c < 0 ? creds : c);
        return k;
    };
    while (true) {
        std::vector<double> used(creds, 0);
        bool ok = true;
        double ects = 0;
        int covered = 0;
        std::vector<int> assignment(units, -1);
        for (int u = 0; u < units && ok; ++u) {
            if (choice[u] == 0) continue;
            int c = choice[u] - 1;
            assignment[u] = c;
            used[c] += rc.unit_ects[u];
            ok = rc.may_cover[u][c] && used[c] <= rc.credential_ects[c] + 1e-9;
            ects += rc.unit_ects[u];
            ++covered;
        }
        if (ok) {
            bool better =
                ects > best_ects + 1e-9 ||
                (ects > best_ects - 1e-9 &&
                 (covered > best_units || (covered == best_units && key(assignment) < key(best))));
            if (better) {
                best = assignment;
                best_ects = ects;
                best_units = covered;
            }
        }
        int u = 0;
        while (u < units && ++choice[u] > creds) choice[u++] = 0;
        if (u == units) break;
    }
    return best;
}

TEST_CASE("the placement is the best of all placements on random tables", "[engine][pathway]") {
    std::mt19937 random(20261015);
    const std::vector<double> sizes = {2, 3, 4, 5, 6, 7.5};
    int cases = 0;
    int not_greedy = 0;
    for (int n = 0; n < 300; ++n) {
        RandomCase rc;
        std::uniform_int_distribution<int> unit_size(0, static_cast<int>(sizes.size()) - 1);
        std::uniform_int_distribution<int> credential_size(3, 14);
        std::bernoulli_distribution match(0.45);
        for (int u = 0; u < 5; ++u) rc.unit_ects.push_back(sizes[unit_size(random)]);
        for (int c = 0; c < 4; ++c)
            rc.credential_ects.push_back(credential_size(random) / 2.0 + 1.5);
        rc.may_cover.assign(5, std::vector<bool>(4));
        std::string statements = "  pathway p {\n    title \"Random\"\n";
        for (int u = 0; u < 5; ++u) {
            std::vector<std::string> titles;
            for (int c = 0; c < 4; ++c) {
                rc.may_cover[u][c] = match(random);
                if (rc.may_cover[u][c]) titles.push_back("\"t" + std::to_string(c) + "\"");
            }
            if (titles.empty()) titles.push_back("\"none\"");
            std::string set;
            for (const std::string& t : titles) set += (set.empty() ? "" : ", ") + t;
            statements += "    unit \"U" + std::to_string(u) + "\" \"Unit\" " +
                          rules::format_number(rc.unit_ects[u]) +
                          " ects when credential.title in {" + set + "}\n";
        }
        statements += "    cite \"c\"\n  }\n";
        std::string credentials;
        for (int c = 0; c < 4; ++c) {
            credentials +=
                "  - {id: c" + std::to_string(c) + ", title: t" + std::to_string(c) +
                ", kind: micro_credential, ects: " + rules::format_number(rc.credential_ects[c]) +
                "}\n";
        }
        rules::Policy policy = law(statements);
        Application app = application(credentials);
        Decision d = evaluate(policy, app);
        for (int c = 0; c < 4; ++c)
            REQUIRE(d.credentials[c].recognized_ects == rc.credential_ects[c]);
        std::vector<PathwayDecision> pathways = place_on_pathways(policy, app, d);
        REQUIRE(pathways.size() == 1);
        const PathwayDecision& p = pathways[0];
        std::vector<int> expected = brute_force(rc);
        std::vector<int> got;
        for (const UnitCoverage& u : p.units)
            got.push_back(u.credential.empty() ? -1 : u.credential[1] - '0');
        INFO(statements << credentials);
        REQUIRE(got == expected);
        // What the placement reports adds up: covered + remaining is the table; placed +
        // unplaced is the credit.
        double covered = 0;
        for (std::size_t u = 0; u < expected.size(); ++u)
            if (expected[u] >= 0) covered += rc.unit_ects[u];
        CHECK(p.covered_ects == Approx(covered));
        double table = 0;
        for (double e : rc.unit_ects) table += e;
        CHECK(p.covered_ects + p.remaining_ects == Approx(table));
        double unplaced = 0;
        for (const auto& [id, e] : p.unplaced) unplaced += e;
        double credit = 0;
        for (double e : rc.credential_ects) credit += e;
        CHECK(p.covered_ects + unplaced == Approx(credit));
        CHECK(p.note.empty());
        ++cases;
        // Count the cases where taking the first fitting credential per unit is not best,
        // so the test is known to exercise the search.
        std::vector<double> left = rc.credential_ects;
        double greedy = 0;
        for (int u = 0; u < 5; ++u) {
            for (int c = 0; c < 4; ++c) {
                if (rc.may_cover[u][c] && left[c] + 1e-9 >= rc.unit_ects[u]) {
                    left[c] -= rc.unit_ects[u];
                    greedy += rc.unit_ects[u];
                    break;
                }
            }
        }
        if (greedy + 1e-9 < covered) ++not_greedy;
    }
    CHECK(cases == 300);
    CHECK(not_greedy >= 10);
}

}  // namespace
}  // namespace mcre::engine
