#include "engine/would_change.hpp"

#include <fmt/format.h>

#include <string_view>
#include <vector>

#include "engine/expression_eval.hpp"

namespace mcre::engine {

namespace {

using rules::Expr;
using rules::Op;
using rules::Type;
using rules::Value;

std::string subject(const Expr& e, const EvalContext& ctx) {
    if (e.op == Op::Literal) return rules::format_value(evaluate_expr(e, ctx));
    return expression_text(e);
}

std::string target(const Expr& e, const EvalContext& ctx) {
    Value v = evaluate_expr(e, ctx);
    if (e.op == Op::Param && v.type == Type::Set) return e.text;
    return rules::format_value(v);
}

std::optional<std::string> join_changes(const std::vector<Expr>& args, bool wanted,
                                        const EvalContext& ctx, bool only_unmet,
                                        const char* separator) {
    std::vector<std::string> parts;
    for (const Expr& a : args) {
        if (only_unmet) {
            Value v = evaluate_expr(a, ctx);
            if (!v.missing && v.truthy() == wanted) continue;
        }
        auto part = required_change(a, wanted, ctx);
        if (!part) return std::nullopt;
        parts.push_back(*part);
    }
    if (parts.empty()) return std::nullopt;
    return fmt::format("{}", fmt::join(parts, separator));
}

// The relation for a comparison operator, as wanted or negated.
const char* relation(Op op, bool wanted) {
    switch (op) {
        case Op::Lt:
            return wanted ? "less than" : "at least";
        case Op::Le:
            return wanted ? "at most" : "more than";
        case Op::Gt:
            return wanted ? "more than" : "at most";
        case Op::Ge:
            return wanted ? "at least" : "less than";
        case Op::Eq:
            return wanted ? "" : "not ";
        case Op::Ne:
            return wanted ? "not " : "";
        default:
            return "";
    }
}

}  // namespace

std::optional<std::string> required_change(const Expr& e, bool wanted, const EvalContext& ctx) {
    switch (e.op) {
        case Op::Not:
            return required_change(e.args.at(0), !wanted, ctx);
        // To make an `and` true every unmet part must change; to make it false any part may.
        case Op::And:
            return wanted ? join_changes(e.args, true, ctx, true, " and ")
                          : join_changes(e.args, false, ctx, false, " or ");
        case Op::Or:
            return wanted ? join_changes(e.args, true, ctx, false, " or ")
                          : join_changes(e.args, false, ctx, true, " and ");
        case Op::Lt:
        case Op::Le:
        case Op::Gt:
        case Op::Ge:
            return fmt::format("{} were {} {}", subject(e.args[0], ctx), relation(e.op, wanted),
                               target(e.args[1], ctx));
        case Op::Eq:
        case Op::Ne:
            return fmt::format("{} were {}{}", subject(e.args[0], ctx), relation(e.op, wanted),
                               target(e.args[1], ctx));
        case Op::Between:
            return fmt::format("{} were {} {} {} {}", subject(e.args[0], ctx),
                               wanted ? "between" : "outside", target(e.args[1], ctx),
                               wanted ? "and" : "to", target(e.args[2], ctx));
        case Op::In:
        case Op::NotIn: {
            bool in = (e.op == Op::In) == wanted;
            return fmt::format("{} were {}in {}", subject(e.args[0], ctx), in ? "" : "not ",
                               target(e.args[1], ctx));
        }
        case Op::IsPresent:
        case Op::IsMissing: {
            bool present = (e.op == Op::IsPresent) == wanted;
            const Expr& what = e.args.at(0);
            if (what.op == Op::Attribute) {
                // "stated ECTS" reads "the credential stated its ECTS".
                std::string_view element = rules::info(what.attribute).element;
                if (element.rfind("stated ", 0) == 0) element.remove_prefix(7);
                if (is_credential_attribute(what.attribute)) {
                    return fmt::format("the credential {} its {}",
                                       present ? "stated" : "did not state", element);
                }
                return fmt::format("the application {} the {}",
                                   present ? "stated" : "did not state", element);
            }
            return fmt::format("{} were {}", subject(what, ctx), present ? "stated" : "not stated");
        }
        case Op::Attribute:
            if (e.type != Type::Bool && rules::info(e.attribute).type != Type::Bool)
                return std::nullopt;
            return fmt::format("{} were {}", subject(e, ctx), wanted ? "yes" : "no");
        default:
            return std::nullopt;
    }
}

}  // namespace mcre::engine
