#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mcre::cli {

// `mcre batch ...`; args exclude the command name. Returns the exit code.
[[nodiscard]] int run_batch(const std::vector<std::string>& args, std::ostream& out,
                            std::ostream& err);

}  // namespace mcre::cli
