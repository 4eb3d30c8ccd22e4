#pragma once

#include <vector>

#include "dsl/format/tokens.hpp"

namespace mcre::dsl::formatting {

enum class Gap { Space, Tight, Newline };

// Where one token goes relative to the token before it.
struct Place {
    Gap gap = Gap::Space;
    int indent = 0;            // with Gap::Newline
    int continuation = 4;      // indent of a line that a comment forces to break inside this one
    bool opens_block = false;  // no blank line may follow it
    int comment_indent = 0;    // of comments on the lines before it, with Gap::Newline
};

// The canonical layout of a policy's tokens (comments excluded): one Place per token.
// `comment_after[i]` says a comment separates token i from the next; a set or call that
// holds one is opened up, one item per line. Decided from the tokens and the comments'
// places alone, except inside statements it has no rule for, where the author's line breaks are
// kept; either way formatting its own output changes nothing.
[[nodiscard]] std::vector<Place> layout(const std::vector<Token>& code,
                                        const std::vector<bool>& comment_after);

}  // namespace mcre::dsl::formatting
