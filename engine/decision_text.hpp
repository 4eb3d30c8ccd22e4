#pragma once

#include <string>

#include "engine/decision.hpp"

namespace mcre::engine {

// The decision as an officer reads it: per credential the status, ECTS, every reason with
// its facts and citation, what would change it; then the cap ledger and the totals.
// Deterministic plain text (UTF-8 titles as written); no I/O.
[[nodiscard]] std::string render_text(const Decision& decision);

// "policies/georgia.policy:5:3", or "" for the engine's own checks.
[[nodiscard]] std::string format_location(const dsl::Location& where);

}  // namespace mcre::engine
