#pragma once

// The stacks of a decision, as the officer reads them (a tree under "stacks") and as JSON
// (the "stacks" array, docs/decision-format.md). Both add nothing when no stack was started.

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "engine/decision.hpp"

namespace mcre::engine {

void render_stacks_text(const Decision& decision, std::string& out);
void add_stacks_json(const Decision& decision, nlohmann::ordered_json& out);

}  // namespace mcre::engine
