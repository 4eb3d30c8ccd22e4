#pragma once

// The checks applied to one credential before any cap: the policy's exclusions, the
// credential's own validity, then the policy's rules; and the duplicate test that comes
// before all of them.

#include <optional>
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

}  // namespace mcre::engine
