#include <catch2/catch.hpp>

#include "tests/lint/lint_test_support.hpp"

using mcre::lint_test::lint;
using mcre::lint_test::with_code;

TEST_CASE("a sub-cap larger than the overall cap can never bind") {
    auto found = lint(R"P(
  cap overall in bachelor at most 30 ects cite "x"
  cap vocational for vocational_l5 in bachelor at most 40 ects cite "y")P");
    auto w = with_code(found, "W3106");
    REQUIRE(w.size() == 1);
    CHECK(w[0].message ==
          "cap 'vocational' (40 ECTS) can never bind: cap 'overall' counts the "
          "same credentials in the same programmes and allows at most 30 ECTS");
}

TEST_CASE("a sub-cap inside a larger cap, or under a conditional one, is fine") {
    auto found = lint(R"P(
  cap overall for micro_credential, vocational_l5 in bachelor at most 60 ects cite "x"
  cap vocational for vocational_l5 in bachelor at most 30 ects cite "y"
  table regulated : codes { "0421" "Law" } cite "z"
  cap electives when programme.field in regulated at most 10 ects cite "z"
  cap master for vocational_l5 in master at most 20 ects cite "z")P");
    CHECK(with_code(found, "W3106").empty());
    CHECK(with_code(found, "W3107").empty());
}

TEST_CASE("a constant cap above the smallest plausible programme total") {
    auto found = lint(R"P(
  cap master in master, bachelor at most 90 ects cite "x")P");
    auto w = with_code(found, "W3107");
    REQUIRE(w.size() == 1);
    CHECK(w[0].message ==
          "cap 'master' allows 90 ECTS, more than the smallest plausible total of: master (60 "
          "ECTS)");
}

TEST_CASE("a share above 100 %") {
    auto found = lint(R"P(
  cap bachelor in bachelor at most 120 % of programme.total_ects cite "x")P");
    auto w = with_code(found, "W3108");
    REQUIRE(w.size() == 1);
    CHECK(w[0].message == "share 120 % is more than 100 %");
    CHECK(with_code(lint(R"P(
  param share = 25 % cite "x"
  cap bachelor in bachelor at most share of programme.total_ects cite "x")P"),
                    "W3108")
              .empty());
}
