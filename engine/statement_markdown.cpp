// The statement as Markdown (CommonMark with GFM tables). Every text is escaped, so a title
// with "|", "*" or "<script>" stays text and never breaks a table or becomes markup.

#include <cctype>
#include <string>

#include "engine/statement.hpp"

namespace mcre::engine {

namespace {

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

void render_block(const StatementBlock& b, std::string& out) {
    switch (b.kind) {
        case StatementBlock::Kind::Paragraph:
            out += escape_markdown(b.text) + "\n\n";
            return;
        case StatementBlock::Kind::List:
            for (const std::string& item : b.items) out += "- " + escape_markdown(item) + "\n";
            out += "\n";
            return;
        case StatementBlock::Kind::Fields:
            for (const auto& [label, value] : b.fields) {
                out += "- **" + escape_markdown(label) + ":** " + escape_markdown(value) + "\n";
            }
            out += "\n";
            return;
        case StatementBlock::Kind::Table: {
            auto row = [&](const std::vector<std::string>& cells) {
                out += "|";
                for (const std::string& c : cells) out += " " + escape_markdown(c) + " |";
                out += "\n";
            };
            row(b.header);
            out += "|";
            for (std::size_t i = 0; i < b.header.size(); ++i) out += " --- |";
            out += "\n";
            for (const auto& r : b.rows) row(r);
            out += "\n";
            return;
        }
    }
}

void render_section(const StatementSection& s, std::string& out) {
    out += std::string(static_cast<std::size_t>(s.level), '#') + " " + escape_markdown(s.title) +
           "\n\n";
    for (const StatementBlock& b : s.blocks) render_block(b, out);
}

}  // namespace

std::string escape_markdown(const std::string& text) {
    // One line: a newline would end a table row or a list item.
    std::string flat;
    for (char c : text) flat += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    std::size_t start = flat.find_first_not_of(' ');
    flat = start == std::string::npos ? "" : flat.substr(start);

    std::string out;
    for (std::size_t i = 0; i < flat.size(); ++i) {
        const char c = flat[i];
        switch (c) {
            case '\\':
            case '`':
            case '*':
            case '[':
            case ']':
            case '<':
            case '>':
            case '|':
            case '&':
            case '~':
                out += '\\';
                break;
            case '_': {
                // Inside a word ("regulated_national") an underscore is never emphasis.
                bool inside =
                    i > 0 && i + 1 < flat.size() && is_word(flat[i - 1]) && is_word(flat[i + 1]);
                if (!inside) out += '\\';
                break;
            }
            case '#':
            case '+':
            case '-':
            case '=':
                // At the start of a line these open a heading, a list or an underline.
                if (i == 0) out += '\\';
                break;
            case '.':
            case ')': {
                // "1. " at the start of a line opens a numbered list; "3.5" does not.
                bool all_digits = i > 0 && (i + 1 == flat.size() || flat[i + 1] == ' ');
                for (std::size_t k = 0; k < i; ++k)
                    all_digits = all_digits && is_word(flat[k]) &&
                                 std::isdigit(static_cast<unsigned char>(flat[k]));
                if (all_digits) out += '\\';
                break;
            }
            default:
                break;
        }
        out += c;
    }
    return out;
}

std::string render_statement_markdown(const Statement& st) {
    std::string out = "# " + escape_markdown(st.title) + "\n\n";
    for (const StatementBlock& b : st.preamble) render_block(b, out);
    for (const StatementSection& s : st.body) render_section(s, out);
    if (!st.annex.empty()) out += "---\n\n";
    for (const StatementSection& s : st.annex) render_section(s, out);
    // One trailing newline, not two.
    while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') {
        out.pop_back();
    }
    return out;
}

}  // namespace mcre::engine
