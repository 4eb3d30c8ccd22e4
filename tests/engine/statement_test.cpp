// The applicant's statement (engine/statement.hpp): what the reader of the Markdown or the
// HTML page sees, whatever the application's titles hold.

#include "engine/statement.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "engine/evaluator.hpp"
#include "tests/engine/policy_builder.hpp"

namespace mcre::engine {
namespace {

using namespace mcre::test;

rules::Policy statement_policy() {
    rules::Policy p = policy();
    p.rules.push_back(rule("workload", "WORKLOAD",
                           between(attr(Attr::CredentialWorkload),
                                   param("mc_min_ects", Value::of_number(Type::Ects, 3)),
                                   param("mc_max_ects", Value::of_number(Type::Ects, 30)))));
    return p;
}

Decision decide(std::vector<Credential> credentials) {
    return evaluate(statement_policy(), application(std::move(credentials)));
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

// Pipes that separate cells: those not escaped with a backslash.
std::size_t cell_pipes(const std::string& line) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++n;
    }
    return n;
}

TEST_CASE("a hostile title is text in the HTML statement, never markup", "[engine][statement]") {
    Credential c = credential("c1", 6);
    c.title = "<script>alert(\"x\")</script> & 'co'";
    c.awarding_body = "<img src=x onerror=alert(1)>";
    std::string html = render_statement_html(build_statement(decide({c})));
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;") !=
          std::string::npos);
    CHECK(html.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
    // Self-contained: nothing is fetched from elsewhere.
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
}

TEST_CASE("the HTML statement is a printable UTF-8 page with the annex on its own pages",
          "[engine][statement]") {
    std::string html = render_statement_html(build_statement(decide({credential("c1", 6)})));
    CHECK(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0);
    CHECK(html.find("<meta charset=\"utf-8\">") != std::string::npos);
    CHECK(html.find("@page { size: A4;") != std::string::npos);
    CHECK(html.find(".annex { break-before: page; page-break-before: always; }") !=
          std::string::npos);
    CHECK(html.find("<div class=\"annex\">") != std::string::npos);
    CHECK(html.find("<section id=\"appeal\">") < html.find("<div class=\"annex\">"));
}

TEST_CASE("Georgian and Armenian titles come out intact in both formats", "[engine][statement]") {
    const std::string georgian = "კომპიუტერული ქსელები და სისტემები";
    const std::string armenian = "Կիրառական մաթեմատիկա և ինֆորմատիկա";
    Credential ka = credential("c1", 6);
    ka.title = georgian;
    Credential hy = credential("c2", 2);  // refused: its title is in the reasons part too
    hy.title = armenian;
    hy.awarding_body = "Երևանի պետական համալսարան";
    Application app = application({ka, hy});
    app.learner_name = "ნინო ბერიძე";
    app.programme.title = "Ինֆորմատիկա";
    Statement st = build_statement(evaluate(statement_policy(), app));
    for (const std::string& out : {render_statement_html(st), render_statement_markdown(st)}) {
        CHECK(count(out, georgian) >= 2);  // the summary table and the credential's section
        CHECK(count(out, armenian) >= 2);
        CHECK(out.find("Երևանի պետական համալսարան") != std::string::npos);
        CHECK(out.find("ნინო ბერიძე (L1)") != std::string::npos);
        CHECK(out.find("Ինֆորմատիկա (P1)") != std::string::npos);
    }
}

TEST_CASE("Markdown escapes pipes and markup in user text", "[engine][statement]") {
    CHECK(escape_markdown("A | B") == "A \\| B");
    CHECK(escape_markdown("*bold* [link](x) <b>") == "\\*bold\\* \\[link\\](x) \\<b\\>");
    CHECK(escape_markdown("# not a heading") == "\\# not a heading");
    CHECK(escape_markdown("2026. A year") == "2026\\. A year");
    CHECK(escape_markdown("3.5") == "3.5");
    CHECK(escape_markdown("line\nbreak") == "line break");
    // Inside a word an underscore is never emphasis, so rule names stay readable.
    CHECK(escape_markdown("regulated_national _x_") == "regulated_national \\_x\\_");

    Credential c = credential("c1", 6);
    c.title = "Networks | Routing *and* Switching";
    c.awarding_body = "GTU | Faculty of Informatics";
    std::string md = render_statement_markdown(build_statement(decide({c})));
    CHECK(md.find("Networks \\| Routing \\*and\\* Switching") != std::string::npos);
    // Every row of every table has as many cells as its header.
    std::size_t header_pipes = 0;
    std::size_t rows = 0;
    std::string previous;
    std::size_t start = 0;
    while (start < md.size()) {
        std::size_t end = md.find('\n', start);
        std::string line = md.substr(start, end - start);
        start = end == std::string::npos ? md.size() : end + 1;
        if (line.rfind("|", 0) != 0) {
            header_pipes = 0;
            continue;
        }
        if (header_pipes == 0) header_pipes = cell_pipes(line);
        CHECK(cell_pipes(line) == header_pipes);
        ++rows;
    }
    CHECK(rows > 4);
}

TEST_CASE("the statement says what was refused, why, and how to ask for a review",
          "[engine][statement]") {
    Decision d = decide({credential("c1", 6), credential("c2", 2)});
    std::string md = render_statement_markdown(build_statement(d));
    CHECK(md.find("## What was recognized") != std::string::npos);
    CHECK(md.find("## What was not recognized, and why") != std::string::npos);
    CHECK(md.find("Recognized: 6 ECTS count towards your programme.") != std::string::npos);
    CHECK(md.find("Not recognized.") != std::string::npos);
    CHECK(md.find("## How to ask for a review") != std::string::npos);
    CHECK(md.find("cite the application id app-1 and the policy version test 1") !=
          std::string::npos);
    // The annex keeps the record: policy hash, the refusing rule's clause and citation.
    auto annex = md.find("## Annex: the record of the decision");
    REQUIRE(annex != std::string::npos);
    CHECK(md.find("- **Policy sha256:** 0123abcd", annex) != std::string::npos);
    CHECK(md.find("- **Code:** WORKLOAD", annex) != std::string::npos);
    CHECK(md.find("- **Clause:** test.policy:1:1", annex) != std::string::npos);
    CHECK(md.find("- **Citation:** clause workload", annex) != std::string::npos);
}

}  // namespace
}  // namespace mcre::engine
