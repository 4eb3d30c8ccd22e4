#pragma once

// The decision statement for the applicant: plain words first (what was recognized, what
// was not and why, what could change it, how to ask for a review), then an annex with the
// clause-by-clause record for the file. Built once from the Decision as a neutral document
// (sections of paragraphs, lists, tables), then rendered as Markdown or HTML; the renderers
// add no content of their own, so both formats always say the same thing.

#include <string>
#include <utility>
#include <vector>

#include "engine/decision.hpp"

namespace mcre::engine {

// One block of a section. Every string is plain text, escaped by the renderer.
struct StatementBlock {
    enum class Kind { Paragraph, List, Table, Fields };
    Kind kind = Kind::Paragraph;
    std::string text;                                         // Paragraph
    std::vector<std::string> items;                           // List
    std::vector<std::string> header;                          // Table
    std::vector<std::vector<std::string>> rows;               // Table
    std::vector<std::pair<std::string, std::string>> fields;  // Fields: label, value
};

struct StatementSection {
    std::string id;     // a stable anchor: "summary", "appeal", "annex-c1"
    std::string title;  // plain text
    int level = 2;      // 2 for a section, 3 for a subsection
    std::vector<StatementBlock> blocks;
};

struct Statement {
    std::string lang = "en";  // the language of the statement's own wording
    std::string title;
    std::vector<StatementBlock> preamble;  // who, what programme, which policy
    std::vector<StatementSection> body;    // for the applicant
    std::vector<StatementSection> annex;   // the record for the file, printed on its own pages
};

[[nodiscard]] Statement build_statement(const Decision& decision);

// Deterministic renderings of the same statement. Markdown escapes every text (table pipes
// included); HTML is one self-contained, printable UTF-8 page (inline CSS, A4).
[[nodiscard]] std::string render_statement_markdown(const Statement& statement);
[[nodiscard]] std::string render_statement_html(const Statement& statement);

// Text made safe for the format: exposed for tests and other renderers.
[[nodiscard]] std::string escape_markdown(const std::string& text);
[[nodiscard]] std::string escape_html(const std::string& text);

}  // namespace mcre::engine
