#include <catch2/catch.hpp>

#include "tests/lint/lint_test_support.hpp"

using mcre::lint_test::lint;
using mcre::lint_test::with_code;

TEST_CASE("tables and level tables never used") {
    auto found = lint(R"P(
  table regulated : codes { "0421" "Law" } cite "x"
  table nqf : levels eqf -> nqf { 6 -> 6, 7 -> 7 } cite "x"
  rule size require credential.workload <= 30 ects else reject SIZE "big" cite "x")P");
    auto tables = with_code(found, "W3109");
    REQUIRE(tables.size() == 1);
    CHECK(tables[0].message == "table 'regulated' is never used");
    auto maps = with_code(found, "W3110");
    REQUIRE(maps.size() == 1);
    CHECK(maps[0].message == "level table 'nqf' is never used: no check reads credential.level");
}

TEST_CASE("used tables and level tables are not reported") {
    auto found = lint(R"P(
  table regulated : codes { "0421" "Law" } cite "x"
  table nqf : levels eqf -> nqf { 6 -> 6, 7 -> 7 } cite "x"
  exclude law when programme.field in regulated then reject LAW "law" cite "x"
  rule level require credential.level >= 6 else reject LEVEL "low" cite "x")P");
    CHECK(with_code(found, "W3109").empty());
    CHECK(with_code(found, "W3110").empty());
}

TEST_CASE("ISCED-F codes that do not exist, in tables and parameters") {
    auto found = lint(R"P(
  table regulated : codes { "0421" "Law", "0620" "Nothing", "0912" "Medicine" } cite "x"
  param pilot = {"04", "06", "11"} cite "x"
  exclude law when programme.field in regulated then reject LAW "law" cite "x"
  exclude pilot when programme.field not in pilot then not_applicable PILOT "no" cite "x")P");
    auto w = with_code(found, "W3111");
    REQUIRE(w.size() == 2);
    CHECK(w[0].message == "table 'regulated': \"0620\" (Nothing) is not an ISCED-F 2013 field");
    CHECK(w[1].message == "\"11\" (parameter 'pilot') is not an ISCED-F 2013 field");
}

TEST_CASE("valid ISCED-F codes, including not further defined and not elsewhere classified") {
    auto found = lint(R"P(
  table fields : codes { "0611" "a", "0612" "b", "0613" "c", "0619" "d", "0688" "e",
                         "0610" "f", "0600" "g", "10" "h", "104" "i", "1041" "j", "99" "k" } cite "x"
  exclude f when programme.field in fields then reject F "f" cite "x")P");
    CHECK(with_code(found, "W3111").empty());
}
