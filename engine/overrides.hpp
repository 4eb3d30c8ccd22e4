#pragma once

// Officers' overrides (docs/officer-guide.md, "Overrides"): an application may waive one
// check of the policy for one credential, or set one of its facts, each with author, date
// and reason. A policy may forbid overriding a check or a fact (`forbid override`); such an
// override is an error reported before evaluation, never silently dropped.

#include <functional>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "engine/application.hpp"
#include "engine/decision.hpp"
#include "engine/facts.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

// One error (E4013) per override the policy forbids, at the override's place in the
// application, with a note naming the policy's `forbid override` clause and its citation.
// Empty when every override may apply. Callers report these as they report load errors
// and decide nothing.
[[nodiscard]] std::vector<dsl::Diagnostic> check_overrides(const rules::Policy& policy,
                                                           const Application& application);

// The policy's ban on this override, or null when it may apply.
[[nodiscard]] const rules::OverrideBan* forbidding_ban(const rules::Policy& policy,
                                                       const Override& override_entry);

// The application with each permitted `set` override written into its credential's facts
// (and noted in Credential::set_by, so explanations say where the value came from).
[[nodiscard]] Application with_facts_set(const rules::Policy& policy,
                                         const Application& application);

// When a permitted `waive` override of the context's credential names the check that gave
// `reason` (its rule, or the rule an exception decided instead of), marks the reason as
// passed and attributed to the override; returns whether it did.
bool waive_if_overridden(Reason& reason, const EvalContext& context);

// What each override did: applied, unnecessary (the credential's decision is the same
// without it: found by deciding again without that one override), not applicable or
// forbidden. `decide` evaluates an application with the same policy, overrides aside.
[[nodiscard]] std::vector<OverrideRecord> assess_overrides(
    const rules::Policy& policy, const Application& application, const Decision& decision,
    const std::function<Decision(const Application&)>& decide);

}  // namespace mcre::engine
