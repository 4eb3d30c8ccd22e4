#include "dsl/format/tokens.hpp"

#include <array>

namespace mcre::dsl::formatting {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_alpha(c) || is_digit(c); }

class Lexer {
  public:
    explicit Lexer(std::string_view text) : text_(text) {}

    TokenizeResult run() {
        TokenizeResult result;
        int newlines = 1;  // the first token starts a line
        for (skip_blanks(newlines); pos_ < text_.size(); skip_blanks(newlines)) {
            std::size_t start = pos_;
            TokenKind kind = scan(result.diagnostics);
            if (!result.diagnostics.empty()) return result;
            std::string_view lexeme = text_.substr(start, pos_ - start);
            if (kind == TokenKind::Comment) {
                while (!lexeme.empty() && (lexeme.back() == ' ' || lexeme.back() == '\t')) {
                    lexeme.remove_suffix(1);
                }
            }
            result.tokens.push_back(
                Token{kind, lexeme, static_cast<std::uint32_t>(start), newlines > 0, newlines > 1});
            newlines = 0;
        }
        return result;
    }

  private:
    [[nodiscard]] char at(std::size_t i) const { return i < text_.size() ? text_[i] : '\0'; }

    // A lone CR ends a line for the parser's comment rule, so it counts as one here too.
    void skip_blanks(int& newlines) {
        while (pos_ < text_.size()) {
            char c = text_[pos_];
            if (c == '\n' || (c == '\r' && at(pos_ + 1) != '\n')) {
                ++newlines;
            } else if (c != ' ' && c != '\t' && c != '\r' && c != '\v' && c != '\f') {
                return;
            }
            ++pos_;
        }
    }

    TokenKind scan(std::vector<Diagnostic>& diagnostics) {
        char c = text_[pos_];
        if (c == '#') {
            while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '\r') ++pos_;
            return TokenKind::Comment;
        }
        if (text_.substr(pos_, 3) == "\"\"\"") return scan_triple_quoted(diagnostics);
        if (c == '"') return scan_string(diagnostics);
        if (is_digit(c) && scan_date()) return TokenKind::Date;
        if (is_digit(c) || (c == '.' && is_digit(at(pos_ + 1)))) return scan_number();
        if (is_alpha(c)) return scan_word();
        return scan_operator();
    }

    TokenKind scan_string(std::vector<Diagnostic>& diagnostics) {
        std::size_t start = pos_++;
        while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\n') {
            // The escape's validity is the parser's business; here it only must not end the text.
            if (text_[pos_] == '\\' && at(pos_ + 1) != '\n' && pos_ + 1 < text_.size()) ++pos_;
            ++pos_;
        }
        if (pos_ >= text_.size() || text_[pos_] != '"') {
            Diagnostic d;
            d.code = "E1001";
            d.span = SourceSpan{static_cast<std::uint32_t>(start),
                                static_cast<std::uint32_t>(start + 1)};
            d.message = "this text is never closed";
            d.hint = "a text must end with \" on the line where it starts";
            diagnostics.push_back(std::move(d));
            return TokenKind::String;
        }
        ++pos_;
        return TokenKind::String;
    }

    // """...""": an inline application in a test, kept byte for byte, line breaks included.
    TokenKind scan_triple_quoted(std::vector<Diagnostic>& diagnostics) {
        std::size_t start = pos_;
        std::size_t close = text_.find("\"\"\"", start + 3);
        if (close == std::string_view::npos) {
            Diagnostic d;
            d.code = "E1001";
            d.span = SourceSpan{static_cast<std::uint32_t>(start),
                                static_cast<std::uint32_t>(start + 3)};
            d.message = "this inline text is never closed";
            d.hint = "an inline application ends with \"\"\"";
            diagnostics.push_back(std::move(d));
            pos_ = text_.size();
            return TokenKind::String;
        }
        pos_ = close + 3;
        return TokenKind::String;
    }

    // YYYY-MM-DD not followed by a name character, exactly as the grammar's date.
    bool scan_date() {
        static constexpr std::array<bool, 10> digit_at{true, true, true,  true, false,
                                                       true, true, false, true, true};
        for (std::size_t i = 0; i < digit_at.size(); ++i) {
            char c = at(pos_ + i);
            if (digit_at[i] ? !is_digit(c) : c != '-') return false;
        }
        if (is_ident_char(at(pos_ + 10))) return false;
        pos_ += 10;
        return true;
    }

    // Spirit's unsigned real: digits, an optional dot with optional digits, an exponent
    // only when digits follow it.
    TokenKind scan_number() {
        while (is_digit(at(pos_))) ++pos_;
        if (at(pos_) == '.') {
            ++pos_;
            while (is_digit(at(pos_))) ++pos_;
        }
        if (at(pos_) == 'e' || at(pos_) == 'E') {
            std::size_t exponent = pos_ + 1;
            if (at(exponent) == '+' || at(exponent) == '-') ++exponent;
            if (is_digit(at(exponent))) {
                pos_ = exponent;
                while (is_digit(at(pos_))) ++pos_;
            }
        }
        return TokenKind::Number;
    }

    // A dotted path is one token: the grammar reads it as one lexeme, so it can never hold
    // a space.
    TokenKind scan_word() {
        while (is_ident_char(at(pos_))) ++pos_;
        while (at(pos_) == '.' && is_alpha(at(pos_ + 1))) {
            ++pos_;
            while (is_ident_char(at(pos_))) ++pos_;
        }
        return TokenKind::Word;
    }

    TokenKind scan_operator() {
        static constexpr std::array<std::string_view, 5> pairs{"==", "!=", "<=", ">=", "->"};
        for (std::string_view op : pairs) {
            if (text_.substr(pos_, 2) == op) {
                pos_ += 2;
                return TokenKind::Operator;
            }
        }
        if (std::string_view("=+-<>(){},:.%").find(text_[pos_]) != std::string_view::npos) {
            ++pos_;
            return TokenKind::Operator;
        }
        // One whole UTF-8 character, so a stray letter is never split.
        ++pos_;
        while (pos_ < text_.size() && (static_cast<unsigned char>(text_[pos_]) & 0xC0) == 0x80) {
            ++pos_;
        }
        return TokenKind::Other;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

TokenizeResult tokenize(std::string_view text) { return Lexer(text).run(); }

bool same_tokens(const std::vector<Token>& a, const std::vector<Token>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].kind != b[i].kind || a[i].text != b[i].text) return false;
    }
    return true;
}

}  // namespace mcre::dsl::formatting
