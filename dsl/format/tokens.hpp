#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "dsl/diagnostic.hpp"

// A lexer for the formatter only. The parser (Spirit) drops comments and layout; the
// formatter needs both, and must keep working while the grammar grows, so it reads the
// policy as a flat token stream instead of an AST.
namespace mcre::dsl::formatting {

enum class TokenKind {
    Word,      // a name, keyword or dotted path: credential.workload is one token
    Number,    // 3, 0.5, .5, 1e3
    Date,      // 2026-09-01 (one token: spaces inside would change its meaning)
    String,    // "..." with its quotes and escapes, or """...""" over lines, as written
    Operator,  // == != <= >= -> = + - < > ( ) { } , : . %
    Comment,   // # to the end of the line, trailing blanks removed
    Other,     // anything else, one UTF-8 character at a time
};

struct Token {
    TokenKind kind = TokenKind::Other;
    std::string_view text;  // a view into the tokenized text
    std::uint32_t offset = 0;
    bool line_start = false;         // nothing but blanks before it on its line
    bool blank_line_before = false;  // an empty line separates it from the previous token
};

struct TokenizeResult {
    std::vector<Token> tokens;  // comments included, in source order
    std::vector<Diagnostic> diagnostics;
};

[[nodiscard]] TokenizeResult tokenize(std::string_view text);

// Equal kinds and texts, offsets and layout ignored: what "the same policy" means to the
// formatter's self-check.
[[nodiscard]] bool same_tokens(const std::vector<Token>& a, const std::vector<Token>& b);

}  // namespace mcre::dsl::formatting
