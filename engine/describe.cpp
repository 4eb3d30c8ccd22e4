// describe(): the facts behind a check, in the words an officer would write in a file note.
// A statement is about the world ("is 35 ECTS, not at most 30 ECTS"), so `!=` and `not in`
// are described through their positive counterparts.

#include <fmt/format.h>

#include <algorithm>

#include "engine/expression_eval.hpp"

namespace mcre::engine {

namespace {

using rules::Expr;
using rules::Op;
using rules::Type;
using rules::Value;

std::string name_of(const Expr& e) { return e.op == Op::Literal ? "" : expression_text(e); }

bool is_named(const Expr& e) { return e.op != Op::Literal; }

// An operand of an infix operator, in parentheses when it is itself an infix expression.
std::string nested(const Expr& e) {
    std::string text = expression_text(e);
    return infix_text(e.op) != nullptr ? "(" + text + ")" : text;
}

// The value with how it was derived, when it was: "3.2 ECTS (80 hours / 25 hours per ECTS)".
std::string value_with_basis(const Expr& e, const Value& v, const EvalContext& ctx) {
    std::string out = rules::format_value(v);
    if (e.op == Op::Attribute) {
        std::string basis = attribute_basis(e.attribute, ctx);
        if (!basis.empty()) out += fmt::format(" ({})", basis);
    }
    return out;
}

// The left side: "credential.workload is 35 ECTS," when it has a name, "35 ECTS is" otherwise.
std::string lead(const Expr& e, const EvalContext& ctx) {
    Value v = evaluate_expr(e, ctx);
    if (is_named(e) && e.op != Op::Param) {
        return fmt::format("{} is {},", name_of(e), value_with_basis(e, v, ctx));
    }
    return fmt::format("{} is", rules::format_value(v));
}

// A right-hand operand: sets given by a parameter or table are named, not listed.
std::string operand(const Expr& e, const EvalContext& ctx) {
    Value v = evaluate_expr(e, ctx);
    switch (e.op) {
        case Op::Literal:
            return rules::format_value(v);
        case Op::Param:
            return v.type == Type::Set ? e.text : rules::format_value(v);
        case Op::DatedParam:
            return fmt::format("{} ({}, {})", rules::format_value(v), e.text,
                               in_force_note(e.text, values_date(ctx), ctx));
        case Op::AsOf: {
            Value date = evaluate_expr(e.args.at(1), ctx);
            if (date.missing) return rules::format_value(v);
            return fmt::format(
                "{} ({} as of {}, {})", rules::format_value(v), e.args.at(0).text,
                expression_text(e.args.at(1)),
                in_force_note(e.args.at(0).text, dsl::Date{static_cast<int>(date.number)}, ctx));
        }
        case Op::Attribute:
            return fmt::format("{} ({})", name_of(e), rules::format_value(v));
        default:
            return fmt::format("{} ({})", rules::format_value(v), expression_text(e));
    }
}

// Scalar parameters shown only by value, so the officer sees which parameter decided. Sets
// are already named, and a compound operand is shown with its text, which names its own.
void collect_params(const Expr& e, std::vector<std::string>& out) {
    if (e.op == Op::Param) {
        bool is_set = e.literal.type == Type::Set;
        if (!is_set && std::find(out.begin(), out.end(), e.text) == out.end())
            out.push_back(e.text);
        return;
    }
}

std::string params_suffix(const std::vector<const Expr*>& operands) {
    std::vector<std::string> names;
    for (const Expr* e : operands) collect_params(*e, names);
    if (names.empty()) return "";
    return fmt::format(" ({})", fmt::join(names, ", "));
}

std::string statement(const Expr& subject, bool holds, const std::string& relation,
                      const std::vector<const Expr*>& operands, const EvalContext& ctx) {
    return fmt::format("{} {}{}{}", lead(subject, ctx), holds ? "" : "not ", relation,
                       params_suffix(operands));
}

// "the credential does not state its level", "the level is unknown (EQF 9 has no entry ...)".
std::string absence(const Expr& e, const EvalContext& ctx) {
    std::vector<std::string> phrases;
    std::vector<std::string> elements = missing_elements(e, ctx);
    for (const std::string& element : elements) {
        std::string basis;
        if (element == rules::info(rules::Attr::CredentialWorkload).element) {
            basis = ctx.credential ? credential_workload(ctx.policy, *ctx.credential).basis : "";
        } else if (element == rules::info(rules::Attr::CredentialLevel).element) {
            basis = ctx.credential ? credential_level(ctx.policy, *ctx.credential).basis : "";
        }
        if (!basis.empty()) {
            phrases.push_back(fmt::format("the {} is unknown ({})", element, basis));
            continue;
        }
        bool about_credential = false;
        for (const rules::AttrInfo& a : rules::all_attributes()) {
            if (a.element == element) about_credential = is_credential_attribute(a.attr);
        }
        phrases.push_back(about_credential
                              ? fmt::format("the credential does not state its {}", element)
                              : fmt::format("the application does not state the {}", element));
    }
    if (phrases.empty()) phrases.emplace_back("a value it needs is not stated");
    return fmt::format("cannot be checked: {}", fmt::join(phrases, "; "));
}

}  // namespace

const char* infix_text(Op op) {
    switch (op) {
        case Op::And:
            return "and";
        case Op::Or:
            return "or";
        case Op::Eq:
            return "==";
        case Op::Ne:
            return "!=";
        case Op::Lt:
            return "<";
        case Op::Le:
            return "<=";
        case Op::Gt:
            return ">";
        case Op::Ge:
            return ">=";
        case Op::In:
            return "in";
        case Op::NotIn:
            return "not in";
        case Op::AsOf:
            return "as of";
        case Op::Add:
            return "+";
        case Op::Sub:
            return "-";
        case Op::PercentOf:
            return "of";
        default:
            return nullptr;
    }
}

// "in force from 2027-09-01": which of a dated parameter's values was read, and why.
std::string in_force_note(const std::string& name, dsl::Date date, const EvalContext& ctx) {
    const rules::Parameter* parameter = ctx.policy.find_parameter(name);
    const rules::DatedValue* v = parameter ? rules::value_in_force(*parameter, date) : nullptr;
    if (v == nullptr) return fmt::format("no value in force on {}", dsl::format_date(date));
    if (v->from) return fmt::format("in force from {}", dsl::format_date(*v->from));
    if (v->until) return fmt::format("in force until {}", dsl::format_date(*v->until));
    return "in force on every date";
}

std::string expression_text(const Expr& e) {
    if (const char* word = infix_text(e.op); word != nullptr && e.args.size() == 2) {
        return fmt::format("{} {} {}", nested(e.args[0]), word, nested(e.args[1]));
    }
    switch (e.op) {
        case Op::Literal:
            return rules::format_value(e.literal);
        case Op::Param:
        case Op::DatedParam:
            return e.text;
        case Op::Attribute:
            return std::string(rules::info(e.attribute).path);
        case Op::Not:
            return "not " + nested(e.args.at(0));
        case Op::Between:
            return fmt::format("{} between {} and {}", nested(e.args.at(0)), nested(e.args.at(1)),
                               nested(e.args.at(2)));
        case Op::IsMissing:
            return nested(e.args.at(0)) + " is missing";
        case Op::IsPresent:
            return nested(e.args.at(0)) + " is present";
        case Op::ToEcts:
            return fmt::format("ects({})", expression_text(e.args.at(0)));
        case Op::Min:
        case Op::Max:
            return fmt::format("{}({}, {})", e.op == Op::Min ? "min" : "max",
                               expression_text(e.args.at(0)), expression_text(e.args.at(1)));
        default:
            return e.text;
    }
}

std::string describe(const Expr& e, const EvalContext& ctx) {
    Value result = evaluate_expr(e, ctx);
    if (result.missing) return absence(e, ctx);
    const bool holds = result.truthy();
    switch (e.op) {
        case Op::And:
        case Op::Or: {
            std::vector<std::string> parts;
            for (const Expr& a : e.args) parts.push_back(describe(a, ctx));
            return fmt::format("{}", fmt::join(parts, "; "));
        }
        case Op::Not:
            return describe(e.args.at(0), ctx);
        case Op::Eq:
        case Op::Ne: {
            bool equal = e.op == Op::Eq ? holds : !holds;
            return statement(e.args[0], equal, "equal to " + operand(e.args[1], ctx), {&e.args[1]},
                             ctx);
        }
        case Op::Lt:
            return statement(e.args[0], holds, "less than " + operand(e.args[1], ctx), {&e.args[1]},
                             ctx);
        case Op::Le:
            return statement(e.args[0], holds, "at most " + operand(e.args[1], ctx), {&e.args[1]},
                             ctx);
        case Op::Gt:
            return statement(e.args[0], holds, "more than " + operand(e.args[1], ctx), {&e.args[1]},
                             ctx);
        case Op::Ge:
            return statement(e.args[0], holds, "at least " + operand(e.args[1], ctx), {&e.args[1]},
                             ctx);
        case Op::Between:
            return statement(
                e.args[0], holds,
                fmt::format("within {} to {}", operand(e.args[1], ctx), operand(e.args[2], ctx)),
                {&e.args[1], &e.args[2]}, ctx);
        case Op::In:
        case Op::NotIn: {
            bool in = e.op == Op::In ? holds : !holds;
            return statement(e.args[0], in, "in " + operand(e.args[1], ctx), {&e.args[1]}, ctx);
        }
        case Op::IsMissing:
        case Op::IsPresent: {
            const Expr& subject = e.args.at(0);
            Value v = evaluate_expr(subject, ctx);
            if (v.missing) return fmt::format("{} is not stated", name_of(subject));
            if (v.type == Type::Set) {
                return fmt::format("{} is stated ({} item{})", name_of(subject), v.items.size(),
                                   v.items.size() == 1 ? "" : "s");
            }
            return fmt::format("{} is stated ({})", name_of(subject),
                               value_with_basis(subject, v, ctx));
        }
        default: {
            if (!is_named(e)) return rules::format_value(result);
            return fmt::format("{} is {}", name_of(e), value_with_basis(e, result, ctx));
        }
    }
}

}  // namespace mcre::engine
