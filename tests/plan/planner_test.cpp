// The planner (docs/planning.md): the smallest set of offers, by ECTS then count then the
// catalogue's order, that completes a stack or a pathway; checked against brute force over
// every subset, on the search alone and on the real engine.

#include "engine/planner.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "dsl/diagnostic_render.hpp"
#include "engine/application_load.hpp"
#include "engine/evaluator.hpp"
#include "engine/plan_render.hpp"
#include "rules/checker.hpp"
#include "tests/support/files.hpp"

namespace mcre::engine {
namespace {

// ---- The search alone ----------------------------------------------------------------------

using Items = std::vector<std::size_t>;
using Key = std::tuple<long long, std::size_t, Items>;

Key key_of(const std::vector<double>& costs, const Items& items) {
    double total = 0;
    for (std::size_t i : items) total += costs[i];
    return {std::llround(total * 1000), items.size(), items};
}

Items items_of(unsigned mask, std::size_t n) {
    Items items;
    for (std::size_t i = 0; i < n; ++i) {
        if ((mask >> i) & 1U) items.push_back(i);
    }
    return items;
}

TEST_CASE("the subset search finds the smallest by cost, count and order, as brute force does",
          "[plan][search]") {
    std::mt19937 rng(20261116);
    const std::vector<double> cost_values = {0, 2.5, 3, 4, 4, 5, 6, 7.5};
    for (int round = 0; round < 300; ++round) {
        const std::size_t n = 1 + rng() % 9;
        std::vector<double> costs;
        for (std::size_t i = 0; i < n; ++i)
            costs.push_back(cost_values[rng() % cost_values.size()]);
        // Complete: a superset of one of a few random sets (monotone), or, every third round,
        // exactly one of them (not monotone: more is not always better).
        std::vector<unsigned> good;
        for (int g = 0; g < 1 + static_cast<int>(rng() % 3); ++g) good.push_back(rng() % (1U << n));
        const bool exact = round % 3 == 0;
        auto complete_mask = [&](unsigned mask) {
            return std::any_of(good.begin(), good.end(), [&](unsigned g) {
                return exact ? mask == g : (mask & g) == g && g != 0;
            });
        };
        std::optional<Key> best;
        for (unsigned mask = 0; mask < (1U << n); ++mask) {
            if (!complete_mask(mask)) continue;
            Key k = key_of(costs, items_of(mask, n));
            if (!best || k < *best) best = k;
        }
        std::size_t calls = 0;
        SubsetSearch s = smallest_subset(
            costs,
            [&](const Items& items) {
                ++calls;
                unsigned mask = 0;
                for (std::size_t i : items) mask |= 1U << i;
                return complete_mask(mask);
            },
            100000);
        INFO("round " << round << ", " << n << " items");
        CHECK(calls == s.examined);
        CHECK_FALSE(s.stopped);
        REQUIRE(s.found.has_value() == best.has_value());
        if (best) {
            CHECK(key_of(costs, *s.found) == *best);
        } else {
            CHECK(s.examined == (std::size_t{1} << n));  // every subset, once
        }
    }
}

TEST_CASE("the subset search stops at its limit and says so", "[plan][search]") {
    const std::vector<double> costs(10, 1.0);
    auto never = [](const Items&) { return false; };
    SubsetSearch capped = smallest_subset(costs, never, 50);
    CHECK(capped.stopped);
    CHECK(capped.examined == 50);
    CHECK_FALSE(capped.found);
    SubsetSearch all = smallest_subset(costs, never, 1024);
    CHECK_FALSE(all.stopped);
    CHECK(all.examined == 1024);
}

// ---- On the engine -------------------------------------------------------------------------

rules::Policy policy_from(const std::string& text) {
    dsl::SourceFile source("plan.policy", text);
    rules::CheckResult checked = rules::load_policy(source);
    INFO(dsl::render_all(checked.diagnostics, source));
    REQUIRE(checked.policy);
    return *checked.policy;
}

// Two of b, c, d with a, all from U1 at level 6, at least 14 ECTS; `outer` adds e or a
// credential in field 0612 to it, 20 ECTS in all.
const std::string k_small_policy = R"(policy small {
  title "Small stacks"
  jurisdiction GE
  version "1"
  in force from 2026-01-01
  rule workload require credential.workload >= 1 ects
    else reject WORKLOAD "too small" cite "art. 1"
  stack s {
    title "S certificate"
    component a when credential.title == "A"
    component b when credential.title == "B"
    component c when credential.title == "C"
    component d when credential.title == "D"
    require all of a
    require 2 of b, c, d
    require each credential.awarding_body == "U1" and credential.level >= 6
    require total at least 14 ects
    cite "art. 2"
  }
  stack outer {
    title "Outer diploma"
    component inner is stack s
    component e when credential.title == "E"
    component f when credential.field == "0612"
    require all of inner
    require 1 of e, f
    require total at least 20 ects
    cite "art. 3"
  }
}
)";

Credential credential(const std::string& id, const std::string& title, const std::string& body,
                      double ects, int level, const std::string& field) {
    Credential c;
    c.id = id;
    c.kind = "micro_credential";
    c.title = title;
    c.issuer_country = "GE";
    c.awarding_body = body;
    c.ects = ects;
    c.nqf_level = level;
    c.field = field;
    return c;
}

Application applicant() {
    Application app;
    app.id = "a1";
    app.learner_id = "L1";
    app.date = *dsl::parse_date("2026-11-16");
    app.programme.id = "P1";
    app.programme.kind = "bachelor";
    return app;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& l : lines) out += l + "\n";
    return out;
}

bool stack_complete(const Decision& d, const std::string& name) {
    return std::any_of(d.stacks.begin(), d.stacks.end(),
                       [&](const StackDecision& s) { return s.name == name && s.complete; });
}

TEST_CASE("the plan is the smallest set by ECTS and count, as brute force over every subset finds",
          "[plan][planner]") {
    const rules::Policy policy = policy_from(k_small_policy);
    std::mt19937 rng(7);
    const std::vector<std::string> titles = {"A", "B", "C", "D", "E", "G"};
    int found = 0;
    int impossible = 0;
    for (int round = 0; round < 40; ++round) {
        const std::string target = round % 2 == 0 ? "s" : "outer";
        Application app = applicant();
        if (rng() % 2 == 0) {
            Credential held = credential("h1", "A", "U1", 5, 6, "0500");
            held.learner = "L1";
            held.issued = *dsl::parse_date("2026-01-10");
            app.credentials.push_back(held);
        }
        Catalogue cat;
        const std::size_t n = 6 + rng() % 4;
        for (std::size_t i = 0; i < n; ++i) {
            cat.offers.push_back(
                Offer{credential("o" + std::to_string(i + 1), titles[rng() % titles.size()],
                                 rng() % 5 == 0 ? "U2" : "U1", static_cast<double>(2 + rng() % 7),
                                 rng() % 5 == 0 ? 5 : 6, rng() % 3 == 0 ? "0612" : "0500"),
                      std::nullopt, std::nullopt});
        }
        // Brute force over the offers not already held, every subset evaluated.
        std::vector<std::size_t> open;
        for (std::size_t i = 0; i < n; ++i) {
            const Credential& o = cat.offers[i].credential;
            bool held = std::any_of(
                app.credentials.begin(), app.credentials.end(), [&](const Credential& c) {
                    return c.title == o.title && c.awarding_body == o.awarding_body;
                });
            if (!held) open.push_back(i);
        }
        std::optional<std::pair<long long, std::size_t>> best;
        for (unsigned mask = 0; mask < (1U << open.size()); ++mask) {
            std::vector<std::size_t> chosen;
            long long ects = 0;
            for (std::size_t k = 0; k < open.size(); ++k) {
                if ((mask >> k) & 1U) {
                    chosen.push_back(open[k]);
                    ects += std::llround(*cat.offers[open[k]].credential.ects * 1000);
                }
            }
            Decision d = evaluate(policy, with_offers(app, cat, chosen),
                                  EvaluateOptions{.what_would_change = false, .explain = false});
            if (!stack_complete(d, target)) continue;
            std::pair<long long, std::size_t> k{ects, chosen.size()};
            if (!best || k < *best) best = k;
        }

        Plan p = plan(policy, app, cat, target);
        INFO("round " << round << ", target " << target << "\n" << render_plan_text(p));
        if (!best) {
            CHECK(p.outcome == PlanOutcome::Impossible);
            CHECK_FALSE(p.why_not.empty());
            ++impossible;
            continue;
        }
        if (best->first == 0) {
            CHECK(p.outcome == PlanOutcome::AlreadyComplete);
            continue;
        }
        REQUIRE(p.outcome == PlanOutcome::Found);
        ++found;
        CHECK(std::llround(p.total_ects * 1000) == best->first);
        CHECK(p.offers.size() == best->second);
        CHECK(stack_complete(p.decision, target));
        for (const PlannedOffer& o : p.offers) CHECK_FALSE(o.fills.empty());
    }
    // The random cases exercise both outcomes.
    CHECK(found >= 5);
    CHECK(impossible >= 3);
}

TEST_CASE("offers join the application as the applicant's, on the application date",
          "[plan][planner]") {
    Application app = applicant();
    Credential held = credential("o1", "A", "U1", 5, 6, "0500");
    app.credentials.push_back(held);
    Catalogue cat;
    cat.offers.push_back(Offer{credential("o1", "B", "U1", 4, 6, "0500"), {}, {}});
    Offer dated{credential("o2", "C", "U1", 4, 6, "0500"), {}, {}};
    dated.credential.issued = *dsl::parse_date("2026-06-30");
    cat.offers.push_back(dated);
    std::vector<std::string> ids;
    Application with = with_offers(app, cat, {0, 1}, &ids);
    REQUIRE(with.credentials.size() == 3);
    // o1 is taken by the application's own credential: the offer gets a fresh id.
    CHECK(ids == std::vector<std::string>{"o1-2", "o2"});
    CHECK(with.credentials[1].id == "o1-2");
    CHECK(with.credentials[1].learner == "L1");
    CHECK(dsl::format_date(*with.credentials[1].issued) == "2026-11-16");
    CHECK(dsl::format_date(*with.credentials[2].issued) == "2026-06-30");
}

TEST_CASE("a target no offer can complete is explained component by component", "[plan][planner]") {
    const rules::Policy policy = policy_from(k_small_policy);
    Application app = applicant();
    Catalogue cat;
    cat.id = "c";
    cat.offers.push_back(Offer{credential("oa", "A", "U1", 6, 6, "0500"), {}, {}});
    cat.offers.push_back(Offer{credential("ob", "B", "U1", 6, 6, "0500"), {}, {}});
    cat.offers.push_back(Offer{credential("oc", "C", "U2", 6, 6, "0500"), {}, {}});
    cat.offers.push_back(Offer{credential("og", "G", "U1", 6, 6, "0500"), {}, {}});
    Plan p = plan(policy, app, cat, "s");
    REQUIRE(p.outcome == PlanOutcome::Impossible);
    CHECK(p.examined == 8);  // every subset of the three candidates
    CHECK(p.candidate_offers == std::vector<std::string>{"oa", "ob", "oc"});
    REQUIRE(p.skipped.size() == 1);
    CHECK(p.skipped[0].offer == "og");
    const std::string why = joined(p.why_not);
    CHECK_THAT(why, Catch::Contains("no offer in the catalogue and no credential of the "
                                    "application fills component d of stack s: none meets "
                                    "credential.title == \"D\""));
    CHECK_THAT(why, Catch::Contains("stack s still needs 1 more of: c, d"));
    // oc meets component c's condition; the stack refuses its awarding body.
    CHECK_THAT(why, Catch::Contains("component c of stack s: oc: the stack requires"));
    CHECK_THAT(render_plan_text(p), Catch::Contains("no set of the catalogue's offers completes "
                                                    "stack s:"));
    // With more subsets than the limit, the decision with every candidate decides alone.
    Plan shortcut = plan(policy, app, cat, "s", PlanOptions{.max_evaluations = 4});
    CHECK(shortcut.outcome == PlanOutcome::Impossible);
    CHECK(shortcut.examined == 2);
    CHECK_THAT(joined(shortcut.why_not),
               Catch::Contains("the 3 candidate offers taken together do not complete it; the 6 "
                               "smaller sets were not each tried (more than the limit of 4)"));
}

TEST_CASE("the search stops at its limit and says so", "[plan][planner]") {
    const rules::Policy policy = policy_from(k_small_policy);
    Application app = applicant();
    Catalogue cat;
    for (const char* t : {"A", "B", "C", "D"}) {
        cat.offers.push_back(
            Offer{credential(std::string("o") + t, t, "U1", 5, 6, "0500"), {}, {}});
    }
    Plan p = plan(policy, app, cat, "s", PlanOptions{.max_evaluations = 4});
    CHECK(p.outcome == PlanOutcome::Stopped);
    CHECK(p.examined == 4);
    CHECK(p.offers.empty());
    CHECK_THAT(render_plan_text(p), Catch::Contains("the search stopped at its limit of 4"));
    Plan unlimited = plan(policy, app, cat, "s");
    REQUIRE(unlimited.outcome == PlanOutcome::Found);
    CHECK(unlimited.offers.size() == 3);
    CHECK(unlimited.total_ects == 15);
}

TEST_CASE("an unknown target lists the stacks and pathways", "[plan][planner]") {
    const rules::Policy policy = policy_from(k_small_policy);
    Plan p = plan(policy, applicant(), Catalogue{}, "outr");
    CHECK(p.outcome == PlanOutcome::UnknownTarget);
    CHECK(p.target_names == std::vector<std::string>{"s", "outer"});
    CHECK_THAT(p.error, Catch::Contains("did you mean 'outer'?"));
    CHECK_THAT(p.error, Catch::Contains("its stacks: s, outer; its pathways: none"));
}

// ---- On the shipped example ------------------------------------------------------------------

struct Shipped {
    rules::Policy policy;
    Catalogue catalogue;
};

Shipped shipped() {
    const std::string policy_path = "examples/stacking/pilot-stacks.policy";
    rules::Policy policy = policy_from(test::read_text(test::source_path(policy_path)));
    const std::string catalogue_path = "examples/stacking/pilot-catalogue.yaml";
    CatalogueLoadResult cat = load_catalogue(
        dsl::SourceFile(catalogue_path, test::read_text(test::source_path(catalogue_path))));
    REQUIRE(cat.catalogue);
    return {std::move(policy), std::move(*cat.catalogue)};
}

Application shipped_application(const std::string& name) {
    const std::string path = "examples/stacking/" + name;
    LoadResult loaded =
        load_application(dsl::SourceFile(path, test::read_text(test::source_path(path))));
    REQUIRE(loaded.application);
    return *loaded.application;
}

TEST_CASE("the pilot example: the diploma needs the servers module and biostatistics",
          "[plan][planner]") {
    Shipped s = shipped();
    Plan p = plan(s.policy, shipped_application("plan-learner.yaml"), s.catalogue,
                  "applied_digital_technologies");
    INFO(render_plan_text(p));
    REQUIRE(p.outcome == PlanOutcome::Found);
    REQUIRE(p.offers.size() == 2);
    CHECK(p.offers[0].offer == "gtu-net-servers");
    CHECK(p.offers[1].offer == "grena-biostatistics");
    CHECK(p.total_ects == 8);
    CHECK(p.offers[0].fills ==
          std::vector<std::string>{"component servers of stack network_administration, which "
                                   "fills component networks of stack "
                                   "applied_digital_technologies"});
    // Already held, and a course no component asks for, are left out of the search.
    REQUIRE(p.skipped.size() == 3);
    CHECK(p.skipped[0].why == "already held as c1");
    CHECK(p.skipped[2].offer == "ug-gis-tourism");
    // The Caucasus University module is cheaper, but not from GTU.
    REQUIRE(p.stacks.size() == 3);
    CHECK(p.stacks.back().name == "applied_digital_technologies");
    CHECK(p.stacks.back().complete);
}

TEST_CASE("the pilot example: a learner who holds the diploma's parts needs nothing",
          "[plan][planner]") {
    Shipped s = shipped();
    Plan p = plan(s.policy, shipped_application("gtu-informatics-stacks.yaml"), s.catalogue,
                  "applied_digital_technologies");
    CHECK(p.outcome == PlanOutcome::AlreadyComplete);
    CHECK(p.offers.empty());
    CHECK(p.examined == 1);
    CHECK_THAT(render_plan_text(p), Catch::Contains("already complete"));
}

TEST_CASE("the pilot example: the pathway's units compete with the stacks", "[plan][planner]") {
    Shipped s = shipped();
    Plan p = plan(s.policy, shipped_application("plan-learner.yaml"), s.catalogue,
                  "gtu_bsc_informatics");
    INFO(render_plan_text(p));
    REQUIRE(p.outcome == PlanOutcome::Impossible);
    CHECK(p.examined == p.possible_sets);
    const std::string why = joined(p.why_not);
    CHECK_THAT(why, Catch::Contains("unit NET-210 Computer Networks (5 ECTS) is not covered: c1 "
                                    "counts only as a part of stack network_administration"));
    REQUIRE(p.pathway);
    CHECK(p.pathway->name == "gtu_bsc_informatics");
}

}  // namespace
}  // namespace mcre::engine
