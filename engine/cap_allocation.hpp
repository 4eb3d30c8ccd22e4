#pragma once

// Caps: credentials that passed every check are charged, in the policy's allocation
// order, against every cap that covers them; the tightest cap decides how much is left.

#include <vector>

#include "engine/application.hpp"
#include "engine/decision.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

// Sets status, recognized ECTS, cap charges and cap reasons of the credentials at
// `eligible` (indices into both application.credentials and decision.credentials), writes
// the cap ledger and the totals of `decision` (replacing what they held, in the ledger's
// and the map's memory) and adds to its notes. Without `explain`, a cap that
// cuts a credential gives its reason's code and rule but no words (EvaluateOptions::explain).
void allocate_caps(const rules::Policy& policy, const Application& application,
                   const std::vector<std::size_t>& eligible, Decision& decision,
                   bool explain = true);

// Recognized credit from an exact ECTS figure converted from hours, rounded as the policy
// says (down, up or to the nearest step).
[[nodiscard]] double round_credit(double ects, const rules::Conversion& conversion);

}  // namespace mcre::engine
