#include "engine/expression_eval.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

namespace mcre::engine {

namespace {

using rules::Expr;
using rules::Op;
using rules::Type;
using rules::Value;

Value missing_bool(const Value& cause) { return Value::missing_element(Type::Bool, cause.text); }

bool is_textual(Type t) { return t == Type::Text || t == Type::Code; }

bool equal_values(const Value& a, const Value& b) {
    if (is_textual(a.type) || is_textual(b.type)) return a.text == b.text;
    if (a.type == Type::Set || b.type == Type::Set) {
        if (a.items.size() != b.items.size()) return false;
        for (std::size_t i = 0; i < a.items.size(); ++i) {
            if (!equal_values(a.items[i], b.items[i])) return false;
        }
        return true;
    }
    return compare_numbers(a.number, b.number) == 0;
}

// Whether `item` of a set matches `value`: codes by ISCED-F hierarchy (an item "06" holds
// the value "0613"), text exactly, numbers and levels by value.
bool set_item_matches(const Value& item, const Value& value) {
    if (value.type == Type::Code) return rules::code_contains(item.text, value.text);
    if (is_textual(value.type) || is_textual(item.type)) return item.text == value.text;
    return compare_numbers(item.number, value.number) == 0;
}

Value evaluate_in(const Value& value, const Value& set) {
    if (value.missing) return missing_bool(value);
    if (set.missing) return missing_bool(set);
    bool found = std::any_of(set.items.begin(), set.items.end(),
                             [&](const Value& item) { return set_item_matches(item, value); });
    return Value::of_bool(found);
}

Value evaluate_compare(Op op, const Value& l, const Value& r) {
    if (l.missing) return missing_bool(l);
    if (r.missing) return missing_bool(r);
    if (op == Op::Eq) return Value::of_bool(equal_values(l, r));
    if (op == Op::Ne) return Value::of_bool(!equal_values(l, r));
    int c = is_textual(l.type) ? l.text.compare(r.text) : compare_numbers(l.number, r.number);
    switch (op) {
        case Op::Lt:
            return Value::of_bool(c < 0);
        case Op::Le:
            return Value::of_bool(c <= 0);
        case Op::Gt:
            return Value::of_bool(c > 0);
        case Op::Ge:
            return Value::of_bool(c >= 0);
        default:
            return Value::of_bool(false);
    }
}

// std::lround(x) as an int, without the call to the library for the whole numbers periods
// almost always are.
int whole_number(double x) {
    if (x > -1e9 && x < 1e9) {
        const int whole = static_cast<int>(x);
        if (static_cast<double>(whole) == x) return whole;
    }
    return static_cast<int>(std::lround(x));
}

// Date plus or minus a calendar period: years and months move the calendar date (with
// 29 February clamped to the month's end), days count days. On numbers: the day number
// `days` moved by `period` of type `period_type`.
double shifted_days(double days, Type period_type, double period, int sign) {
    dsl::Date d{static_cast<int>(days)};
    const int n = sign * whole_number(period);
    if (period_type != Type::Years && period_type != Type::Months) return d.days + n;
    // The last calendar shift, kept: a recency rule moves the same application date by the
    // same period for every credential.
    struct Shift {
        int from = 0;
        int months = 0;
        int to = 0;
        bool set = false;
    };
    thread_local Shift last;
    const int months = period_type == Type::Years ? n * 12 : n;  // as dsl::add_years
    if (!last.set || last.from != d.days || last.months != months) {
        last = Shift{d.days, months, dsl::add_months(d, months).days, true};
    }
    return last.to;
}

Value shift_date(const Value& date, const Value& period, int sign) {
    return Value::of_number(Type::Date,
                            shifted_days(date.number, period.type, period.number, sign));
}

Value evaluate_arithmetic(const Expr& e, const Value& l, const Value& r) {
    if (l.missing) return l;
    if (r.missing) return r;
    const int sign = e.op == Op::Add ? 1 : -1;
    if (l.type == Type::Date && r.type != Type::Date) return shift_date(l, r, sign);
    if (l.type == Type::Date && r.type == Type::Date)
        return Value::of_number(Type::Days, l.number - r.number);
    Type type = e.type != Type::Invalid ? e.type : l.type;
    return Value::of_number(type, l.number + sign * r.number);
}

Value evaluate_and_or(const Expr& e, const EvalContext& ctx) {
    // For `and` a definite false decides, for `or` a definite true; only otherwise does a
    // missing side make the whole missing.
    const bool decisive = e.op == Op::Or;
    std::optional<Value> first_missing;
    for (const Expr& arg : e.args) {
        Value v = evaluate_expr(arg, ctx);
        if (v.missing) {
            if (!first_missing) first_missing = missing_bool(v);
        } else if (v.truthy() == decisive) {
            return Value::of_bool(decisive);
        }
    }
    if (first_missing) return *first_missing;
    return Value::of_bool(!decisive);
}

// rules::code_contains, inline: ISCED-F codes are a few characters, compared by hand rather
// than through a call to memcmp, for each item of a field list.
bool code_within(const std::string& outer, const std::string& inner) {
    const std::size_t n = outer.size();
    if (inner.size() < n) return false;
    for (std::size_t i = 0; i < n; ++i) {
        if (outer[i] != inner[i]) return false;
    }
    return true;
}

// `credential.qa == "accredited"`, `credential.kind in (...)`: the stated text is compared
// where it lies, without a Value holding a copy of it. Empty when the comparison is not of
// that shape or the attribute is not stated (the general path then says what is missing).
// A truth value, not a Value: built per condition, a Value's string and list cost more than
// the comparison.
// Set when the fast path reads a fact of a credential (known_truth's `read_credential`).
thread_local bool credential_read = false;

void note_read(rules::Attr attr) {
    if (is_credential_attribute(attr)) credential_read = true;
}

std::optional<bool> compare_stated_text(const Expr& e, const EvalContext& ctx) {
    const Expr& subject = e.args[0];
    const Expr& other = e.args[1];
    if (subject.op != Op::Attribute || (other.op != Op::Literal && other.op != Op::Param))
        return std::nullopt;
    note_read(subject.attribute);
    const std::string* text = stated_text(subject.attribute, ctx);
    if (text == nullptr || other.literal.missing) return std::nullopt;
    const Value& constant = other.literal;
    bool result = false;
    if (e.op == Op::Eq || e.op == Op::Ne) {
        if (!is_textual(constant.type)) return std::nullopt;
        result = (*text == constant.text) == (e.op == Op::Eq);
    } else {
        const bool code = rules::info(subject.attribute).type == Type::Code;
        const bool found =
            std::any_of(constant.items.begin(), constant.items.end(), [&](const Value& item) {
                return code ? code_within(item.text, *text) : item.text == *text;
            });
        result = found == (e.op == Op::In);
    }
    return result;
}

bool is_scalar(Type t) { return t != Type::Invalid && t != Type::Set && !is_textual(t); }

std::optional<double> scalar(const Expr& e, const EvalContext& ctx);
std::optional<double> sum(const Expr& e, const EvalContext& ctx);

// scalar() of an operand, a fact or a constant read here without the call and the switch:
// most operands of a comparison are one of these.
inline std::optional<double> operand(const Expr& e, const EvalContext& ctx) {
    if (e.op == Op::Attribute) {
        note_read(e.attribute);
        return stated_number(e.attribute, ctx);
    }
    if (e.op == Op::Literal || e.op == Op::Param) {
        if (e.literal.missing || !is_scalar(e.literal.type)) return std::nullopt;
        return e.literal.number;
    }
    if (e.op == Op::Add || e.op == Op::Sub) return sum(e, ctx);
    return scalar(e, ctx);
}

// `+` and `-` as scalar() tells them, apart so that an operand reaches them directly: a
// date moved by a period ("application.date - recency") is in most recency rules.
std::optional<double> sum(const Expr& e, const EvalContext& ctx) {
    const Type lt = e.args[0].type;
    const Type rt = e.args[1].type;
    if (!is_scalar(lt) || !is_scalar(rt)) return std::nullopt;
    auto l = operand(e.args[0], ctx);
    auto r = l ? operand(e.args[1], ctx) : std::nullopt;
    if (!r) return std::nullopt;
    const int sign = e.op == Op::Add ? 1 : -1;
    if (lt == Type::Date && rt != Type::Date) return shifted_days(*l, rt, *r, sign);
    if (lt == Type::Date) return *l - *r;  // days between, as evaluate_arithmetic
    return *l + sign * *r;
}

// A comparison (Eq to Ge) as scalar() tells it, apart so that known_truth() asks it
// directly: most conditions are one comparison.
std::optional<bool> comparison(const Expr& e, const EvalContext& ctx) {
    // Text is compared where it lies; only a textual subject can be (the checker types an
    // attribute as the schema does; an untyped one goes the general way).
    if ((e.op == Op::Eq || e.op == Op::Ne) && is_textual(e.args[0].type)) {
        if (auto fast = compare_stated_text(e, ctx)) return *fast;
    }
    if (!is_scalar(e.args[0].type) || !is_scalar(e.args[1].type)) return std::nullopt;
    auto l = operand(e.args[0], ctx);
    auto r = l ? operand(e.args[1], ctx) : std::nullopt;
    if (!r) return std::nullopt;
    const int c = compare_numbers(*l, *r);
    switch (e.op) {
        case Op::Eq:
            return c == 0;
        case Op::Ne:
            return c != 0;
        case Op::Lt:
            return c < 0;
        case Op::Le:
            return c <= 0;
        case Op::Gt:
            return c > 0;
        default:
            return c >= 0;
    }
}

// `between`, as scalar() tells it (the same, for known_truth()).
std::optional<bool> between(const Expr& e, const EvalContext& ctx) {
    auto v = operand(e.args[0], ctx);
    auto low = v ? operand(e.args[1], ctx) : std::nullopt;
    auto high = low ? operand(e.args[2], ctx) : std::nullopt;
    if (!high) return std::nullopt;
    return compare_numbers(*v, *low) >= 0 && compare_numbers(*v, *high) <= 0;
}

// Truth values and numbers computed without a Value, so without a string or a vector per
// node: most conditions are comparisons of numbers, dates and stated text. Empty when the
// expression is not of that kind throughout or something in it is missing; the general
// path then computes it and names what is missing. Where it answers, it answers as the
// general path would.
std::optional<double> scalar(const Expr& e, const EvalContext& ctx) {
    auto arg = [&](std::size_t i) { return operand(e.args[i], ctx); };
    auto truth = [](bool b) -> std::optional<double> { return b ? 1.0 : 0.0; };
    switch (e.op) {
        case Op::Literal:
        case Op::Param:
            if (e.literal.missing || !is_scalar(e.literal.type)) return std::nullopt;
            return e.literal.number;
        case Op::Attribute:
            note_read(e.attribute);
            return stated_number(e.attribute, ctx);
        case Op::Not: {
            auto v = arg(0);
            if (!v) return std::nullopt;
            return truth(*v == 0);
        }
        case Op::And:
        case Op::Or: {
            const bool decisive = e.op == Op::Or;
            for (const Expr& a : e.args) {
                auto v = operand(a, ctx);
                if (!v) return std::nullopt;  // missing or not scalar: the general path decides
                if ((*v != 0) == decisive) return truth(decisive);
            }
            return truth(!decisive);
        }
        case Op::Eq:
        case Op::Ne:
        case Op::Lt:
        case Op::Le:
        case Op::Gt:
        case Op::Ge: {
            auto holds = comparison(e, ctx);
            if (!holds) return std::nullopt;
            return truth(*holds);
        }
        case Op::Between: {
            auto holds = between(e, ctx);
            if (!holds) return std::nullopt;
            return truth(*holds);
        }
        case Op::In:
        case Op::NotIn: {
            const Expr& set_expr = e.args[1];
            if ((set_expr.op != Op::Literal && set_expr.op != Op::Param) ||
                set_expr.literal.type != Type::Set)
                return std::nullopt;
            if (is_textual(e.args[0].type)) {
                if (auto fast = compare_stated_text(e, ctx)) return *fast ? 1.0 : 0.0;
            }
            if (!is_scalar(e.args[0].type)) return std::nullopt;
            auto v = arg(0);
            if (!v) return std::nullopt;
            bool found = false;
            for (const Value& item : set_expr.literal.items) {
                if (!is_scalar(item.type)) return std::nullopt;
                found = found || compare_numbers(item.number, *v) == 0;
            }
            return truth(found == (e.op == Op::In));
        }
        case Op::Add:
        case Op::Sub:
            return sum(e, ctx);
        case Op::PercentOf: {
            if (!is_scalar(e.args[0].type) || !is_scalar(e.args[1].type)) return std::nullopt;
            auto pct = arg(0);
            auto ects = pct ? arg(1) : std::nullopt;
            if (!ects) return std::nullopt;
            return *pct / 100 * *ects;
        }
        case Op::ToEcts: {
            const rules::Conversion& conv = ctx.policy.conversion;
            if (!is_scalar(e.args[0].type) || !conv.declared || conv.hours_per_ects <= 0)
                return std::nullopt;
            auto hours = arg(0);
            if (!hours) return std::nullopt;
            return *hours / conv.hours_per_ects;
        }
        case Op::Min:
        case Op::Max: {
            if (!is_scalar(e.args[0].type) || !is_scalar(e.args[1].type)) return std::nullopt;
            auto a = arg(0);
            auto b = a ? arg(1) : std::nullopt;
            if (!b) return std::nullopt;
            return (e.op == Op::Min ? *a <= *b : *a >= *b) ? *a : *b;
        }
        case Op::IsMissing:
        case Op::IsPresent: {
            const Expr& subject = e.args[0];
            if (subject.op != Op::Attribute) return std::nullopt;
            note_read(subject.attribute);
            return truth(attribute_stated(subject.attribute, ctx) == (e.op == Op::IsPresent));
        }
        default:
            return std::nullopt;
    }
}

// Set while evaluate_expr_reference runs: the general path alone, for the tests that hold
// scalar() to it.
thread_local bool general_path_only = false;

// The operators whose value is a truth value, which scalar() is tried on first.
bool yields_truth(Op op) {
    switch (op) {
        case Op::Not:
        case Op::And:
        case Op::Or:
        case Op::Eq:
        case Op::Ne:
        case Op::Lt:
        case Op::Le:
        case Op::Gt:
        case Op::Ge:
        case Op::Between:
        case Op::In:
        case Op::NotIn:
        case Op::IsMissing:
        case Op::IsPresent:
            return true;
        default:
            return false;
    }
}

void collect_missing(const Expr& e, const EvalContext& ctx, std::vector<std::string>& out) {
    // Presence tests turn absence into an answer, so nothing below them is missing.
    if (e.op == Op::IsMissing || e.op == Op::IsPresent) return;
    Value v = evaluate_expr(e, ctx);
    if (!v.missing) return;
    bool from_argument = false;
    for (const Expr& arg : e.args) {
        if (evaluate_expr(arg, ctx).missing) {
            from_argument = true;
            collect_missing(arg, ctx, out);
        }
    }
    if (!from_argument && std::find(out.begin(), out.end(), v.text) == out.end()) {
        out.push_back(v.text);
    }
}

}  // namespace

dsl::Date values_date(const EvalContext& ctx) {
    return ctx.application.values_as_of.value_or(ctx.application.date);
}

Value dated_value(const std::string& name, dsl::Date date, const EvalContext& ctx) {
    const rules::Parameter* parameter = ctx.policy.find_parameter(name);
    const rules::DatedValue* v = parameter ? rules::value_in_force(*parameter, date) : nullptr;
    if (v == nullptr) {
        // Said as an element a decision can name: no value of the law was in force then.
        return Value::missing_element(
            parameter ? parameter->value.type : Type::Invalid,
            fmt::format("value of {} in force on {}", name, dsl::format_date(date)));
    }
    return v->value;
}

std::optional<bool> known_truth(const Expr& e, const EvalContext& ctx) {
    if (!yields_truth(e.op) || general_path_only) return std::nullopt;
    // A presence test, as scalar() tells it, without the walk through it: the policies'
    // mandatory elements are one each, asked of every credential.
    if ((e.op == Op::IsPresent || e.op == Op::IsMissing) && e.args[0].op == Op::Attribute) {
        note_read(e.args[0].attribute);
        return attribute_stated(e.args[0].attribute, ctx) == (e.op == Op::IsPresent);
    }
    // A comparison without the frame of scalar() around it.
    switch (e.op) {
        case Op::Eq:
        case Op::Ne:
        case Op::Lt:
        case Op::Le:
        case Op::Gt:
        case Op::Ge:
            return comparison(e, ctx);
        case Op::Between:
            return between(e, ctx);
        default:
            break;
    }
    if (auto fast = scalar(e, ctx)) return *fast != 0;
    return std::nullopt;
}

std::optional<double> known_number(const Expr& e, const EvalContext& ctx) {
    if (general_path_only) return std::nullopt;
    return operand(e, ctx);
}

std::optional<bool> known_truth(const Expr& e, const EvalContext& ctx, bool& read_credential) {
    credential_read = false;
    std::optional<bool> truth = known_truth(e, ctx);
    read_credential = credential_read;
    return truth;
}

Value evaluate_expr(const Expr& e, const EvalContext& ctx) {
    if (yields_truth(e.op) && !general_path_only) {
        if (auto fast = scalar(e, ctx)) return Value::of_bool(*fast != 0);
    }
    auto arg = [&](std::size_t i) { return evaluate_expr(e.args.at(i), ctx); };
    switch (e.op) {
        case Op::Literal:
        case Op::Param:
            return e.literal;
        case Op::DatedParam:
            return dated_value(e.text, values_date(ctx), ctx);
        case Op::AsOf: {
            Value date = arg(1);
            if (date.missing) return Value::missing_element(e.type, date.text);
            return dated_value(e.args.at(0).text, dsl::Date{static_cast<int>(date.number)}, ctx);
        }
        case Op::Attribute:
            return attribute_value(e.attribute, ctx);
        case Op::Not: {
            Value v = arg(0);
            return v.missing ? missing_bool(v) : Value::of_bool(!v.truthy());
        }
        case Op::And:
        case Op::Or:
            return evaluate_and_or(e, ctx);
        case Op::Eq:
        case Op::Ne:
            if (auto fast = compare_stated_text(e, ctx)) return Value::of_bool(*fast);
            return evaluate_compare(e.op, arg(0), arg(1));
        case Op::Lt:
        case Op::Le:
        case Op::Gt:
        case Op::Ge:
            return evaluate_compare(e.op, arg(0), arg(1));
        case Op::Between: {
            Value v = arg(0);
            Value low = arg(1);
            Value high = arg(2);
            for (const Value* x : {&v, &low, &high}) {
                if (x->missing) return missing_bool(*x);
            }
            return Value::of_bool(compare_numbers(v.number, low.number) >= 0 &&
                                  compare_numbers(v.number, high.number) <= 0);
        }
        case Op::In:
        case Op::NotIn: {
            // Sets are constants (literals, parameters, tables) in nearly every policy;
            // reading them in place avoids copying a table per credential and rule.
            const Expr& set_expr = e.args.at(1);
            const bool constant = set_expr.op == Op::Literal || set_expr.op == Op::Param;
            if (constant && set_expr.literal.type == Type::Set) {
                if (auto fast = compare_stated_text(e, ctx)) return Value::of_bool(*fast);
            }
            Value computed = constant ? Value{} : arg(1);
            Value v = evaluate_in(arg(0), constant ? set_expr.literal : computed);
            if (e.op == Op::In || v.missing) return v;
            return Value::of_bool(!v.truthy());
        }
        case Op::IsMissing:
            return Value::of_bool(arg(0).missing);
        case Op::IsPresent:
            return Value::of_bool(!arg(0).missing);
        case Op::Add:
        case Op::Sub:
            return evaluate_arithmetic(e, arg(0), arg(1));
        case Op::PercentOf: {
            Value pct = arg(0);
            Value ects = arg(1);
            if (pct.missing) return pct;
            if (ects.missing) return ects;
            return Value::of_number(Type::Ects, pct.number / 100 * ects.number);
        }
        case Op::ToEcts: {
            Value hours = arg(0);
            if (hours.missing) return Value::missing_element(Type::Ects, hours.text);
            const rules::Conversion& conv = ctx.policy.conversion;
            if (!conv.declared || conv.hours_per_ects <= 0) {
                return Value::missing_element(Type::Ects, "hours-to-ECTS conversion");
            }
            return Value::of_number(Type::Ects, hours.number / conv.hours_per_ects);
        }
        case Op::Min:
        case Op::Max: {
            Value a = arg(0);
            Value b = arg(1);
            if (a.missing) return a;
            if (b.missing) return b;
            bool first = e.op == Op::Min ? a.number <= b.number : a.number >= b.number;
            return first ? a : b;
        }
    }
    return Value::missing_element(Type::Invalid, "value");
}

Value evaluate_expr_reference(const Expr& expr, const EvalContext& ctx) {
    struct Restore {
        bool before = general_path_only;
        ~Restore() { general_path_only = before; }
    } restore;
    general_path_only = true;
    return evaluate_expr(expr, ctx);
}

std::vector<std::string> missing_elements(const Expr& expr, const EvalContext& ctx) {
    std::vector<std::string> out;
    collect_missing(expr, ctx, out);
    return out;
}

bool references_credential(const Expr& e) {
    if (e.op == Op::Attribute && is_credential_attribute(e.attribute)) return true;
    return std::any_of(e.args.begin(), e.args.end(),
                       [](const Expr& a) { return references_credential(a); });
}

std::string render_message(const std::vector<rules::MessagePart>& parts, const EvalContext& ctx) {
    std::string out;
    for (const rules::MessagePart& part : parts) {
        out += part.literal;
        if (part.value) out += rules::format_value(evaluate_expr(*part.value, ctx));
    }
    return out;
}

}  // namespace mcre::engine
