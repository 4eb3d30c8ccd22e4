#pragma once

#include <iosfwd>
#include <memory>
#include <string>

#include "engine/cohort.hpp"

namespace mcre::engine::detail {

// The CSV cohort reader (docs/cohorts.md, "CSV"); open_cohort chooses it.
[[nodiscard]] std::unique_ptr<CohortReader> open_csv_cohort(std::istream& in, std::string name);

}  // namespace mcre::engine::detail
