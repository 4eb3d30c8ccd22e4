#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "dsl/format/tokens.hpp"
#include "dsl/source.hpp"

namespace mcre::dsl {

struct FormatResult {
    std::optional<std::string> text;  // present exactly when there is no error
    std::vector<Diagnostic> diagnostics;
};

// The policy in its canonical layout (docs/language.md, "Formatting"), comments kept.
// A file that does not parse is refused with the parser's diagnostics: the formatter
// never guesses at a broken policy. The result is checked before it is returned: the
// same tokens and comments in the same order, and it parses.
[[nodiscard]] FormatResult format_policy(const SourceFile& source);

namespace formatting {

// The layout step alone, on tokens from tokenize(): no parse and no self-check. For tests
// of syntax the parser does not accept yet.
[[nodiscard]] std::string render(const std::vector<Token>& tokens);

}  // namespace formatting

}  // namespace mcre::dsl
