#include "rules/value.hpp"

#include <fmt/format.h>

#include <cmath>

#include "dsl/date.hpp"

namespace mcre::rules {

const char* type_name(Type type) {
    switch (type) {
        case Type::Invalid:
            return "invalid";
        case Type::Bool:
            return "yes/no";
        case Type::Number:
            return "number";
        case Type::Ects:
            return "ECTS";
        case Type::Hours:
            return "hours";
        case Type::Years:
            return "years";
        case Type::Months:
            return "months";
        case Type::Days:
            return "days";
        case Type::Percent:
            return "percent";
        case Type::Level:
            return "level";
        case Type::Date:
            return "date";
        case Type::Text:
            return "text";
        case Type::Code:
            return "ISCED-F code";
        case Type::Set:
            return "set";
    }
    return "invalid";
}

const char* unit_word(Type type) {
    switch (type) {
        case Type::Ects:
            return "ECTS";
        case Type::Hours:
            return "hours";
        case Type::Years:
            return "years";
        case Type::Months:
            return "months";
        case Type::Days:
            return "days";
        case Type::Percent:
            return "%";
        default:
            return "";
    }
}

Value Value::of_number(Type type, double number) {
    Value v;
    v.type = type;
    v.number = number;
    return v;
}

Value Value::of_text(Type type, std::string text) {
    Value v;
    v.type = type;
    v.text = std::move(text);
    return v;
}

Value Value::missing_element(Type type, std::string element) {
    Value v;
    v.type = type;
    v.missing = true;
    v.text = std::move(element);
    return v;
}

std::string format_number(double number) {
    double rounded = std::round(number * 100) / 100;
    if (rounded == 0) rounded = 0;  // no "-0"
    std::string s = fmt::format("{:.2f}", rounded);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}

std::string format_value(const Value& v) {
    if (v.missing) return fmt::format("(no {})", v.text);
    switch (v.type) {
        case Type::Bool:
            return v.number != 0 ? "yes" : "no";
        case Type::Number:
            return format_number(v.number);
        case Type::Ects:
        case Type::Hours:
        case Type::Years:
        case Type::Months:
        case Type::Days:
            return fmt::format("{} {}", format_number(v.number), unit_word(v.type));
        case Type::Percent:
            return fmt::format("{} %", format_number(v.number));
        case Type::Level:
            return fmt::format("level {}", format_number(v.number));
        case Type::Date:
            return dsl::format_date(dsl::Date{static_cast<int>(v.number)});
        case Type::Text:
        case Type::Code:
            return v.text;
        case Type::Set: {
            std::string out = "{";
            for (std::size_t i = 0; i < v.items.size(); ++i) {
                if (i > 0) out += ", ";
                out += format_value(v.items[i]);
            }
            return out + "}";
        }
        case Type::Invalid:
            break;
    }
    return "?";
}

bool code_contains(const std::string& outer, const std::string& inner) {
    return inner.size() >= outer.size() && inner.compare(0, outer.size(), outer) == 0;
}

}  // namespace mcre::rules
