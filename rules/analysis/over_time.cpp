// Over time: the days of the policy's own period on which a dated parameter has no value
// in force (W3114), and the caps and rules that then cannot be applied (W3115).
// Overlapping values are the checker's error E2310, and gaps between two values its
// warning W3005; here the policy's period is what counts.

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <map>
#include <optional>
#include <set>

#include "rules/analysis/checks.hpp"

namespace mcre::rules::analysis {

namespace {

// Days, inclusive at both ends; INT_MIN and INT_MAX stand for "no bound".
struct Days {
    int lo = INT_MIN;
    int hi = INT_MAX;
};

std::string day(int d) { return dsl::format_date(dsl::Date{d}); }

std::string describe(const Days& days) {
    if (days.lo == INT_MIN && days.hi == INT_MAX) return "on any day";
    if (days.lo == INT_MIN) return "on every day until " + day(days.hi);
    if (days.hi == INT_MAX) return "on every day from " + day(days.lo);
    if (days.lo == days.hi) return "on " + day(days.lo);
    return "from " + day(days.lo) + " to " + day(days.hi);
}

// A concrete day in the range: its first, or its last when it has no beginning.
int witness_day(const Days& days) { return days.lo != INT_MIN ? days.lo : days.hi; }

Days period_of(const Policy& policy) {
    Days period;
    if (policy.in_force_from) period.lo = policy.in_force_from->days;
    if (policy.in_force_until) period.hi = policy.in_force_until->days;
    return period;
}

std::string period_text(const Policy& policy) {
    if (!policy.in_force_from && !policy.in_force_until) return "no period stated";
    std::string out = "in force";
    if (policy.in_force_from) out += " from " + dsl::format_date(*policy.in_force_from);
    if (policy.in_force_until) out += " until " + dsl::format_date(*policy.in_force_until);
    return out;
}

void clip_into(Days hole, const Days& period, std::vector<Days>& out) {
    hole.lo = std::max(hole.lo, period.lo);
    hole.hi = std::min(hole.hi, period.hi);
    if (hole.lo <= hole.hi) out.push_back(hole);
}

struct Holes {
    std::vector<Days> edges;  // before the first value, after the last (W3114)
    std::vector<Days> all;    // every day without a value, edges and gaps, in order
};

// The days of `period` on which the dated parameter has no value in force. Values never
// overlap (the checker's E2310), so sorted by their start they follow one another.
Holes holes_of(const Parameter& parameter, const Days& period) {
    std::vector<Days> values;
    for (const DatedValue& v : parameter.dated) {
        values.push_back({v.from ? v.from->days : INT_MIN, v.until ? v.until->days : INT_MAX});
    }
    std::sort(values.begin(), values.end(),
              [](const Days& a, const Days& b) { return a.lo < b.lo; });
    Holes holes;
    if (values.empty()) return holes;
    if (values.front().lo != INT_MIN) {
        clip_into({INT_MIN, values.front().lo - 1}, period, holes.edges);
    }
    for (std::size_t i = 1; i < values.size(); ++i) {
        if (values[i - 1].hi != INT_MAX && values[i].lo > values[i - 1].hi + 1) {
            clip_into({values[i - 1].hi + 1, values[i].lo - 1}, period, holes.all);
        }
    }
    if (values.back().hi != INT_MAX) {
        clip_into({values.back().hi + 1, INT_MAX}, period, holes.edges);
    }
    holes.all.insert(holes.all.end(), holes.edges.begin(), holes.edges.end());
    std::sort(holes.all.begin(), holes.all.end(),
              [](const Days& a, const Days& b) { return a.lo < b.lo; });
    return holes;
}

// Dated parameters read on the evaluation date. A value read `as of` another date (a
// transitional provision) is read on a day the policy's period does not bound, so it is
// left out.
void dated_reads(const Expr& e, std::set<std::string>& out) {
    if (e.op == Op::DatedParam) out.insert(e.text);
    if (e.op == Op::AsOf) {
        if (e.args.size() > 1) dated_reads(e.args[1], out);
        return;
    }
    for (const Expr& arg : e.args) dated_reads(arg, out);
}

std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
    }
    return out;
}

// The parameter's name on its declaration's line (its location is the `param` keyword).
dsl::SourceSpan name_span(const Parameter& p, const dsl::SourceFile& source) {
    std::string_view line = source.line_text(p.where.line);
    const auto at = line.find(p.name);
    if (at == std::string_view::npos) return span_at(p.where, source);
    const int column = dsl::utf8_length(line.substr(0, at)) + 1;
    return span_at({p.where.file, p.where.line, column}, source);
}

// Inherited declarations carry spans into the policy they came from, not this source;
// their findings are placed on this policy's `in force` line, which decides the period.
dsl::SourceSpan in_force_span(const dsl::SourceFile& source) {
    const auto lines =
        static_cast<int>(std::count(source.text().begin(), source.text().end(), '\n') + 1);
    for (int line = 1; line <= lines; ++line) {
        std::string_view text = source.line_text(line);
        const auto start = text.find_first_not_of(" \t");
        if (start != std::string_view::npos && text.substr(start).rfind("in force", 0) == 0) {
            return span_at({source.name(), line, static_cast<int>(start) + 1}, source);
        }
    }
    return span_at({source.name(), 1, 1}, source);
}

struct Reader {
    std::string what;  // "cap 'overall'", "rule 'size'"
    const Expr* anchor = nullptr;
    bool own = false;
    std::set<std::string> reads;
    const char* verb = "applied";
};

std::vector<Reader> readers_of(const Policy& policy) {
    std::vector<Reader> readers;
    for (const Rule& rule : policy.rules) {
        Reader r{fmt::format("{} '{}'", rule.exclusion ? "exclusion" : "rule", rule.name),
                 &rule.condition,
                 rule.origin == policy.id,
                 {},
                 "decided"};
        if (rule.when) dated_reads(*rule.when, r.reads);
        dated_reads(rule.condition, r.reads);
        readers.push_back(std::move(r));
    }
    for (const Cap& cap : policy.caps) {
        Reader r{
            fmt::format("cap '{}'", cap.name), &cap.limit, cap.origin == policy.id, {}, "applied"};
        if (cap.when) dated_reads(*cap.when, r.reads);
        dated_reads(cap.limit, r.reads);
        readers.push_back(std::move(r));
    }
    return readers;
}

}  // namespace

void check_over_time(const Policy& policy, const dsl::SourceFile& source, Diagnostics& out) {
    const Days period = period_of(policy);
    const std::vector<Reader> readers = readers_of(policy);
    std::map<std::string, Holes> holes;
    for (const Parameter& p : policy.params) {
        if (!p.dated.empty()) holes[p.name] = holes_of(p, period);
    }

    for (const Parameter& p : policy.params) {
        auto found = holes.find(p.name);
        if (found == holes.end() || found->second.edges.empty()) continue;
        std::vector<std::string> ranges;
        for (const Days& d : found->second.edges) ranges.push_back(describe(d));
        const bool own = p.origin == policy.id;
        dsl::Diagnostic d = warning(
            "W3114", own ? name_span(p, source) : in_force_span(source),
            fmt::format("'{}' has no value in force {}, though policy {} is in force then ({})",
                        p.name, join_names(ranges), policy.id, period_text(policy)),
            "give it a value for those days, or narrow the policy's period to the days it "
            "has values");
        if (!own)
            d.notes.push_back(note(fmt::format("'{}' is inherited from policy {} ({}:{})", p.name,
                                               p.origin, p.where.file, p.where.line)));
        std::vector<std::string> users;
        for (const Reader& r : readers) {
            if (r.reads.contains(p.name)) users.push_back(r.what);
        }
        d.notes.push_back(note(users.empty() ? "no rule or cap reads it on the application date"
                                             : "read by " + join_names(users)));
        d.notes.push_back(note(fmt::format("witness: an application dated {}",
                                           day(witness_day(found->second.edges.front())))));
        out.push_back(std::move(d));
    }

    for (const Reader& r : readers) {
        // The earliest day some parameter it reads has no value, and which ones lack it.
        std::optional<int> first;
        std::vector<std::string> lacking;
        std::vector<std::string> notes;
        for (const std::string& name : r.reads) {
            auto found = holes.find(name);
            if (found == holes.end() || found->second.all.empty()) continue;
            for (const Days& d : found->second.all) {
                notes.push_back(fmt::format("'{}' has no value in force {}", name, describe(d)));
            }
            const int w = witness_day(found->second.all.front());
            if (!first || w < *first) first = w;
        }
        if (!first) continue;
        for (const std::string& name : r.reads) {
            auto found = holes.find(name);
            if (found == holes.end()) continue;
            for (const Days& d : found->second.all) {
                if (d.lo <= *first && *first <= d.hi) lacking.push_back("'" + name + "'");
            }
        }
        dsl::Diagnostic d = warning(
            "W3115", r.own ? r.anchor->span : in_force_span(source),
            fmt::format("{} cannot be {} on {}: it reads {}, which {} no value in force that day",
                        r.what, r.verb, day(*first), join_names(lacking),
                        lacking.size() == 1 ? "has" : "have"),
            "give every dated value it reads a value on each day of the policy's period");
        for (std::string& n : notes) d.notes.push_back(note(std::move(n)));
        d.notes.push_back(note(fmt::format("witness: an application dated {}; policy {} is {}",
                                           day(*first), policy.id, period_text(policy))));
        out.push_back(std::move(d));
    }
}

}  // namespace mcre::rules::analysis
