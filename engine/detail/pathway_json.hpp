#pragma once

// The "pathways" array of the JSON decision (docs/decision-format.md, "Pathway").

#include <nlohmann/json.hpp>
#include <vector>

#include "engine/decision.hpp"

namespace mcre::engine::detail {

[[nodiscard]] nlohmann::ordered_json pathways_json(const std::vector<PathwayDecision>& pathways);

}  // namespace mcre::engine::detail
