#include "engine/cap_allocation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <list>
#include <map>
#include <string_view>

#include "engine/exception_choice.hpp"
#include "engine/expression_eval.hpp"
#include "engine/facts.hpp"

namespace mcre::engine {

namespace {

using rules::Cap;
using rules::OrderKey;
using rules::Outcome;

// A cap that applies to the programme, with its running total for this decision.
struct ActiveCap {
    const Cap* cap = nullptr;
    double limit = 0;
    std::string limit_source;   // "cap_bachelor", "25 % of programme.total_ects"
    std::string limit_missing;  // the element the limit needs, when not stated
    double prior = 0;
    double used = 0;
    bool per_credential = false;  // its condition reads credential facts
    // For an exception's limit: the exception, and the cap it stands in for. Such a cap
    // counts only the credentials the exception was chosen for.
    const rules::Exception* exception = nullptr;
    std::string instead_of;
    bool chosen = false;

    [[nodiscard]] double remaining() const { return std::max(0.0, limit - prior - used); }
};

bool covers_kind(const Cap& cap, std::string_view kind) {
    return cap.credential_kinds.empty() ||
           std::find(cap.credential_kinds.begin(), cap.credential_kinds.end(), kind) !=
               cap.credential_kinds.end();
}

// Of two caps that both count a credential, whether `a` is narrower than `b`: it counts fewer
// kinds of credential (no `for` counts every kind), then applies to fewer kinds of programme
// (no `in`: every kind), then has a `when` condition where `b` has none. The cap that names
// the situation most precisely is the one a reader of the decision expects to see cited: a
// vocational sub-cap rather than the overall cap, when both are used up.
bool more_specific(const Cap& a, const Cap& b) {
    auto breadth = [](const std::vector<std::string>& kinds) {
        return kinds.empty() ? std::numeric_limits<std::size_t>::max() : kinds.size();
    };
    if (breadth(a.credential_kinds) != breadth(b.credential_kinds))
        return breadth(a.credential_kinds) < breadth(b.credential_kinds);
    if (breadth(a.programme_kinds) != breadth(b.programme_kinds))
        return breadth(a.programme_kinds) < breadth(b.programme_kinds);
    return a.when.has_value() && !b.when.has_value();
}

std::string ects(double n) { return fmt::format("{} ECTS", rules::format_number(n)); }

// "down to a multiple of 0.5 ECTS", for the workload basis.
std::string rounding_words(const rules::Conversion& conversion) {
    const char* direction = "";
    switch (conversion.rounding) {
        case rules::Rounding::Down:
            direction = "down to a";
            break;
        case rules::Rounding::Up:
            direction = "up to a";
            break;
        case rules::Rounding::Nearest:
            direction = "to the nearest";
            break;
        case rules::Rounding::None:
            break;
    }
    const double step = conversion.step > 0 ? conversion.step : 1;
    return fmt::format("{} multiple of {} ECTS", direction, rules::format_number(step));
}

// Where a limit came from; a dated parameter also says which of its values was read.
std::string limit_source(const rules::Expr& limit, const EvalContext& ctx) {
    if (limit.op == rules::Op::Literal) return "";
    if (limit.op == rules::Op::DatedParam) {
        return fmt::format("{}, {}", limit.text, in_force_note(limit.text, values_date(ctx), ctx));
    }
    return expression_text(limit);
}

// The cap's limit for this programme (or the element it lacks), and what earlier decisions
// already used of it.
void set_limit(ActiveCap& active, const Application& app, const EvalContext& ctx) {
    const Cap& cap = *active.cap;
    // A number or a parameter, most limits are read without building a Value.
    if (std::optional<double> known = known_number(cap.limit, ctx)) {
        active.limit = *known;
    } else if (rules::Value limit = evaluate_expr(cap.limit, ctx); limit.missing) {
        std::vector<std::string> elements = missing_elements(cap.limit, ctx);
        active.limit_missing = elements.empty() ? limit.text : elements.front();
    } else {
        active.limit = limit.number;
    }
    // Only the words of a cut read where the limit came from.
    if (ctx.explain) active.limit_source = limit_source(cap.limit, ctx);
    for (const auto& [kind, ects_before] : app.prior_recognized) {
        if (covers_kind(cap, kind)) active.prior += ects_before;
    }
}

// The limits of the exceptions below `cap`, each as a cap of its own.
void add_exception_caps(const rules::Policy& policy, const Application& app, const Cap& cap,
                        const std::string& base, std::list<Cap>& synthesized,
                        std::vector<ActiveCap>& caps, bool explain) {
    const EvalContext ctx{policy, app, nullptr, explain};
    for (const rules::Exception& x : policy.exceptions) {
        if (x.base != base) continue;
        add_exception_caps(policy, app, cap, x.name, synthesized, caps, explain);
        if (x.effect != rules::ExceptionEffect::Limit) continue;
        Cap& stand_in = synthesized.emplace_back();
        stand_in.name = x.name;
        stand_in.credential_kinds = x.credential_kinds;
        stand_in.programme_kinds = x.programme_kinds;
        stand_in.limit = x.expr;
        stand_in.cite = x.cite;
        stand_in.where = x.where;
        stand_in.origin = x.origin;
        ActiveCap active;
        active.cap = &stand_in;
        active.exception = &x;
        active.instead_of = cap.name;
        set_limit(active, app, ctx);
        caps.push_back(active);
    }
}

// The caps that apply, written into `caps` (emptied first).
void active_caps(const rules::Policy& policy, const Application& app, std::list<Cap>& synthesized,
                 Decision& d, bool explain, std::vector<ActiveCap>& caps) {
    const EvalContext ctx{policy, app, nullptr, explain};
    const Programme& p = app.programme;
    caps.clear();
    caps.reserve(policy.caps.size());
    for (const Cap& cap : policy.caps) {
        if (!cap.programme_kinds.empty()) {
            if (!p.kind) {
                d.notes.push_back(fmt::format(
                    "cap {} was not applied: it is for {} programmes and the application does not "
                    "state the programme kind",
                    cap.name, fmt::join(cap.programme_kinds, ", ")));
                continue;
            }
            if (std::find(cap.programme_kinds.begin(), cap.programme_kinds.end(), *p.kind) ==
                cap.programme_kinds.end()) {
                continue;
            }
        }
        bool per_credential = false;
        if (cap.when) {
            per_credential = references_credential(*cap.when);
            if (!per_credential) {
                rules::Value applies = evaluate_expr(*cap.when, ctx);
                if (applies.missing) {
                    d.notes.push_back(fmt::format("cap {} was not applied: {}", cap.name,
                                                  describe(*cap.when, ctx)));
                    continue;
                }
                if (!applies.truthy()) continue;
            }
        }
        // Built in its place in the list: an ActiveCap's strings are not moved for nothing.
        ActiveCap& active = caps.emplace_back();
        active.cap = &cap;
        active.per_credential = per_credential;
        set_limit(active, app, ctx);
        if (!policy.exceptions.empty())
            add_exception_caps(policy, app, cap, cap.name, synthesized, caps, explain);
    }
}

// Order keys compare "less" for earlier allocation; a missing value sorts last.
template <typename T>
int compare_optional(const std::optional<T>& a, const std::optional<T>& b) {
    if (!a && !b) return 0;
    if (!a) return 1;
    if (!b) return -1;
    if (*a < *b) return -1;
    if (*b < *a) return 1;
    return 0;
}

int compare_by(OrderKey key, const rules::Policy& policy, const Credential& a,
               const Credential& b) {
    switch (key) {
        case OrderKey::Issued:
            return compare_optional(a.issued, b.issued);
        case OrderKey::Id:
            return a.id.compare(b.id) < 0 ? -1 : (a.id == b.id ? 0 : 1);
        case OrderKey::Ects: {
            auto wa = credential_workload(policy, a, Basis::Omitted).value;
            auto wb = credential_workload(policy, b, Basis::Omitted).value;
            std::optional<double> x = wa.missing ? std::nullopt : std::optional<double>(wa.number);
            std::optional<double> y = wb.missing ? std::nullopt : std::optional<double>(wb.number);
            return compare_optional(x, y);
        }
        case OrderKey::Title:
            return compare_optional(a.title, b.title);
    }
    return 0;
}

// Sorts `indices` into allocation order.
void allocation_order(const rules::Policy& policy, const Application& app,
                      std::vector<std::size_t>& indices) {
    auto before = [&](std::size_t x, std::size_t y) {
        for (OrderKey key : policy.allocation.order) {
            int c = compare_by(key, policy, app.credentials[x], app.credentials[y]);
            if (c != 0) return c < 0;
        }
        return false;
    };
    // An application holds a handful of credentials: a stable insertion sort needs no
    // buffer, where std::stable_sort allocates one for every decision.
    if (indices.size() > 32) {
        std::stable_sort(indices.begin(), indices.end(), before);
        return;
    }
    for (std::size_t i = 1; i < indices.size(); ++i) {
        const std::size_t moving = indices[i];
        std::size_t j = i;
        for (; j > 0 && before(moving, indices[j - 1]); --j) indices[j] = indices[j - 1];
        indices[j] = moving;
    }
}

Reason cap_reason(const Cap& cap, const EvalContext& ctx) {
    Reason r;
    const std::string& origin = cap.origin.empty() ? ctx.policy.id : cap.origin;
    r.rule.reserve(origin.size() + 1 + cap.name.size());
    r.rule.append(origin).append(1, '.').append(cap.name);
    r.code = cap.reason_code();
    r.outcome = Outcome::Reject;
    if (ctx.explain) r.cite = cap.cite;
    // Where the cap is written: for the explanation, and how an override's target is told
    // from the engine's own checks (engine/overrides.cpp).
    if (ctx.explain || !ctx.application.overrides.empty()) r.where = cap.where;
    return r;
}

std::string cap_facts(const ActiveCap& a, double needed) {
    std::string limit = ects(a.limit);
    if (!a.limit_source.empty()) limit += fmt::format(" ({})", a.limit_source);
    return fmt::format(
        "limit {}; recognized by earlier decisions {}; used by earlier credentials here {}; "
        "left {}; this credential carries {}",
        limit, ects(a.prior), ects(a.used), ects(a.remaining()), ects(needed));
}

// The words of a cut: how much the tightest cap had left, what was recognized of
// `recognizable`, and why no change of the credential's own facts adds credit.
void explain_cut(const ActiveCap& tightest, double recognizable, double grant, Reason& r,
                 std::vector<std::string>& would_change) {
    const std::string total = ects(tightest.limit);
    if (compare_numbers(tightest.remaining(), 0) == 0) {
        r.message = fmt::format("cap {} ({}) is used up; 0 of {} recognized", tightest.cap->name,
                                total, ects(recognizable));
    } else if (grant == 0) {
        r.message = fmt::format(
            "cap {} ({}) had {} left and the policy does not allow partial recognition; 0 of "
            "{} recognized",
            tightest.cap->name, total, ects(tightest.remaining()), ects(recognizable));
    } else {
        r.message = fmt::format("cap {} ({}) had {} left; {} of {} recognized", tightest.cap->name,
                                total, ects(tightest.remaining()), rules::format_number(grant),
                                ects(recognizable));
    }
    r.facts = cap_facts(tightest, recognizable);
    const bool room_left = compare_numbers(tightest.remaining(), 0) > 0;
    would_change.push_back(
        grant == 0 && room_left
            ? fmt::format("the cap {} of {} had {} left and the policy recognizes no part "
                          "of a credential; all {} were cut",
                          tightest.cap->name, total, ects(tightest.remaining()), ects(recognizable))
            : fmt::format("the cap {} of {} was reached; {} were cut", tightest.cap->name, total,
                          ects(recognizable - grant)));
}

void mark_incomplete(CredentialDecision& cd, Reason r) {
    cd.status = Status::Incomplete;
    cd.primary_code = r.code;
    for (const std::string& element : r.missing) cd.would_change.push_back("supply the " + element);
    cd.reasons.push_back(std::move(r));
}

// One eligible credential through the caps; `applicable` is room for the caps that count it.
void allocate_one(const rules::Policy& policy, const Application& app, const Credential& c,
                  CredentialDecision& cd, std::vector<ActiveCap>& caps, bool explain,
                  std::vector<ActiveCap*>& applicable) {
    const EvalContext ctx{policy, app, &c, explain};
    const std::optional<double> workload_number = workload_ects(policy, c);
    if (!workload_number) {
        DerivedFact workload =
            credential_workload(policy, c, explain ? Basis::Written : Basis::Omitted);
        Reason r;
        r.rule = "credit";
        r.code = "NO_WORKLOAD";
        r.outcome = Outcome::Incomplete;
        r.message = "the credit to recognize cannot be computed without the notional workload";
        r.facts = workload.basis.empty() ? "the credential states neither ECTS nor hours"
                                         : workload.basis;
        r.missing = {workload.value.text};
        r.cite = "the engine's credit calculation (not a policy clause)";
        mark_incomplete(cd, std::move(r));
        return;
    }
    double recognizable = *workload_number;
    // Stated ECTS win (credential_workload); a workload from hours is rounded.
    if (!c.ects) {
        recognizable = round_credit(recognizable, policy.conversion);
        if (explain && policy.conversion.rounding != rules::Rounding::None) {
            cd.workload_basis += fmt::format(" = {}; credit rounded {}: {}", ects(*workload_number),
                                             rounding_words(policy.conversion), ects(recognizable));
        }
    }

    applicable.clear();
    for (ActiveCap& a : caps) {
        if (a.exception != nullptr) continue;  // reached through its base cap below
        const Cap& cap = *a.cap;
        if (!cap.credential_kinds.empty() && !c.kind) {
            Reason r = cap_reason(cap, ctx);
            r.outcome = Outcome::Incomplete;
            r.message =
                fmt::format("cap {} counts only {}, and the credential does not state its kind",
                            cap.name, fmt::join(cap.credential_kinds, ", "));
            r.facts = "cannot be checked: the credential does not state its kind";
            r.missing = {std::string(rules::info(rules::Attr::CredentialKind).element)};
            mark_incomplete(cd, std::move(r));
            return;
        }
        if (!covers_kind(cap, c.kind ? std::string_view(*c.kind) : std::string_view())) continue;
        if (a.per_credential) {
            rules::Value applies = evaluate_expr(*cap.when, ctx);
            if (applies.missing) {
                Reason r = cap_reason(cap, ctx);
                r.outcome = Outcome::Incomplete;
                r.message = fmt::format("whether cap {} applies cannot be decided", cap.name);
                r.facts = describe(*cap.when, ctx);
                r.missing = missing_elements(*cap.when, ctx);
                mark_incomplete(cd, std::move(r));
                return;
            }
            if (!applies.truthy()) continue;
        }
        ActiveCap* target = &a;
        if (!policy.exceptions.empty()) {
            ExceptionChoice choice = choose_exception(cap.name, ctx);
            if (!choice.missing.empty()) {
                Reason r = cap_reason(cap, ctx);
                r.outcome = Outcome::Incomplete;
                r.message = fmt::format("whether cap {} applies cannot be decided", cap.name);
                r.facts = choice.undecided;
                r.missing = std::move(choice.missing);
                mark_incomplete(cd, std::move(r));
                return;
            }
            if (choice.chosen != nullptr) {
                auto stand_in = std::find_if(caps.begin(), caps.end(), [&](const ActiveCap& x) {
                    return x.exception == choice.chosen;
                });
                Reason r = cap_reason(stand_in != caps.end() ? *stand_in->cap : cap, ctx);
                r.rule = fmt::format("{}.{}", choice.chosen->origin, choice.chosen->name);
                r.cite = choice.chosen->cite;
                r.where = choice.chosen->where;
                r.passed = true;
                r.instead_of = fmt::format("{}.{}", cap.origin, cap.name);
                r.because = choice.because;
                r.prevailed_over = choice.prevailed_over;
                r.facts = choice.because;
                if (stand_in == caps.end()) {
                    r.message = fmt::format(
                        "cap {} does not count this credential: exception {} exempts it", cap.name,
                        choice.chosen->name);
                    cd.passed.push_back(std::move(r));
                    continue;
                }
                r.message = fmt::format("counted against {} instead of cap {}", choice.chosen->name,
                                        cap.name);
                cd.passed.push_back(std::move(r));
                target = &*stand_in;
                target->chosen = true;
            }
        }
        if (!target->limit_missing.empty()) {
            Reason r = cap_reason(*target->cap, ctx);
            r.outcome = Outcome::Incomplete;
            r.message = fmt::format("cap {} has no limit for this programme", target->cap->name);
            r.facts = fmt::format("cannot be checked: the application does not state the {}",
                                  target->limit_missing);
            r.missing = {target->limit_missing};
            mark_incomplete(cd, std::move(r));
            return;
        }
        applicable.push_back(target);
    }

    // The tightest cap (least room left) decides the grant; on a tie, the most specific.
    ActiveCap* tightest = nullptr;
    for (ActiveCap* a : applicable) {
        if (tightest == nullptr) {
            tightest = a;
            continue;
        }
        const int room = compare_numbers(a->remaining(), tightest->remaining());
        if (room < 0 || (room == 0 && more_specific(*a->cap, *tightest->cap))) tightest = a;
    }
    double grant = recognizable;
    if (tightest != nullptr && compare_numbers(tightest->remaining(), grant) < 0)
        grant = tightest->remaining();
    const bool cut = compare_numbers(grant, recognizable) < 0;
    if (cut && !policy.allocation.partial_allowed) grant = 0;

    if (cut) {
        Reason r = cap_reason(*tightest->cap, ctx);
        cd.primary_code = r.code;
        if (explain) explain_cut(*tightest, recognizable, grant, r, cd.would_change);
        cd.reasons.push_back(std::move(r));
    }

    cd.caps.reserve(applicable.size());
    for (ActiveCap* a : applicable) {
        CapCharge& charge = cd.caps.emplace_back();
        charge.cap = a->cap->name;
        charge.limit = a->limit;
        charge.used_before = a->prior + a->used;
        charge.charged = grant;
        a->used += grant;
        charge.remaining = a->remaining();
    }
    cd.recognized_ects = grant;
    if (!cut) {
        cd.status = Status::Recognized;
    } else {
        cd.status = grant > 0 ? Status::PartiallyRecognized : Status::NotRecognized;
    }
}

// `to = from`, without the call of a string's assignment for the empty texts that most
// entries of a ledger hold.
void copy_text(std::string& to, const std::string& from) {
    if (from.empty()) {
        to.clear();
    } else {
        to = from;
    }
}

// What allocate_caps works in.
struct Scratch {
    std::vector<ActiveCap> caps;
    std::vector<std::size_t> order;  // the eligible credentials, in allocation order
    std::vector<ActiveCap*> applicable;
};

}  // namespace

double round_credit(double value, const rules::Conversion& conversion) {
    if (conversion.rounding == rules::Rounding::None) return value;
    const double step = conversion.step > 0 ? conversion.step : 1;
    const double q = value / step;
    // The tolerance keeps 3.0000000001 steps from rounding up and 2.9999999999 from rounding down.
    switch (conversion.rounding) {
        case rules::Rounding::Down:
            return std::floor(q + 1e-9) * step;
        case rules::Rounding::Up:
            return std::ceil(q - 1e-9) * step;
        case rules::Rounding::Nearest:
            return std::floor(q + 0.5 + 1e-9) * step;
        case rules::Rounding::None:
            break;
    }
    return value;
}

void allocate_caps(const rules::Policy& policy, const Application& app,
                   const std::vector<std::size_t>& eligible, Decision& d, bool explain) {
    // Exceptions' limits as caps; a list keeps them in place and costs nothing when empty.
    std::list<Cap> synthesized;
    // Lists kept by the thread from one decision to the next, so that a lean decision does
    // not allocate them; taken, not shared, so that a decision made inside this one would
    // start its own.
    thread_local Scratch kept;
    Scratch scratch = std::move(kept);
    std::vector<ActiveCap>& caps = scratch.caps;
    active_caps(policy, app, synthesized, d, explain, caps);
    scratch.order.assign(eligible.begin(), eligible.end());
    allocation_order(policy, app, scratch.order);
    for (std::size_t index : scratch.order) {
        allocate_one(policy, app, app.credentials[index], d.credentials[index], caps, explain,
                     scratch.applicable);
    }
    // The ledger's entries already there are written again in place: every field is set.
    std::size_t entries = 0;
    for (const ActiveCap& a : caps) entries += a.exception == nullptr || a.chosen ? 1 : 0;
    d.cap_ledger.resize(entries);
    auto entry = d.cap_ledger.begin();
    for (const ActiveCap& a : caps) {
        if (a.exception != nullptr && !a.chosen) continue;
        entry->cap = a.cap->name;
        if (explain) {
            entry->cite = a.cap->cite;
            entry->where = a.cap->where;
        } else {
            entry->cite.clear();
            entry->where.file.clear();
            entry->where.line = 0;
            entry->where.column = 0;
        }
        entry->limit = a.limit;
        entry->prior = a.prior;
        entry->used = a.used;
        entry->remaining = a.remaining();
        copy_text(entry->missing, a.limit_missing);
        copy_text(entry->instead_of, a.instead_of);
        ++entry;
    }
    // The totals by kind keep the map's entries for the kinds the decision held before:
    // each is zeroed, summed again, and dropped when no credential of its kind was
    // recognized (an entry is only ever made for credit above zero). An entry dropped is kept
    // by the thread, with its memory, for the next kind a decision adds.
    static const std::string unspecified = "unspecified";
    thread_local std::vector<std::map<std::string, double>::node_type> dropped;
    std::map<std::string, double>& by_kind = d.recognized_by_kind;
    for (auto& [kind, ects] : by_kind) ects = 0;
    d.total_recognized = 0;
    for (const CredentialDecision& cd : d.credentials) {
        if (cd.recognized_ects <= 0) continue;
        const std::string& kind = cd.kind.empty() ? unspecified : cd.kind;
        auto total = by_kind.find(kind);
        if (total == by_kind.end() && !dropped.empty()) {
            auto node = std::move(dropped.back());
            dropped.pop_back();
            node.key() = kind;
            node.mapped() = 0;
            total = by_kind.insert(std::move(node)).position;
        } else if (total == by_kind.end()) {
            total = by_kind.emplace(kind, 0.0).first;
        }
        total->second += cd.recognized_ects;
        d.total_recognized += cd.recognized_ects;
    }
    for (auto total = by_kind.begin(); total != by_kind.end();) {
        auto next = std::next(total);
        if (total->second == 0) dropped.push_back(by_kind.extract(total));
        total = next;
    }
    // The caps point into `synthesized`, which goes now.
    caps.clear();
    kept = std::move(scratch);
}

}  // namespace mcre::engine
