#include <catch2/catch.hpp>

#include "tests/lint/lint_test_support.hpp"

using mcre::lint_test::lint;
using mcre::lint_test::with_code;

TEST_CASE("kind combinations no check and no cap covers are listed in one warning") {
    auto found = lint(R"P(
  rule size for micro_credential, vocational_l5, non_formal
    require credential.workload <= 30 ects else reject SIZE "big" cite "x"
  cap bachelor in bachelor, master, integrated, short_cycle at most 60 ects cite "x")P");
    auto w = with_code(found, "W3112");
    REQUIRE(w.size() == 1);
    CHECK(w[0].message == "no check and no cap covers: course_units in doctoral");
    auto uncapped = with_code(found, "W3113");
    REQUIRE(uncapped.size() == 1);
    CHECK(uncapped[0].message ==
          "no cap always limits the credit recognized for: "
          "micro_credential in doctoral, vocational_l5 in doctoral, "
          "non_formal in doctoral");
}

TEST_CASE("excluded combinations need no cap; a full policy has no gaps") {
    auto found = lint(R"P(
  exclude out in doctoral when programme.kind == doctoral
    then not_applicable OUT "not covered" cite "x"
  rule size require credential.workload <= 30 ects else reject SIZE "big" cite "x"
  cap all in bachelor, master, integrated, short_cycle at most 60 ects cite "x")P");
    CHECK(with_code(found, "W3112").empty());
    CHECK(with_code(found, "W3113").empty());
}
