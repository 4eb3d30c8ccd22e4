#pragma once

// Pathways (docs/stacking.md): an articulation table placing the credit a decision
// recognized on the course units of the programme, each unit covered once.

#include <vector>

#include "engine/application.hpp"
#include "engine/decision.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

// For each of the policy's pathways that applies to the application's programme: which
// recognized credential covers which unit, what remains, and the credit no unit takes.
// `decision.credentials[i]` is the decision on `application.credentials[i]`.
[[nodiscard]] std::vector<PathwayDecision> place_on_pathways(const rules::Policy& policy,
                                                             const Application& application,
                                                             const Decision& decision);

}  // namespace mcre::engine
