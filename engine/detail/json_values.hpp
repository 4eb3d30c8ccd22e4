#pragma once

// How the JSON renderings write numbers and optional text, so every part of a decision
// (credentials, stacks, pathways, plans) writes them alike.

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace mcre::engine::detail {

// Whole numbers print without ".0"; others are rounded to six decimals so binary noise
// (3.2000000000000002) never reaches a consumer or a golden file.
inline nlohmann::ordered_json json_number(double n) {
    double rounded = std::round(n * 1e6) / 1e6;
    if (rounded == std::floor(rounded) && std::fabs(rounded) < 9e15)
        return static_cast<std::int64_t>(rounded);
    return rounded;
}

inline nlohmann::ordered_json text_or_null(const std::string& s) {
    return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
}

}  // namespace mcre::engine::detail
