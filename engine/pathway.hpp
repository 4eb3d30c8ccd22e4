#pragma once

// Pathways (docs/stacking.md): an articulation table placing the credit a decision
// recognized on the course units of the programme, each unit covered once.

#include <cstddef>
#include <vector>

#include "engine/application.hpp"
#include "engine/decision.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

// For each of the policy's pathways that applies to the application's programme: which
// recognized credential covers which unit, what remains, and the credit no unit takes.
// `decision.credentials[i]` is the decision on `application.credentials[i]`.
// A unit is covered by at most one credential with recognized ECTS whose unit condition
// holds and which still has at least the unit's ECTS unplaced; a credential may cover several
// units. The placement covers the most ECTS, then the most units, then (among equals) the
// one that covers earlier units with earlier credentials. A missing fact: does not hold.
[[nodiscard]] std::vector<PathwayDecision> place_on_pathways(const rules::Policy& policy,
                                                             const Application& application,
                                                             const Decision& decision);

// The search for the placement covering the most ECTS visits at most this many partial
// placements per pathway; past that the best found is kept and PathwayDecision::note says so.
inline constexpr std::size_t placement_search_limit = 1'000'000;
[[nodiscard]] std::vector<PathwayDecision> place_on_pathways(const rules::Policy& policy,
                                                             const Application& application,
                                                             const Decision& decision,
                                                             std::size_t search_limit);

}  // namespace mcre::engine
