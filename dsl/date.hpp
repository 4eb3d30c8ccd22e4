#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mcre::dsl {

// A calendar date (proleptic Gregorian), stored as days since 1970-01-01 so comparison
// and day arithmetic are plain integer operations.
struct Date {
    int days = 0;
    friend auto operator<=>(const Date&, const Date&) = default;
};

struct CivilDate {
    int year = 1970;
    int month = 1;
    int day = 1;
};

[[nodiscard]] Date from_civil(CivilDate civil);
[[nodiscard]] CivilDate to_civil(Date date);
[[nodiscard]] bool is_valid_civil(CivilDate civil);

// Parses exactly "YYYY-MM-DD"; nullopt for anything else, including 2026-02-30.
[[nodiscard]] std::optional<Date> parse_date(std::string_view text);
[[nodiscard]] std::string format_date(Date date);

// Calendar arithmetic: 2024-02-29 plus one year is 2025-02-28 (the day is clamped to the
// month's end), the convention recognition windows use.
[[nodiscard]] Date add_years(Date date, int years);
[[nodiscard]] Date add_months(Date date, int months);

// Whole years completed from `from` to `to` (negative when `to` is earlier).
[[nodiscard]] int whole_years_between(Date from, Date to);

}  // namespace mcre::dsl
