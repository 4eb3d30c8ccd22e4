#include "rules/analysis/conditions.hpp"

#include <optional>

namespace mcre::rules::analysis {

namespace {

// scale * attribute + offset, or a constant (no attribute).
struct Term {
    std::optional<Attr> attr;
    double scale = 0;
    double offset = 0;
};

bool is_constant(const Expr& e) { return e.op == Op::Literal || e.op == Op::Param; }

bool is_numeric(Type type) {
    return type != Type::Text && type != Type::Code && type != Type::Set && type != Type::Invalid;
}

std::optional<Term> combine(const Term& a, const Term& b, double sign) {
    if (a.attr && b.attr && *a.attr != *b.attr) return std::nullopt;
    Term t;
    t.attr = a.attr ? a.attr : b.attr;
    t.scale = a.scale + sign * b.scale;
    t.offset = a.offset + sign * b.offset;
    return t;
}

Domain present_with(Attr attr, const Interval& numbers) {
    Domain d = base_domain(attr);
    d.numbers = d.numbers.intersect(numbers);
    return d;
}

Domain present_with(Attr attr, const TextSet& texts) {
    Domain d = base_domain(attr);
    d.texts = d.texts.intersect(texts);
    return d;
}

// x op c as an interval; for Ne the caller splits into two.
Interval relation(Op op, double c) {
    Interval i;
    switch (op) {
        case Op::Lt:
            i.hi = c, i.hi_open = true;
            break;
        case Op::Le:
            i.hi = c;
            break;
        case Op::Gt:
            i.lo = c, i.lo_open = true;
            break;
        case Op::Ge:
            i.lo = c;
            break;
        default:  // Eq
            i.lo = c, i.hi = c;
            break;
    }
    return i;
}

Op negate(Op op) {
    switch (op) {
        case Op::Lt:
            return Op::Ge;
        case Op::Le:
            return Op::Gt;
        case Op::Gt:
            return Op::Le;
        case Op::Ge:
            return Op::Lt;
        case Op::Eq:
            return Op::Ne;
        default:
            return Op::Eq;
    }
}

bool holds_constant(Op op, double a, double b) {
    switch (op) {
        case Op::Lt:
            return a < b;
        case Op::Le:
            return a <= b;
        case Op::Gt:
            return a > b;
        case Op::Ge:
            return a >= b;
        case Op::Eq:
            return a == b;
        default:
            return a != b;
    }
}

Region numeric_relation(Attr attr, Op op, double c) {
    if (op == Op::Ne) {
        return Region::of(attr, present_with(attr, relation(Op::Lt, c)))
            .unite(Region::of(attr, present_with(attr, relation(Op::Gt, c))));
    }
    return Region::of(attr, present_with(attr, relation(op, c)));
}

void collect_attributes(const Expr& e, std::set<Attr>& out) {
    if (e.op == Op::Attribute) out.insert(e.attribute);
    for (const Expr& a : e.args) collect_attributes(a, out);
}

// Linear terms in one attribute are what the interval reasoning can invert.
std::optional<Term> term_of(const Expr& e, const Policy& policy) {
    if (!is_numeric(e.type)) return std::nullopt;
    if (is_constant(e)) {
        if (e.literal.missing) return std::nullopt;
        return Term{std::nullopt, 0, e.literal.number};
    }
    if (e.op == Op::Attribute) {
        if (value_kind(e.attribute) != ValueKind::Number) return std::nullopt;
        return Term{e.attribute, 1, 0};
    }
    if (e.op == Op::ToEcts && e.args.size() == 1) {
        double per = policy.conversion.hours_per_ects;
        auto t = term_of(e.args[0], policy);
        if (!t || !policy.conversion.declared || per <= 0) return std::nullopt;
        return Term{t->attr, t->scale / per, t->offset / per};
    }
    if ((e.op == Op::Add || e.op == Op::Sub) && e.args.size() == 2) {
        // Years and months have no fixed length in days: only day arithmetic is linear.
        Type rhs = e.args[1].type;
        if (e.type == Type::Date && rhs != Type::Days) return std::nullopt;
        auto a = term_of(e.args[0], policy);
        auto b = term_of(e.args[1], policy);
        if (!a || !b) return std::nullopt;
        return combine(*a, *b, e.op == Op::Add ? 1 : -1);
    }
    if (e.op == Op::PercentOf && e.args.size() == 2 && is_constant(e.args[0])) {
        auto t = term_of(e.args[1], policy);
        if (!t) return std::nullopt;
        double share = e.args[0].literal.number / 100;
        return Term{t->attr, t->scale * share, t->offset * share};
    }
    return std::nullopt;
}

}  // namespace

Region ConditionAnalyzer::holds(const Expr& condition) const { return evaluate(condition, true); }
Region ConditionAnalyzer::fails(const Expr& condition) const { return evaluate(condition, false); }

Region ConditionAnalyzer::scope(const std::vector<std::string>& credential_kinds,
                                const std::vector<std::string>& programme_kinds) {
    Region out = Region::everything();
    auto restrict = [&](Attr attr, const std::vector<std::string>& kinds) {
        if (kinds.empty()) return;
        TextSet set{true, {kinds.begin(), kinds.end()}};
        out = out.intersect(Region::of(attr, present_with(attr, set)));
    };
    restrict(Attr::CredentialKind, credential_kinds);
    restrict(Attr::ProgrammeKind, programme_kinds);
    return out;
}

Region ConditionAnalyzer::evaluate(const Expr& e, bool want_true) const {
    switch (e.op) {
        case Op::Literal:
        case Op::Param:
            if (e.type != Type::Bool || e.literal.missing) return Region::everything();
            return e.literal.truthy() == want_true ? Region::everything() : Region::nothing();
        case Op::Attribute:
            if (e.type != Type::Bool) return Region::everything();
            return Region::of(e.attribute,
                              present_with(e.attribute, relation(Op::Eq, want_true ? 1 : 0)));
        case Op::Not:
            return evaluate(e.args.at(0), !want_true);
        case Op::And:
        case Op::Or: {
            Region a = evaluate(e.args.at(0), want_true);
            Region b = evaluate(e.args.at(1), want_true);
            bool both = (e.op == Op::And) == want_true;
            return both ? a.intersect(b) : a.unite(b);
        }
        case Op::IsPresent:
        case Op::IsMissing: {
            const Expr& arg = e.args.at(0);
            if (arg.op != Op::Attribute) return Region::everything();
            bool present = (e.op == Op::IsPresent) == want_true;
            Domain d = present ? base_domain(arg.attribute) : Domain{};
            d.may_be_missing = !present;
            d.may_be_present = present;
            return Region::of(arg.attribute, d);
        }
        case Op::Eq:
        case Op::Ne:
        case Op::Lt:
        case Op::Le:
        case Op::Gt:
        case Op::Ge:
            return compare(e, want_true);
        case Op::Between: {
            Expr low;
            low.op = Op::Ge;
            low.args = {e.args.at(0), e.args.at(1)};
            Expr high;
            high.op = Op::Le;
            high.args = {e.args.at(0), e.args.at(2)};
            Region a = compare(low, want_true);
            Region b = compare(high, want_true);
            return want_true ? a.intersect(b) : a.unite(b);
        }
        case Op::In:
        case Op::NotIn:
            return membership(e, want_true);
        default:
            return Region::everything();
    }
}

Region ConditionAnalyzer::compare(const Expr& e, bool want_true) const {
    const Expr& lhs = e.args.at(0);
    const Expr& rhs = e.args.at(1);
    Op op = want_true ? e.op : negate(e.op);
    // Texts (and kinds) against a constant text; codes match by hierarchy: not analysed.
    if ((op == Op::Eq || op == Op::Ne) && (lhs.type == Type::Text || rhs.type == Type::Text)) {
        const Expr* attr = lhs.op == Op::Attribute ? &lhs : &rhs;
        const Expr* value = lhs.op == Op::Attribute ? &rhs : &lhs;
        if (attr->op != Op::Attribute || !is_constant(*value) || value->literal.missing ||
            value_kind(attr->attribute) != ValueKind::Text || value->type == Type::Code) {
            return Region::everything();
        }
        TextSet set{op == Op::Eq, {value->literal.text}};
        return Region::of(attr->attribute, present_with(attr->attribute, set));
    }
    auto a = term_of(lhs, policy_);
    auto b = term_of(rhs, policy_);
    if (!a || !b) return Region::everything();
    auto diff = combine(*a, *b, -1);  // scale * x + offset  op  0
    if (!diff) return Region::everything();
    if (!diff->attr || diff->scale == 0) {
        // Constant comparisons still need every attribute read to be stated.
        if (a->attr || b->attr) return Region::everything();
        return holds_constant(op, diff->offset, 0) ? Region::everything() : Region::nothing();
    }
    double c = -diff->offset / diff->scale;
    if (diff->scale < 0) op = mirrored(op);
    return numeric_relation(*diff->attr, op, c);
}

Region ConditionAnalyzer::membership(const Expr& e, bool want_true) const {
    const Expr& value = e.args.at(0);
    const Expr& set = e.args.at(1);
    bool inside = (e.op == Op::In) == want_true;
    if (value.op != Op::Attribute || !is_constant(set) || set.literal.missing) {
        return Region::everything();
    }
    Attr attr = value.attribute;
    switch (value_kind(attr)) {
        case ValueKind::Text: {
            TextSet texts{inside, {}};
            for (const Value& v : set.literal.items) {
                if (v.type == Type::Code) return Region::everything();
                texts.values.insert(v.text);
            }
            return Region::of(attr, present_with(attr, texts));
        }
        case ValueKind::Number: {
            Region out = inside ? Region::nothing() : Region::of(attr, base_domain(attr));
            for (const Value& v : set.literal.items) {
                out = inside ? out.unite(numeric_relation(attr, Op::Eq, v.number))
                             : out.intersect(numeric_relation(attr, Op::Ne, v.number));
            }
            return out;
        }
        case ValueKind::Opaque:
            break;
    }
    return Region::everything();
}

std::set<Attr> attributes_of(const Expr& e) {
    std::set<Attr> out;
    collect_attributes(e, out);
    return out;
}

}  // namespace mcre::rules::analysis
