#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mcre::cli {

// `mcre test [--coverage] FILE|DIR...`: runs the `test` blocks of each policy; args exclude
// the command name. Returns the exit code.
[[nodiscard]] int run_test(const std::vector<std::string>& args, std::ostream& out,
                           std::ostream& err);

}  // namespace mcre::cli
