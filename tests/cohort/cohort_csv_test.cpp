#include <catch2/catch.hpp>

#include "cohort_support.hpp"
#include "engine/cohort.hpp"

using mcre::engine::CohortRecord;
using mcre::test::read_csv;

namespace {

const std::string header =
    "application_id,date,learner_id,programme_id,programme_kind,programme_total_ects,"
    "credential_id,kind,title,issued,ects,nqf_level,learning_outcomes,in_registry\n";

std::string codes(const CohortRecord& record) {
    std::string out;
    for (const auto& e : record.errors) out += (out.empty() ? "" : " ") + e.code;
    return out;
}

std::string where(const CohortRecord& record, std::size_t i = 0) {
    const auto at = mcre::engine::error_location(record, record.errors.at(i));
    return at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

}  // namespace

TEST_CASE("CSV rows of one application become one application with its credentials",
          "[cohort][csv]") {
    const auto records =
        read_csv(header +
                 "a1,2026-10-15,L1,GTU-BSc,bachelor,240,c1,micro_credential,"
                 "Networks,2026-02-20,6,6,configure a LAN | monitor a network,true\n"
                 "a1,2026-10-15,L1,GTU-BSc,bachelor,240,c2,vocational_l5,"
                 "Repair,2025-06-30,7.5,5,,false\n");
    REQUIRE(records.size() == 1);
    const CohortRecord& r = records[0];
    REQUIRE(r.errors.empty());
    REQUIRE(r.application);
    CHECK(r.line == 2);
    const auto& app = *r.application;
    CHECK(app.id == "a1");
    CHECK(app.learner_id == "L1");
    CHECK(app.programme.kind == "bachelor");
    CHECK(app.programme.total_ects == 240);
    REQUIRE(app.credentials.size() == 2);
    CHECK(app.credentials[0].ects == 6);
    CHECK(app.credentials[0].nqf_level == 6);
    CHECK(app.credentials[0].in_registry == true);
    CHECK(app.credentials[0].learning_outcomes ==
          std::vector<std::string>{"configure a LAN", "monitor a network"});
    CHECK(app.credentials[1].ects == 7.5);
    CHECK(app.credentials[1].in_registry == false);
    CHECK(app.credentials[1].learning_outcomes.empty());
}

TEST_CASE("CSV outcome codes, separated by |, reach the overlap test", "[cohort][csv]") {
    const std::string csv =
        "application_id,date,learner_id,programme_id,programme_kind,credential_id,kind,ects,"
        "outcome_codes\n"
        "a1,2026-10-15,L1,P1,bachelor,c1,micro_credential,5,DA1 | DA2\n"
        "a1,2026-10-15,L1,P1,bachelor,c2,micro_credential,4,DA2|DA1\n";
    const auto records = read_csv(csv);
    REQUIRE(records.size() == 1);
    REQUIRE(records[0].application);
    const auto& creds = records[0].application->credentials;
    REQUIRE(creds.size() == 2);
    CHECK(creds[0].outcome_codes == std::vector<std::string>{"DA1", "DA2"});
    CHECK(creds[1].outcome_codes == std::vector<std::string>{"DA2", "DA1"});
}

TEST_CASE("CSV quoting: commas, doubled quotes and line ends inside quoted fields",
          "[cohort][csv]") {
    const auto records =
        read_csv(header +
                 "a1,2026-10-15,L1,P1,bachelor,240,c1,micro_credential,"
                 "\"Data, \"\"Python\"\"\nand R\",2026-02-20,6,6,,true\n"
                 "a2,2026-10-15,L2,P1,bachelor,240,c1,micro_credential,Plain,2026-02-20,6,6,,\n");
    REQUIRE(records.size() == 2);
    REQUIRE(records[0].application);
    CHECK(records[0].application->credentials[0].title == "Data, \"Python\"\nand R");
    // The quoted line end is counted: the second application starts on line 4.
    CHECK(records[1].line == 4);
    REQUIRE(records[1].application);
    CHECK(records[1].application->credentials[0].title == "Plain");
}

TEST_CASE("CSV with CRLF line ends and a UTF-8 byte order mark reads like plain LF",
          "[cohort][csv]") {
    const std::string lf = header +
                           "a1,2026-10-15,L1,P1,bachelor,240,c1,micro_credential,"
                           "\"ქსელები\",2026-02-20,6,6,,true\n"
                           "a2,2026-10-15,L2,P1,bachelor,240,c1,micro_credential,B,2026-02-20,"
                           "3,6,,\n";
    std::string crlf = "\xEF\xBB\xBF";
    for (char c : lf) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    const auto a = read_csv(lf);
    const auto b = read_csv(crlf);
    REQUIRE(a.size() == 2);
    REQUIRE(b.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        REQUIRE(b[i].application);
        CHECK(b[i].line == a[i].line);
        CHECK(b[i].application->credentials[0].title == a[i].application->credentials[0].title);
        CHECK(b[i].application->credentials[0].ects == a[i].application->credentials[0].ects);
    }
    CHECK(b[0].application->credentials[0].title == "ქსელები");
}

TEST_CASE("CSV grouping: consecutive rows form an application; a later repeat is an error",
          "[cohort][csv]") {
    const std::string row_a =
        "a1,2026-10-15,L1,P1,bachelor,240,c1,micro_credential,A,2026-02-20,6,6,,\n";
    const std::string row_b =
        "b1,2026-10-15,L2,P1,bachelor,240,c1,micro_credential,B,2026-02-20,6,6,,\n";
    const std::string row_a2 =
        "a1,2026-10-15,L1,P1,bachelor,240,c2,micro_credential,C,2026-02-20,6,6,,\n";
    const auto records = read_csv(header + row_a + row_b + row_a2 + row_b);
    REQUIRE(records.size() == 4);
    CHECK(records[0].application);
    CHECK(records[1].application);
    CHECK(records[2].line == 4);
    REQUIRE_FALSE(records[2].application);
    CHECK(codes(records[2]) == "E4030");
    CHECK_THAT(records[2].errors[0].message, Catch::Contains("began on line 2"));
    CHECK(where(records[2]) == "cohort.csv:4:1");
    CHECK(codes(records[3]) == "E4030");  // b1 again, after a1
}

TEST_CASE("CSV bad values: the error names the row, the column and how to fix it; reading goes on",
          "[cohort][csv]") {
    const auto records =
        read_csv(header +
                 "a1,2026-10-15,L1,P1,bachelor,240,c1,micro_credential,A,2026-02-20,six,6,,\n"
                 "a2,2026-10-15,L2,P1,bachelor,240,c1,micro_credential,B,2026-02-20,6,6.5,,yes\n"
                 "a3,2026-10-15,L3,P1,bachelor,240,c1,micro_credential,C,2026-02-30,6,6,,\n"
                 "a4,2026-10-15,L4,P1,bachelor,240,c1,micro-credential,D,2026-02-20,6,6,,\n"
                 "a5,2026-10-15,L5,P1,bachelor,240,c1,micro_credential,E,2026-02-20,6,6,,\n");
    REQUIRE(records.size() == 5);

    REQUIRE_FALSE(records[0].application);
    CHECK(codes(records[0]) == "E4002");
    CHECK(where(records[0]) == "cohort.csv:2:67");
    CHECK_THAT(records[0].errors[0].message,
               Catch::Equals("column 11 'ects' must be a number, not 'six'"));
    CHECK_THAT(records[0].errors[0].hint, Catch::Contains("such as 6 or 7.5"));

    CHECK(codes(records[1]) == "E4002 E4002");  // a level of 6.5, a yes/no of "yes"
    CHECK_THAT(records[1].errors[1].hint, Catch::Contains("true or false"));

    // The loader's own checks, placed on the CSV cell.
    CHECK(codes(records[2]) == "E4005");
    CHECK(where(records[2]) == "cohort.csv:4:56");
    CHECK_THAT(records[2].errors[0].message,
               Catch::Contains("not a valid date") && Catch::Contains("(column 10 'issued')"));
    CHECK(codes(records[3]) == "E4005");
    CHECK_THAT(records[3].errors[0].message, Catch::Contains("(column 8 'kind')"));

    REQUIRE(records[4].application);
    CHECK(records[4].application->id == "a5");
}

TEST_CASE("CSV header: unknown, duplicate and missing columns are errors before any row",
          "[cohort][csv]") {
    auto records = read_csv(
        "application_id,date,learner_id,programme_id,credential_id,isued\n"
        "a1,2026-10-15,L1,P1,c1,2026-02-20\n");
    REQUIRE(records.size() == 1);
    CHECK(records[0].line == 1);
    CHECK(codes(records[0]) == "E4004");
    CHECK_THAT(records[0].errors[0].message, Catch::Equals("unknown column 'isued' (column 6)"));
    CHECK(records[0].errors[0].hint == "did you mean 'issued'?");
    CHECK(where(records[0]) == "cohort.csv:1:59");

    records = read_csv("application_id,date,learner_id,ects,ects\na1,2026-10-15,L1,6,6\n");
    REQUIRE(records.size() == 1);
    CHECK(codes(records[0]) == "E4003 E4033");  // no programme_id; ects twice

    records = read_csv("");
    REQUIRE(records.size() == 1);
    CHECK(codes(records[0]) == "E4003");
}

TEST_CASE("CSV rows: wrong field count, a missing id, differing application columns",
          "[cohort][csv]") {
    const auto records =
        read_csv(header +
                 "a1,2026-10-15,L1,P1,bachelor,240,c1,micro_credential,A,2026-02-20,6\n"
                 ",2026-10-15,L2,P1,bachelor,240,c1,micro_credential,B,2026-02-20,6,6,,\n"
                 "a3,2026-10-15,L3,P1,bachelor,240,c1,micro_credential,C,2026-02-20,6,6,,\n"
                 "a3,2026-10-16,L3,P1,bachelor,240,c2,micro_credential,D,2026-02-20,6,6,,\n"
                 "a4,2026-10-15,L4,P1,bachelor,240,,,,,,,,\n");
    REQUIRE(records.size() == 4);
    CHECK(codes(records[0]) == "E4032");
    CHECK_THAT(records[0].errors[0].message, Catch::Contains("11 fields but the header has 14"));
    CHECK(codes(records[1]) == "E4003");
    CHECK(codes(records[2]) == "E4031");
    CHECK(where(records[2]) == "cohort.csv:5:4");
    // A row with empty credential columns: an application with no credentials.
    REQUIRE(records[3].application);
    CHECK(records[3].application->credentials.empty());
}

TEST_CASE("CSV syntax errors: an unclosed quote, a quote inside an unquoted field",
          "[cohort][csv]") {
    auto records = read_csv(header +
                            "a1,2026-10-15,L1,P1,bachelor,240,c1,micro_credential,Data \"R\","
                            "2026-02-20,6,6,,\n");
    REQUIRE(records.size() == 1);
    CHECK(codes(records[0]) == "E4001");
    CHECK(where(records[0]) == "cohort.csv:2:59");

    records = read_csv(header + "a1,2026-10-15,L1,P1,bachelor,240,c1,micro_credential,\"Data\n");
    REQUIRE(records.size() == 1);
    CHECK(codes(records[0]) == "E4001");
    CHECK_THAT(records[0].errors[0].message, Catch::Contains("not closed"));
}

TEST_CASE("render_errors shows the CSV row with the file's own line number and a caret",
          "[cohort][csv]") {
    const auto records = read_csv(
        header + "a1,2026-10-15,L1,P1,bachelor,240,c1,micro_credential,A,2026-02-20,6,6,,\n" +
        "a2,2026-10-15,L2,P1,bachelor,240,c1,micro_credential,B,2026-02-20,-3,6,,\n");
    REQUIRE(records.size() == 2);
    const std::string text = mcre::engine::render_errors(records[1]);
    CHECK_THAT(text, Catch::StartsWith("cohort.csv:3:67: error: 'ects' of credential c1"));
    CHECK_THAT(text, Catch::Contains("(column 11 'ects')"));
    CHECK_THAT(text, Catch::Contains("    3 | a2,2026-10-15,L2,"));
    CHECK_THAT(text, Catch::Contains("^~"));
}
