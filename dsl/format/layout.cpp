#include "dsl/format/layout.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>

namespace mcre::dsl::formatting {

namespace {

constexpr int statement_indent = 2;
constexpr int clause_indent = 4;
constexpr std::size_t npos = static_cast<std::size_t>(-1);

template <std::size_t N>
bool one_of(std::string_view word, const std::array<std::string_view, N>& words) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

constexpr std::array<std::string_view, 20> statement_keywords{
    "title",    "jurisdiction", "version", "in",      "source",    "param",  "table",
    "convert",  "allocate",     "rule",    "exclude", "exception", "cap",    "test",
    "override", "remove",       "forbid",  "overlap", "stack",     "pathway"};

// The lines of a stack's and a pathway's block.
constexpr std::array<std::string_view, 8> block_item_keywords{
    "title", "component", "require", "yields", "components", "applies", "unit", "cite"};

// Words that continue a statement. After a complete statement, any other word starts a
// statement the formatter does not know, which then keeps its author's line breaks.
constexpr std::array<std::string_view, 30> continuation_words{
    "cite",    "until", "from",    "else",    "then",    "when",    "require", "at",
    "most",    "in",    "and",     "or",      "not",     "of",      "is",      "between",
    "as",      "for",   "round",   "per",     "partial", "allowed", "by",      "to",
    "extends", "force", "missing", "present", "over",    "exempt"};

constexpr std::array<std::string_view, 4> header_keywords{"title", "jurisdiction", "version",
                                                          "source"};

constexpr std::array<std::string_view, 4> rule_clauses{"when", "require", "else", "then"};

bool is(const Token& token, std::string_view text) {
    return token.kind != TokenKind::String && token.kind != TokenKind::Comment &&
           token.text == text;
}

bool opens(const Token& t) { return is(t, "{") || is(t, "("); }
bool closes(const Token& t) { return is(t, "}") || is(t, ")"); }

bool is_keyword(std::string_view word) {
    return one_of(word, statement_keywords) || one_of(word, continuation_words);
}

Gap spacing(const Token& prev, const Token& cur) {
    if (is(cur, ",") || closes(cur) || opens(prev)) return Gap::Tight;
    // A call: ects(credential.hours), but not (a) after a keyword such as `not`.
    if (is(cur, "(") && prev.kind == TokenKind::Word && !is_keyword(prev.text)) return Gap::Tight;
    return Gap::Space;
}

class Layout {
  public:
    Layout(const std::vector<Token>& code, const std::vector<bool>& comment_after)
        : code_(code), comment_after_(comment_after), places_(code.size()) {}

    std::vector<Place> run() {
        if (code_.empty()) return places_;
        std::size_t open = find_open(0, code_.size());
        if (open == npos) {
            one_line(0, code_.size(), 0);
            return places_;
        }
        one_line(0, open + 1, 0);
        places_[open].opens_block = true;
        std::size_t close = matching(open, code_.size());
        body(open + 1, close);
        if (close < code_.size()) {
            newline(close, 0);
            places_[close].comment_indent = statement_indent;
            for (std::size_t i = close + 1; i < code_.size(); ++i) gap(i);
        }
        return std::move(places_);
    }

  private:
    void newline(std::size_t i, int indent, int continuation = -1) {
        places_[i].gap = Gap::Newline;
        places_[i].indent = indent;
        places_[i].continuation = continuation < 0 ? indent + clause_indent : continuation;
        places_[i].comment_indent = indent;
    }

    void gap(std::size_t i) { places_[i].gap = spacing(code_[i - 1], code_[i]); }

    void one_line(std::size_t begin, std::size_t end, int indent) {
        newline(begin, indent);
        for (std::size_t i = begin + 1; i < end; ++i) gap(i);
    }

    // The first `{` at bracket depth 0 in [begin, end).
    [[nodiscard]] std::size_t find_open(std::size_t begin, std::size_t end) const {
        int depth = 0;
        for (std::size_t i = begin; i < end; ++i) {
            if (depth == 0 && is(code_[i], "{")) return i;
            depth += opens(code_[i]) ? 1 : closes(code_[i]) ? -1 : 0;
        }
        return npos;
    }

    // The bracket closing the one at `open`, or `end` when there is none.
    [[nodiscard]] std::size_t matching(std::size_t open, std::size_t end) const {
        int depth = 0;
        for (std::size_t i = open; i < end; ++i) {
            depth += opens(code_[i]) ? 1 : closes(code_[i]) ? -1 : 0;
            if (depth == 0) return i;
        }
        return end;
    }

    // Statement boundaries come from the tokens, not the lines: a statement keyword starts
    // a statement only once the current one is complete, so a parameter named `source`
    // stays where it is.
    void body(std::size_t begin, std::size_t end) {
        std::size_t start = begin;
        int depth = 0;
        for (std::size_t i = begin; i < end; ++i) {
            if (i > start && depth == 0 && starts_statement(start, i)) {
                statement(start, i);
                start = i;
            }
            depth += opens(code_[i]) ? 1 : closes(code_[i]) ? -1 : 0;
        }
        if (start < end) statement(start, end);
    }

    [[nodiscard]] bool starts_statement(std::size_t start, std::size_t i) const {
        const Token& token = code_[i];
        if (token.kind != TokenKind::Word) return false;
        const Token& prev = code_[i - 1];
        bool complete = prev.kind == TokenKind::String || prev.kind == TokenKind::Date ||
                        is(prev, "}") || (is(code_[start], "jurisdiction") && i - start >= 2);
        if (!complete) return false;
        if (token.text == "in") return i + 1 < code_.size() && is(code_[i + 1], "force");
        return one_of(token.text, statement_keywords) || !one_of(token.text, continuation_words);
    }

    void statement(std::size_t begin, std::size_t end) {
        const Token& first = code_[begin];
        std::string_view kind = first.text;
        if (kind == "override" && begin + 1 < end) kind = code_[begin + 1].text;
        if (first.kind != TokenKind::Word) {
            preserved(begin, end);
        } else if (one_of(kind, header_keywords) || kind == "in") {
            one_line(begin, end, statement_indent);
            open_up_commented(begin, end);
        } else if (kind == "table") {
            table(begin, end);
            open_up_commented(begin, end);
        } else if (kind == "test") {
            test_block(begin, end);
        } else if (kind == "stack" || kind == "pathway") {
            item_block(begin, end);
        } else if (kind == "rule" || kind == "exclude" || kind == "cap" || kind == "exception") {
            clauses(begin, end, true, kind == "exception");
            open_up_commented(begin, end);
        } else if (one_of(kind, statement_keywords)) {
            clauses(begin, end, false);
            open_up_commented(begin, end);
        } else if (opens_named_block(begin, end)) {
            block(begin, end);
        } else {
            preserved(begin, end);
        }
    }

    // A set or call with a comment inside cannot stay on one line: its items go on lines
    // of their own, one level in, and the closing bracket back under the line it opened on.
    void open_up_commented(std::size_t begin, std::size_t end) {
        for (std::size_t open = begin; open < end; ++open) {
            if (!opens(code_[open]) || places_[open].opens_block) continue;
            std::size_t close = matching(open, end);
            if (close >= end || close == open + 1) continue;
            bool commented = false;
            for (std::size_t i = open; i < close; ++i) commented = commented || comment_after_[i];
            if (!commented) continue;
            int indent = line_indent(open);
            newline(open + 1, indent + clause_indent, indent + clause_indent);
            newline(close, indent);
            places_[close].comment_indent = indent + clause_indent;
            places_[open].opens_block = true;
        }
    }

    [[nodiscard]] int line_indent(std::size_t i) const {
        while (i > 0 && places_[i].gap != Gap::Newline) --i;
        return places_[i].indent;
    }

    // The statement's first line, then one line per clause at depth 0: `cite` always;
    // `when`, `require`, `else`, `then` and `at most` in rules, exclusions, caps and
    // exceptions; `exempt` in exceptions.
    void clauses(std::size_t begin, std::size_t end, bool rule_like, bool exception = false) {
        newline(begin, statement_indent);
        int depth = 0;
        for (std::size_t i = begin + 1; i < end; ++i) {
            const Token& t = code_[i];
            bool clause =
                t.kind == TokenKind::Word &&
                (t.text == "cite" || (exception && t.text == "exempt") ||
                 (rule_like && (one_of(t.text, rule_clauses) ||
                                (t.text == "at" && i + 1 < end && is(code_[i + 1], "most")))));
            if (depth == 0 && clause) {
                newline(i, clause_indent);
            } else {
                gap(i);
            }
            depth += opens(t) ? 1 : closes(t) ? -1 : 0;
        }
    }

    // `table NAME : KIND {`, the entries, then `} cite "..."`. Codes and institutions: one
    // entry per line. Level pairs are short and read as one mapping: one line together.
    void table(std::size_t begin, std::size_t end) {
        std::size_t open = find_open(begin, end);
        if (open == npos) {
            clauses(begin, end, false);
            return;
        }
        one_line(begin, open + 1, statement_indent);
        places_[open].opens_block = true;
        std::size_t close = matching(open, end);
        bool levels = std::any_of(code_.begin() + static_cast<std::ptrdiff_t>(begin),
                                  code_.begin() + static_cast<std::ptrdiff_t>(open),
                                  [](const Token& t) { return is(t, "levels"); });
        int strings = 0;
        bool entry_closed = true;
        for (std::size_t i = open + 1; i < close; ++i) {
            const Token& t = code_[i];
            if (i == open + 1) {
                newline(i, clause_indent, levels ? clause_indent : -1);
                strings = 0;
                entry_closed = false;
            } else if (!levels && t.kind == TokenKind::String && (entry_closed || strings >= 2)) {
                // An entry is a key and an optional label; the comma between entries is optional.
                newline(i, clause_indent);
                strings = 0;
                entry_closed = false;
            } else {
                gap(i);
            }
            if (t.kind == TokenKind::String) ++strings;
            if (is(t, ",")) entry_closed = true;
        }
        close_block(close, end);
    }

    // `test NAME {`, then `application ...`, `as of DATE` and each `expect ...` on a line of
    // its own at 4, and `}` back at 2. An inline application is one token: its lines are
    // kept byte for byte.
    void test_block(std::size_t begin, std::size_t end) {
        std::size_t open = find_open(begin, end);
        if (open == npos) {
            preserved(begin, end);
            return;
        }
        one_line(begin, open + 1, statement_indent);
        places_[open].opens_block = true;
        std::size_t close = matching(open, end);
        for (std::size_t i = open + 1; i < close; ++i) {
            const Token& t = code_[i];
            bool starts = i == open + 1 || is(t, "application") || is(t, "expect") ||
                          (is(t, "as") && i + 1 < close && is(code_[i + 1], "of"));
            if (starts) {
                newline(i, clause_indent);
            } else {
                gap(i);
            }
        }
        close_block(close, end);
    }

    // `stack NAME {` or `pathway NAME {`, then each component, requirement, unit and the
    // citation on a line of its own at 4, and `}` back at 2.
    void item_block(std::size_t begin, std::size_t end) {
        std::size_t open = find_open(begin, end);
        if (open == npos) {
            preserved(begin, end);
            return;
        }
        one_line(begin, open + 1, statement_indent);
        places_[open].opens_block = true;
        std::size_t close = matching(open, end);
        int depth = 0;
        for (std::size_t i = open + 1; i < close; ++i) {
            const Token& t = code_[i];
            bool starts = i == open + 1 || (depth == 0 && t.kind == TokenKind::Word &&
                                            one_of(t.text, block_item_keywords));
            if (starts) {
                newline(i, clause_indent);
            } else {
                gap(i);
            }
            depth += opens(t) ? 1 : closes(t) ? -1 : 0;
        }
        close_block(close, end);
    }

    // `WORD NAME {`: a brace right after a name opens a block (after `=` it opens a set).
    [[nodiscard]] bool opens_named_block(std::size_t begin, std::size_t end) const {
        std::size_t open = find_open(begin, end);
        return open != npos && open > begin && code_[open - 1].kind == TokenKind::Word;
    }

    // A block statement the formatter has no rule for: `WORD ... {`, its contents in their
    // author's lines re-indented, `}` back at 2.
    void block(std::size_t begin, std::size_t end) {
        std::size_t open = find_open(begin, end);
        one_line(begin, open + 1, statement_indent);
        places_[open].opens_block = true;
        std::size_t close = matching(open, end);
        if (open + 1 < close) {
            newline(open + 1, clause_indent);
            keep_lines(open + 2, close, clause_indent, code_[open + 1]);
        }
        close_block(close, end);
    }

    void close_block(std::size_t close, std::size_t end) {
        if (close >= end) return;
        newline(close, statement_indent);
        places_[close].comment_indent = clause_indent;
        for (std::size_t i = close + 1; i < end; ++i) gap(i);
    }

    // A statement the formatter has no rule for: its own lines, continuation lines at 4.
    void preserved(std::size_t begin, std::size_t end) {
        newline(begin, statement_indent);
        keep_lines(begin + 1, end, clause_indent, code_[begin]);
    }

    // A token that starts a line in the source starts one here, indented by the brackets
    // open before it; the others follow with canonical spacing.
    void keep_lines(std::size_t begin, std::size_t end, int base, const Token& first) {
        int depth = opens(first) ? 1 : 0;
        for (std::size_t i = begin; i < end; ++i) {
            const Token& t = code_[i];
            if (t.line_start) {
                newline(i, base + 2 * std::max(0, depth - (closes(t) ? 1 : 0)));
            } else {
                gap(i);
            }
            depth += opens(t) ? 1 : closes(t) ? -1 : 0;
        }
    }

    const std::vector<Token>& code_;
    const std::vector<bool>& comment_after_;
    std::vector<Place> places_;
};

}  // namespace

std::vector<Place> layout(const std::vector<Token>& code, const std::vector<bool>& comment_after) {
    return Layout(code, comment_after).run();
}

}  // namespace mcre::dsl::formatting
