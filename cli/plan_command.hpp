#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mcre::cli {

// `mcre plan`: the smallest set of a catalogue's offers that completes a stack or a pathway
// of the policy for one application (docs/planning.md).
[[nodiscard]] int run_plan(const std::vector<std::string>& args, std::ostream& out,
                           std::ostream& err);

}  // namespace mcre::cli
