#pragma once

// A plan (engine/planner.hpp) as the learner or adviser reads it, and as JSON
// (docs/planning.md). Deterministic; no I/O.

#include <string>

#include "engine/planner.hpp"

namespace mcre::engine {

[[nodiscard]] std::string render_plan_text(const Plan& plan);
[[nodiscard]] std::string render_plan_json(const Plan& plan);

}  // namespace mcre::engine
