#pragma once

// The checks applied to one credential before any cap: the policy's exclusions, the
// credential's own validity, then the policy's rules; and the duplicate test that comes
// before all of them.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/decision.hpp"
#include "engine/facts.hpp"

namespace mcre::engine {

struct CheckResult {
    std::vector<Reason> reasons;  // failures and warnings, in check order
    std::vector<Reason> passed;
    std::vector<std::string> would_change;
};

// Exclusions in policy order, then validity, then rules in policy order.
[[nodiscard]] CheckResult check_credential(const EvalContext& context);
// What one application's checks share from one credential to the next: the truth of each
// rule's `when` and condition that read no fact of a credential (the programme's kind, field
// or institution), and whether the rule is for the programme's kind, found for the first
// credential that asks and reused for the others; and whether each rule is for the kind of
// credential checked, kept while the credentials checked are of one kind.
struct SharedTruths {
    // Three entries per rule of the policy, zeroed before the first credential; when it is
    // shorter, the rules past its end share nothing.
    std::span<std::uint8_t> state;
    // One entry per rule (the same), for the credentials of the kind `kind` points to.
    std::span<std::uint8_t> kinds;
    const std::string* kind = nullptr;
    // The first 64 rules as bits: those that leave nothing for any credential of the
    // application (not for the programme's kind, or passed on facts the credentials share in
    // a lean decision without overrides), found as `state` is, and passed over for the next
    // credentials; and the exclusions, set for the first credential.
    std::uint64_t inert = 0;
    std::uint64_t exclusions = 0;
    bool planned = false;
};

// The same, appended to a decision's own lists (which start empty), reusing their memory.
void check_credential(const EvalContext& context, std::vector<Reason>& reasons,
                      std::vector<Reason>& passed, std::vector<std::string>& would_change,
                      SharedTruths& shared);

struct Duplicate {
    std::size_t earlier = 0;  // index of the earlier credential it repeats
    bool by_id = false;       // same id (otherwise same awarding body, title, learner, issue date)
};

[[nodiscard]] std::optional<Duplicate> find_duplicate(const Application& application,
                                                      std::size_t index);

// The status the first failing reason that is not a warning gives, with its code; nothing
// when every check passed (or only warned) and the credential goes on to the caps.
struct Verdict {
    Status status = Status::NotRecognized;
    std::string code;
};
[[nodiscard]] std::optional<Verdict> first_failure(const std::vector<Reason>& reasons);
// The same reason in place, without copying its code; null when there is none.
[[nodiscard]] const Reason* deciding_failure(const std::vector<Reason>& reasons);
// The status a failing check's outcome gives the credential.
[[nodiscard]] Status status_for(rules::Outcome outcome);

}  // namespace mcre::engine
