#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mcre::cli {

// `mcre gen-cohort --size N --seed S ...`; args exclude the command name. 0 when the cohort
// was written, 1 when the output could not be written, 2 wrong usage.
[[nodiscard]] int run_gen_cohort(const std::vector<std::string>& args, std::ostream& out,
                                 std::ostream& err);

}  // namespace mcre::cli
