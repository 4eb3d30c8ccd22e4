// The statement as one self-contained HTML page: inline CSS, no scripts, no external
// resources; UTF-8; printable on A4 with the annex starting on a new page. Every text is
// escaped, so a title is shown as written, whatever characters it holds.

#include <string>

#include "engine/statement.hpp"

namespace mcre::engine {

namespace {

constexpr const char* style = R"(
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; line-height: 1.45;
       color: #111; max-width: 52em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.4em; }
h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #999; }
h3 { font-size: 1.05em; margin-top: 1.2em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.45em; text-align: left;
         vertical-align: top; overflow-wrap: anywhere; }
thead th { background: #eee; }
table.fields th { width: 12em; background: #f6f6f6; font-weight: 600; }
.annex { font-size: 0.9em; }
@page { size: A4; margin: 20mm 18mm 20mm 18mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  .annex { break-before: page; page-break-before: always; }
  tr, li, table.fields { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
}
)";

void render_block(const StatementBlock& b, std::string& out) {
    switch (b.kind) {
        case StatementBlock::Kind::Paragraph:
            out += "<p>" + escape_html(b.text) + "</p>\n";
            return;
        case StatementBlock::Kind::List:
            out += "<ul>\n";
            for (const std::string& item : b.items) out += "<li>" + escape_html(item) + "</li>\n";
            out += "</ul>\n";
            return;
        case StatementBlock::Kind::Fields:
            if (b.fields.empty()) return;
            out += "<table class=\"fields\">\n";
            for (const auto& [label, value] : b.fields) {
                out += "<tr><th scope=\"row\">" + escape_html(label) + "</th><td>" +
                       escape_html(value) + "</td></tr>\n";
            }
            out += "</table>\n";
            return;
        case StatementBlock::Kind::Table:
            out += "<table>\n<thead><tr>";
            for (const std::string& h : b.header)
                out += "<th scope=\"col\">" + escape_html(h) + "</th>";
            out += "</tr></thead>\n<tbody>\n";
            for (const auto& row : b.rows) {
                out += "<tr>";
                for (const std::string& c : row) out += "<td>" + escape_html(c) + "</td>";
                out += "</tr>\n";
            }
            out += "</tbody>\n</table>\n";
            return;
    }
}

void render_section(const StatementSection& s, std::string& out) {
    const std::string h = "h" + std::to_string(s.level);
    out += "<section id=\"" + escape_html(s.id) + "\">\n<" + h + ">" + escape_html(s.title) + "</" +
           h + ">\n";
    for (const StatementBlock& b : s.blocks) render_block(b, out);
    out += "</section>\n";
}

}  // namespace

std::string escape_html(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string render_statement_html(const Statement& st) {
    std::string out = "<!DOCTYPE html>\n<html lang=\"" + escape_html(st.lang) + "\">\n<head>\n";
    out += "<meta charset=\"utf-8\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += "<title>" + escape_html(st.title) + "</title>\n";
    out += "<style>" + std::string(style) + "</style>\n</head>\n<body>\n";
    out += "<header>\n<h1>" + escape_html(st.title) + "</h1>\n";
    for (const StatementBlock& b : st.preamble) render_block(b, out);
    out += "</header>\n<main>\n";
    for (const StatementSection& s : st.body) render_section(s, out);
    out += "</main>\n";
    if (!st.annex.empty()) {
        out += "<div class=\"annex\">\n";
        for (const StatementSection& s : st.annex) render_section(s, out);
        out += "</div>\n";
    }
    out += "</body>\n</html>\n";
    return out;
}

}  // namespace mcre::engine
