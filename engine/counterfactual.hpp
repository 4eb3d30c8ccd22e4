#pragma once

// What would change a decision: the smallest sets of changes to a credential's own facts
// that would get it through every check of the policy. The candidate values come from the
// policy itself (every threshold, set and condition its checks test), and every candidate
// set is tried by evaluating the changed credential, so an answer is never a guess.

#include <cstddef>
#include <functional>

#include "engine/application.hpp"
#include "engine/decision.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

// How far the search goes: sets of at most `max_changes` facts, at most `max_trials`
// evaluations of a changed credential per credential.
struct CounterfactualLimits {
    std::size_t max_changes = 3;
    std::size_t max_trials = 20000;
    std::size_t max_alternatives = 3;
};

// Evaluates a whole application without searching for counterfactuals (so the search can
// report what status and credit a change would give without recursing).
using PlainEvaluator = std::function<Decision(const rules::Policy&, const Application&)>;

// Fills `decision.counterfactuals` (or `no_change_helps`) for the credential at `index`,
// which failed a check; `decided` is the decision already made for it.
void explain_counterfactuals(const rules::Policy& policy, const Application& application,
                             std::size_t index, const PlainEvaluator& evaluate_plain,
                             CredentialDecision& decided, const CounterfactualLimits& limits = {});

}  // namespace mcre::engine
