#include "engine/stacks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "engine/credential_checks.hpp"
#include "engine/expression_eval.hpp"
#include "engine/facts.hpp"

namespace mcre::engine {

namespace {

using rules::Stack;
using rules::StackComponent;

std::string ects_text(double n) { return fmt::format("{} ECTS", rules::format_number(n)); }

// Why a credential cannot be part of any stack: it repeats an earlier one, or fails the
// engine's own validity checks (revoked, expired, issued later, someone else's).
std::optional<std::string> unusable(const rules::Policy& policy, const Application& app,
                                    std::size_t index) {
    if (auto dup = find_duplicate(app, index)) {
        return fmt::format("it repeats {}", app.credentials[dup->earlier].id);
    }
    CheckResult checks = check_credential(EvalContext{policy, app, &app.credentials[index]});
    for (const Reason& r : checks.reasons) {
        if (r.rule == "validity" && !r.passed) return r.message;
    }
    return std::nullopt;
}

// The parts a stack could take for each component, and why others that meet a component's
// condition cannot.
struct Options {
    std::vector<std::vector<std::size_t>> candidates;  // per component
    std::vector<std::vector<std::string>> near_misses;
};

class StackForming {
  public:
    StackForming(const rules::Policy& policy, const Application& input)
        : policy_(policy), out_{input, {}, {}, {}, {}}, own_(input.credentials.size()) {}

    FormedStacks run() {
        for (const Stack& stack : policy_.stacks) form(stack);
        return std::move(out_);
    }

  private:
    // Credentials a stack formed: index -> the stack's name.
    std::optional<std::string> formed_name(std::size_t index) const {
        auto it = out_.formed_by.find(index);
        if (it == out_.formed_by.end()) return std::nullopt;
        return it->second->name;
    }

    Options options(const Stack& stack) const {
        const Application& app = out_.application;
        Options o;
        for (const StackComponent& comp : stack.components) {
            std::vector<std::size_t> fits;
            std::vector<std::string> misses;
            for (std::size_t i = 0; i < app.credentials.size(); ++i) {
                const Credential& c = app.credentials[i];
                EvalContext ctx{policy_, app, &c};
                if (!comp.stack.empty()) {
                    if (formed_name(i) != comp.stack) continue;
                } else if (!evaluate_expr(*comp.when, ctx).truthy()) {
                    continue;
                }
                if (auto why = refusal(stack, i, ctx)) {
                    misses.push_back(fmt::format("{}: {}", c.id, *why));
                } else {
                    fits.push_back(i);
                }
            }
            o.candidates.push_back(std::move(fits));
            o.near_misses.push_back(std::move(misses));
        }
        return o;
    }

    // Checked only for credentials that meet some component's condition, and once: the
    // validity checks run the policy's rules. Credentials stacks yield are valid.
    std::optional<std::string> unusable_of(std::size_t i) const {
        if (i >= own_) return std::nullopt;
        auto [it, fresh] = unusable_.try_emplace(i);
        if (fresh) it->second = unusable(policy_, out_.application, i);
        return it->second;
    }

    // Why credential `i`, which meets a component's condition, cannot fill it.
    std::optional<std::string> refusal(const Stack& stack, std::size_t i,
                                       const EvalContext& ctx) const {
        if (auto it = out_.used_in.find(i); it != out_.used_in.end()) {
            return fmt::format("it is used in stack {}", it->second->name);
        }
        if (auto why = unusable_of(i)) return why;
        for (const rules::Expr& each : stack.each) {
            if (!evaluate_expr(each, ctx).truthy()) {
                return fmt::format("the stack requires {}: {}", expression_text(each),
                                   describe(each, ctx));
            }
        }
        if (stack.within && !ctx.credential->issued) {
            return fmt::format(
                "its issue date is not stated, and the stack requires its parts "
                "within {} of each other",
                rules::format_value(*stack.within));
        }
        return std::nullopt;
    }

    double workload(std::size_t i) const {
        DerivedFact w = credential_workload(policy_, out_.application.credentials[i]);
        return w.value.missing ? 0 : w.value.number;
    }

    // Whether the latest issue date is within the stack's window from the earliest.
    bool within(const Stack& stack, const std::vector<std::size_t>& parts) const {
        if (!stack.within || parts.empty()) return true;
        std::vector<dsl::Date> dates;
        for (std::size_t i : parts) dates.push_back(*out_.application.credentials[i].issued);
        auto [first, last] = std::minmax_element(dates.begin(), dates.end());
        const rules::Value& w = *stack.within;
        const int n = static_cast<int>(w.number);
        dsl::Date limit = w.type == rules::Type::Years    ? dsl::add_years(*first, n)
                          : w.type == rules::Type::Months ? dsl::add_months(*first, n)
                                                          : dsl::Date{first->days + n};
        return *last <= limit;
    }

    // One way of filling the components: the credential index per component, or none.
    using Choice = std::vector<std::optional<std::size_t>>;

    struct Score {
        bool complete = false;
        std::size_t needs_met = 0;  // over the groups, the filled parts that count
        double ects = 0;
        std::size_t used = 0;
    };

    Score score(const Stack& stack, const Choice& choice) const {
        Score s;
        std::vector<std::size_t> parts;
        for (const auto& part : choice) {
            if (!part) continue;
            parts.push_back(*part);
            s.ects += workload(*part);
        }
        s.used = parts.size();
        bool groups_met = true;
        for (const rules::StackGroup& g : stack.groups) {
            std::size_t filled = 0;
            for (const std::string& m : g.members) {
                filled += choice[component_index(stack, m)].has_value() ? 1 : 0;
            }
            s.needs_met += std::min(filled, g.need);
            groups_met = groups_met && filled >= g.need;
        }
        bool total_met =
            !stack.min_total_ects || compare_numbers(s.ects, *stack.min_total_ects) >= 0;
        s.complete = groups_met && total_met && within(stack, parts);
        return s;
    }

    static std::size_t component_index(const Stack& stack, const std::string& name) {
        for (std::size_t k = 0; k < stack.components.size(); ++k) {
            if (stack.components[k].name == name) return k;
        }
        return 0;
    }

    // Complete beats incomplete. Among complete ways: fewest credentials, then least credit,
    // so the rest stay free to count alone. Among incomplete ones: the most of what is
    // required, then the most credit. Earlier choices win ties (the search visits
    // earlier credentials first).
    static bool better(const Score& a, const Score& b) {
        if (a.complete != b.complete) return a.complete;
        if (a.complete) {
            if (a.used != b.used) return a.used < b.used;
            return compare_numbers(a.ects, b.ects) < 0;
        }
        if (a.needs_met != b.needs_met) return a.needs_met > b.needs_met;
        return compare_numbers(a.ects, b.ects) > 0;
    }

    // Every way to fill the components, each credential once; small in practice (a stack
    // has a handful of components and few credentials meet each), and capped regardless.
    void search(const Stack& stack, const Options& o, std::size_t k, Choice& choice,
                std::set<std::size_t>& taken, Choice& best, Score& best_score,
                std::size_t& visits) const {
        if (++visits > k_max_visits) return;
        if (k == stack.components.size()) {
            Score s = score(stack, choice);
            if (better(s, best_score)) {
                best = choice;
                best_score = s;
            }
            return;
        }
        for (std::size_t i : o.candidates[k]) {
            if (!taken.insert(i).second) continue;
            choice[k] = i;
            search(stack, o, k + 1, choice, taken, best, best_score, visits);
            taken.erase(i);
        }
        choice[k].reset();
        search(stack, o, k + 1, choice, taken, best, best_score, visits);
    }

    static constexpr std::size_t k_max_visits = 200000;

    void form(const Stack& stack) {
        Options o = options(stack);
        Choice choice(stack.components.size());
        Choice best(stack.components.size());
        Score best_score;
        best_score.complete = false;
        std::set<std::size_t> taken;
        std::size_t visits = 0;
        search(stack, o, 0, choice, taken, best, best_score, visits);
        bool any_part = std::any_of(best.begin(), best.end(), [](const auto& p) { return p; });
        bool any_miss = std::any_of(o.near_misses.begin(), o.near_misses.end(),
                                    [](const auto& m) { return !m.empty(); });
        if (!best_score.complete && !any_part && !any_miss) return;  // nothing of it is held

        StackDecision sd;
        sd.name = stack.name;
        sd.title = stack.title;
        sd.cite = stack.cite;
        sd.where = stack.where;
        sd.complete = best_score.complete;
        sd.total_ects = best_score.ects;
        for (std::size_t k = 0; k < stack.components.size(); ++k) {
            sd.parts.push_back(part(stack, k, best[k], o.near_misses[k]));
        }
        if (sd.complete) {
            std::size_t index = yield(stack, best);
            sd.credential = out_.application.credentials[index].id;
            // The inner stack's decision learns which stack used it.
            for (const auto& p : best) {
                if (auto inner = p ? formed_name(*p) : std::nullopt) {
                    for (StackDecision& other : out_.stacks) {
                        if (other.name == *inner) other.used_in = stack.name;
                    }
                }
            }
        } else {
            sd.missing = missing(stack, best, best_score);
            if (visits > k_max_visits) {
                sd.missing.push_back(fmt::format(
                    "the search for a way to complete it stopped after {} tries", k_max_visits));
            }
        }
        out_.stacks.push_back(std::move(sd));
    }

    StackPart part(const Stack& stack, std::size_t k, std::optional<std::size_t> filled,
                   const std::vector<std::string>& near_misses) const {
        const StackComponent& comp = stack.components[k];
        StackPart p;
        p.component = comp.name;
        p.stack = comp.stack;
        p.condition =
            comp.stack.empty()
                ? (comp.when->text.empty() ? expression_text(*comp.when) : comp.when->text)
                : fmt::format("the {} (stack {})", policy_.find_stack(comp.stack)->title,
                              comp.stack);
        if (filled) {
            const Credential& c = out_.application.credentials[*filled];
            p.credential = c.id;
            p.title = c.title.value_or("");
            p.issued = c.issued ? dsl::format_date(*c.issued) : "";
            p.ects = workload(*filled);
        } else {
            p.near_misses = near_misses;
        }
        return p;
    }

    std::vector<std::string> missing(const Stack& stack, const Choice& best,
                                     const Score& score) const {
        std::vector<std::string> out;
        for (const rules::StackGroup& g : stack.groups) {
            std::vector<std::string> empty;
            std::size_t filled = 0;
            for (const std::string& m : g.members) {
                std::size_t k = component_index(stack, m);
                if (best[k]) {
                    ++filled;
                } else {
                    empty.push_back(m);
                }
            }
            if (filled >= g.need) continue;
            if (g.all) {
                for (const std::string& m : empty) out.push_back(fmt::format("component {}", m));
            } else {
                out.push_back(
                    fmt::format("{} more of: {}", g.need - filled, fmt::join(empty, ", ")));
            }
        }
        if (stack.min_total_ects && compare_numbers(score.ects, *stack.min_total_ects) < 0) {
            out.push_back(
                fmt::format("{} more: the parts held carry {}, the stack requires at "
                            "least {}",
                            ects_text(*stack.min_total_ects - score.ects), ects_text(score.ects),
                            ects_text(*stack.min_total_ects)));
        }
        std::vector<std::size_t> parts;
        for (const auto& p : best) {
            if (p) parts.push_back(*p);
        }
        if (!within(stack, parts)) {
            std::vector<dsl::Date> dates;
            for (std::size_t i : parts) dates.push_back(*out_.application.credentials[i].issued);
            auto [first, last] = std::minmax_element(dates.begin(), dates.end());
            out.push_back(fmt::format(
                "parts issued within {} of each other: those held were issued from {} to {}",
                rules::format_value(*stack.within), dsl::format_date(*first),
                dsl::format_date(*last)));
        }
        return out;
    }

    // Appends the credential a completed stack yields and marks its parts used.
    std::size_t yield(const Stack& stack, const Choice& best) {
        std::vector<std::size_t> parts;
        for (const auto& p : best) {
            if (p) parts.push_back(*p);
        }
        Credential made = stacked_credential(stack, parts);
        for (std::size_t i : parts) out_.used_in[i] = &stack;
        out_.application.credentials.push_back(std::move(made));
        std::size_t index = out_.application.credentials.size() - 1;
        out_.formed_by[index] = &stack;
        out_.workload_basis[index] = workload_basis(stack, parts);
        return index;
    }

    std::string workload_basis(const Stack& stack, const std::vector<std::size_t>& parts) const {
        if (stack.yields_ects) {
            return fmt::format("{} as stack {} yields", ects_text(*stack.yields_ects), stack.name);
        }
        std::vector<std::string> terms;
        double total = 0;
        for (std::size_t i : parts) {
            terms.push_back(rules::format_number(workload(i)));
            total += workload(i);
        }
        return fmt::format("{}, its parts' {} ECTS added up", ects_text(total),
                           fmt::join(terms, " + "));
    }

    template <typename T, typename Get>
    std::optional<T> common(const std::vector<std::size_t>& parts, Get get) const {
        std::optional<T> shared;
        for (std::size_t i : parts) {
            std::optional<T> v = get(out_.application.credentials[i]);
            if (!v) return std::nullopt;
            if (shared && *shared != *v) return std::nullopt;
            shared = v;
        }
        return shared;
    }

    // Distinct stated values, joined: "exam; project".
    template <typename Get>
    std::optional<std::string> joined(const std::vector<std::size_t>& parts, Get get) const {
        std::vector<std::string> values;
        for (std::size_t i : parts) {
            std::optional<std::string> v = get(out_.application.credentials[i]);
            if (!v) return std::nullopt;
            if (std::find(values.begin(), values.end(), *v) == values.end()) values.push_back(*v);
        }
        if (values.empty()) return std::nullopt;
        return fmt::format("{}", fmt::join(values, "; "));
    }

    // All parts say yes: yes; one says no: no; otherwise not stated.
    template <typename Get>
    std::optional<bool> all_of(const std::vector<std::size_t>& parts, Get get) const {
        bool unknown = false;
        for (std::size_t i : parts) {
            std::optional<bool> v = get(out_.application.credentials[i]);
            if (v && !*v) return false;
            unknown = unknown || !v;
        }
        if (unknown) return std::nullopt;
        return true;
    }

    // The ISCED-F field the parts share, as precisely as they share it ("0613" and "0612"
    // share "061"); none when they share less than a broad field.
    std::optional<std::string> shared_field(const std::vector<std::size_t>& parts) const {
        std::optional<std::string> prefix;
        for (std::size_t i : parts) {
            const auto& f = out_.application.credentials[i].field;
            if (!f) return std::nullopt;
            if (!prefix) {
                prefix = *f;
                continue;
            }
            std::size_t n = 0;
            while (n < prefix->size() && n < f->size() && (*prefix)[n] == (*f)[n]) ++n;
            prefix->resize(n);
        }
        if (!prefix || prefix->size() < 2) return std::nullopt;
        return prefix;
    }

    std::optional<int> lowest_stated(const std::vector<std::size_t>& parts,
                                     std::optional<int> Credential::*level) const {
        std::optional<int> lowest;
        for (std::size_t i : parts) {
            const std::optional<int>& v = out_.application.credentials[i].*level;
            if (!v) return std::nullopt;
            lowest = lowest ? std::min(*lowest, *v) : *v;
        }
        return lowest;
    }

    Credential stacked_credential(const Stack& stack, const std::vector<std::size_t>& parts) const {
        const Application& app = out_.application;
        Credential c;
        c.id = stack.name;
        auto clash = [&](const std::string& id) {
            return std::any_of(app.credentials.begin(), app.credentials.end(),
                               [&](const Credential& x) { return x.id == id; });
        };
        if (clash(c.id)) c.id = "stack:" + stack.name;
        c.title = stack.title;
        c.learner = app.learner_id;
        c.kind = stack.yields_kind;
        c.issuer_country =
            common<std::string>(parts, [](const Credential& x) { return x.issuer_country; });
        c.awarding_body = joined(parts, [](const Credential& x) { return x.awarding_body; });
        c.assessment = joined(parts, [](const Credential& x) { return x.assessment; });
        c.participation = joined(parts, [](const Credential& x) { return x.participation; });
        c.qa = common<std::string>(parts, [](const Credential& x) { return x.qa; });
        c.provider_type =
            common<std::string>(parts, [](const Credential& x) { return x.provider_type; });
        c.cycle = common<std::string>(parts, [](const Credential& x) { return x.cycle; });
        c.programme_accredited =
            all_of(parts, [](const Credential& x) { return x.programme_accredited; });
        c.institution_accredited =
            all_of(parts, [](const Credential& x) { return x.institution_accredited; });
        c.in_registry = all_of(parts, [](const Credential& x) { return x.in_registry; });
        c.field = stack.yields_field.empty() ? shared_field(parts)
                                             : std::optional<std::string>(stack.yields_field);
        double total = 0;
        std::optional<int> lowest;
        bool level_known = true;
        for (std::size_t i : parts) {
            const Credential& x = app.credentials[i];
            total += workload(i);
            if (x.issued && (!c.issued || *x.issued > *c.issued)) c.issued = x.issued;
            if (x.expires && (!c.expires || *x.expires < *c.expires)) c.expires = x.expires;
            for (const std::string& lo : x.learning_outcomes) c.learning_outcomes.push_back(lo);
            for (const std::string& code : x.outcome_codes) c.outcome_codes.push_back(code);
            DerivedFact level = credential_level(policy_, x);
            if (level.value.missing) {
                level_known = false;
            } else {
                int n = static_cast<int>(level.value.number);
                lowest = lowest ? std::min(*lowest, n) : n;
            }
        }
        std::sort(c.outcome_codes.begin(), c.outcome_codes.end());
        c.outcome_codes.erase(std::unique(c.outcome_codes.begin(), c.outcome_codes.end()),
                              c.outcome_codes.end());
        c.ects = stack.yields_ects.value_or(total);
        // Parts from the policy's own country: the level in its own framework. Foreign parts
        // keep their framework: the lowest EQF (or foreign NQF) level, which the policy maps.
        const bool foreign = c.issuer_country && *c.issuer_country != policy_.jurisdiction;
        if (!foreign && stack.yields_level) {
            c.nqf_level = stack.yields_level;
            c.set_by["nqf_level"] = fmt::format("as stack {} yields", stack.name);
        } else if (!foreign && lowest && level_known) {
            c.nqf_level = lowest;
            c.set_by["nqf_level"] = "the lowest of its parts' levels";
        } else if (foreign) {
            c.eqf_level = stack.yields_level ? stack.yields_level
                                             : lowest_stated(parts, &Credential::eqf_level);
            if (!c.eqf_level) c.nqf_level = lowest_stated(parts, &Credential::nqf_level);
        }
        return c;
    }

    const rules::Policy& policy_;
    FormedStacks out_;
    std::size_t own_;  // the application's own credentials come first
    mutable std::map<std::size_t, std::optional<std::string>> unusable_;
};

}  // namespace

FormedStacks form_stacks(const rules::Policy& policy, const Application& application) {
    return StackForming(policy, application).run();
}

void mark_in_stack(CredentialDecision& cd, const rules::Stack& stack,
                   const std::string& stack_credential) {
    Reason r;
    r.rule = "stack " + stack.name;
    r.code = "IN_STACK";
    r.outcome = rules::Outcome::Reject;
    r.message = fmt::format(
        "counted as part of the {} (credential {}), which is decided in its place; the learning "
        "is credited once",
        stack.title, stack_credential);
    r.facts = fmt::format("it fills a component of stack {}", stack.name);
    r.cite = stack.cite;
    r.where = stack.where;
    cd.status = Status::NotRecognized;
    cd.primary_code = r.code;
    cd.stacked_into = stack_credential;
    cd.reasons.push_back(std::move(r));
}

}  // namespace mcre::engine
