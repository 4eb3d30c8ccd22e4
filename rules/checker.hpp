#pragma once

#include <optional>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"
#include "rules/inheritance.hpp"
#include "rules/model.hpp"

namespace mcre::rules {

struct CheckResult {
    std::optional<Policy> policy;              // present exactly when there is no error
    std::vector<dsl::Diagnostic> diagnostics;  // errors and warnings, sorted by position
};

// Binds every name, checks types, units and parameter sanity, and reports every
// problem in the file in one run. `base` is the checked policy this one extends, if any.
[[nodiscard]] CheckResult check(const dsl::ast::Policy& policy, const dsl::SourceFile& source,
                                const Policy* base = nullptr);

// Parse and check in one step, following `extends` (what `mcre check` and `mcre evaluate`
// run). The parent is found beside the file, or by `find`.
[[nodiscard]] CheckResult load_policy(const dsl::SourceFile& source);
[[nodiscard]] CheckResult load_policy(const dsl::SourceFile& source, const PolicyFinder& find);

}  // namespace mcre::rules
