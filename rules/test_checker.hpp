#pragma once

// Checks a policy's `test` blocks and `remove test` statements (docs/language.md, "Tests
// inside policies"). Called by the checker once every rule, cap and exception is known.

#include <string>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"
#include "rules/model.hpp"

namespace mcre::rules {

// On entry `policy.tests` holds the tests inherited through `extends`; on return also the
// tests written in `written`, with `override test` replacing an inherited one in its place
// and `remove test` dropping one. Problems are added to `out`.
void check_tests(Policy& policy, const dsl::ast::Policy& written, const dsl::SourceFile& source,
                 std::vector<dsl::Diagnostic>& out);

// Every reason code a decision under the policy can carry: its rules', exclusions' and
// exceptions', its caps' (CAP_NAME) and the engine's own.
[[nodiscard]] std::vector<std::string> reason_codes(const Policy& policy);

}  // namespace mcre::rules
