#pragma once

#include <optional>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"

namespace mcre::dsl {

struct ParseResult {
    std::optional<ast::Policy> policy;  // present exactly when there is no error
    std::vector<Diagnostic> diagnostics;
};

// Parses one policy file. Never throws for bad input: syntax errors come back as
// diagnostics with the position of the offending token.
[[nodiscard]] ParseResult parse(const SourceFile& source);

}  // namespace mcre::dsl
