#include <catch2/catch.hpp>

#include "cohort_support.hpp"
#include "engine/cohort.hpp"

using mcre::engine::CohortFormat;
using mcre::test::read_all;

namespace {

std::string app(const std::string& id, const std::string& extra = "") {
    return R"({"id":")" + id +
           R"(","date":"2026-10-15","learner":{"id":"L1"},"programme":{"id":"P1"},"credentials":[{"id":"c1","ects":6)" +
           extra + "}]}";
}

}  // namespace

TEST_CASE("JSON Lines: a bad line becomes an error record and reading goes on", "[cohort][jsonl]") {
    const std::string text = app("a1") + "\n" +                     // 1 good
                             "{\"id\": \"a2\", \"date\": \n" +      // 2 not JSON
                             "   \n" +                              // 3 blank: skipped
                             app("a4", R"(,"hours":"6")") + "\n" +  // 4 wrong type
                             "[1, 2]\n" +                           // 5 not an object
                             app("a6") + "\n";                      // 6 good
    const auto records = read_all(text, CohortFormat::JsonLines, "cohort.jsonl");
    REQUIRE(records.size() == 5);
    CHECK(records[0].line == 1);
    REQUIRE(records[0].application);
    CHECK(records[0].application->id == "a1");

    CHECK(records[1].line == 2);
    CHECK_FALSE(records[1].application);
    REQUIRE(records[1].errors.size() == 1);
    CHECK(records[1].errors[0].code == "E4001");
    CHECK_THAT(records[1].errors[0].message, Catch::StartsWith("not valid JSON"));

    CHECK(records[2].line == 4);
    REQUIRE(records[2].errors.size() == 1);
    CHECK(records[2].errors[0].code == "E4002");
    const auto at = mcre::engine::error_location(records[2], records[2].errors[0]);
    CHECK(at.file == "cohort.jsonl");
    CHECK(at.line == 4);
    CHECK(at.column == 121);  // the "6" after "hours":

    CHECK(records[3].line == 5);
    CHECK_THAT(records[3].errors.at(0).message, Catch::Contains("not an application object"));

    CHECK(records[4].line == 6);
    REQUIRE(records[4].application);
}

TEST_CASE("JSON Lines: CRLF line ends and a byte order mark are accepted", "[cohort][jsonl]") {
    const std::string text = "\xEF\xBB\xBF" + app("a1") + "\r\n" + app("a2") + "\r\n";
    const auto records = read_all(text, CohortFormat::JsonLines);
    REQUIRE(records.size() == 2);
    CHECK(records[0].application);
    REQUIRE(records[1].application);
    CHECK(records[1].application->id == "a2");
}

TEST_CASE("JSON Lines: render_errors names the cohort file's own line", "[cohort][jsonl]") {
    const std::string text =
        app("a1") + "\n" + app("a2") + "\n" + app("a3", R"(,"isued":"x")") + "\n";
    const auto records = read_all(text, CohortFormat::JsonLines, "c.jsonl");
    REQUIRE(records.size() == 3);
    const std::string rendered = mcre::engine::render_errors(records[2]);
    CHECK_THAT(rendered, Catch::StartsWith("c.jsonl:3:"));
    CHECK_THAT(rendered, Catch::Contains("unknown field 'isued'") &&
                             Catch::Contains("did you mean 'issued'?") &&
                             Catch::Contains("    3 | {\"id\":\"a3\""));
    CHECK(mcre::engine::render_errors(records[0]).empty());
}

TEST_CASE("cohort_format_for chooses CSV by extension only", "[cohort]") {
    using mcre::engine::cohort_format_for;
    CHECK(cohort_format_for("cohort.csv") == CohortFormat::Csv);
    CHECK(cohort_format_for("dir/COHORT.CSV") == CohortFormat::Csv);
    CHECK(cohort_format_for("cohort.jsonl") == CohortFormat::JsonLines);
    CHECK(cohort_format_for("cohort.json") == CohortFormat::JsonLines);
    CHECK(cohort_format_for("-") == CohortFormat::JsonLines);
    CHECK(cohort_format_for("csv") == CohortFormat::JsonLines);
}
