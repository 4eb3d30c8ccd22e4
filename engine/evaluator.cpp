#include "engine/evaluator.hpp"

#include <fmt/format.h>

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

Decision header(const rules::Policy& policy, const Application& app, bool explain) {
    Decision d;
    d.application_id = app.id;
    d.learner_id = app.learner_id;
    d.programme_id = app.programme.id;
    d.programme_kind = app.programme.kind.value_or("");
    d.policy_id = policy.id;
    d.policy_version = policy.version;
    // Texts for the statement and the rendered decision, which no lean caller reads: the
    // policy's title and hash alone are two allocations for every decision of a cohort.
    if (!explain) return d;
    d.learner_name = app.learner_name.value_or("");
    d.programme_title = app.programme.title.value_or("");
    d.application_date = dsl::format_date(app.date);
    if (app.values_as_of) d.values_as_of = dsl::format_date(*app.values_as_of);
    d.policy_title = policy.title;
    d.policy_hash = policy.content_hash;
    return d;
}

CredentialDecision describe_credential(const rules::Policy& policy, const Credential& c,
                                       bool explain) {
    CredentialDecision cd;
    cd.id = c.id;
    cd.kind = c.kind.value_or("");
    DerivedFact workload =
        credential_workload(policy, c, explain ? Basis::Written : Basis::Omitted);
    if (!workload.value.missing) cd.claimed_ects = workload.value.number;
    // A lean decision names the credential by its id alone: the title and awarding body are
    // long texts, copied for every credential of a cohort and read by no lean caller.
    if (!explain) return cd;
    cd.source_id = c.source_id;
    cd.title = c.title.value_or("");
    cd.awarding_body = c.awarding_body.value_or("");
    cd.issued = c.issued ? dsl::format_date(*c.issued) : "";
    cd.workload_basis = workload.basis;
    cd.level_basis = credential_level(policy, c).basis;
    return cd;
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

// The decision alone, without asking what would change it. Stacks are formed first: the
// credential a completed stack yields is decided like any other, after the input's own.
Decision decide(const rules::Policy& policy, const Application& input, bool explain) {
    std::optional<FormedStacks> formed;
    if (!policy.stacks.empty()) formed = form_stacks(policy, input);
    const Application& app = formed ? formed->application : input;
    Decision d = header(policy, app, explain);
    d.credentials.reserve(app.credentials.size());
    std::vector<std::size_t> eligible;
    for (std::size_t i = 0; i < app.credentials.size(); ++i) {
        const Credential& c = app.credentials[i];
        CredentialDecision cd = describe_credential(policy, c, explain);
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
            CheckResult checks = check_credential(EvalContext{policy, app, &c, explain});
            cd.reasons = std::move(checks.reasons);
            cd.passed = std::move(checks.passed);
            if (used_in != nullptr) cd.stacked_into = stack_credential_id(*formed, *used_in);
            if (auto failure = first_failure(cd.reasons)) {
                cd.status = failure->status;
                cd.primary_code = failure->code;
                cd.would_change = std::move(checks.would_change);
            } else if (auto earlier = find_overlap(policy, app, eligible, i)) {
                mark_overlap(cd, policy, c, *earlier);
            } else {
                eligible.push_back(i);
            }
        }
        d.credentials.push_back(std::move(cd));
    }
    allocate_caps(policy, app, eligible, d, explain);
    d.pathways = place_on_pathways(policy, app, d);
    if (formed) d.stacks = std::move(formed->stacks);
    return d;
}

Decision decide_explained(const rules::Policy& policy, const Application& input) {
    return decide(policy, input, true);
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
    // Officers' `set` overrides replace the credential's facts before any check.
    std::optional<Application> adjusted;
    if (!input.overrides.empty()) adjusted = with_facts_set(policy, input);
    const Application& app = adjusted ? *adjusted : input;
    Decision d = decide(policy, app, options.explain);
    // Only the application's own credentials: one a stack yields changes through its parts.
    const bool search = options.what_would_change && options.explain;
    for (std::size_t i = 0; search && i < app.credentials.size(); ++i) {
        if (stopped_by_a_check(d.credentials[i]))
            explain_counterfactuals(policy, app, i, decide_explained, d.credentials[i]);
    }
    if (!input.overrides.empty()) {
        d.overrides = assess_overrides(policy, input, d, [&policy](const Application& a) {
            return decide(policy, with_facts_set(policy, a), true);
        });
    }
    return d;
}

}  // namespace mcre::engine
