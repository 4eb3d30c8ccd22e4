#include "engine/evaluator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "engine/cap_allocation.hpp"
#include "engine/counterfactual.hpp"
#include "engine/credential_checks.hpp"
#include "engine/expression_eval.hpp"
#include "engine/facts.hpp"
#include "engine/overrides.hpp"

namespace mcre::engine {

namespace {

Decision header(const rules::Policy& policy, const Application& app) {
    Decision d;
    d.application_id = app.id;
    d.learner_id = app.learner_id;
    d.programme_id = app.programme.id;
    d.programme_kind = app.programme.kind.value_or("");
    d.learner_name = app.learner_name.value_or("");
    d.programme_title = app.programme.title.value_or("");
    d.application_date = dsl::format_date(app.date);
    if (app.values_as_of) d.values_as_of = dsl::format_date(*app.values_as_of);
    d.policy_id = policy.id;
    d.policy_version = policy.version;
    d.policy_title = policy.title;
    d.policy_hash = policy.content_hash;
    return d;
}

CredentialDecision describe_credential(const rules::Policy& policy, const Credential& c) {
    CredentialDecision cd;
    cd.id = c.id;
    cd.source_id = c.source_id;
    cd.title = c.title.value_or("");
    cd.awarding_body = c.awarding_body.value_or("");
    cd.issued = c.issued ? dsl::format_date(*c.issued) : "";
    cd.kind = c.kind.value_or("");
    DerivedFact workload = credential_workload(policy, c);
    if (!workload.value.missing) cd.claimed_ects = workload.value.number;
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

// The outcome codes two credentials share, when they are enough for the policy's overlap
// test: at least its share of the smaller credential's codes (all of them by default).
std::vector<std::string> overlap(const rules::OverlapTest& test, const Credential& a,
                                 const Credential& b) {
    if (a.outcome_codes.empty() || b.outcome_codes.empty()) return {};
    std::vector<std::string> x = a.outcome_codes;
    std::vector<std::string> y = b.outcome_codes;
    std::sort(x.begin(), x.end());
    x.erase(std::unique(x.begin(), x.end()), x.end());
    std::sort(y.begin(), y.end());
    y.erase(std::unique(y.begin(), y.end()), y.end());
    std::vector<std::string> shared;
    std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(shared));
    const double smaller = static_cast<double>(std::min(x.size(), y.size()));
    const bool identical = x == y;
    const bool enough = test.cite.empty()
                            ? identical
                            : compare_numbers(100.0 * static_cast<double>(shared.size()) / smaller,
                                              test.percent) >= 0;
    if (!enough || shared.empty()) return {};
    return shared;
}

// The first earlier credential that passed its checks and overlaps this one, with the codes
// they share: an earlier one the checks refused does not stand in the way.
std::optional<std::pair<std::size_t, std::vector<std::string>>> overlapping(
    const rules::Policy& policy, const Application& app, const std::vector<std::size_t>& eligible,
    std::size_t index) {
    for (std::size_t j : eligible) {
        auto shared = overlap(policy.overlap, app.credentials[j], app.credentials[index]);
        if (!shared.empty()) return std::make_pair(j, std::move(shared));
    }
    return std::nullopt;
}

void mark_overlap(CredentialDecision& cd, const rules::Policy& policy, const Credential& c,
                  const Credential& earlier, const std::vector<std::string>& shared) {
    Reason r;
    r.rule = "overlap";
    r.code = "OVERLAP";
    r.outcome = rules::Outcome::Reject;
    r.message = fmt::format(
        "covers substantially the same learning outcomes as {}; the learning is credited once",
        earlier.id);
    r.facts = fmt::format("{} of its {} outcome codes are also {}'s: {}", shared.size(),
                          c.outcome_codes.size(), earlier.id, fmt::join(shared, ", "));
    if (policy.overlap.cite.empty()) {
        r.cite = "learning is credited once: identical outcome codes (not a policy clause)";
    } else {
        r.facts += fmt::format(" (the policy's test: at least {} % of the smaller credential's)",
                               rules::format_number(policy.overlap.percent));
        r.cite = policy.overlap.cite;
        r.where = policy.overlap.where;
    }
    cd.status = Status::NotRecognized;
    cd.primary_code = r.code;
    cd.overlap_of = earlier.id;
    cd.reasons.push_back(std::move(r));
}

// The decision alone, without asking what would change it.
Decision decide(const rules::Policy& policy, const Application& app) {
    Decision d = header(policy, app);
    std::vector<std::size_t> eligible;
    for (std::size_t i = 0; i < app.credentials.size(); ++i) {
        const Credential& c = app.credentials[i];
        CredentialDecision cd = describe_credential(policy, c);
        if (auto dup = find_duplicate(app, i)) {
            mark_duplicate(cd, app.credentials[dup->earlier], dup->by_id);
        } else {
            CheckResult checks = check_credential(EvalContext{policy, app, &c});
            cd.reasons = std::move(checks.reasons);
            cd.passed = std::move(checks.passed);
            if (auto failure = first_failure(cd.reasons)) {
                cd.status = failure->status;
                cd.primary_code = failure->code;
                cd.would_change = std::move(checks.would_change);
            } else if (auto earlier = overlapping(policy, app, eligible, i)) {
                mark_overlap(cd, policy, c, app.credentials[earlier->first], earlier->second);
            } else {
                eligible.push_back(i);
            }
        }
        d.credentials.push_back(std::move(cd));
    }
    allocate_caps(policy, app, eligible, d);
    return d;
}

// A credential a check stopped (not a cap, not a repeat): changing its facts could help.
bool stopped_by_a_check(const CredentialDecision& cd) {
    if (cd.duplicate_of || cd.overlap_of || !cd.caps.empty()) return false;
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
    Decision d = decide(policy, app);
    for (std::size_t i = 0; options.what_would_change && i < d.credentials.size(); ++i) {
        if (stopped_by_a_check(d.credentials[i]))
            explain_counterfactuals(policy, app, i, decide, d.credentials[i]);
    }
    if (!input.overrides.empty()) {
        d.overrides = assess_overrides(policy, input, d, [&policy](const Application& a) {
            return decide(policy, with_facts_set(policy, a));
        });
    }
    return d;
}

}  // namespace mcre::engine
