#include "engine/planner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <numeric>
#include <queue>
#include <set>

#include "engine/evaluator.hpp"
#include "engine/expression_eval.hpp"
#include "engine/facts.hpp"
#include "engine/stacks.hpp"
#include "rules/scope.hpp"

namespace mcre::engine {

const char* plan_outcome_name(PlanOutcome outcome) {
    switch (outcome) {
        case PlanOutcome::AlreadyComplete:
            return "already_complete";
        case PlanOutcome::Found:
            return "found";
        case PlanOutcome::Impossible:
            return "impossible";
        case PlanOutcome::Stopped:
            return "stopped";
        case PlanOutcome::UnknownTarget:
            return "unknown_target";
    }
    return "impossible";
}

// ---- The search -------------------------------------------------------------------------

namespace {

// Costs compared in thousandths of an ECTS, so that 2.5 + 2.5 ties with 5 exactly.
long long cost_units(double cost) { return std::llround(std::max(cost, 0.0) * 1000); }

struct Node {
    long long cost = 0;
    std::vector<std::size_t> positions;  // in the search order, increasing
    std::vector<std::size_t> items;      // the items, increasing
};

// Later in the order: dearer, then more items, then later items.
struct Later {
    bool operator()(const Node& a, const Node& b) const {
        if (a.cost != b.cost) return a.cost > b.cost;
        if (a.items.size() != b.items.size()) return a.items.size() > b.items.size();
        return a.items > b.items;
    }
};

}  // namespace

// Every subset is reached once, from the subset with its last position dropped (when the two
// last positions are adjacent) or moved one back; both successors of a set come no earlier
// than it in the order, so the sets leave the queue in order and the first that completes is
// the smallest. The queue grows by at most one set per set examined.
SubsetSearch smallest_subset(const std::vector<double>& costs,
                             const std::function<bool(const std::vector<std::size_t>&)>& complete,
                             std::size_t max_evaluations) {
    SubsetSearch result;
    if (max_evaluations == 0) {
        result.stopped = true;
        return result;
    }
    ++result.examined;
    if (complete({})) {
        result.found = std::vector<std::size_t>{};
        return result;
    }
    const std::size_t n = costs.size();
    if (n == 0) return result;
    std::vector<long long> units(n);
    for (std::size_t i = 0; i < n; ++i) units[i] = cost_units(costs[i]);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return units[a] < units[b]; });

    auto make = [&](std::vector<std::size_t> positions) {
        Node node;
        for (std::size_t p : positions) {
            node.cost += units[order[p]];
            node.items.push_back(order[p]);
        }
        std::sort(node.items.begin(), node.items.end());
        node.positions = std::move(positions);
        return node;
    };
    std::priority_queue<Node, std::vector<Node>, Later> queue;
    queue.push(make({0}));
    while (!queue.empty()) {
        if (result.examined >= max_evaluations) {
            result.stopped = true;
            return result;
        }
        Node node = queue.top();
        queue.pop();
        ++result.examined;
        if (complete(node.items)) {
            result.found = node.items;
            return result;
        }
        const std::size_t last = node.positions.back();
        if (last + 1 >= n) continue;
        std::vector<std::size_t> grown = node.positions;
        grown.push_back(last + 1);
        queue.push(make(std::move(grown)));
        std::vector<std::size_t> moved = node.positions;
        moved.back() = last + 1;
        queue.push(make(std::move(moved)));
    }
    return result;
}

// ---- Offers as credentials ---------------------------------------------------------------

namespace {

Credential as_credential(const Application& application, const Offer& offer) {
    Credential c = offer.credential;
    c.learner = application.learner_id;
    if (!c.issued) c.issued = application.date;
    return c;
}

}  // namespace

Application with_offers(const Application& application, const Catalogue& catalogue,
                        const std::vector<std::size_t>& chosen, std::vector<std::string>* ids) {
    Application out = application;
    std::set<std::string> used;
    for (const Credential& c : application.credentials) used.insert(c.id);
    for (std::size_t index : chosen) {
        Credential c = as_credential(application, catalogue.offers.at(index));
        const std::string base = c.id;
        for (int n = 2; used.count(c.id) != 0; ++n) c.id = fmt::format("{}-{}", base, n);
        used.insert(c.id);
        if (ids != nullptr) ids->push_back(c.id);
        out.credentials.push_back(std::move(c));
    }
    return out;
}

// ---- The planner --------------------------------------------------------------------------

namespace {

std::string ects_text(double n) { return fmt::format("{} ECTS", rules::format_number(n)); }

std::string condition_text(const rules::Expr& e) {
    return e.text.empty() ? expression_text(e) : e.text;
}

double workload_of(const rules::Policy& policy, const Credential& c) {
    DerivedFact w = credential_workload(policy, c);
    return w.value.missing ? 0 : w.value.number;
}

class Planner {
  public:
    Planner(const rules::Policy& policy, const Application& application, const Catalogue& catalogue,
            const PlanOptions& options)
        : policy_(policy), app_(application), catalogue_(catalogue), options_(options) {}

    Plan run(const std::string& target) {
        plan_.target = target;
        plan_.application_id = app_.id;
        plan_.policy_id = policy_.id;
        plan_.policy_version = policy_.version;
        plan_.catalogue_id = catalogue_.id;
        plan_.catalogue_title = catalogue_.title;
        plan_.catalogue_size = catalogue_.offers.size();
        plan_.max_evaluations = options_.max_evaluations;
        if (!resolve(target)) return std::move(plan_);

        Decision base = decide({});
        if (complete(base)) {
            plan_.outcome = PlanOutcome::AlreadyComplete;
            plan_.examined = 1;
            finish(std::move(base), {});
            return std::move(plan_);
        }
        if (pathway_ && find_pathway(base) == nullptr) {
            plan_.outcome = PlanOutcome::Impossible;
            plan_.examined = 1;
            plan_.why_not.push_back(fmt::format(
                "pathway {} does not apply to programme {}: it applies when {}", pathway_->name,
                app_.programme.id, pathway_->applies ? condition_text(*pathway_->applies) : ""));
            finish(std::move(base), {});
            return std::move(plan_);
        }
        choose_candidates();
        const std::size_t n = plan_.candidates.size();
        plan_.possible_sets = n >= 63 ? SIZE_MAX : (std::size_t{1} << n);
        if (n == 0) {
            plan_.outcome = PlanOutcome::Impossible;
            plan_.examined = 1;
            explain(base);
            finish(std::move(base), {});
            return std::move(plan_);
        }

        // Every candidate at once: when even that does not complete the target, that
        // evaluation says why; the search then only runs when it can try every subset.
        Decision everything = decide(plan_.candidates);
        const bool all_complete = complete(everything);
        if (!all_complete && plan_.possible_sets > options_.max_evaluations) {
            plan_.outcome = PlanOutcome::Impossible;
            plan_.examined = 2;
            explain(everything);
            plan_.why_not.push_back(fmt::format(
                "the {} candidate offers taken together do not complete it; the {} smaller sets "
                "were not each tried (more than the limit of {})",
                n, plan_.possible_sets - 2, options_.max_evaluations));
            finish(std::move(everything), plan_.candidates);
            return std::move(plan_);
        }

        std::vector<double> costs;
        for (std::size_t index : plan_.candidates) {
            costs.push_back(workload_of(policy_, as_credential(app_, catalogue_.offers[index])));
        }
        auto test = [&](const std::vector<std::size_t>& items) {
            if (items.empty()) return false;  // the application as it is: decided above
            std::vector<std::size_t> chosen;
            for (std::size_t k : items) chosen.push_back(plan_.candidates[k]);
            Decision d = decide(chosen, false);
            if (complete(d)) return true;
            remember_rejected(chosen, d);
            return false;
        };
        SubsetSearch search = smallest_subset(costs, test, options_.max_evaluations);
        plan_.examined = search.examined;
        if (search.found) {
            std::vector<std::size_t> chosen;
            for (std::size_t k : *search.found) chosen.push_back(plan_.candidates[k]);
            plan_.outcome = PlanOutcome::Found;
            pick_rejected(chosen);
            finish(decide(chosen), chosen);
            return std::move(plan_);
        }
        plan_.outcome = search.stopped ? PlanOutcome::Stopped : PlanOutcome::Impossible;
        if (search.stopped) {
            plan_.why_not.push_back(
                fmt::format("the search stopped after {} sets of offers (the limit), none of "
                            "which completes it; taking every candidate offer does",
                            search.examined));
        } else {
            explain(everything);
        }
        finish(std::move(everything), plan_.candidates);
        return std::move(plan_);
    }

  private:
    bool resolve(const std::string& target) {
        stack_ = policy_.find_stack(target);
        pathway_ = stack_ == nullptr ? policy_.find_pathway(target) : nullptr;
        if (stack_ != nullptr) {
            plan_.target_kind = "stack";
            plan_.target_title = stack_->title;
            collect_stacks(*stack_);
            return true;
        }
        if (pathway_ != nullptr) {
            plan_.target_kind = "pathway";
            plan_.target_title = pathway_->title;
            for (const rules::Stack& s : policy_.stacks) relevant_stacks_.insert(s.name);
            return true;
        }
        plan_.outcome = PlanOutcome::UnknownTarget;
        std::vector<std::string> stacks;
        std::vector<std::string> pathways;
        for (const rules::Stack& s : policy_.stacks) stacks.push_back(s.name);
        for (const rules::Pathway& p : policy_.pathways) pathways.push_back(p.name);
        plan_.target_names = stacks;
        plan_.target_names.insert(plan_.target_names.end(), pathways.begin(), pathways.end());
        std::string error =
            fmt::format("policy {} has no stack or pathway '{}'", policy_.id, target);
        if (plan_.target_names.empty()) {
            error += "; it defines none";
        } else {
            if (auto guess = rules::closest(target, plan_.target_names)) {
                error += fmt::format(" (did you mean '{}'?)", *guess);
            }
            error += fmt::format(
                "; its stacks: {}; its pathways: {}",
                stacks.empty() ? "none" : fmt::format("{}", fmt::join(stacks, ", ")),
                pathways.empty() ? "none" : fmt::format("{}", fmt::join(pathways, ", ")));
        }
        plan_.error = std::move(error);
        return false;
    }

    // The target stack and every stack inside it, at any depth.
    void collect_stacks(const rules::Stack& stack) {
        if (!relevant_stacks_.insert(stack.name).second) return;
        for (const rules::StackComponent& c : stack.components) {
            if (c.stack.empty()) continue;
            if (const rules::Stack* inner = policy_.find_stack(c.stack)) collect_stacks(*inner);
        }
    }

    // The conditions a credential must meet to matter: the components of the relevant stacks,
    // and for a pathway its units too.
    std::vector<const rules::Expr*> conditions() const {
        std::vector<const rules::Expr*> out;
        for (const rules::Stack& s : policy_.stacks) {
            if (relevant_stacks_.count(s.name) == 0) continue;
            for (const rules::StackComponent& c : s.components) {
                if (c.when) out.push_back(&*c.when);
            }
        }
        if (pathway_ != nullptr) {
            for (const rules::PathwayUnit& u : pathway_->units) out.push_back(&u.when);
        }
        return out;
    }

    void choose_candidates() {
        const std::vector<const rules::Expr*> conds = conditions();
        for (std::size_t i = 0; i < catalogue_.offers.size(); ++i) {
            const Offer& offer = catalogue_.offers[i];
            const Credential c = as_credential(app_, offer);
            if (auto held = held_as(c)) {
                plan_.skipped.push_back({c.id, fmt::format("already held as {}", *held)});
                continue;
            }
            const EvalContext ctx{policy_, app_, &c};
            bool matters = std::any_of(conds.begin(), conds.end(), [&](const rules::Expr* e) {
                return evaluate_expr(*e, ctx).truthy();
            });
            if (!matters) {
                plan_.skipped.push_back(
                    {c.id,
                     stack_ != nullptr
                         ? fmt::format(
                               "meets no component of stack {}{}", stack_->name,
                               relevant_stacks_.size() > 1 ? " or of the stacks inside it" : "")
                         : fmt::format("meets no unit of pathway {} and no component of "
                                       "a stack",
                                       pathway_->name)});
                continue;
            }
            plan_.candidates.push_back(i);
            plan_.candidate_offers.push_back(offer.credential.id);
        }
    }

    // The application's credential with the same title and awarding body, if any.
    std::optional<std::string> held_as(const Credential& offer) const {
        if (!offer.title) return std::nullopt;
        for (const Credential& c : app_.credentials) {
            if (c.title == offer.title && c.awarding_body == offer.awarding_body) return c.id;
        }
        return std::nullopt;
    }

    // The search only needs to know whether a set completes the target and what it lacks,
    // which the lean decision (no words) tells as well; the decisions shown are explained.
    Decision decide(const std::vector<std::size_t>& chosen, bool explain = true) const {
        return evaluate(policy_, with_offers(app_, catalogue_, chosen),
                        EvaluateOptions{.what_would_change = false, .explain = explain});
    }

    const StackDecision* find_stack(const Decision& d, const std::string& name) const {
        for (const StackDecision& s : d.stacks) {
            if (s.name == name) return &s;
        }
        return nullptr;
    }

    const PathwayDecision* find_pathway(const Decision& d) const {
        for (const PathwayDecision& p : d.pathways) {
            if (p.name == pathway_->name) return &p;
        }
        return nullptr;
    }

    bool complete(const Decision& d) const {
        if (stack_ != nullptr) {
            const StackDecision* s = find_stack(d, stack_->name);
            return s != nullptr && s->complete;
        }
        const PathwayDecision* p = find_pathway(d);
        return p != nullptr && !p->units.empty() &&
               std::all_of(p->units.begin(), p->units.end(),
                           [](const UnitCoverage& u) { return !u.credential.empty(); });
    }

    // What a rejected set still lacks, in one line.
    std::string shortfall(const Decision& d) const {
        if (stack_ != nullptr) {
            const StackDecision* target = find_stack(d, stack_->name);
            if (target == nullptr) return fmt::format("stack {} is not started", stack_->name);
            std::vector<std::string> out = target->missing;
            // Why credentials that meet a component's condition cannot fill it, at any depth.
            for (const StackDecision& s : d.stacks) {
                if (relevant_stacks_.count(s.name) == 0 || s.complete) continue;
                for (const StackPart& part : s.parts) {
                    for (const std::string& miss : part.near_misses) {
                        out.push_back(
                            fmt::format("{} (component {} of {})", miss, part.component, s.name));
                    }
                }
            }
            return fmt::format("{}", fmt::join(out, "; "));
        }
        const PathwayDecision* p = find_pathway(d);
        std::vector<std::string> open;
        if (p != nullptr) {
            for (const UnitCoverage& u : p->units) {
                if (u.credential.empty()) open.push_back(u.code);
            }
        }
        return fmt::format("units not covered: {}", fmt::join(open, ", "));
    }

    void remember_rejected(const std::vector<std::size_t>& chosen, const Decision& d) {
        RejectedSet r;
        for (std::size_t i : chosen) {
            r.offers.push_back(catalogue_.offers[i].credential.id);
            r.ects += workload_of(policy_, as_credential(app_, catalogue_.offers[i]));
        }
        r.why = shortfall(d);
        recent_.push_back({chosen, std::move(r)});
        if (recent_.size() > k_recent) recent_.pop_front();
    }

    // The last sets rejected before the plan, leaving out those inside it (a part of the
    // plan obviously does not complete the target alone).
    void pick_rejected(const std::vector<std::size_t>& chosen) {
        for (auto it = recent_.rbegin(); it != recent_.rend(); ++it) {
            const std::vector<std::size_t>& set = it->first;
            bool inside = std::includes(chosen.begin(), chosen.end(), set.begin(), set.end());
            if (inside) continue;
            plan_.cheaper_rejected.push_back(it->second);
            if (plan_.cheaper_rejected.size() == k_shown) break;
        }
    }

    // Why the decision does not complete the target, in sentences.
    void explain(const Decision& d) {
        if (stack_ != nullptr) {
            explain_components();
            for (const StackDecision& s : d.stacks) {
                if (relevant_stacks_.count(s.name) == 0 || s.complete) continue;
                for (const std::string& m : s.missing) {
                    plan_.why_not.push_back(fmt::format("stack {} still needs {}", s.name, m));
                }
                for (const StackPart& part : s.parts) {
                    for (const std::string& miss : part.near_misses) {
                        plan_.why_not.push_back(fmt::format("component {} of stack {}: {}",
                                                            part.component, s.name, miss));
                    }
                }
            }
            if (find_stack(d, stack_->name) == nullptr && plan_.why_not.empty()) {
                plan_.why_not.push_back(fmt::format(
                    "no credential of the application or of the catalogue starts stack {}",
                    stack_->name));
            }
            return;
        }
        const PathwayDecision* p = find_pathway(d);
        if (p == nullptr) return;
        // The credentials decided: the application's, the offers', then those stacks yield.
        const FormedStacks formed =
            form_stacks(policy_, with_offers(app_, catalogue_, plan_.candidates));
        for (std::size_t k = 0; k < p->units.size() && k < pathway_->units.size(); ++k) {
            const UnitCoverage& u = p->units[k];
            if (!u.credential.empty()) continue;
            plan_.why_not.push_back(fmt::format(
                "unit {} {} ({}) is not covered: {}", u.code, u.title, ects_text(u.ects),
                unit_reason(pathway_->units[k], d, formed.application)));
        }
    }

    // Components that no held credential and no candidate offer meets.
    void explain_components() {
        const Application all = with_offers(app_, catalogue_, plan_.candidates);
        for (const rules::Stack& s : policy_.stacks) {
            if (relevant_stacks_.count(s.name) == 0) continue;
            for (const rules::StackComponent& comp : s.components) {
                if (!comp.when) continue;
                bool met = std::any_of(
                    all.credentials.begin(), all.credentials.end(), [&](const Credential& c) {
                        return evaluate_expr(*comp.when, EvalContext{policy_, all, &c}).truthy();
                    });
                if (met) continue;
                plan_.why_not.push_back(fmt::format(
                    "no offer in the catalogue and no credential of the application fills "
                    "component {} of stack {}: none meets {}",
                    comp.name, s.name, condition_text(*comp.when)));
            }
        }
    }

    // Why no credential covers a unit: none meets its condition, or those that do are not
    // recognized, are used in a stack, or cover another unit.
    std::string unit_reason(const rules::PathwayUnit& unit, const Decision& d,
                            const Application& all) const {
        std::vector<std::string> why;
        for (std::size_t i = 0; i < all.credentials.size() && i < d.credentials.size(); ++i) {
            const Credential& c = all.credentials[i];
            if (!evaluate_expr(unit.when, EvalContext{policy_, all, &c}).truthy()) continue;
            const CredentialDecision& cd = d.credentials[i];
            const bool recognized =
                cd.status == Status::Recognized || cd.status == Status::PartiallyRecognized;
            if (recognized) {
                why.push_back(fmt::format("{} covers another unit", c.id));
            } else if (cd.stacked_into) {
                std::string stack = *cd.stacked_into;
                for (const StackDecision& sd : d.stacks) {
                    if (sd.credential == *cd.stacked_into) stack = sd.name;
                }
                why.push_back(fmt::format("{} counts only as a part of stack {}", c.id, stack));
            } else {
                why.push_back(
                    fmt::format("{} is {}{}", c.id, status_name(cd.status),
                                cd.primary_code.empty() ? "" : " (" + cd.primary_code + ")"));
            }
        }
        if (why.empty()) {
            return fmt::format(
                "no credential of the application, no offer of the catalogue and no stack "
                "they complete meets {}",
                condition_text(unit.when));
        }
        return fmt::format("{}", fmt::join(why, "; "));
    }

    // The plan's offers, what each fills, and the target's part of the decision.
    void finish(Decision decision, const std::vector<std::size_t>& chosen) {
        std::vector<std::string> ids;
        (void)with_offers(app_, catalogue_, chosen, &ids);
        const bool is_plan = plan_.outcome == PlanOutcome::Found;
        for (std::size_t k = 0; is_plan && k < chosen.size(); ++k) {
            const Offer& offer = catalogue_.offers[chosen[k]];
            PlannedOffer p;
            p.index = chosen[k];
            p.offer = offer.credential.id;
            p.credential = ids[k];
            p.title = offer.credential.title.value_or("");
            p.awarding_body = offer.credential.awarding_body.value_or("");
            p.provider = offer.provider.value_or("");
            p.url = offer.url.value_or("");
            p.ects = workload_of(policy_, as_credential(app_, offer));
            p.fills = fills(decision, p.credential);
            plan_.total_ects += p.ects;
            plan_.offers.push_back(std::move(p));
        }
        for (const StackDecision& s : decision.stacks) {
            if (stack_ != nullptr && relevant_stacks_.count(s.name) != 0) {
                plan_.stacks.push_back(s);
            }
        }
        if (pathway_ != nullptr) {
            if (const PathwayDecision* p = find_pathway(decision)) plan_.pathway = *p;
        }
        plan_.decision = std::move(decision);
    }

    // What credential `id` fills in the decision: components of stacks, units of the pathway
    // (directly or through the stacks it helps complete).
    std::vector<std::string> fills(const Decision& d, const std::string& id) const {
        std::vector<std::string> out;
        // The component it fills, the component the stack's credential fills in turn, ...
        std::set<std::string> through;  // credentials of completed stacks it is part of
        std::string chain;
        std::string cur = id;
        for (int depth = 0; depth <= rules::max_stack_depth && !cur.empty(); ++depth) {
            const StackDecision* in = nullptr;
            const StackPart* as = nullptr;
            for (const StackDecision& s : d.stacks) {
                for (const StackPart& part : s.parts) {
                    if (part.credential == cur && relevant_stacks_.count(s.name) != 0) {
                        in = &s;
                        as = &part;
                    }
                }
            }
            if (in == nullptr) break;
            chain += fmt::format("{}component {} of stack {}",
                                 chain.empty() ? "" : ", which fills ", as->component, in->name);
            if (!in->complete) break;
            through.insert(in->credential);
            cur = in->credential;
        }
        if (!chain.empty()) out.push_back(std::move(chain));
        if (pathway_ == nullptr) return out;
        const PathwayDecision* p = find_pathway(d);
        if (p == nullptr) return out;
        for (const UnitCoverage& u : p->units) {
            if (u.credential == id) {
                out.push_back(fmt::format("unit {} {} ({})", u.code, u.title, ects_text(u.ects)));
            } else if (!u.credential.empty() && through.count(u.credential) != 0) {
                std::string via;
                for (const StackDecision& s : d.stacks) {
                    if (s.credential == u.credential) via = s.name;
                }
                out.push_back(fmt::format("unit {} {} ({}) through stack {}", u.code, u.title,
                                          ects_text(u.ects), via));
            }
        }
        return out;
    }

    static constexpr std::size_t k_recent = 32;
    static constexpr std::size_t k_shown = 3;

    const rules::Policy& policy_;
    const Application& app_;
    const Catalogue& catalogue_;
    const PlanOptions& options_;
    const rules::Stack* stack_ = nullptr;
    const rules::Pathway* pathway_ = nullptr;
    std::set<std::string> relevant_stacks_;
    std::deque<std::pair<std::vector<std::size_t>, RejectedSet>> recent_;
    Plan plan_;
};

}  // namespace

Plan plan(const rules::Policy& policy, const Application& application, const Catalogue& catalogue,
          const std::string& target, const PlanOptions& options) {
    return Planner(policy, application, catalogue, options).run(target);
}

}  // namespace mcre::engine
