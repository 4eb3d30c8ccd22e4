#pragma once

#include <cstddef>
#include <string>

#include "engine/policy_diff.hpp"

namespace mcre::engine {

// The diff for a policy drafter: the verdict, the groups of differences, and for at most
// `max_witnesses` groups a witness application with both policies' explanations.
// Deterministic plain text.
[[nodiscard]] std::string render_diff_text(const PolicyDiff& diff, std::size_t max_witnesses);

// The same as JSON (schema "mcre.policy-diff/1"): keys in a fixed order, 2-space indent, a
// trailing newline. Every group is listed; only the first `max_witnesses` carry a witness.
[[nodiscard]] std::string render_diff_json(const PolicyDiff& diff, std::size_t max_witnesses);

}  // namespace mcre::engine
