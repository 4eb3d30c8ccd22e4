#pragma once

#include <string>
#include <vector>

#include "dsl/diagnostic.hpp"

namespace mcre::lint_test {

// Loads `body` inside a policy header and runs the analyses; fails the test on errors.
[[nodiscard]] std::vector<dsl::Diagnostic> lint(const std::string& body);

// The diagnostics with this code.
[[nodiscard]] std::vector<dsl::Diagnostic> with_code(const std::vector<dsl::Diagnostic>& all,
                                                     const std::string& code);

// Every note's text, one per line, to search for witnesses.
[[nodiscard]] std::string notes_of(const dsl::Diagnostic& diagnostic);

}  // namespace mcre::lint_test
