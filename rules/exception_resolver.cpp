#include "rules/exception_resolver.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "rules/analysis/conditions.hpp"
#include "rules/analysis/witness.hpp"
#include "rules/scope.hpp"

namespace mcre::rules {

namespace {

namespace ast = dsl::ast;

// What an exception qualifies: exactly one of the three is set.
struct Base {
    const Rule* rule = nullptr;
    const Cap* cap = nullptr;
    const Exception* exception = nullptr;

    [[nodiscard]] bool found() const { return rule || cap || exception; }
};

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

bool subset(const std::vector<std::string>& inner, const std::vector<std::string>& outer) {
    return std::all_of(inner.begin(), inner.end(),
                       [&](const std::string& k) { return contains(outer, k); });
}

// The kinds a list stands for: an empty list means every kind.
std::vector<std::string> expand(const std::vector<std::string>& kinds,
                                std::span<const std::string_view> every) {
    if (!kinds.empty()) return kinds;
    return {every.begin(), every.end()};
}

void flatten_and(const Expr& e, std::vector<const Expr*>& out) {
    if (e.op == Op::And) {
        for (const Expr& arg : e.args) flatten_and(arg, out);
    } else {
        out.push_back(&e);
    }
}

std::vector<const Expr*> conjuncts(const std::optional<Expr>& e) {
    std::vector<const Expr*> out;
    if (e) flatten_and(*e, out);
    return out;
}

class Resolver {
  public:
    Resolver(Policy& policy, const std::map<std::string, const ast::Exception*>& local,
             const ast::Policy& written, std::vector<dsl::Diagnostic>& out)
        : policy_(policy), local_(local), written_(written), out_(out) {}

    void run();

  private:
    Base find_base(const std::string& name) const;
    bool bind(Exception& x);
    bool check_chain(Exception& x);
    void check_narrowing(Exception& x);
    void check_over(const Exception& x);
    void relate_siblings();
    void relate(Exception& a, Exception& b);
    analysis::Region applies(const Exception& x, const analysis::ConditionAnalyzer& c) const;
    [[nodiscard]] bool narrower(const Exception& a, const Exception& b) const;
    [[nodiscard]] static bool same_decision(const Exception& a, const Exception& b);

    [[nodiscard]] bool is_local(const Exception& x) const { return local_.count(x.name) > 0; }
    // Where to report a problem with x: its name here, or the removal or the policy name
    // when it is inherited.
    [[nodiscard]] dsl::SourceSpan span_of(const Exception& x) const;
    [[nodiscard]] dsl::SourceSpan base_span(const Exception& x) const;
    void error(const char* code, dsl::SourceSpan span, std::string message, std::string hint);

    Policy& policy_;
    const std::map<std::string, const ast::Exception*>& local_;
    const ast::Policy& written_;
    std::vector<dsl::Diagnostic>& out_;
    std::set<std::string> broken_;
};

void Resolver::error(const char* code, dsl::SourceSpan span, std::string message,
                     std::string hint) {
    out_.push_back(dsl::Diagnostic{
        code, dsl::Severity::Error, span, std::move(message), std::move(hint), {}, {}});
}

dsl::SourceSpan Resolver::span_of(const Exception& x) const {
    auto it = local_.find(x.name);
    if (it != local_.end()) return it->second->name.span;
    return written_.id.span;
}

dsl::SourceSpan Resolver::base_span(const Exception& x) const {
    auto it = local_.find(x.name);
    if (it != local_.end()) return it->second->base.span;
    for (const ast::Removal& r : written_.removals) {
        if (r.name.name == x.base) return r.span;
    }
    return written_.id.span;
}

Base Resolver::find_base(const std::string& name) const {
    Base base;
    for (const Rule& r : policy_.rules) {
        if (r.name == name) base.rule = &r;
    }
    for (const Cap& c : policy_.caps) {
        if (c.name == name) base.cap = &c;
    }
    if (const Exception* x = policy_.find_exception(name)) base.exception = x;
    return base;
}

bool Resolver::bind(Exception& x) {
    Base base = find_base(x.base);
    int found = (base.rule ? 1 : 0) + (base.cap ? 1 : 0) + (base.exception ? 1 : 0);
    if (found == 1) return true;
    if (found > 1) {
        error("E2131", base_span(x),
              fmt::format("'{}' names more than one rule, cap or exception", x.base),
              "rename one of them, so that the exception qualifies exactly one");
        return false;
    }
    if (!is_local(x)) {
        error("E2130", base_span(x),
              fmt::format("exception '{}' (policy {}) qualifies '{}', which this policy removes",
                          x.name, x.origin, x.base),
              fmt::format("remove exception {} too: remove exception {} cite \"...\"", x.name,
                          x.name));
        return false;
    }
    std::vector<std::string> names;
    for (const Rule& r : policy_.rules) names.push_back(r.name);
    for (const Cap& c : policy_.caps) names.push_back(c.name);
    for (const Exception& e : policy_.exceptions) {
        if (e.name != x.name) names.push_back(e.name);
    }
    dsl::Diagnostic d{"E2130",
                      dsl::Severity::Error,
                      base_span(x),
                      fmt::format("exception '{}' qualifies '{}', but no rule, exclusion, cap or "
                                  "exception is called that",
                                  x.name, x.base),
                      "name the rule, exclusion, cap or exception it is an exception to",
                      {},
                      {}};
    if (auto s = closest(x.base, names)) {
        d.notes.push_back({fmt::format("did you mean '{}'?", *s), {}, false});
    }
    out_.push_back(std::move(d));
    return false;
}

// Follows the chain of bases up to a rule, exclusion or cap; sets root and qualifies_cap,
// and checks that the effect suits what is finally qualified.
bool Resolver::check_chain(Exception& x) {
    std::vector<std::string> seen{x.name};
    std::string name = x.base;
    while (true) {
        Base base = find_base(name);
        if (base.rule) {
            x.root = base.rule->name;
            x.qualifies_cap = false;
            break;
        }
        if (base.cap) {
            x.root = base.cap->name;
            x.qualifies_cap = true;
            break;
        }
        if (!base.exception || broken_.count(name) > 0) return false;
        seen.push_back(name);
        if (contains(std::vector<std::string>(seen.begin(), seen.end() - 1),
                     base.exception->base) ||
            base.exception->base == x.name) {
            seen.push_back(base.exception->base);
            error("E2132", span_of(x),
                  fmt::format("exceptions qualify each other in a circle: {}",
                              fmt::join(seen, " -> ")),
                  "an exception must lead back to a rule, exclusion or cap");
            return false;
        }
        name = base.exception->base;
    }
    const bool limit = x.effect == ExceptionEffect::Limit;
    const bool decides = x.effect == ExceptionEffect::Require || x.effect == ExceptionEffect::Then;
    if (x.qualifies_cap && decides) {
        error(
            "E2133", span_of(x),
            fmt::format("exception '{}' qualifies cap '{}', so it sets a limit or exempts", x.name,
                        x.root),
            "write 'at most ...' for another limit, or 'exempt' for credit the cap does not count");
        return false;
    }
    if (!x.qualifies_cap && limit) {
        error("E2133", span_of(x),
              fmt::format("exception '{}' qualifies rule '{}', which is not a cap", x.name, x.root),
              "write 'require ... else ...', 'then OUTCOME CODE \"...\"' or 'exempt'");
        return false;
    }
    return true;
}

// An exception narrows its base: kinds within the base's, and something that narrows.
void Resolver::check_narrowing(Exception& x) {
    const Base base = find_base(x.base);
    const std::vector<std::string>& base_credentials =
        base.rule ? base.rule->credential_kinds
                  : (base.cap ? base.cap->credential_kinds : base.exception->credential_kinds);
    const std::vector<std::string>& base_programmes =
        base.rule ? base.rule->programme_kinds
                  : (base.cap ? base.cap->programme_kinds : base.exception->programme_kinds);
    auto check = [&](std::vector<std::string>& kinds, const std::vector<std::string>& outer,
                     const char* what) {
        if (kinds.empty() || outer.empty()) return;
        std::vector<std::string> outside;
        for (const std::string& k : kinds) {
            if (!contains(outer, k)) outside.push_back(k);
        }
        if (outside.empty()) return;
        error("E2134", span_of(x),
              fmt::format("exception '{}' names {} {}, but '{}' applies only to {}", x.name, what,
                          fmt::join(outside, ", "), x.base, fmt::join(outer, ", ")),
              "an exception can only narrow what it qualifies; for other kinds write a rule");
        std::erase_if(kinds, [&](const std::string& k) { return !contains(outer, k); });
    };
    const bool wrote_kinds = !x.credential_kinds.empty() || !x.programme_kinds.empty();
    check(x.credential_kinds, base_credentials, "credential kind");
    check(x.programme_kinds, base_programmes, "programme kind");
    // From here on the kinds are the effective ones: within the base's.
    if (x.credential_kinds.empty()) x.credential_kinds = base_credentials;
    if (x.programme_kinds.empty()) x.programme_kinds = base_programmes;
    const bool narrows_kinds =
        x.credential_kinds != base_credentials || x.programme_kinds != base_programmes ||
        (wrote_kinds && (base_credentials.empty() || base_programmes.empty()));
    if (!x.when && !narrows_kinds && is_local(x)) {
        error("E2135", span_of(x),
              fmt::format("exception '{}' applies wherever '{}' does, so it is not an exception",
                          x.name, x.base),
              fmt::format("add 'for', 'in' or 'when' to say where it applies; to change '{}' "
                          "everywhere, write 'override' instead",
                          x.base));
    }
}

void Resolver::check_over(const Exception& x) {
    auto written = local_.find(x.name);
    for (std::size_t i = 0; i < x.over.size(); ++i) {
        const std::string& name = x.over[i];
        dsl::SourceSpan span = written != local_.end() && i < written->second->over.size()
                                   ? written->second->over[i].span
                                   : span_of(x);
        const Exception* other = policy_.find_exception(name);
        if (other == nullptr || other->base != x.base || other->name == x.name) {
            std::vector<std::string> siblings;
            for (const Exception& e : policy_.exceptions) {
                if (e.base == x.base && e.name != x.name) siblings.push_back(e.name);
            }
            dsl::Diagnostic d{
                "E2136",
                dsl::Severity::Error,
                span,
                fmt::format("'{}' is not another exception to '{}'", name, x.base),
                siblings.empty()
                    ? fmt::format("'{}' has no other exception to prevail over", x.base)
                    : fmt::format("the other exceptions to '{}' are {}", x.base,
                                  fmt::join(siblings, ", ")),
                {},
                {}};
            if (auto s = closest(name, siblings)) {
                d.notes.push_back({fmt::format("did you mean '{}'?", *s), {}, false});
            }
            out_.push_back(std::move(d));
            continue;
        }
        if (contains(other->over, x.name) && x.name < other->name) {
            error("E2137", span,
                  fmt::format("exceptions '{}' and '{}' each say they prevail over the other",
                              x.name, name),
                  "keep 'over' on only one of the two");
        }
    }
}

// a is narrower than b: it applies to no kind b does not, and its condition says all that
// b's says (b's conditions are among a's, joined with 'and').
bool Resolver::narrower(const Exception& a, const Exception& b) const {
    auto every_credential = expand(a.credential_kinds, credential_kinds());
    auto every_programme = expand(a.programme_kinds, programme_kinds());
    if (!subset(every_credential, expand(b.credential_kinds, credential_kinds()))) return false;
    if (!subset(every_programme, expand(b.programme_kinds, programme_kinds()))) return false;
    std::vector<const Expr*> mine = conjuncts(a.when);
    for (const Expr* theirs : conjuncts(b.when)) {
        bool found = std::any_of(mine.begin(), mine.end(),
                                 [&](const Expr* m) { return same_expr(*m, *theirs); });
        if (!found) return false;
    }
    return true;
}

bool Resolver::same_decision(const Exception& a, const Exception& b) {
    if (a.effect != b.effect) return false;
    switch (a.effect) {
        case ExceptionEffect::Exempt:
            return true;
        case ExceptionEffect::Limit:
            return same_expr(a.expr, b.expr);
        case ExceptionEffect::Then:
            return a.outcome == b.outcome && a.code == b.code;
        case ExceptionEffect::Require:
            return a.outcome == b.outcome && a.code == b.code && same_expr(a.expr, b.expr);
    }
    return false;
}

// Where x applies: its kinds and condition, and those of everything above it.
analysis::Region Resolver::applies(const Exception& x, const analysis::ConditionAnalyzer& c) const {
    analysis::Region region =
        analysis::ConditionAnalyzer::scope(x.credential_kinds, x.programme_kinds);
    if (x.when) region = region.intersect(c.holds(*x.when));
    Base base = find_base(x.base);
    if (base.exception) return region.intersect(applies(*base.exception, c));
    if (base.rule) {
        region = region.intersect(analysis::ConditionAnalyzer::scope(base.rule->credential_kinds,
                                                                     base.rule->programme_kinds));
        if (base.rule->when) region = region.intersect(c.holds(*base.rule->when));
        // An exclusion's exception matters only where the exclusion would apply.
        if (base.rule->exclusion) region = region.intersect(c.holds(base.rule->condition));
    }
    if (base.cap) {
        region = region.intersect(analysis::ConditionAnalyzer::scope(base.cap->credential_kinds,
                                                                     base.cap->programme_kinds));
        if (base.cap->when) region = region.intersect(c.holds(*base.cap->when));
    }
    return region;
}

void Resolver::relate(Exception& a, Exception& b) {
    const bool a_in_b = narrower(a, b);
    const bool b_in_a = narrower(b, a);
    if (a_in_b && !b_in_a) {
        a.more_specific_than.push_back(b.name);
        return;
    }
    if (b_in_a && !a_in_b) {
        b.more_specific_than.push_back(a.name);
        return;
    }
    if (contains(a.over, b.name) || contains(b.over, a.name) || same_decision(a, b)) return;
    // Conflicts among inherited exceptions were the parent's to report.
    if (!is_local(a) && !is_local(b)) return;
    analysis::ConditionAnalyzer conditions(policy_);
    analysis::Region both = applies(a, conditions).intersect(applies(b, conditions));
    if (both.empty()) return;
    const Exception& later = is_local(b) ? b : a;
    const Exception& other = &later == &b ? a : b;
    std::set<Attr> shown;
    for (const Exception* x : {&a, &b}) {
        if (x->when) {
            auto read = analysis::attributes_of(*x->when);
            shown.insert(read.begin(), read.end());
        }
    }
    dsl::Diagnostic d{
        "E2138",
        dsl::Severity::Error,
        span_of(later),
        fmt::format("exceptions '{}' and '{}' to '{}' can both apply and decide differently",
                    other.name, later.name, later.base),
        fmt::format("say which prevails: 'exception {} to {} over {} ...', or make their "
                    "conditions exclusive",
                    later.name, later.base, other.name),
        {},
        {}};
    if (is_local(other)) {
        d.notes.push_back({"the other exception", local_.at(other.name)->name.span, true});
    } else {
        d.notes.push_back({fmt::format("the other exception is in policy {}, line {}", other.origin,
                                       other.where.line),
                           {},
                           false});
    }
    d.notes.push_back(
        {"witness: " + analysis::describe_witness(both, shown) + " meets both", {}, false});
    out_.push_back(std::move(d));
}

void Resolver::relate_siblings() {
    for (std::size_t j = 0; j < policy_.exceptions.size(); ++j) {
        for (std::size_t i = 0; i < j; ++i) {
            Exception& a = policy_.exceptions[i];
            Exception& b = policy_.exceptions[j];
            if (a.base != b.base || broken_.count(a.name) || broken_.count(b.name)) continue;
            relate(a, b);
        }
    }
}

void Resolver::run() {
    if (policy_.exceptions.empty()) return;
    for (Exception& x : policy_.exceptions) {
        x.more_specific_than.clear();
        if (!bind(x)) broken_.insert(x.name);
    }
    for (Exception& x : policy_.exceptions) {
        if (broken_.count(x.name) == 0 && !check_chain(x)) broken_.insert(x.name);
    }
    // Bases before their exceptions, so the effective kinds flow down the chain.
    std::vector<Exception*> order;
    std::set<std::string> placed;
    while (order.size() + broken_.size() < policy_.exceptions.size()) {
        std::size_t before = order.size();
        for (Exception& x : policy_.exceptions) {
            if (broken_.count(x.name) || placed.count(x.name)) continue;
            if (policy_.find_exception(x.base) && !placed.count(x.base)) continue;
            order.push_back(&x);
            placed.insert(x.name);
        }
        if (order.size() == before) break;
    }
    for (Exception* x : order) {
        check_narrowing(*x);
        check_over(*x);
    }
    relate_siblings();
}

bool same_values(const Value& a, const Value& b) { return format_value(a) == format_value(b); }

}  // namespace

bool same_expr(const Expr& a, const Expr& b) {
    if (a.op != b.op || a.type != b.type || a.args.size() != b.args.size()) return false;
    switch (a.op) {
        case Op::Literal:
            if (!same_values(a.literal, b.literal)) return false;
            break;
        case Op::Param:
        case Op::DatedParam:
            if (a.text != b.text) return false;
            break;
        case Op::Attribute:
            if (a.attribute != b.attribute) return false;
            break;
        default:
            break;
    }
    for (std::size_t i = 0; i < a.args.size(); ++i) {
        if (!same_expr(a.args[i], b.args[i])) return false;
    }
    return true;
}

void resolve_exceptions(Policy& policy, const std::map<std::string, const ast::Exception*>& local,
                        const ast::Policy& written, std::vector<dsl::Diagnostic>& out) {
    Resolver(policy, local, written, out).run();
}

}  // namespace mcre::rules
