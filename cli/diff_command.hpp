#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mcre::cli {

// `mcre diff OLD NEW ...`; args exclude the command name. Like diff(1): 0 when no
// difference was found, 1 when there are differences or a policy was rejected, 2 usage.
[[nodiscard]] int run_diff(const std::vector<std::string>& args, std::ostream& out,
                           std::ostream& err);

}  // namespace mcre::cli
