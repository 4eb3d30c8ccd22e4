#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mcre::cli {

// `mcre simulate`: a cohort under a baseline and a reform policy (docs/simulate.md).
[[nodiscard]] int run_simulate(const std::vector<std::string>& args, std::ostream& out,
                               std::ostream& err);

// `mcre sweep`: a cohort under one policy with one number taken through a range.
[[nodiscard]] int run_sweep(const std::vector<std::string>& args, std::ostream& out,
                            std::ostream& err);

}  // namespace mcre::cli
