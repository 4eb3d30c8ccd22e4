#include "dsl/date.hpp"

#include <cstdio>

namespace mcre::dsl {

namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

}  // namespace

// Howard Hinnant's days_from_civil algorithm.
Date from_civil(CivilDate c) {
    int y = c.year - (c.month <= 2 ? 1 : 0);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int mp = (c.month + 9) % 12;
    int doy = (153 * mp + 2) / 5 + c.day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return Date{era * 146097 + doe - 719468};
}

CivilDate to_civil(Date date) {
    int z = date.days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    return CivilDate{m <= 2 ? y + 1 : y, m, d};
}

bool is_valid_civil(CivilDate c) {
    return c.year >= 1 && c.year <= 9999 && c.month >= 1 && c.month <= 12 && c.day >= 1 &&
           c.day <= days_in_month(c.year, c.month);
}

std::optional<Date> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    // Digits by hand: every date of every credential of a cohort passes here. (A sign, which
    // from_chars took, only ever gave a year before 1, which is no date either.)
    auto number = [&](std::size_t pos, std::size_t len) -> std::optional<int> {
        int value = 0;
        for (std::size_t i = pos; i < pos + len; ++i) {
            if (text[i] < '0' || text[i] > '9') return std::nullopt;
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    auto y = number(0, 4);
    auto m = number(5, 2);
    auto d = number(8, 2);
    if (!y || !m || !d) return std::nullopt;
    CivilDate c{*y, *m, *d};
    if (!is_valid_civil(c)) return std::nullopt;
    return from_civil(c);
}

std::string format_date(Date date) {
    CivilDate c = to_civil(date);
    if (c.year < 0 || c.year > 9999) {
        char buf[24];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
        return buf;
    }
    // Digits written by hand: dates are formatted for every credential of every decision,
    // and snprintf was a measurable part of that (docs/performance.md).
    std::string out = "0000-00-00";
    auto put = [&out](std::size_t end, int value, int width) {
        for (int i = 0; i < width; ++i, value /= 10)
            out[end - i] = static_cast<char>('0' + value % 10);
    };
    put(3, c.year, 4);
    put(6, c.month, 2);
    put(9, c.day, 2);
    return out;
}

Date add_months(Date date, int months) {
    CivilDate c = to_civil(date);
    int total = c.year * 12 + (c.month - 1) + months;
    c.year = total / 12;
    c.month = total % 12 + 1;
    if (c.day > days_in_month(c.year, c.month)) c.day = days_in_month(c.year, c.month);
    return from_civil(c);
}

Date add_years(Date date, int years) { return add_months(date, years * 12); }

int whole_years_between(Date from, Date to) {
    if (to < from) return -whole_years_between(to, from);
    CivilDate a = to_civil(from);
    CivilDate b = to_civil(to);
    int years = b.year - a.year;
    if (add_years(from, years) > to) --years;
    return years;
}

}  // namespace mcre::dsl
