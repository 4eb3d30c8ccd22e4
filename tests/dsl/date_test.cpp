#include "dsl/date.hpp"

#include <catch2/catch.hpp>

namespace mcre::dsl {
namespace {

Date d(const char* text) { return *parse_date(text); }

TEST_CASE("dates parse only as real YYYY-MM-DD days", "[dsl]") {
    CHECK(parse_date("2026-09-01").has_value());
    CHECK(parse_date("2024-02-29").has_value());
    CHECK_FALSE(parse_date("2026-02-29").has_value());
    CHECK_FALSE(parse_date("2026-13-01").has_value());
    CHECK_FALSE(parse_date("2026-9-1").has_value());
    CHECK_FALSE(parse_date("01.09.2026").has_value());
    CHECK(format_date(d("1999-12-31")) == "1999-12-31");
}

TEST_CASE("a date's fields are digits, its year from 1 to 9999", "[dsl]") {
    for (const char* bad : {"2026-0a-01", "20x6-01-01", "2026-01-0 ", "+026-01-01", " 026-01-01",
                            "2026--1-01", "2026-01--1", "2026-+1-01", "----------", "-012-03-04",
                            "0000-01-01", "2026-00-10", "2026-04-31", "2026-01-00"}) {
        INFO(bad);
        CHECK_FALSE(parse_date(bad).has_value());
    }
    CHECK(format_date(d("0001-01-01")) == "0001-01-01");
    CHECK(format_date(d("9999-12-31")) == "9999-12-31");
    CHECK(d("2026-03-01").days - d("2026-02-28").days == 1);
}

TEST_CASE("adding years clamps 29 February to 28 February", "[dsl]") {
    CHECK(format_date(add_years(d("2024-02-29"), -5)) == "2019-02-28");
    CHECK(format_date(add_years(d("2024-02-29"), 4)) == "2028-02-29");
    CHECK(format_date(add_months(d("2026-01-31"), 1)) == "2026-02-28");
}

TEST_CASE("whole years between two dates", "[dsl]") {
    CHECK(whole_years_between(d("2021-10-15"), d("2026-10-15")) == 5);
    CHECK(whole_years_between(d("2021-10-16"), d("2026-10-15")) == 4);
    CHECK(whole_years_between(d("2026-10-15"), d("2021-10-15")) == -5);
}

}  // namespace
}  // namespace mcre::dsl
