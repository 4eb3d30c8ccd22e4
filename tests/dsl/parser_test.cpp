#include "dsl/parser.hpp"

#include <catch2/catch.hpp>

namespace mcre::dsl {
namespace {

ParseResult parse_text(const std::string& text) { return parse(SourceFile("t.policy", text)); }

const char* every_construct = R"POLICY(# a comment
policy georgia {
  title "Georgia: ქართული პოლიტიკა"   # UTF-8 in strings
  jurisdiction GE
  version "2026.1"
  in force from 2026-09-01 until 2028-08-31
  source "White paper, section 5"
  source "Domain notes"
  param mc_min_ects = 3 ects cite "item (d)"
  param hours = 25 hours cite "h"
  param recency = 5 years cite "r"
  param grace = 6 months cite "g"
  param days_ = 30 days cite "d"
  param share = 25 % cite "s"
  param start = 2026-09-01 cite "s"
  param fields = {"04", "06"} cite "f"
  param levels = {6, 7} cite "l"
  param name = "text" cite "n"
  table sectoral : codes { "0911" "Dental studies", "0912" "Medicine" } cite "dir"
  table pilot : institutions { "GTU" "Georgian Technical University" "UG" } cite "order"
  table eqf_nqf : levels eqf -> nqf { 5 -> 5, 6 -> 6 } cite "ref"
  table am_levels : levels nqf AM -> eqf { 6 -> 6 7 -> 7 } cite "ref"
  convert hours to ects at hours per ects round down to 0.5 ects cite "c"
  allocate by issued then id partial not allowed cite "a"
  exclude regulated for micro_credential, vocational_l5 in bachelor, master
    when programme.field in sectoral
    then reject REGULATED "no credit into {programme.field}" cite "l"
  rule size for micro_credential
    when credential.kind == micro_credential or not (credential.hours is missing)
    require credential.workload between mc_min_ects and 30 ects
      and credential.field not in fields and credential.title is present
      and credential.issued >= application.date - recency + grace
      and min(ects(credential.hours), 2 ects) <= max(1 ects, 2 ects)
      and credential.level != 5 and credential.level < 9 and credential.level > 0
    else refer SIZE "{mc_min_ects} \"quoted\" {{literal}}" cite "d"
  cap overall in bachelor at most 60 ects cite "m"
  cap share_cap for vocational_l5 when programme.regulated == false at most share of programme.total_ects cite "m"
}
)POLICY";

TEST_CASE("the parser accepts every construct of the language", "[dsl]") {
    ParseResult r = parse_text(every_construct);
    REQUIRE(r.diagnostics.empty());
    REQUIRE(r.policy);
    const ast::Policy& p = *r.policy;
    CHECK(p.id.name == "georgia");
    CHECK(p.settings.size() == 6);
    CHECK(p.settings[0].values[0].text == "Georgia: ქართული პოლიტიკა");
    CHECK(p.params.size() == 10);
    CHECK(p.params[0].values[0].value.kind == ast::ExprKind::Number);
    CHECK(p.params[0].values[0].value.text == "ects");
    CHECK(p.params[5].values[0].value.text == "%");
    CHECK(p.tables.size() == 4);
    CHECK(p.tables[1].entries.size() == 2);
    CHECK(p.tables[1].entries[1].label.empty());
    CHECK(p.tables[3].from_country.name == "AM");
    CHECK(p.conversions.front().rounding == "down");
    CHECK(p.conversions.front().step == 0.5);
    CHECK(p.allocations.front().partial == false);
    REQUIRE(p.rules.size() == 2);
    CHECK(p.rules[0].exclusion);
    CHECK(p.rules[0].scope.credential_kinds.size() == 2);
    CHECK(p.rules[0].scope.programme_kinds.size() == 2);
    CHECK(p.rules[1].outcome.kind.name == "refer");
    CHECK(p.rules[1].outcome.code.name == "SIZE");
    CHECK(p.caps.size() == 2);
    CHECK(p.caps[1].limit.text == "of");
}

TEST_CASE("operators bind as documented", "[dsl]") {
    auto r = parse_text("policy p { param x = a or b and not c == 1 + 2 cite \"c\" }");
    REQUIRE(r.policy);
    const ast::Expr& e = r.policy->params[0].values[0].value;
    // a or (b and (not (c == (1 + 2))))
    REQUIRE(e.text == "or");
    const ast::Expr& rhs = e.args[1];
    REQUIRE(rhs.text == "and");
    REQUIRE(rhs.args[1].kind == ast::ExprKind::Not);
    const ast::Expr& cmp = rhs.args[1].args[0];
    CHECK(cmp.text == "==");
    CHECK(cmp.args[1].text == "+");
}

TEST_CASE("spans point at the node in the source", "[dsl]") {
    std::string text = "policy p {\n  param limit = 30 ects cite \"c\"\n}\n";
    auto r = parse(SourceFile("t.policy", text));
    REQUIRE(r.policy);
    const ast::Param& p = r.policy->params[0];
    CHECK(text.substr(p.name.span.begin, p.name.span.end - p.name.span.begin) == "limit");
    CHECK(text.substr(p.values[0].value.span.begin,
                      p.values[0].value.span.end - p.values[0].value.span.begin) == "30 ects");
}

TEST_CASE("a byte-order mark and Windows line endings are accepted", "[dsl]") {
    auto r = parse_text("\xEF\xBB\xBFpolicy p {\r\n  param a = 3 ects cite \"c\"\r\n}\r\n");
    CHECK(r.diagnostics.empty());
    CHECK(r.policy.has_value());
}

TEST_CASE("absurdly deep nesting is a syntax error, not a crash", "[dsl]") {
    std::string deep = "policy p { param a = " + std::string(20000, '(') + "1 ects" +
                       std::string(20000, ')') + " cite \"c\" }";
    auto r = parse_text(deep);
    CHECK_FALSE(r.policy);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK_THAT(r.diagnostics[0].message,
               Catch::Matchers::StartsWith("expected an expression nested at most 64 deep"));
    std::string not_chain;
    for (int i = 0; i < 5000; ++i) not_chain += "not ";
    auto r2 = parse_text("policy p { param a = " + not_chain + "true cite \"c\" }");
    CHECK_FALSE(r2.policy);
    std::string chain = "1 ects";
    for (int i = 0; i < 50000; ++i) chain += " + 1 ects";
    auto r3 = parse_text("policy p { param a = " + chain + " cite \"c\" }");
    CHECK_FALSE(r3.policy);
    REQUIRE(r3.diagnostics.size() == 1);
    CHECK_THAT(r3.diagnostics[0].message,
               Catch::Matchers::StartsWith("expected an expression of at most 256 operators"));
    auto ok = parse_text("policy p { param a = " + std::string(30, '(') + "1 ects" +
                         std::string(30, ')') + " cite \"c\" }");
    CHECK(ok.policy.has_value());
}

struct BadCase {
    const char* text;
    int line;
    int column;
    const char* message;
};

TEST_CASE("broken policies are rejected at the right place", "[dsl]") {
    auto c = GENERATE(values<BadCase>({
        {"polcy p {}", 1, 1, "expected 'policy', found 'polcy'"},
        {"policy p {\n  param a = 3 ects\n}", 3, 1, "expected cite \"...\", found '}'"},
        {"policy p {\n  rule r requir x else reject A \"m\" cite \"c\"\n}", 2, 10,
         "expected 'require', found 'requir'"},
        {"policy p {\n  paramm a = 3 cite \"c\"\n}", 2, 3, "expected a statement"},
        {"policy p {\n  title \"unterminated\n}", 2, 22,
         "expected '\"', found the end of the line"},
        {"policy p {\n  rule r require a > else reject A \"m\" cite \"c\"\n}", 2, 22,
         "expected a value, found 'else'"},
        {"policy p {\n  exclude e when a then reject \"m\" cite \"c\"\n}", 2, 32,
         "expected a reason code such as WORKLOAD"},
        {"policy p {\n  table t : levels eqf nqf { 1 -> 1 } cite \"c\"\n}", 2, 24, "expected '->'"},
        {"policy p {}\nextra", 2, 1, "expected the end of the file, found 'extra'"},
        {"policy p {\n  param a = (1 + 2 cite \"c\"\n}", 2, 20, "expected ')'"},
        {"policy p {\n  param a = x is absent cite \"c\"\n}", 2, 18,
         "expected 'missing' or 'present'"},
    }));
    SourceFile f("t.policy", c.text);
    ParseResult r = parse(f);
    INFO(c.text);
    CHECK_FALSE(r.policy);
    REQUIRE(r.diagnostics.size() == 1);
    Location at = f.location(r.diagnostics[0].span.begin);
    CHECK(at.line == c.line);
    CHECK(at.column == c.column);
    CHECK_THAT(r.diagnostics[0].message, Catch::Matchers::StartsWith(c.message));
}

}  // namespace
}  // namespace mcre::dsl
