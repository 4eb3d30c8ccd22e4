#include "engine/counterfactual.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "engine/credential_checks.hpp"
#include "engine/detail/fact_candidates.hpp"
#include "engine/expression_eval.hpp"
#include "engine/facts.hpp"
#include "engine/would_change.hpp"

namespace mcre::engine {

namespace {

using detail::Candidate;
using detail::CheckFacts;
using detail::Fact;
using rules::Attr;
using rules::Type;
using rules::Value;

// Whether the credential at `index` now passes every check (a cap may still cut it).
bool passes(const rules::Policy& policy, const Application& app, std::size_t index) {
    if (find_duplicate(app, index)) return false;
    CheckResult checks = check_credential(EvalContext{policy, app, &app.credentials[index]});
    return !first_failure(checks.reasons).has_value();
}

// Whether the candidate leaves the fact as it is (no change at all).
bool same_as_now(const rules::Policy& policy, const Candidate& cand, const Credential& c) {
    Credential changed = c;
    detail::apply_candidate(policy, cand, changed);
    auto value_of = [&](const Credential& x) {
        Application app;
        EvalContext ctx{policy, app, &x};
        return attribute_value(detail::stated(cand.attr), ctx);
    };
    Value a = value_of(c);
    Value b = value_of(changed);
    if (a.missing != b.missing) return false;
    return a.missing || (a.number == b.number && a.text == b.text);
}

// Distance of a candidate from the credential's current value, so the nearest is tried
// first and reported: raising 2 ECTS to 3 before lowering it to nothing.
double distance(const Candidate& cand, const Value& current) {
    if (current.missing || cand.unset) return 1e12;
    if (cand.value.type == Type::Text || cand.value.type == Type::Code) return 1;
    return std::fabs(cand.value.number - current.number);
}

std::string formatted_target(const rules::Policy& policy, const Candidate& cand,
                             const Application& app, const Credential& changed) {
    if (cand.unset) return "";
    EvalContext ctx{policy, app, &changed};
    return rules::format_value(attribute_value(cand.attr, ctx));
}

struct Search {
    const rules::Policy& policy;
    const CounterfactualLimits& limits;
    Application app;  // a working copy; the credential at `index` is changed in place
    std::size_t index;
    Credential original;
    std::vector<std::vector<Candidate>> by_fact;       // candidates grouped by fact
    std::vector<std::vector<std::size_t>> must_touch;  // per failing check: facts (indexes)
    std::size_t trials = 0;
    bool exhausted = false;
    std::vector<std::vector<const Candidate*>> found;

    // Tries every combination of one candidate per chosen fact.
    void combine(const std::vector<std::size_t>& facts, std::size_t depth,
                 std::vector<const Candidate*>& chosen) {
        if (exhausted) return;
        if (depth == facts.size()) {
            if (++trials > limits.max_trials) {
                exhausted = true;
                return;
            }
            Credential& c = app.credentials[index];
            c = original;
            for (const Candidate* cand : chosen) detail::apply_candidate(policy, *cand, c);
            if (passes(policy, app, index)) found.push_back(chosen);
            c = original;
            return;
        }
        for (const Candidate& cand : by_fact[facts[depth]]) {
            chosen.push_back(&cand);
            const std::size_t before = found.size();
            combine(facts, depth + 1, chosen);
            chosen.pop_back();
            // One success per set of facts: the nearest values, tried first.
            if (found.size() > before || exhausted) return;
        }
    }

    bool touches_every_check(const std::vector<std::size_t>& facts) const {
        for (const std::vector<std::size_t>& need : must_touch) {
            bool hit = std::any_of(facts.begin(), facts.end(), [&](std::size_t f) {
                return std::find(need.begin(), need.end(), f) != need.end();
            });
            if (!hit) return false;
        }
        return true;
    }

    // Sets of `size` facts in order, each tried in full before the next.
    void subsets(std::size_t size, std::size_t start, std::vector<std::size_t>& facts) {
        if (exhausted || found.size() >= limits.max_alternatives) return;
        if (facts.size() == size) {
            if (!touches_every_check(facts)) return;
            std::vector<const Candidate*> chosen;
            combine(facts, 0, chosen);
            return;
        }
        for (std::size_t f = start; f < by_fact.size(); ++f) {
            facts.push_back(f);
            subsets(size, f + 1, facts);
            facts.pop_back();
        }
    }
};

std::string attribute_list(const std::set<Attr>& attrs) {
    std::vector<std::string> names;
    for (Attr a : attrs) names.emplace_back(rules::info(a).path);
    return fmt::format("{}", fmt::join(names, ", "));
}

// "recognized with 3 ECTS if it carried at least 3 ECTS (it carries 2 ECTS)".
std::string counterfactual_words(const Counterfactual& cf, const std::vector<std::string>& ifs) {
    const std::string condition = fmt::format("{}", fmt::join(ifs, " and "));
    const std::string credit = rules::format_number(cf.recognized_ects);
    switch (cf.status) {
        case Status::Recognized:
            return fmt::format("recognized with {} ECTS if {}", credit, condition);
        case Status::PartiallyRecognized:
            return fmt::format("partially recognized ({} ECTS, cut by a cap) if {}", credit,
                               condition);
        default:
            return fmt::format(
                "if {}, it would pass every check, but a cap would leave it no "
                "credit",
                condition);
    }
}

}  // namespace

void explain_counterfactuals(const rules::Policy& policy, const Application& application,
                             std::size_t index, const PlainEvaluator& evaluate_plain,
                             CredentialDecision& decided, const CounterfactualLimits& limits) {
    const Credential& credential = application.credentials[index];
    const EvalContext ctx{policy, application, &credential};

    // A check that reads no fact of the credential cannot be passed by changing one.
    std::vector<CheckFacts> failing;
    std::vector<const rules::Rule*> failing_rules;
    for (const Reason& r : decided.reasons) {
        if (r.passed || r.outcome == rules::Outcome::Warn) continue;
        if (const rules::Rule* rule =
                detail::rule_named(policy, r.instead_of.empty() ? r.rule : r.instead_of)) {
            failing_rules.push_back(rule);
        }
        CheckFacts f = detail::reason_facts(policy, r);
        if (f.facts.empty()) {
            decided.no_change_helps = fmt::format(
                "no change to the facts this credential states can get it recognized here: {} ({}) "
                "turns only on {}",
                r.rule, r.code,
                f.others.empty() ? std::string("facts outside the credential")
                                 : attribute_list(f.others));
            // What would have to differ instead, outside the credential.
            const rules::Rule* rule =
                detail::rule_named(policy, r.instead_of.empty() ? r.rule : r.instead_of);
            if (rule != nullptr) {
                if (auto change = required_change(rule->condition, !rule->exclusion, ctx))
                    decided.no_change_helps += "; it would pass if " + *change;
            }
            decided.would_change.push_back(decided.no_change_helps);
            return;
        }
        failing.push_back(std::move(f));
    }
    if (failing.empty()) return;

    std::vector<Candidate> candidates = detail::collect_candidates(ctx, failing_rules);

    Search search{policy, limits, application, index, credential, {}, {}, 0, false, {}};
    std::vector<Fact> facts;  // in the order the policy first tests them
    for (const Candidate& c : candidates) {
        if (same_as_now(policy, c, credential)) continue;
        auto at = std::find(facts.begin(), facts.end(), c.fact);
        if (at == facts.end()) {
            facts.push_back(c.fact);
            search.by_fact.emplace_back();
            at = facts.end() - 1;
        }
        search.by_fact[static_cast<std::size_t>(at - facts.begin())].push_back(c);
    }
    for (std::vector<Candidate>& group : search.by_fact) {
        std::stable_sort(group.begin(), group.end(), [&](const Candidate& a, const Candidate& b) {
            Value now_a = attribute_value(detail::stated(a.attr), ctx);
            Value now_b = attribute_value(detail::stated(b.attr), ctx);
            return distance(a, now_a) < distance(b, now_b);
        });
    }
    for (const CheckFacts& f : failing) {
        std::vector<std::size_t> need;
        for (std::size_t i = 0; i < facts.size(); ++i) {
            if (f.facts.count(facts[i]) != 0) need.push_back(i);
        }
        search.must_touch.push_back(std::move(need));
    }

    for (std::size_t size = 1; size <= limits.max_changes && size <= facts.size(); ++size) {
        std::vector<std::size_t> chosen;
        search.subsets(size, 0, chosen);
        if (!search.found.empty() || search.exhausted) break;
    }

    for (const std::vector<const Candidate*>& set : search.found) {
        Application changed_app = application;
        Credential& changed = changed_app.credentials[index];
        for (const Candidate* cand : set) detail::apply_candidate(policy, *cand, changed);
        Counterfactual cf;
        std::vector<std::string> words;
        for (const Candidate* cand : set) {
            FactChange change;
            change.fact = std::string(rules::info(cand->attr).path);
            Value now = attribute_value(cand->attr, ctx);
            change.from = now.missing ? "" : rules::format_value(now);
            change.to = formatted_target(policy, *cand, changed_app, changed);
            change.words = fmt::format("{} {}", cand->words, detail::now_words(cand->attr, now));
            words.push_back(change.words);
            cf.changes.push_back(std::move(change));
        }
        Decision d = evaluate_plain(policy, changed_app);
        const CredentialDecision& after = d.credentials[index];
        cf.status = after.status;
        cf.recognized_ects = after.recognized_ects;
        decided.would_change.push_back(counterfactual_words(cf, words));
        decided.counterfactuals.push_back(std::move(cf));
    }
    if (search.found.empty()) {
        decided.no_change_helps =
            search.exhausted
                ? fmt::format(
                      "no change of at most {} of the credential's facts was found that "
                      "gets it recognized (the search stopped after {} trials)",
                      limits.max_changes, limits.max_trials)
                : fmt::format(
                      "no change of at most {} of the credential's facts, to any value "
                      "the policy tests, gets it recognized",
                      limits.max_changes);
        decided.would_change.push_back(decided.no_change_helps);
    }
}

}  // namespace mcre::engine
