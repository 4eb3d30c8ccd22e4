// The formatter keeps every token and comment, is idempotent on everything the project
// ships (policies and the docs' examples), and lays a messy policy out as the golden file.

#include "dsl/format/formatter.hpp"

#include <catch2/catch.hpp>
#include <sstream>

#include "dsl/diagnostic_render.hpp"
#include "dsl/parser.hpp"
#include "tests/support/files.hpp"
#include "tests/support/golden.hpp"

namespace mcre::dsl {
namespace {

std::string format_text(const std::string& name, const std::string& text) {
    SourceFile source(name, text);
    FormatResult result = format_policy(source);
    INFO(render_all(result.diagnostics, source));
    REQUIRE(result.text.has_value());
    return *result.text;
}

// Formatting twice changes nothing, and the tokens and comments are the original's.
void check_stable(const std::string& name, const std::string& text) {
    std::string once = format_text(name, text);
    CHECK(format_text(name, once) == once);
    CHECK(formatting::same_tokens(formatting::tokenize(text).tokens,
                                  formatting::tokenize(once).tokens));
}

std::vector<std::pair<int, std::string>> mcre_blocks(const std::string& markdown) {
    std::vector<std::pair<int, std::string>> blocks;
    std::istringstream in(markdown);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.rfind("```mcre", 0) != 0) continue;
        int start = number;
        std::string block;
        while (std::getline(in, line)) {
            ++number;
            if (line.rfind("```", 0) == 0) break;
            block += line + "\n";
        }
        blocks.emplace_back(start, block);
    }
    return blocks;
}

const char* const minimal_header =
    "policy p {\n  title \"t\"\n  jurisdiction GE\n  version \"1\"\n  in force from "
    "2026-09-01\n";

TEST_CASE("a messy policy formats to the canonical text", "[fmt]") {
    std::string path = test::source_path("tests/fmt/data/messy.policy");
    std::string formatted = format_text(path, test::read_text(path));
    test::GoldenResult golden =
        test::compare_golden(test::source_path("tests/fmt/data/messy.formatted.policy"), formatted);
    INFO(golden.report);
    CHECK(golden.matches);
}

TEST_CASE("formatting keeps every token and every comment", "[fmt]") {
    std::string path = test::source_path("tests/fmt/data/messy.policy");
    std::string text = test::read_text(path);
    std::string formatted = format_text(path, text);
    auto before = formatting::tokenize(text).tokens;
    auto after = formatting::tokenize(formatted).tokens;
    CHECK(formatting::same_tokens(before, after));
    auto comments = [](const std::vector<formatting::Token>& tokens) {
        return std::count_if(tokens.begin(), tokens.end(), [](const formatting::Token& t) {
            return t.kind == formatting::TokenKind::Comment;
        });
    };
    CHECK(comments(after) == comments(before));
    CHECK(comments(before) >= 10);
    CHECK(parse(SourceFile("formatted", formatted)).policy.has_value());
}

TEST_CASE("formatting is idempotent on every shipped policy", "[fmt]") {
    auto files = test::files_in(test::source_path("policies"), ".policy");
    REQUIRE(files.size() >= 3);
    for (const std::string& file : files) {
        DYNAMIC_SECTION(file) { check_stable(file, test::read_text(file)); }
    }
}

TEST_CASE("formatting is idempotent on every policy example in the docs", "[fmt][docs]") {
    auto blocks = mcre_blocks(test::read_text(test::source_path("docs/language.md")));
    REQUIRE(blocks.size() >= 5);
    for (const auto& [line, text] : blocks) {
        DYNAMIC_SECTION("docs/language.md:" << line) {
            check_stable("docs/language.md:" + std::to_string(line), text);
        }
    }
}

TEST_CASE("a file that does not parse is refused with the parse error", "[fmt]") {
    SourceFile source(
        "broken.policy",
        std::string(minimal_header) + "  param x = 3 ects\n  param y = 4 ects cite \"c\"\n}\n");
    FormatResult result = format_policy(source);
    CHECK_FALSE(result.text.has_value());
    REQUIRE_FALSE(result.diagnostics.empty());
    CHECK(result.diagnostics[0].code == "E1001");
    CHECK(render(result.diagnostics[0], source).find("broken.policy:7:3: error: expected cite") !=
          std::string::npos);

    SourceFile unterminated("open.policy", "policy p {\n  title \"never closed\n}\n");
    CHECK_FALSE(format_policy(unterminated).text.has_value());
}

TEST_CASE("comments move with their line and blank lines collapse to one", "[fmt]") {
    std::string text = std::string("# top\n\n\n") + minimal_header +
                       "\n\n\n        # about x\n"
                       "param x = 3 ects cite \"c\"     # trailing\n"
                       "\n"
                       "   # last words\n"
                       "\n"
                       "}\n";
    CHECK(format_text("t", text) == std::string("# top\n\n") + minimal_header +
                                        "\n"
                                        "  # about x\n"
                                        "  param x = 3 ects\n"
                                        "    cite \"c\" # trailing\n"
                                        "\n"
                                        "  # last words\n"
                                        "}\n");
}

TEST_CASE("a comment inside a clause breaks it and a commented set opens up", "[fmt]") {
    std::string text = std::string(minimal_header) +
                       "  param s = {\"04\", # business\n\"06\"} cite \"c\"\n"
                       "  rule r require # why\n credential.level in s else reject L \"m\" cite "
                       "\"c\"\n}\n";
    CHECK(format_text("t", text) == std::string(minimal_header) +
                                        "  param s = {\n"
                                        "      \"04\", # business\n"
                                        "      \"06\"\n"
                                        "  }\n"
                                        "    cite \"c\"\n"
                                        "  rule r\n"
                                        "    require # why\n"
                                        "        credential.level in s\n"
                                        "    else reject L \"m\"\n"
                                        "    cite \"c\"\n"
                                        "}\n");
}

TEST_CASE("a parameter named like a statement keyword stays in its statement", "[fmt]") {
    std::string text = std::string(minimal_header) +
                       "  param source = 3 ects cite \"c\" param version = source cite \"d\"\n}\n";
    CHECK(format_text("t", text) == std::string(minimal_header) +
                                        "  param source = 3 ects\n"
                                        "    cite \"c\"\n"
                                        "  param version = source\n"
                                        "    cite \"d\"\n"
                                        "}\n");
}

TEST_CASE("blocks the formatter has no rule for keep their author's lines", "[fmt]") {
    // Layout only: `scenario` is not in the grammar.
    std::string text =
        "policy p {\n  title \"t\"\n"
        "scenario small {\n      given {\n  credential c1 {ects = 5}\n}\n   expect c1 recognized "
        "}\n"
        "}\n";
    std::string formatted = formatting::render(formatting::tokenize(text).tokens);
    CHECK(formatted ==
          "policy p {\n  title \"t\"\n"
          "  scenario small {\n    given {\n      credential c1 {ects = 5}\n    }\n"
          "    expect c1 recognized\n  }\n}\n");
    CHECK(formatting::render(formatting::tokenize(formatted).tokens) == formatted);
}

TEST_CASE("a test block has one statement per line, whatever the author's lines", "[fmt]") {
    std::string text = std::string(minimal_header) +
                       "test t { application \"a.yaml\" as of 2027-09-01 expect \"c1\"\n"
                       "recognized 6 ects expect \"c2\" not_recognized because A , B not\n"
                       "   because C expect total 6 ects }\n"
                       "override test u {\napplication \"b.yaml\"\n\n\nexpect \"c1\" referred\n}\n"
                       "remove test v cite \"c\"\n}\n";
    std::string expected = std::string(minimal_header) +
                           "  test t {\n"
                           "    application \"a.yaml\"\n"
                           "    as of 2027-09-01\n"
                           "    expect \"c1\" recognized 6 ects\n"
                           "    expect \"c2\" not_recognized because A, B not because C\n"
                           "    expect total 6 ects\n"
                           "  }\n"
                           "  override test u {\n"
                           "    application \"b.yaml\"\n"
                           "\n"
                           "    expect \"c1\" referred\n"
                           "  }\n"
                           "  remove test v\n"
                           "    cite \"c\"\n"
                           "}\n";
    CHECK(format_text("t", text) == expected);
    CHECK(format_text("t", expected) == expected);
}

TEST_CASE("an inline application is kept byte for byte", "[fmt]") {
    // Trailing blanks, a tab, odd indentation, a # and a lone quote: all YAML's business.
    const std::string yaml =
        "\n id: a   \n        weird: [ x ]  # not a policy comment\n\t\"q\n\n\n   ";
    std::string text = std::string(minimal_header) + "  test t {\n      application \"\"\"" + yaml +
                       "\"\"\"   expect  \"c1\" recognized }\n}\n";
    std::string formatted = format_text("t", text);
    CHECK(formatted == std::string(minimal_header) + "  test t {\n    application \"\"\"" + yaml +
                           "\"\"\"\n    expect \"c1\" recognized\n  }\n}\n");
    check_stable("t", text);
}

TEST_CASE("an exception is laid out like a rule", "[fmt]") {
    std::string text = std::string(minimal_header) +
                       "exception small to total over other in bachelor when programme.regulated "
                       "== true at most 10 ects cite \"c\"\n"
                       "override exception vet to level for vocational_l5 when credential.qa == "
                       "\"vet\" exempt cite \"c\"\n"
                       "exception other to total require credential.ects <= 5 ects else reject "
                       "SMALL \"m\" cite \"c\" exception last to level then refer R \"m\" cite "
                       "\"c\"\n}\n";
    std::string expected = std::string(minimal_header) +
                           "  exception small to total over other in bachelor\n"
                           "    when programme.regulated == true\n"
                           "    at most 10 ects\n"
                           "    cite \"c\"\n"
                           "  override exception vet to level for vocational_l5\n"
                           "    when credential.qa == \"vet\"\n"
                           "    exempt\n"
                           "    cite \"c\"\n"
                           "  exception other to total\n"
                           "    require credential.ects <= 5 ects\n"
                           "    else reject SMALL \"m\"\n"
                           "    cite \"c\"\n"
                           "  exception last to level\n"
                           "    then refer R \"m\"\n"
                           "    cite \"c\"\n"
                           "}\n";
    CHECK(format_text("t", text) == expected);
    CHECK(format_text("t", expected) == expected);
}

}  // namespace
}  // namespace mcre::dsl
