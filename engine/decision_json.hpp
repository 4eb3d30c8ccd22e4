#pragma once

#include <string>

#include "engine/decision.hpp"

namespace mcre::engine {

// The decision as JSON for machines (schema "mcre.decision/1", docs/decision-format.md):
// keys in a fixed order, 2-space indent, a trailing newline. Deterministic.
[[nodiscard]] std::string render_json(const Decision& decision);

}  // namespace mcre::engine
