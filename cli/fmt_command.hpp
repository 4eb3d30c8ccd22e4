#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mcre::cli {

// `mcre fmt [--check | --stdout] FILE|DIR...`; args exclude the command name. Returns the
// exit code.
[[nodiscard]] int run_fmt(const std::vector<std::string>& args, std::ostream& out,
                          std::ostream& err);

}  // namespace mcre::cli
