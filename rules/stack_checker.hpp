#pragma once

// Checks a policy's `stack` and `pathway` statements (docs/stacking.md). Called by the
// checker once parameters and tables are known, so their expressions can use them.

#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"
#include "rules/expression_checker.hpp"
#include "rules/model.hpp"

namespace mcre::rules {

// On entry `policy.stacks` and `policy.pathways` hold those inherited through `extends`; on
// return also the ones written here, stacks ordered so that a stack comes after every stack
// it contains. Problems are added to `out`.
void check_stacks_and_pathways(Policy& policy, const dsl::ast::Policy& written,
                               const dsl::SourceFile& source, ExpressionChecker& expressions,
                               std::vector<dsl::Diagnostic>& out);

}  // namespace mcre::rules
