#pragma once

#include <map>
#include <optional>
#include <set>
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
    };
    std::map<std::string, Entry> constants;
    std::set<std::string> used;
    bool conversion_declared = false;

    [[nodiscard]] const Entry* find(const std::string& name) const;
};

// Levenshtein distance, for "did you mean" suggestions.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate if it is close enough to be a plausible typo.
[[nodiscard]] std::optional<std::string> closest(std::string_view name,
                                                 const std::vector<std::string>& candidates);

}  // namespace mcre::rules
