#include <catch2/catch.hpp>

#include "tests/lint/lint_test_support.hpp"

using mcre::lint_test::lint;
using mcre::lint_test::notes_of;
using mcre::lint_test::with_code;

TEST_CASE("two rules with disjoint requirements on the same credentials contradict") {
    auto found = lint(R"P(
  rule small for micro_credential
    require credential.workload <= 10 ects
    else reject SMALL "too large" cite "x"
  rule large in bachelor
    require credential.workload >= 20 ects
    else reject LARGE "too small" cite "y")P");
    auto w = with_code(found, "W3105");
    REQUIRE(w.size() == 1);
    CHECK(w[0].message ==
          "rules 'small' and 'large' contradict: no credential they both apply to passes both");
    CHECK(notes_of(w[0]) ==
          "'small' passes only with credential.workload <= 10 ECTS\n"
          "'large' passes only with credential.workload >= 20 ECTS\n"
          "witness: a micro_credential in a bachelor programme with credential.workload = 0 "
          "ECTS passes 'small' but cannot pass 'large'\n");
}

TEST_CASE("rules whose scopes do not overlap do not contradict") {
    auto found = lint(R"P(
  rule small for micro_credential
    require credential.workload <= 10 ects
    else reject SMALL "too large" cite "x"
  rule large for vocational_l5
    require credential.workload >= 20 ects
    else reject LARGE "too small" cite "y"
  rule domestic when credential.issuer_country == "GE"
    require credential.qa in {"accredited_hei"}
    else reject QA "qa" cite "z"
  rule foreign when credential.issuer_country != "GE"
    require credential.qa in {"eqar_agency"}
    else reject QA "qa" cite "z")P");
    CHECK(with_code(found, "W3105").empty());
}

TEST_CASE("a warning cannot contradict a rule") {
    auto found = lint(R"P(
  rule small
    require credential.workload <= 10 ects
    else reject SMALL "too large" cite "x"
  rule large
    require credential.workload >= 20 ects
    else warn LARGE "small" cite "y")P");
    CHECK(with_code(found, "W3105").empty());
}
