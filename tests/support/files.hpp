#pragma once

#include <string>
#include <vector>

namespace mcre::test {

// Paths are relative to the source tree.
[[nodiscard]] std::string source_path(const std::string& relative);
[[nodiscard]] std::string read_text(const std::string& path);
// Files directly in `dir` ending with `extension`, sorted.
[[nodiscard]] std::vector<std::string> files_in(const std::string& dir,
                                                const std::string& extension);

}  // namespace mcre::test
