#include "engine/evaluator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "engine/cap_allocation.hpp"
#include "engine/counterfactual.hpp"
#include "engine/credential_checks.hpp"
#include "engine/expression_eval.hpp"
#include "engine/facts.hpp"
#include "engine/overlap.hpp"
#include "engine/overrides.hpp"
#include "engine/pathway.hpp"
#include "engine/stacks.hpp"

namespace mcre::engine {

namespace {

// The id of the credential a completed stack yielded.
std::string stack_credential_id(const FormedStacks& formed, const rules::Stack& stack) {
    for (const auto& [index, by] : formed.formed_by) {
        if (by == &stack) return formed.application.credentials[index].id;
    }
    return stack.name;
}

// Assigns `to` from an optional text, "" when it is not stated, reusing `to`'s memory.
void assign(std::string& to, const std::optional<std::string>& from) {
    if (from) {
        to = *from;
    } else {
        to.clear();
    }
}

// The decision's header, and every other field of the decision but the credentials emptied.
void header(const rules::Policy& policy, const Application& app, bool explain, Decision& d) {
    d.application_id = app.id;
    d.learner_id = app.learner_id;
    d.programme_id = app.programme.id;
    assign(d.programme_kind, app.programme.kind);
    d.policy_id = policy.id;
    d.policy_version = policy.version;
    // The cap ledger, the totals by kind and the total are the caps' (allocate_caps).
    d.notes.clear();
    d.overrides.clear();
    d.stacks.clear();
    d.pathways.clear();
    // Texts for the statement and the rendered decision, which no lean caller reads: the
    // policy's title and hash alone are two allocations for every decision of a cohort.
    if (!explain) {
        d.learner_name.clear();
        d.programme_title.clear();
        d.application_date.clear();
        d.values_as_of.clear();
        d.policy_title.clear();
        d.policy_hash.clear();
        return;
    }
    assign(d.learner_name, app.learner_name);
    assign(d.programme_title, app.programme.title);
    d.application_date = dsl::format_date(app.date);
    if (app.values_as_of) {
        d.values_as_of = dsl::format_date(*app.values_as_of);
    } else {
        d.values_as_of.clear();
    }
    d.policy_title = policy.title;
    d.policy_hash = policy.content_hash;
}

// `cd` is empty (CredentialDecision::clear).
void describe_credential(const rules::Policy& policy, const Credential& c, bool explain,
                         CredentialDecision& cd) {
    cd.id = c.id;
    assign(cd.kind, c.kind);
    // A lean decision names the credential by its id alone: the title and awarding body are
    // long texts, copied for every credential of a cohort and read by no lean caller.
    if (!explain) {
        cd.claimed_ects = workload_ects(policy, c);
        return;
    }
    DerivedFact workload = credential_workload(policy, c, Basis::Written);
    if (!workload.value.missing) cd.claimed_ects = workload.value.number;
    cd.source_id = c.source_id;
    assign(cd.title, c.title);
    assign(cd.awarding_body, c.awarding_body);
    if (c.issued) cd.issued = dsl::format_date(*c.issued);
    cd.workload_basis = std::move(workload.basis);
    cd.level_basis = credential_level(policy, c).basis;
}

void mark_duplicate(CredentialDecision& cd, const Credential& earlier, bool by_id) {
    Reason r;
    r.rule = "duplicate";
    r.code = "DUPLICATE";
    r.outcome = rules::Outcome::Reject;
    r.message = fmt::format("same credential as {}; it is counted once", earlier.id);
    r.facts =
        by_id ? fmt::format("the id {} was already used by an earlier credential", earlier.id)
              : fmt::format("same awarding body, title, learner and issue date as {}", earlier.id);
    r.cite = "learning is credited once (not a policy clause)";
    cd.status = Status::NotRecognized;
    cd.primary_code = r.code;
    cd.duplicate_of = earlier.id;
    cd.reasons.push_back(std::move(r));
}

// Makes `list` hold `count` credentials' decisions. Those past the count leave their lists
// of reasons and charges and their kind to the thread's next new ones, which would otherwise
// allocate their own: the count changes from one application to the next.
void fit_credentials(std::vector<CredentialDecision>& list, std::size_t count) {
    struct Leftovers {
        std::vector<std::vector<Reason>> reasons;
        std::vector<std::vector<CapCharge>> caps;
        std::vector<std::string> kinds;
    };
    thread_local Leftovers left;
    while (list.size() > count) {
        CredentialDecision& last = list.back();
        last.reasons.clear();
        last.caps.clear();
        left.reasons.push_back(std::move(last.reasons));
        left.caps.push_back(std::move(last.caps));
        left.kinds.push_back(std::move(last.kind));
        list.pop_back();
    }
    const std::size_t kept = list.size();
    list.resize(count);
    for (std::size_t i = kept; i < count && !left.reasons.empty(); ++i) {
        list[i].reasons = std::move(left.reasons.back());
        list[i].caps = std::move(left.caps.back());
        list[i].kind = std::move(left.kinds.back());
        left.reasons.pop_back();
        left.caps.pop_back();
        left.kinds.pop_back();
    }
}

// The decision alone, without asking what would change it, written into `d` (whatever it
// held). Stacks are formed first: the credential a completed stack yields is decided like
// any other, after the input's own.
void decide(const rules::Policy& policy, const Application& input, bool explain, Decision& d) {
    std::optional<FormedStacks> formed;
    if (!policy.stacks.empty()) formed = form_stacks(policy, input);
    const Application& app = formed ? formed->application : input;
    header(policy, app, explain, d);
    // The credentials' decisions already there are emptied and written again in place.
    fit_credentials(d.credentials, app.credentials.size());
    // Kept by the thread from one decision to the next; taken, not shared, so that a decision
    // made inside this one would start a list of its own.
    thread_local std::vector<std::size_t> kept_eligible;
    std::vector<std::size_t> eligible = std::move(kept_eligible);
    eligible.clear();
    // What the credentials' checks share (SharedTruths): room for 64 rules on the stack.
    constexpr std::size_t room = 64;
    std::array<std::uint8_t, 4 * room> truths{};
    const std::size_t rules = std::min(room, policy.rules.size());
    SharedTruths shared{std::span<std::uint8_t>(truths).first(3 * rules),
                        std::span<std::uint8_t>(truths).subspan(3 * room, rules)};
    for (std::size_t i = 0; i < app.credentials.size(); ++i) {
        const Credential& c = app.credentials[i];
        CredentialDecision& cd = d.credentials[i];
        cd.clear();
        describe_credential(policy, c, explain, cd);
        const rules::Stack* used_in = nullptr;
        if (formed) {
            if (auto it = formed->used_in.find(i); it != formed->used_in.end())
                used_in = it->second;
            if (auto it = formed->formed_by.find(i); it != formed->formed_by.end()) {
                cd.formed_by_stack = it->second->name;
                cd.workload_basis = formed->workload_basis[i];
            }
        }
        if (used_in != nullptr && !used_in->count_alone) {
            mark_in_stack(cd, *used_in, stack_credential_id(*formed, *used_in));
        } else if (auto dup = find_duplicate(app, i)) {
            mark_duplicate(cd, app.credentials[dup->earlier], dup->by_id);
        } else {
            check_credential(EvalContext{policy, app, &c, explain}, cd.reasons, cd.passed,
                             cd.would_change, shared);
            if (used_in != nullptr) cd.stacked_into = stack_credential_id(*formed, *used_in);
            if (const Reason* failure = deciding_failure(cd.reasons)) {
                cd.status = status_for(failure->outcome);
                cd.primary_code = failure->code;
                continue;
            }
            // What would change a decision is only kept for a check that decided it.
            cd.would_change.clear();
            if (auto earlier = find_overlap(policy, app, eligible, i)) {
                mark_overlap(cd, policy, c, *earlier);
            } else {
                eligible.push_back(i);
            }
        }
    }
    allocate_caps(policy, app, eligible, d, explain);
    kept_eligible = std::move(eligible);
    d.pathways = place_on_pathways(policy, app, d);
    if (formed) d.stacks = std::move(formed->stacks);
}

Decision decide_explained(const rules::Policy& policy, const Application& input) {
    Decision d;
    decide(policy, input, true, d);
    return d;
}

// A credential a check stopped (not a cap, not a repeat): changing its facts could help.
bool stopped_by_a_check(const CredentialDecision& cd) {
    if (cd.duplicate_of || cd.overlap_of || cd.stacked_into || cd.formed_by_stack ||
        !cd.caps.empty())
        return false;
    return cd.status == Status::NotRecognized || cd.status == Status::Referred ||
           cd.status == Status::Incomplete;
}

}  // namespace

Decision evaluate(const rules::Policy& policy, const Application& input) {
    return evaluate(policy, input, EvaluateOptions{});
}

Decision evaluate(const rules::Policy& policy, const Application& input,
                  const EvaluateOptions& options) {
    Decision d;
    evaluate(policy, input, options, d);
    return d;
}

void evaluate(const rules::Policy& policy, const Application& input, const EvaluateOptions& options,
              Decision& d) {
    // Officers' `set` overrides replace the credential's facts before any check.
    std::optional<Application> adjusted;
    if (!input.overrides.empty()) adjusted = with_facts_set(policy, input);
    const Application& app = adjusted ? *adjusted : input;
    decide(policy, app, options.explain, d);
    // Only the application's own credentials: one a stack yields changes through its parts.
    const bool search = options.what_would_change && options.explain;
    for (std::size_t i = 0; search && i < app.credentials.size(); ++i) {
        if (stopped_by_a_check(d.credentials[i]))
            explain_counterfactuals(policy, app, i, decide_explained, d.credentials[i]);
    }
    if (!input.overrides.empty()) {
        d.overrides = assess_overrides(policy, input, d, [&policy](const Application& a) {
            Decision decided;
            decide(policy, with_facts_set(policy, a), true, decided);
            return decided;
        });
    }
}

}  // namespace mcre::engine
