#include <catch2/catch.hpp>

#include "tests/lint/lint_test_support.hpp"

using mcre::lint_test::lint;
using mcre::lint_test::notes_of;
using mcre::lint_test::with_code;

TEST_CASE("a requirement that never holds: the rule can never pass, with a witness") {
    auto found = lint(R"P(
  rule size for micro_credential in bachelor
    require credential.workload < 3 ects and credential.workload > 30 ects
    else reject WORKLOAD "outside 3 to 30 ECTS" cite "5(d)")P");
    auto w = with_code(found, "W3102");
    REQUIRE(w.size() == 1);
    CHECK(w[0].message ==
          "rule 'size' can never pass: its requirement holds for no credential "
          "it applies to, so each one is not recognized");
    CHECK(notes_of(w[0]) ==
          "witness: a micro_credential in a bachelor programme with "
          "credential.workload = 3 ECTS fails 'size'\n");
}

TEST_CASE("a satisfiable size rule draws no reachability warning") {
    auto found = lint(R"P(
  param mc_min = 3 ects cite "5(d)"
  param mc_max = 30 ects cite "5(d)"
  rule size for micro_credential
    require credential.workload between mc_min and mc_max
    else reject WORKLOAD "outside" cite "5(d)")P");
    CHECK(with_code(found, "W3101").empty());
    CHECK(with_code(found, "W3102").empty());
    CHECK(with_code(found, "W3103").empty());
}

TEST_CASE("parameters that make a requirement always true: the rule can never fail") {
    auto found = lint(R"P(
  param lowest = 1 cite "x"
  rule level
    require credential.level >= lowest
    else reject LEVEL "too low" cite "x")P");
    auto w = with_code(found, "W3101");
    REQUIRE(w.size() == 1);
    CHECK(w[0].message.starts_with("rule 'level' can never fail"));
}

TEST_CASE("a 'when' that contradicts the scope: the rule never applies") {
    auto found = lint(R"P(
  rule vet_size for vocational_l5
    when credential.kind == micro_credential
    require credential.workload <= 30 ects
    else reject WORKLOAD "too large" cite "x")P");
    auto w = with_code(found, "W3103");
    REQUIRE(w.size() == 1);
    CHECK(w[0].message.starts_with("rule 'vet_size' never applies"));
}

TEST_CASE("an exclusion whose condition never holds in its scope never applies") {
    auto found = lint(R"P(
  exclude tiny for micro_credential
    when credential.level > 8
    then reject LEVEL "no such level" cite "x")P");
    auto w = with_code(found, "W3103");
    REQUIRE(w.size() == 1);
    CHECK(w[0].message.starts_with("exclusion 'tiny' never applies"));
}

TEST_CASE("an exclusion that holds for every stated value always applies, with a witness") {
    auto found = lint(R"P(
  exclude any_size for micro_credential
    when credential.workload >= 0 ects
    then refer SIZE "look at it" cite "x")P");
    auto w = with_code(found, "W3104");
    REQUIRE(w.size() == 1);
    CHECK(notes_of(w[0]) ==
          "witness: a micro_credential in any programme with "
          "credential.workload = 0 ECTS is referred\n");
}

TEST_CASE("an exclusion that only restates its scope is the idiom, not a finding") {
    auto found = lint(R"P(
  exclude rpl for non_formal
    when credential.kind == non_formal
    then refer NON_FORMAL_RPL "assessed individually" cite "5(k)")P");
    CHECK(with_code(found, "W3104").empty());
    CHECK(with_code(found, "W3103").empty());
}

TEST_CASE("expressions the analysis cannot invert produce nothing") {
    auto found = lint(R"P(
  param recency = 5 years cite "x"
  rule recent
    require credential.issued >= application.date - recency and credential.issued < application.date
    else reject TOO_OLD "too old" cite "x")P");
    CHECK(with_code(found, "W3101").empty());
    CHECK(with_code(found, "W3102").empty());
}
