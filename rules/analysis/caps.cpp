#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "rules/analysis/checks.hpp"
#include "rules/analysis/region.hpp"

namespace mcre::rules::analysis {

namespace {

// What a cap's limit can be, in ECTS, whatever the application says.
struct Bounds {
    std::optional<double> lo;
    std::optional<double> hi;
};

Bounds bounds(const Expr& e) {
    if ((e.op == Op::Literal || e.op == Op::Param) && !e.literal.missing) {
        return {e.literal.number, e.literal.number};
    }
    if ((e.op == Op::Min || e.op == Op::Max) && e.args.size() == 2) {
        Bounds a = bounds(e.args[0]);
        Bounds b = bounds(e.args[1]);
        auto both = [](auto x, auto y, auto pick) -> std::optional<double> {
            if (x && y) return pick(*x, *y);
            return std::nullopt;
        };
        auto either = [](auto x, auto y, auto pick) -> std::optional<double> {
            if (x && y) return pick(*x, *y);
            return x ? x : y;
        };
        auto lesser = [](double x, double y) { return std::min(x, y); };
        auto greater = [](double x, double y) { return std::max(x, y); };
        if (e.op == Op::Min) return {both(a.lo, b.lo, lesser), either(a.hi, b.hi, lesser)};
        return {either(a.lo, b.lo, greater), both(a.hi, b.hi, greater)};
    }
    if (e.op == Op::Add && e.args.size() == 2) {
        Bounds a = bounds(e.args[0]);
        Bounds b = bounds(e.args[1]);
        Bounds out;
        if (a.lo && b.lo) out.lo = *a.lo + *b.lo;
        if (a.hi && b.hi) out.hi = *a.hi + *b.hi;
        return out;
    }
    return {0, std::nullopt};  // ECTS are never negative
}

std::vector<std::string> kinds_or_all(const std::vector<std::string>& kinds,
                                      std::span<const std::string_view> all) {
    if (!kinds.empty()) return kinds;
    return {all.begin(), all.end()};
}

bool covers(const std::vector<std::string>& outer, const std::vector<std::string>& inner) {
    if (outer.empty()) return true;
    if (inner.empty()) return false;
    return std::all_of(inner.begin(), inner.end(), [&](const std::string& k) {
        return std::find(outer.begin(), outer.end(), k) != outer.end();
    });
}

// ASSUMPTION (docs/analysis.md): the smallest total a programme of each kind plausibly
// has. A constant cap above it recognizes more than such a programme holds.
double smallest_total(const std::string& programme_kind) {
    if (programme_kind == "bachelor") return 180;
    if (programme_kind == "master") return 60;
    if (programme_kind == "integrated") return 300;
    if (programme_kind == "short_cycle") return 90;
    if (programme_kind == "doctoral") return 180;
    return infinity;
}

std::string ects(double n) { return format_value(Value::of_number(Type::Ects, n)); }

// A cap that never binds: every programme it applies to has another cap, counting at
// least the same credentials, that is always lower.
void check_sub_caps(const Policy& policy, Diagnostics& out) {
    for (const Cap& inner : policy.caps) {
        Bounds in = bounds(inner.limit);
        if (!in.lo) continue;
        for (const Cap& outer : policy.caps) {
            if (&outer == &inner || outer.when) continue;
            Bounds o = bounds(outer.limit);
            if (!o.hi || *in.lo <= *o.hi) continue;
            if (!covers(outer.credential_kinds, inner.credential_kinds)) continue;
            if (!covers(outer.programme_kinds, inner.programme_kinds)) continue;
            dsl::Diagnostic d = warning(
                "W3106", inner.limit.span,
                fmt::format("cap '{}' ({}) can never bind: cap '{}' counts the same credentials "
                            "in the same programmes and allows at most {}",
                            inner.name, ects(*in.lo), outer.name, ects(*o.hi)),
                "a sub-cap should be smaller than the cap it sits in");
            d.notes.push_back(
                note_at(fmt::format("cap '{}' is here", outer.name), outer.limit.span));
            out.push_back(std::move(d));
            break;
        }
    }
}

void check_programme_totals(const Policy& policy, Diagnostics& out) {
    for (const Cap& cap : policy.caps) {
        Bounds b = bounds(cap.limit);
        if (!b.lo) continue;
        std::vector<std::string> over;
        for (const std::string& kind : kinds_or_all(cap.programme_kinds, programme_kinds())) {
            if (*b.lo > smallest_total(kind)) {
                over.push_back(fmt::format("{} ({})", kind, ects(smallest_total(kind))));
            }
        }
        if (over.empty()) continue;
        dsl::Diagnostic d =
            warning("W3107", cap.limit.span,
                    fmt::format("cap '{}' allows {}, more than the smallest plausible total of: {}",
                                cap.name, ects(*b.lo), fmt::join(over, ", ")),
                    "limit the cap by the programme, e.g. min(" + ects(*b.lo) +
                        ", 25 % of programme.total_ects)");
        d.notes.push_back(
            note("assumed smallest totals: bachelor 180, master 60, integrated 300, "
                 "short_cycle 90, doctoral 180 ECTS"));
        out.push_back(std::move(d));
    }
}

void check_percents(const Policy& policy, Diagnostics& out) {
    std::set<std::string> reported;
    for (const Expr* e : all_expressions(policy)) {
        // Parameters above 100 % are the checker's (W3004); shares written in place are ours.
        if (e->type != Type::Percent || e->op != Op::Literal) continue;
        if (e->literal.missing || e->literal.number <= 100) continue;
        std::string name = e->op == Op::Param ? e->text : format_value(e->literal);
        if (!reported.insert(name).second) continue;
        out.push_back(warning("W3108", e->span,
                              e->op == Op::Param ? fmt::format("share '{}' is {}, more than 100 %",
                                                               name, format_value(e->literal))
                                                 : fmt::format("share {} is more than 100 %", name),
                              "a share of the programme above 100 % never limits anything"));
    }
}

}  // namespace

void check_caps(const Policy& policy, Diagnostics& out) {
    check_sub_caps(policy, out);
    check_programme_totals(policy, out);
    check_percents(policy, out);
}

}  // namespace mcre::rules::analysis
