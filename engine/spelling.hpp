#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mcre::engine {

// The candidate a typo most likely meant ("ectss" -> "ects"), or nothing when no candidate
// is close enough to be worth suggesting. Ties go to the earlier candidate, so the
// suggestion is deterministic.
[[nodiscard]] std::optional<std::string> closest_match(
    std::string_view word, std::span<const std::string_view> candidates);

// "a, b, c": a list of names for a hint.
[[nodiscard]] std::string join_names(std::span<const std::string_view> names);

}  // namespace mcre::engine
