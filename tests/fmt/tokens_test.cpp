#include "dsl/format/tokens.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace mcre::dsl::formatting {
namespace {

std::string kinds_and_texts(std::string_view text) {
    TokenizeResult result = tokenize(text);
    REQUIRE(result.diagnostics.empty());
    std::string out;
    for (const Token& t : result.tokens) {
        static constexpr const char* names[] = {"word", "number",  "date", "string",
                                                "op",   "comment", "other"};
        out += std::string(names[static_cast<int>(t.kind)]) + ":" + std::string(t.text) + " ";
    }
    return out;
}

TEST_CASE("dates, numbers and paths are single tokens", "[fmt][tokens]") {
    CHECK(kinds_and_texts("2026-09-01 2026-9-01 0.5 .5 3. 1e3 5ects credential.workload") ==
          "date:2026-09-01 number:2026 op:- number:9 op:- number:01 number:0.5 number:.5 "
          "number:3. number:1e3 number:5 word:ects word:credential.workload ");
}

TEST_CASE("operators are read longest first", "[fmt][tokens]") {
    CHECK(kinds_and_texts("== != <= >= -> = + - < > ( ) { } , : . % ;") ==
          "op:== op:!= op:<= op:>= op:-> op:= op:+ op:- op:< op:> op:( op:) op:{ op:} op:, "
          "op:: op:. op:% other:; ");
}

TEST_CASE("strings keep their escapes and UTF-8; # inside a string is text", "[fmt][tokens]") {
    CHECK(kinds_and_texts(R"("a \"b\" \\ # c" "ქართული")") ==
          R"(string:"a \"b\" \\ # c" string:"ქართული" )");
}

TEST_CASE("comments run to the end of the line, trailing blanks dropped", "[fmt][tokens]") {
    TokenizeResult result = tokenize("a # one  \n\n\n  # two\nb");
    REQUIRE(result.tokens.size() == 4);
    CHECK(result.tokens[1].text == "# one");
    CHECK_FALSE(result.tokens[1].line_start);
    CHECK(result.tokens[2].line_start);
    CHECK(result.tokens[2].blank_line_before);
    CHECK(result.tokens[3].line_start);
    CHECK_FALSE(result.tokens[3].blank_line_before);
}

TEST_CASE("an unterminated string is a diagnostic", "[fmt][tokens]") {
    TokenizeResult result = tokenize("title \"no end\nversion \"1\"");
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].code == "E1001");
    CHECK(result.diagnostics[0].span.begin == 6);
}

TEST_CASE("an inline application between triple quotes is one token, lines and all",
          "[fmt][tokens]") {
    TokenizeResult result = tokenize("application \"\"\"\n  id: \"a\" # x\n\"\"\" expect");
    REQUIRE(result.diagnostics.empty());
    REQUIRE(result.tokens.size() == 3);
    CHECK(result.tokens[1].kind == TokenKind::String);
    CHECK(result.tokens[1].text == "\"\"\"\n  id: \"a\" # x\n\"\"\"");
    CHECK_FALSE(result.tokens[2].line_start);

    TokenizeResult open = tokenize("application \"\"\"\n  id: a\n");
    REQUIRE(open.diagnostics.size() == 1);
    CHECK(open.diagnostics[0].code == "E1001");
    CHECK(open.diagnostics[0].span.begin == 12);
}

TEST_CASE("same_tokens ignores layout only", "[fmt][tokens]") {
    CHECK(same_tokens(tokenize("a  =\n 3 # c").tokens, tokenize("a = 3 # c").tokens));
    CHECK_FALSE(same_tokens(tokenize("a = 3 # c").tokens, tokenize("a = 3 # d").tokens));
    CHECK_FALSE(same_tokens(tokenize("a = 3").tokens, tokenize("a = 3 , ").tokens));
}

}  // namespace
}  // namespace mcre::dsl::formatting
