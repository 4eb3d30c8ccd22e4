#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mcre::cli {

// `mcre lint [--strict] FILE|DIR...`: check, then the static analyses (docs/analysis.md).
[[nodiscard]] int run_lint(const std::vector<std::string>& args, std::ostream& out,
                           std::ostream& err);

}  // namespace mcre::cli
