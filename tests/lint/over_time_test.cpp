// W3114-W3115: days of the policy's own period on which a dated parameter has no value in
// force, and the caps and rules that then cannot be applied.

#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "dsl/diagnostic_render.hpp"
#include "rules/analysis/analyze.hpp"
#include "rules/checker.hpp"
#include "tests/lint/lint_test_support.hpp"

namespace {

using mcre::lint_test::notes_of;
using mcre::lint_test::with_code;
namespace dsl = mcre::dsl;
namespace rules = mcre::rules;

// A whole policy (its own header and period), extending `base` when one is given.
std::vector<dsl::Diagnostic> lint_policy(const std::string& text, const std::string& base = {}) {
    rules::PolicyFinder find = [&](const std::string&) -> std::optional<dsl::SourceFile> {
        if (base.empty()) return std::nullopt;
        return dsl::SourceFile("base.policy", base);
    };
    dsl::SourceFile source("test.policy", text);
    rules::CheckResult checked = rules::load_policy(source, find);
    INFO(dsl::render_all(checked.diagnostics, source));
    REQUIRE(checked.policy.has_value());
    std::vector<dsl::Diagnostic> found = rules::analyze(*checked.policy, source);
    UNSCOPED_INFO(dsl::render_all(found, source));
    return found;
}

std::string header(const std::string& period) {
    return "policy test {\n  title \"over time\"\n  jurisdiction IT\n  version \"1\"\n  " + period +
           "\n";
}

TEST_CASE("a dated parameter with no value at the start and the end of the policy's period") {
    const std::string text = header("in force from 2011-01-29") + R"P(
  param cap_laurea = 12 ects from 2012-01-01 until 2024-07-03, 48 ects from 2024-07-04 until 2030-12-31
    cite "L. 240/2010 art. 14; DM 931/2024"
  cap laurea in bachelor at most cap_laurea cite "art. 14"
}
)P";
    auto found = lint_policy(text);
    auto w = with_code(found, "W3114");
    REQUIRE(w.size() == 1);
    CHECK(w[0].message ==
          "'cap_laurea' has no value in force from 2011-01-29 to 2011-12-31 and on every day "
          "from 2031-01-01, though policy test is in force then (in force from 2011-01-29)");
    CHECK_THAT(notes_of(w[0]), Catch::Contains("read by cap 'laurea'"));
    CHECK_THAT(notes_of(w[0]), Catch::Contains("witness: an application dated 2011-01-29"));
    // At the parameter.
    dsl::SourceFile source("test.policy", text);
    CHECK(source.location(w[0].span).line == 7);

    auto cap = with_code(found, "W3115");
    REQUIRE(cap.size() == 1);
    CHECK(cap[0].message ==
          "cap 'laurea' cannot be applied on 2011-01-29: it reads 'cap_laurea', which has no "
          "value in force that day");
    CHECK_THAT(notes_of(cap[0]),
               Catch::Contains("'cap_laurea' has no value in force on every day from 2031-01-01"));
    CHECK(source.location(cap[0].span).line == 9);
}

TEST_CASE("a gap between two values leaves a rule undecided on a concrete day") {
    // The gap itself is the checker's W3005; the rule that reads it is ours.
    auto found = lint_policy(header("in force from 2020-01-01 until 2025-12-31") + R"P(
  param max = 30 ects from 2020-01-01 until 2022-12-31, 40 ects from 2023-02-01 until 2025-12-31
    cite "x"
  rule size require credential.workload <= max
    else reject SIZE "more than {max}" cite "y"
}
)P");
    CHECK(with_code(found, "W3114").empty());
    auto w = with_code(found, "W3115");
    REQUIRE(w.size() == 1);
    CHECK(w[0].message ==
          "rule 'size' cannot be decided on 2023-01-01: it reads 'max', which has no value in "
          "force that day");
    CHECK_THAT(notes_of(w[0]),
               Catch::Contains("'max' has no value in force from 2023-01-01 to 2023-01-31"));
}

TEST_CASE("values covering the policy's whole period, or read 'as of' another day, are fine") {
    auto open_ended = lint_policy(header("in force from 2011-01-29") + R"P(
  param cap_laurea = 12 ects until 2024-07-03, 48 ects from 2024-07-04 cite "x"
  cap laurea in bachelor at most cap_laurea cite "y"
}
)P");
    CHECK(with_code(open_ended, "W3114").empty());
    CHECK(with_code(open_ended, "W3115").empty());

    auto bounded = lint_policy(header("in force from 2020-01-01 until 2025-12-31") + R"P(
  param max = 10 ects from 2020-01-01 until 2022-12-31, 20 ects from 2023-01-01 until 2025-12-31
    cite "x"
  cap overall in bachelor at most max cite "y"
}
)P");
    CHECK(with_code(bounded, "W3114").empty());
    CHECK(with_code(bounded, "W3115").empty());

    // A transitional provision reads the value in force when the credential was issued, a
    // day the policy's period does not bound: the rule is not reported, the parameter is.
    auto transitional = lint_policy(header("in force from 2011-01-29") + R"P(
  param old_cap = 12 ects from 2011-01-29 until 2024-07-03 cite "x"
  rule transitional require credential.workload <= old_cap as of credential.issued
    else warn OLD "issued under {old_cap}" cite "y"
}
)P");
    CHECK(with_code(transitional, "W3115").empty());
    REQUIRE(with_code(transitional, "W3114").size() == 1);
    CHECK_THAT(notes_of(with_code(transitional, "W3114")[0]),
               Catch::Contains("no rule or cap reads it on the application date"));
}

TEST_CASE("a draft in force longer than the values it inherits") {
    const std::string base = R"P(policy law {
  title "law"
  jurisdiction IT
  version "1"
  in force from 2020-01-01 until 2024-12-31
  param max = 30 ects from 2020-01-01 until 2024-12-31 cite "law 1"
  cap overall in bachelor at most max cite "law 2"
}
)P";
    const std::string draft = R"P(policy draft extends law {
  title "draft"
  version "2"
  in force from 2025-01-01
}
)P";
    auto found = lint_policy(draft, base);
    auto w = with_code(found, "W3114");
    REQUIRE(w.size() == 1);
    CHECK(w[0].message ==
          "'max' has no value in force on every day from 2025-01-01, though policy draft is in "
          "force then (in force from 2025-01-01)");
    CHECK_THAT(notes_of(w[0]),
               Catch::Contains("'max' is inherited from policy law (base.policy:6)"));
    auto cap = with_code(found, "W3115");
    REQUIRE(cap.size() == 1);
    CHECK(cap[0].message ==
          "cap 'overall' cannot be applied on 2025-01-01: it reads 'max', which has no value in "
          "force that day");
    // Inherited declarations point into the parent's text, so both are placed on this
    // policy's period, which is what makes them a problem.
    dsl::SourceFile source("test.policy", draft);
    CHECK(source.location(w[0].span).line == 4);
    CHECK(source.location(cap[0].span).line == 4);
}

}  // namespace
