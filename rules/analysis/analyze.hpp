#pragma once

#include <vector>

#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"
#include "rules/model.hpp"

namespace mcre::rules {

// Static analysis of a checked policy (docs/analysis.md): dead and contradicting checks,
// caps that cannot bind, unused tables, unknown ISCED-F codes, uncovered kinds. Only
// proven problems are reported, as W31xx warnings sorted by position, with a witness
// where one exists. `source` is the text the policy was loaded from (for positions of
// declarations that carry no span).
[[nodiscard]] std::vector<dsl::Diagnostic> analyze(const Policy& policy,
                                                   const dsl::SourceFile& source);

}  // namespace mcre::rules
