#include "dsl/format/formatter.hpp"

#include "dsl/format/layout.hpp"
#include "dsl/format/tokens.hpp"
#include "dsl/parser.hpp"

namespace mcre::dsl {

namespace {

using formatting::Gap;
using formatting::Place;
using formatting::Token;
using formatting::TokenKind;

// Comments hang on the code tokens: a comment alone on its line leads the next token, one
// after code on the same line trails the token before it.
struct Comments {
    std::vector<const Token*> leading;
    const Token* trailing = nullptr;
};

struct Attached {
    std::vector<Token> code;
    std::vector<Comments> comments;  // one per code token, and one more for the file's end
};

Attached attach_comments(const std::vector<Token>& tokens) {
    Attached result;
    result.comments.emplace_back();
    for (const Token& token : tokens) {
        if (token.kind != TokenKind::Comment) {
            result.code.push_back(token);
            result.comments.emplace_back();
        } else if (!token.line_start && !result.code.empty()) {
            result.comments[result.code.size() - 1].trailing = &token;
        } else {
            result.comments.back().leading.push_back(&token);
        }
    }
    return result;
}

class Writer {
  public:
    // At most one blank line in a row, none at the top of the file or a block.
    void start_line(int indent, bool blank) {
        if (line_open_) text_ += '\n';
        if (blank && !after_open_) text_ += '\n';
        text_.append(static_cast<std::size_t>(indent), ' ');
        line_open_ = true;
        after_open_ = false;
    }
    void append(std::string_view text) { text_ += text; }
    void opened_block(bool opened) { after_open_ = opened; }
    std::string finish() {
        if (line_open_) text_ += '\n';
        return std::move(text_);
    }

  private:
    std::string text_;
    bool line_open_ = false;
    bool after_open_ = true;
};

std::string render_attached(const Attached& attached, const std::vector<Place>& places) {
    Writer writer;
    int continuation = 4;
    bool break_next = false;
    for (std::size_t i = 0; i < attached.code.size(); ++i) {
        const Token& token = attached.code[i];
        const Comments& comments = attached.comments[i];
        Place place = places[i];
        if (!comments.leading.empty()) {
            int indent = continuation;
            if (place.gap == Gap::Newline) indent = place.comment_indent;
            for (const Token* comment : comments.leading) {
                writer.start_line(indent, comment->blank_line_before);
                writer.append(comment->text);
            }
            break_next = true;
        }
        if (break_next && place.gap != Gap::Newline) {
            place.gap = Gap::Newline;
            place.indent = continuation;
            place.continuation = continuation;
        }
        if (place.gap == Gap::Newline) {
            bool closer = token.text == "}" || token.text == ")";
            writer.start_line(place.indent, token.blank_line_before && !closer);
            continuation = place.continuation;
        } else if (place.gap == Gap::Space) {
            writer.append(" ");
        }
        writer.append(token.text);
        break_next = comments.trailing != nullptr;
        if (break_next) {
            writer.append(" ");
            writer.append(comments.trailing->text);
        }
        writer.opened_block(place.opens_block);
    }
    for (const Token* comment : attached.comments.back().leading) {
        writer.start_line(0, comment->blank_line_before);
        writer.append(comment->text);
    }
    return writer.finish();
}

FormatResult refuse(std::string message) {
    Diagnostic d;
    d.code = "E1900";
    d.span = SourceSpan{0, 0};
    d.message = std::move(message);
    d.hint = "the file was left as it is; please report this with the file attached";
    return FormatResult{std::nullopt, {std::move(d)}};
}

}  // namespace

namespace formatting {

std::string render(const std::vector<Token>& tokens) {
    Attached attached = attach_comments(tokens);
    std::vector<bool> comment_after(attached.code.size());
    for (std::size_t i = 0; i < attached.code.size(); ++i) {
        comment_after[i] =
            attached.comments[i].trailing != nullptr || !attached.comments[i + 1].leading.empty();
    }
    return render_attached(attached, layout(attached.code, comment_after));
}

}  // namespace formatting

FormatResult format_policy(const SourceFile& source) {
    ParseResult parsed = parse(source);
    if (!parsed.policy || has_errors(parsed.diagnostics)) {
        return FormatResult{std::nullopt, std::move(parsed.diagnostics)};
    }
    formatting::TokenizeResult lexed = formatting::tokenize(source.text());
    if (!lexed.diagnostics.empty()) return FormatResult{std::nullopt, std::move(lexed.diagnostics)};

    std::string text = formatting::render(lexed.tokens);

    // The layout is heuristic over a grammar that keeps growing; never hand back a text
    // that is not the same policy.
    formatting::TokenizeResult check = formatting::tokenize(text);
    if (!check.diagnostics.empty() || !formatting::same_tokens(lexed.tokens, check.tokens)) {
        return refuse("the formatter would change the policy's tokens or comments");
    }
    if (!parse(SourceFile(source.name(), text)).policy) {
        return refuse("the formatted policy would not parse");
    }
    return FormatResult{std::move(text), {}};
}

}  // namespace mcre::dsl
