#pragma once

#include <string>

namespace mcre::test {

struct GoldenResult {
    bool matches = false;
    std::string report;  // a line diff and the actual text, for copy-paste on mismatch
};

// Compares `actual` with the golden file. With UPDATE_GOLDEN=1 in the environment the
// file is rewritten instead (review the diff before committing).
[[nodiscard]] GoldenResult compare_golden(const std::string& golden_path,
                                          const std::string& actual);

}  // namespace mcre::test
