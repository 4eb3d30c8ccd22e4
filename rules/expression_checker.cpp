#include "rules/expression_checker.hpp"

#include <fmt/format.h>

#include "dsl/date.hpp"

namespace mcre::rules {

namespace {

using dsl::ast::ExprKind;

bool is_quantity(Type t) {
    return t == Type::Number || t == Type::Ects || t == Type::Hours || t == Type::Years ||
           t == Type::Months || t == Type::Days || t == Type::Percent || t == Type::Level;
}

Type unit_type(const std::string& unit) {
    if (unit == "ects") return Type::Ects;
    if (unit == "hours") return Type::Hours;
    if (unit == "years") return Type::Years;
    if (unit == "months") return Type::Months;
    if (unit == "days") return Type::Days;
    if (unit == "%") return Type::Percent;
    return Type::Number;
}

std::string describe_type(const Expr& e) {
    if (e.type == Type::Set && e.element != Type::Invalid) {
        return fmt::format("a set of {}", type_name(e.element));
    }
    return type_name(e.type);
}

std::vector<std::string> attribute_paths() {
    std::vector<std::string> out;
    for (const AttrInfo& a : all_attributes()) out.emplace_back(a.path);
    return out;
}

}  // namespace

Expr ExpressionChecker::node(Op op, Type type, const dsl::ast::Expr& from,
                             std::vector<Expr> args) const {
    Expr e;
    e.op = op;
    e.type = type;
    e.span = from.span;
    bool compound = !args.empty() || from.kind == ExprKind::Call || from.kind == ExprKind::Set;
    if (compound && from.span.end > from.span.begin && from.span.end <= source_text_.size()) {
        // One line, single spaces: an expression written over several lines reads as one.
        std::string_view written =
            source_text_.substr(from.span.begin, from.span.end - from.span.begin);
        for (char c : written) {
            bool blank = c == ' ' || c == '\n' || c == '\r' || c == '\t';
            if (!blank)
                e.text += c;
            else if (!e.text.empty() && e.text.back() != ' ')
                e.text += ' ';
        }
    } else {
        e.text = from.text;
    }
    e.args = std::move(args);
    return e;
}

bool compatible(Type a, Type b) {
    if (a == b) return true;
    auto pair = [&](Type x, Type y) { return (a == x && b == y) || (a == y && b == x); };
    return pair(Type::Level, Type::Number) || pair(Type::Text, Type::Code);
}

void ExpressionChecker::error(const char* code, dsl::SourceSpan span, std::string message,
                              std::string hint) {
    dsl::Diagnostic d;
    d.code = code;
    d.span = span;
    d.message = std::move(message);
    d.hint = std::move(hint);
    diagnostics_.push_back(std::move(d));
}

std::optional<Expr> ExpressionChecker::check_condition(const dsl::ast::Expr& expr,
                                                       const char* what) {
    auto checked = check(expr);
    if (checked && checked->type != Type::Bool) {
        error("E2202", expr.span,
              fmt::format("{} must be a yes/no condition, but this is {}", what,
                          describe_type(*checked)),
              "compare it with something, e.g. credential.workload <= mc_max_ects");
        return std::nullopt;
    }
    return checked;
}

std::optional<Expr> ExpressionChecker::check(const dsl::ast::Expr& expr) {
    switch (expr.kind) {
        case ExprKind::Number: {
            Expr e = node(Op::Literal, unit_type(expr.text), expr);
            e.literal = Value::of_number(e.type, expr.number);
            if (e.type == Type::Number)
                e.text = format_number(expr.number);
            else
                e.text = format_value(e.literal);
            return e;
        }
        case ExprKind::Date: {
            auto date = dsl::parse_date(expr.text);
            if (!date) {
                error("E2004", expr.span, fmt::format("'{}' is not a valid date", expr.text),
                      "write dates as YYYY-MM-DD with a real month and day");
                return std::nullopt;
            }
            Expr e = node(Op::Literal, Type::Date, expr);
            e.literal = Value::of_number(Type::Date, date->days);
            return e;
        }
        case ExprKind::String: {
            Expr e = node(Op::Literal, Type::Text, expr);
            e.literal = Value::of_text(Type::Text, expr.text);
            e.text = "\"" + expr.text + "\"";
            return e;
        }
        case ExprKind::Name:
            return check_name(expr);
        case ExprKind::Call:
            return check_call(expr);
        case ExprKind::Set:
            return check_set(expr);
        case ExprKind::Not: {
            auto operand = check_condition(expr.args[0], "the operand of 'not'");
            if (!operand) return std::nullopt;
            std::vector<Expr> args;
            args.push_back(std::move(*operand));
            return node(Op::Not, Type::Bool, expr, std::move(args));
        }
        case ExprKind::Binary:
            return check_binary(expr);
        case ExprKind::Between:
            return check_between(expr);
        case ExprKind::IsMissing:
        case ExprKind::IsPresent: {
            auto operand = check(expr.args[0]);
            if (!operand) return std::nullopt;
            if (operand->op != Op::Attribute) {
                error("E2204", expr.args[0].span,
                      fmt::format("'is {}' applies to facts of the application, not to '{}'",
                                  expr.text, expr.args[0].text),
                      "write e.g. credential.learning_outcomes is present");
                return std::nullopt;
            }
            std::vector<Expr> args;
            args.push_back(std::move(*operand));
            return node(expr.kind == ExprKind::IsMissing ? Op::IsMissing : Op::IsPresent,
                        Type::Bool, expr, std::move(args));
        }
        case ExprKind::Invalid:
            break;
    }
    error("E2000", expr.span, "this expression could not be understood");
    return std::nullopt;
}

std::optional<Expr> ExpressionChecker::check_name(const dsl::ast::Expr& expr) {
    const std::string& name = expr.text;
    if (name.find('.') != std::string::npos) {
        if (const AttrInfo* attr = find_attribute(name)) {
            Expr e = node(Op::Attribute, attr->type, expr);
            e.attribute = attr->attr;
            if (attr->type == Type::Set) e.element = Type::Text;
            return e;
        }
        std::string subject = name.substr(0, name.find('.'));
        bool known_subject =
            subject == "credential" || subject == "programme" || subject == "application";
        dsl::Diagnostic d;
        d.code = "E2103";
        d.span = expr.span;
        d.message = known_subject ? fmt::format("unknown attribute '{}'", name)
                                  : fmt::format("unknown subject '{}' in '{}'", subject, name);
        if (auto suggestion = closest(name, attribute_paths())) {
            d.notes.push_back({fmt::format("did you mean '{}'?", *suggestion), {}, false});
        } else {
            d.hint =
                "docs/language.md lists every attribute of credential, programme and "
                "application";
        }
        diagnostics_.push_back(std::move(d));
        return std::nullopt;
    }
    if (const Scope::Entry* entry = scope_.find(name)) {
        scope_.used.insert(name);
        if (entry->is_level_map) {
            error("E2107", expr.span,
                  fmt::format("'{}' is a level table; it is used to derive credential.level "
                              "and cannot appear in an expression",
                              name));
            return std::nullopt;
        }
        if (entry->is_dated) {
            // Read on the evaluation date by the engine, not folded here.
            return node(Op::DatedParam, entry->value.type, expr);
        }
        Expr e = node(Op::Param, entry->value.type, expr);
        e.literal = entry->value;
        if (e.literal.type == Type::Set && !e.literal.items.empty()) {
            e.element = e.literal.items.front().type;
        }
        return e;
    }
    if (scope_.poisoned.count(name) > 0) return std::nullopt;
    if (name == "true" || name == "false") {
        Expr e = node(Op::Literal, Type::Bool, expr);
        e.literal = Value::of_bool(name == "true");
        return e;
    }
    for (auto kinds : {credential_kinds(), programme_kinds()}) {
        for (std::string_view kind : kinds) {
            if (kind == name) {
                Expr e = node(Op::Literal, Type::Text, expr);
                e.literal = Value::of_text(Type::Text, name);
                return e;
            }
        }
    }
    std::vector<std::string> candidates;
    for (const auto& [known, entry] : scope_.constants) candidates.push_back(known);
    for (auto kinds : {credential_kinds(), programme_kinds()}) {
        for (std::string_view kind : kinds) candidates.emplace_back(kind);
    }
    dsl::Diagnostic d;
    d.code = "E2104";
    d.span = expr.span;
    d.message = fmt::format("unknown parameter '{}'", name);
    if (auto suggestion = closest(name, candidates)) {
        if (const Scope::Entry* near = scope_.find(*suggestion); near && !near->inherited) {
            d.notes.push_back(
                {fmt::format("did you mean '{}'?", *suggestion), near->defined_at, true});
        } else {
            d.notes.push_back({fmt::format("did you mean '{}'?", *suggestion), {}, false});
        }
    } else {
        d.hint = "define it with: param " + name + " = ... cite \"...\"";
    }
    diagnostics_.push_back(std::move(d));
    return std::nullopt;
}

std::optional<Expr> ExpressionChecker::check_call(const dsl::ast::Expr& expr) {
    static const std::vector<std::string> functions = {"ects", "min", "max"};
    std::vector<Expr> args;
    bool ok = true;
    for (const auto& arg : expr.args) {
        auto checked = check(arg);
        if (checked)
            args.push_back(std::move(*checked));
        else
            ok = false;
    }
    if (expr.text == "ects") {
        if (expr.args.size() != 1) {
            error("E2206", expr.span, "ects() takes one argument: a number of hours");
            return std::nullopt;
        }
        if (!ok) return std::nullopt;
        if (args[0].type != Type::Hours) {
            error("E2201", expr.args[0].span,
                  fmt::format("ects() converts hours, but this is {}", describe_type(args[0])));
            return std::nullopt;
        }
        if (!scope_.conversion_declared) {
            error("E2112", expr.span, "ects() needs the policy's conversion from hours",
                  "add: convert hours to ects at hours_per_ects per ects cite \"...\"");
            return std::nullopt;
        }
        return node(Op::ToEcts, Type::Ects, expr, std::move(args));
    }
    if (expr.text == "min" || expr.text == "max") {
        if (expr.args.size() != 2) {
            error("E2206", expr.span, fmt::format("{}() takes two arguments", expr.text));
            return std::nullopt;
        }
        if (!ok) return std::nullopt;
        if (!is_quantity(args[0].type) || args[0].type != args[1].type) {
            error("E2201", expr.span,
                  fmt::format("{}() needs two numbers of the same unit, not {} and {}", expr.text,
                              describe_type(args[0]), describe_type(args[1])));
            return std::nullopt;
        }
        Type type = args[0].type;
        return node(expr.text == "min" ? Op::Min : Op::Max, type, expr, std::move(args));
    }
    dsl::Diagnostic d;
    d.code = "E2113";
    d.span = expr.span;
    d.message = fmt::format("unknown function '{}'", expr.text);
    if (auto suggestion = closest(expr.text, functions)) {
        d.notes.push_back({fmt::format("did you mean '{}'?", *suggestion), {}, false});
    }
    d.hint = "the functions are ects(hours), min(a, b) and max(a, b)";
    diagnostics_.push_back(std::move(d));
    return std::nullopt;
}

std::optional<Expr> ExpressionChecker::check_set(const dsl::ast::Expr& expr) {
    Expr e = node(Op::Literal, Type::Set, expr);
    e.literal.type = Type::Set;
    bool ok = true;
    for (const auto& item : expr.args) {
        auto checked = check(item);
        if (!checked) {
            ok = false;
            continue;
        }
        if (checked->op != Op::Literal && checked->op != Op::Param) {
            error("E2207", item.span, "a set lists constants, not facts of the application");
            ok = false;
            continue;
        }
        if (e.element == Type::Invalid) {
            e.element = checked->type;
        } else if (!compatible(e.element, checked->type)) {
            error("E2203", item.span,
                  fmt::format("a set mixes {} with {}", type_name(e.element),
                              type_name(checked->type)));
            ok = false;
            continue;
        }
        e.literal.items.push_back(checked->literal);
        e.args.push_back(std::move(*checked));
    }
    e.args.clear();  // the folded literal is all the engine needs
    if (!ok) return std::nullopt;
    return e;
}

bool ExpressionChecker::comparable(const Expr& a, const Expr& b, const dsl::ast::Expr& at) {
    if (compatible(a.type, b.type)) return true;
    dsl::Diagnostic d;
    d.code = "E2201";
    d.span = at.args[0].span;
    d.extra_ranges.push_back(at.args.back().span);
    d.message = fmt::format("cannot compare {} with {}", describe_type(a), describe_type(b));
    auto is = [&](Type x, Type y) {
        return (a.type == x && b.type == y) || (a.type == y && b.type == x);
    };
    if (is(Type::Hours, Type::Ects)) {
        d.hint = "convert with ects(credential.hours), which uses the policy's hours per ECTS";
    } else if (a.type == Type::Number || b.type == Type::Number) {
        Type unit = a.type == Type::Number ? b.type : a.type;
        d.hint = unit == Type::Ects
                     ? "write the unit with the number, e.g. 3 ects"
                     : fmt::format("write the unit with the number, e.g. 3 {}", unit_word(unit));
    }
    diagnostics_.push_back(std::move(d));
    return false;
}

std::optional<Expr> ExpressionChecker::check_binary(const dsl::ast::Expr& expr) {
    const std::string& op = expr.text;
    if (op == "and" || op == "or") {
        auto lhs = check_condition(expr.args[0], fmt::format("the left side of '{}'", op).c_str());
        auto rhs = check_condition(expr.args[1], fmt::format("the right side of '{}'", op).c_str());
        if (!lhs || !rhs) return std::nullopt;
        std::vector<Expr> args;
        args.push_back(std::move(*lhs));
        args.push_back(std::move(*rhs));
        return node(op == "and" ? Op::And : Op::Or, Type::Bool, expr, std::move(args));
    }
    if (op == "==") return check_comparison(expr, Op::Eq);
    if (op == "!=") return check_comparison(expr, Op::Ne);
    if (op == "<") return check_comparison(expr, Op::Lt);
    if (op == "<=") return check_comparison(expr, Op::Le);
    if (op == ">") return check_comparison(expr, Op::Gt);
    if (op == ">=") return check_comparison(expr, Op::Ge);
    if (op == "in") return check_membership(expr, Op::In);
    if (op == "not in") return check_membership(expr, Op::NotIn);
    if (op == "+") return check_arithmetic(expr, Op::Add);
    if (op == "-") return check_arithmetic(expr, Op::Sub);
    if (op == "of") return check_arithmetic(expr, Op::PercentOf);
    if (op == "as of") return check_as_of(expr);
    error("E2000", expr.span, fmt::format("unknown operator '{}'", op));
    return std::nullopt;
}

std::optional<Expr> ExpressionChecker::check_comparison(const dsl::ast::Expr& expr, Op op) {
    auto lhs = check(expr.args[0]);
    auto rhs = check(expr.args[1]);
    if (!lhs || !rhs) return std::nullopt;
    if (!comparable(*lhs, *rhs, expr)) return std::nullopt;
    bool ordering = op != Op::Eq && op != Op::Ne;
    if (ordering && !(is_quantity(lhs->type) || lhs->type == Type::Date)) {
        error("E2201", expr.span,
              fmt::format("'{}' orders numbers and dates, not {}", expr.text, describe_type(*lhs)),
              "use == or != for text, codes and yes/no values");
        return std::nullopt;
    }
    if (lhs->type == Type::Set) {
        error("E2201", expr.span, "sets cannot be compared; use 'in' to test membership");
        return std::nullopt;
    }
    std::vector<Expr> args;
    args.push_back(std::move(*lhs));
    args.push_back(std::move(*rhs));
    return node(op, Type::Bool, expr, std::move(args));
}

std::optional<Expr> ExpressionChecker::check_between(const dsl::ast::Expr& expr) {
    auto value = check(expr.args[0]);
    auto low = check(expr.args[1]);
    auto high = check(expr.args[2]);
    if (!value || !low || !high) return std::nullopt;
    for (const Expr* bound : {&*low, &*high}) {
        if (!compatible(value->type, bound->type)) {
            dsl::Diagnostic d;
            d.code = "E2201";
            d.span = expr.args[0].span;
            d.extra_ranges.push_back(bound->span);
            d.message = fmt::format("cannot compare {} with {}", describe_type(*value),
                                    describe_type(*bound));
            if ((value->type == Type::Hours && bound->type == Type::Ects) ||
                (value->type == Type::Ects && bound->type == Type::Hours)) {
                d.hint =
                    "convert with ects(credential.hours), which uses the policy's hours "
                    "per ECTS";
            }
            diagnostics_.push_back(std::move(d));
            return std::nullopt;
        }
    }
    if (!(is_quantity(value->type) || value->type == Type::Date)) {
        error("E2201", expr.span,
              fmt::format("'between' needs numbers or dates, not {}", describe_type(*value)));
        return std::nullopt;
    }
    bool constant_bounds = (low->op == Op::Literal || low->op == Op::Param) &&
                           (high->op == Op::Literal || high->op == Op::Param);
    if (constant_bounds && low->literal.number > high->literal.number) {
        dsl::Diagnostic d;
        d.code = "E2304";
        d.span = expr.args[1].span;
        d.extra_ranges.push_back(expr.args[2].span);
        d.message = fmt::format("the range {} to {} is empty: the lower bound is above the upper",
                                format_value(low->literal), format_value(high->literal));
        d.hint = "swap the bounds, or correct the parameter values";
        diagnostics_.push_back(std::move(d));
        return std::nullopt;
    }
    std::vector<Expr> args;
    args.push_back(std::move(*value));
    args.push_back(std::move(*low));
    args.push_back(std::move(*high));
    return node(Op::Between, Type::Bool, expr, std::move(args));
}

std::optional<Expr> ExpressionChecker::check_membership(const dsl::ast::Expr& expr, Op op) {
    auto value = check(expr.args[0]);
    auto set = check(expr.args[1]);
    if (!value || !set) return std::nullopt;
    if (set->type != Type::Set) {
        error("E2203", expr.args[1].span,
              fmt::format("'{}' needs a set or a table on its right, but this is {}", expr.text,
                          describe_type(*set)),
              "write a set such as {\"04\", \"06\"} or name a codes/institutions table");
        return std::nullopt;
    }
    if (set->element != Type::Invalid && !compatible(value->type, set->element)) {
        dsl::Diagnostic d;
        d.code = "E2203";
        d.span = expr.args[0].span;
        d.extra_ranges.push_back(expr.args[1].span);
        d.message =
            fmt::format("cannot look for {} in {}", describe_type(*value), describe_type(*set));
        diagnostics_.push_back(std::move(d));
        return std::nullopt;
    }
    std::vector<Expr> args;
    args.push_back(std::move(*value));
    args.push_back(std::move(*set));
    return node(op, Type::Bool, expr, std::move(args));
}

std::optional<Expr> ExpressionChecker::check_as_of(const dsl::ast::Expr& expr) {
    auto subject = check(expr.args[0]);
    auto date = check(expr.args[1]);
    if (!subject || !date) return std::nullopt;
    if (subject->op != Op::DatedParam && subject->op != Op::Param) {
        error("E2208", expr.args[0].span,
              fmt::format("'as of' reads a parameter on a date, but '{}' is not a parameter",
                          expr.args[0].text),
              "write e.g. mc_max_ects as of credential.issued");
        return std::nullopt;
    }
    if (date->type != Type::Date) {
        error("E2201", expr.args[1].span,
              fmt::format("'as of' needs a date, but this is {}", describe_type(*date)));
        return std::nullopt;
    }
    if (subject->op == Op::Param) return subject;  // one value in force on every date
    Type type = subject->type;
    std::vector<Expr> args;
    args.push_back(std::move(*subject));
    args.push_back(std::move(*date));
    return node(Op::AsOf, type, expr, std::move(args));
}

std::optional<Expr> ExpressionChecker::check_arithmetic(const dsl::ast::Expr& expr, Op op) {
    auto lhs = check(expr.args[0]);
    auto rhs = check(expr.args[1]);
    if (!lhs || !rhs) return std::nullopt;
    Type result = Type::Invalid;
    if (op == Op::PercentOf) {
        if (lhs->type == Type::Percent && is_quantity(rhs->type) && rhs->type != Type::Percent) {
            result = rhs->type;
        }
    } else if (lhs->type == Type::Date &&
               (rhs->type == Type::Years || rhs->type == Type::Months || rhs->type == Type::Days)) {
        result = Type::Date;
    } else if (lhs->type == rhs->type && is_quantity(lhs->type) && lhs->type != Type::Level) {
        result = lhs->type;
    }
    if (result == Type::Invalid) {
        dsl::Diagnostic d;
        d.code = "E2201";
        d.span = expr.args[0].span;
        d.extra_ranges.push_back(expr.args[1].span);
        if (op == Op::PercentOf) {
            d.message = fmt::format("'of' takes a percentage of a quantity, not {} of {}",
                                    describe_type(*lhs), describe_type(*rhs));
            d.hint = "write e.g. 25 % of programme.total_ects";
        } else {
            d.message = fmt::format("cannot {} {} and {}", op == Op::Add ? "add" : "subtract",
                                    describe_type(*lhs), describe_type(*rhs));
            if (lhs->type == Type::Date) {
                d.hint = "a date moves by years, months or days: application.date - 5 years";
            }
        }
        diagnostics_.push_back(std::move(d));
        return std::nullopt;
    }
    bool constant = (lhs->op == Op::Literal || lhs->op == Op::Param) &&
                    (rhs->op == Op::Literal || rhs->op == Op::Param);
    if (constant) {
        // Folded here so parameter sanity (a negative cap, min above max) sees the value.
        Expr folded = node(Op::Literal, result, expr);
        folded.literal = fold_arithmetic(op, lhs->literal, rhs->literal, result);
        folded.text = format_value(folded.literal);
        return folded;
    }
    std::vector<Expr> args;
    args.push_back(std::move(*lhs));
    args.push_back(std::move(*rhs));
    return node(op, result, expr, std::move(args));
}

Value fold_arithmetic(Op op, const Value& lhs, const Value& rhs, Type result) {
    if (op == Op::PercentOf) return Value::of_number(result, lhs.number / 100 * rhs.number);
    if (result == Type::Date) {
        dsl::Date date{static_cast<int>(lhs.number)};
        int amount = static_cast<int>(op == Op::Sub ? -rhs.number : rhs.number);
        if (rhs.type == Type::Years) date = dsl::add_years(date, amount);
        if (rhs.type == Type::Months) date = dsl::add_months(date, amount);
        if (rhs.type == Type::Days) date.days += amount;
        return Value::of_number(Type::Date, date.days);
    }
    return Value::of_number(result,
                            op == Op::Add ? lhs.number + rhs.number : lhs.number - rhs.number);
}

}  // namespace mcre::rules
