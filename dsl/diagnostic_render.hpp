#pragma once

#include <string>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"

namespace mcre::dsl {

// Clang-style text: "file:line:col: error: message [E2104]", the source line, a caret
// under the span, then hint and notes. Pure: no I/O.
[[nodiscard]] std::string render(const Diagnostic& diagnostic, const SourceFile& source);

// All diagnostics followed by the count line ("2 errors generated.").
[[nodiscard]] std::string render_all(const std::vector<Diagnostic>& diagnostics,
                                     const SourceFile& source);

}  // namespace mcre::dsl
