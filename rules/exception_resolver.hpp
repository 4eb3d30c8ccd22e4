#pragma once

// Exceptions after every statement is checked and every removal applied: each is bound to
// the rule, exclusion, cap or exception it qualifies; the narrower of two siblings is
// found; and two siblings that can apply together and decide differently, with no stated
// priority between them, are a conflict reported with an example.

#include <map>
#include <string>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"
#include "rules/model.hpp"

namespace mcre::rules {

// `local` maps the exceptions written in this file to their parse trees (for positions);
// inherited ones are only re-checked against what this policy removed or changed.
void resolve_exceptions(Policy& policy,
                        const std::map<std::string, const dsl::ast::Exception*>& local,
                        const dsl::ast::Policy& written, std::vector<dsl::Diagnostic>& out);

// Two checked expressions written the same way (same operators, names and constants).
[[nodiscard]] bool same_expr(const Expr& a, const Expr& b);

}  // namespace mcre::rules
