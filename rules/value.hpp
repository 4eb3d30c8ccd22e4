#pragma once

#include <string>
#include <vector>

namespace mcre::rules {

// The types of the policy language. Units are types: ECTS and hours never mix silently.
enum class Type {
    Invalid,
    Bool,
    Number,  // a bare number (counts, levels written without a framework)
    Ects,
    Hours,
    Years,
    Months,
    Days,
    Percent,
    Level,  // a qualifications-framework level (NQF or EQF, 1-8)
    Date,
    Text,
    Code,  // an ISCED-F field code: "in" matches by hierarchy ("06" contains "0613")
    Set,   // a set of values; Expr::element says of what
};

[[nodiscard]] const char* type_name(Type type);
// The unit word a number of this type is written with ("ects"), or "" if none.
[[nodiscard]] const char* unit_word(Type type);

// A runtime or constant value. Numbers (and dates, as days since 1970-01-01, and
// booleans as 0/1) live in `number`; text and codes in `text`; sets in `items`.
// A missing value remembers which element is missing, so a decision can name it.
struct Value {
    Type type = Type::Invalid;
    double number = 0;
    std::string text;
    std::vector<Value> items;
    bool missing = false;

    [[nodiscard]] static Value of_number(Type type, double number);
    [[nodiscard]] static Value of_bool(bool b) { return of_number(Type::Bool, b ? 1 : 0); }
    [[nodiscard]] static Value of_text(Type type, std::string text);
    [[nodiscard]] static Value missing_element(Type type, std::string element);
    [[nodiscard]] bool truthy() const { return !missing && number != 0; }
};

// "6 ECTS", "150 hours", "5 years", "25 %", "2026-09-01", "level 6", "\"GTU\"", "{...}".
[[nodiscard]] std::string format_value(const Value& value);
// Numbers without trailing zeros: 6, 7.5, 2.67 (at most two decimals, deterministic).
[[nodiscard]] std::string format_number(double number);

// ISCED-F containment: "06" contains "061" and "0613"; equal codes contain each other.
[[nodiscard]] bool code_contains(const std::string& outer, const std::string& inner);

}  // namespace mcre::rules
