#pragma once

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/source.hpp"
#include "rules/value.hpp"

namespace mcre::rules {

// The names a policy defines (parameters and tables) with their constant values.
struct Scope {
    struct Entry {
        Value value;
        dsl::SourceSpan defined_at;
        bool is_table = false;
        bool is_level_map = false;
        bool is_dated = false;   // its value depends on the evaluation date
        bool inherited = false;  // defined by a policy this one extends (no span here)
    };
    std::map<std::string, Entry> constants;
    std::set<std::string> used;
    // Names whose definition had an error: uses stay quiet instead of repeating it.
    std::set<std::string> poisoned;
    bool conversion_declared = false;

    [[nodiscard]] const Entry* find(const std::string& name) const;
};

// Optimal string alignment distance: a swapped pair of letters ("isseud") costs one edit,
// the commonest typo in hand-written names.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate a typo most likely meant ("mc_max_ect" -> "mc_max_ects"), or nothing when
// none is close enough to be worth suggesting. Ties go to the earlier candidate.
[[nodiscard]] std::optional<std::string> closest(std::string_view name,
                                                 std::span<const std::string_view> candidates);
[[nodiscard]] std::optional<std::string> closest(std::string_view name,
                                                 const std::vector<std::string>& candidates);

// "a, b, c": a list of names for a hint.
[[nodiscard]] std::string join_names(std::span<const std::string_view> names);

}  // namespace mcre::rules
