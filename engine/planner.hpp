#pragma once

// Planning (docs/planning.md): which offers of a catalogue a learner should take to complete
// a stack or a pathway of the policy, the smallest set by ECTS, then by count, then by the
// catalogue's order; or why no set of offers completes it.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/application.hpp"
#include "engine/catalogue.hpp"
#include "engine/decision.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

struct PlanOptions {
    // The most sets of offers the search evaluates before it gives up (each is one
    // evaluation of the whole application).
    std::size_t max_evaluations = 100'000;
};

enum class PlanOutcome {
    AlreadyComplete,  // the application completes the target as it is
    Found,            // the smallest set of offers that completes it
    Impossible,       // no set of the catalogue's offers completes it
    Stopped,          // the search reached max_evaluations first
    UnknownTarget,    // the policy has no stack or pathway of that name
};
[[nodiscard]] const char* plan_outcome_name(PlanOutcome outcome);  // "found", ...

// One offer of the plan, and what it fills in the resulting decision.
struct PlannedOffer {
    std::size_t index = 0;   // in the catalogue
    std::string offer;       // its id in the catalogue
    std::string credential;  // its id in the application the plan evaluated
    std::string title;
    std::string awarding_body;
    std::string provider;
    std::string url;
    double ects = 0;
    // "component servers of stack network_administration", "unit NET-210 Computer Networks
    // (5 ECTS)", "unit NET-310 ... through stack network_administration".
    std::vector<std::string> fills;
};

// A cheaper set the search examined and rejected, with what it still left missing.
struct RejectedSet {
    std::vector<std::string> offers;  // catalogue ids
    double ects = 0;
    std::string why;
};

// An offer of the catalogue the search left out, and why.
struct SkippedOffer {
    std::string offer;
    std::string why;  // "already held as c3", "meets no component of the target"
};

struct Plan {
    PlanOutcome outcome = PlanOutcome::Impossible;
    std::string target;
    std::string target_kind;  // "stack" or "pathway"
    std::string target_title;
    std::string error;                      // for UnknownTarget: what names there are
    std::vector<std::string> target_names;  // for UnknownTarget: the stacks and pathways

    std::string application_id;
    std::string policy_id;
    std::string policy_version;
    std::string catalogue_id;
    std::string catalogue_title;
    std::size_t catalogue_size = 0;

    std::vector<PlannedOffer> offers;  // the plan, in catalogue order
    double total_ects = 0;
    std::vector<std::size_t> candidates;        // catalogue indices the search chose from
    std::vector<std::string> candidate_offers;  // and their ids
    std::vector<SkippedOffer> skipped;

    std::size_t examined = 0;  // sets of offers evaluated, the empty set included
    std::size_t max_evaluations = 0;
    std::size_t possible_sets = 0;  // 2^candidates, saturated
    std::vector<RejectedSet> cheaper_rejected;
    // Why none completes it (Impossible, Stopped), each a sentence.
    std::vector<std::string> why_not;

    // The decision with the plan's offers taken (Found), the application as it is
    // (AlreadyComplete), or with every candidate taken (Impossible, Stopped); and its
    // part about the target: the target stack with the stacks inside it, or the pathway.
    Decision decision;
    std::vector<StackDecision> stacks;
    std::optional<PathwayDecision> pathway;
};

// The application with the chosen offers added as the applicant's credentials, issued on the
// application date unless the offer states a date; an offer whose id an application
// credential already has gets a fresh one ("gtu-net-srv-2"). `ids` receives the ids given.
[[nodiscard]] Application with_offers(const Application& application, const Catalogue& catalogue,
                                      const std::vector<std::size_t>& chosen,
                                      std::vector<std::string>* ids = nullptr);

[[nodiscard]] Plan plan(const rules::Policy& policy, const Application& application,
                        const Catalogue& catalogue, const std::string& target,
                        const PlanOptions& options = {});

// The search on its own: the smallest subset of `costs.size()` items, by total cost, then
// count, then the items' order (lexicographic on sorted indices), for which `complete` holds;
// nullopt when none does or the limit was reached first (`examined` tells which: it equals
// 2^n when every subset was tried). Costs are non-negative. The empty set is tried first.
struct SubsetSearch {
    std::optional<std::vector<std::size_t>> found;
    std::size_t examined = 0;
    bool stopped = false;  // the limit was reached
};
[[nodiscard]] SubsetSearch smallest_subset(
    const std::vector<double>& costs,
    const std::function<bool(const std::vector<std::size_t>&)>& complete,
    std::size_t max_evaluations);

}  // namespace mcre::engine
