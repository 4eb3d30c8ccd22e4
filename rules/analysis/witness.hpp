#pragma once

// Concrete examples for diagnostics: a credential and programme picked from a region
// ("a micro_credential in a bachelor programme with credential.workload = 31 ECTS"), and
// the constraints of a region in words ("credential.workload <= 10 ECTS").

#include <set>
#include <string>

#include "rules/analysis/region.hpp"

namespace mcre::rules::analysis {

// A member of the region's first box; the region must not be empty. Only the attributes
// in `shown` (and the two kinds) are named: the others do not matter to the finding.
[[nodiscard]] std::string describe_witness(const Region& region, const std::set<Attr>& shown);

// What the region requires of the attributes in `shown`, box by box, joined with "or".
[[nodiscard]] std::string describe_constraints(const Region& region, const std::set<Attr>& shown);

}  // namespace mcre::rules::analysis
