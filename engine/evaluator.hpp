#pragma once

#include "engine/application.hpp"
#include "engine/decision.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

// Applies a checked policy to one application. Pure and deterministic: no I/O, no clock,
// no randomness; the same policy and application always give the same decision. Bad or
// missing facts in the application become statuses and reasons, never exceptions.
// The semantics are described for officers in docs/officer-guide.md.
[[nodiscard]] Decision evaluate(const rules::Policy& policy, const Application& application);

struct EvaluateOptions {
    // Search, for each credential a check stopped, the smallest changes of its facts that
    // would get it recognized (engine/counterfactual.hpp). Callers that only need the
    // statuses and credit (a lean batch summary) turn it off.
    bool what_would_change = true;
    // Write the explanation: each check's message and the facts it compared, the checks
    // passed, how workload and level were found. Off, a decision keeps only what a lean
    // summary needs: statuses, deciding reason codes and rules, credit, caps. A credential's
    // checks stop at the first failure that decides its status, so its reasons hold that one
    // (and any warnings before it), not every check it fails; a credential is named by its
    // id and kind only (no title, awarding body or date); the decision's header keeps the
    // application's, learner's, programme's and policy's ids and the policy's version (no
    // names, titles, dates or hash); caps carry no citation. About seven times faster on a
    // typical application; `mcre simulate` uses it.
    bool explain = true;
};
[[nodiscard]] Decision evaluate(const rules::Policy& policy, const Application& application,
                                const EvaluateOptions& options);

// The same decision written into `out`, whatever it held: afterwards `out` equals what the
// overload above returns. A caller deciding many applications (a batch, a simulation, a
// benchmark) keeps one Decision per thread and passes it each time; its strings, lists and
// credentials' decisions keep their memory from one application to the next, so a lean
// decision allocates little once the first few applications are decided.
void evaluate(const rules::Policy& policy, const Application& application,
              const EvaluateOptions& options, Decision& out);

}  // namespace mcre::engine
