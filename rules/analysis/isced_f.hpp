#pragma once

#include <string_view>

namespace mcre::rules::analysis {

// Whether `code` is a field of ISCED-F 2013 (UNESCO UIS, 2014): a broad field (2 digits),
// a narrow field (3) or a detailed field (4). Also accepted, for every field that exists:
// the "not further defined" codes (a trailing 0) and the "not elsewhere classified"
// detailed codes (a trailing 9), which the classification reserves.
[[nodiscard]] bool is_isced_f_code(std::string_view code);

}  // namespace mcre::rules::analysis
