#pragma once

// Re-evaluates one logged decision from what the log stored (the policy source and the
// input as received) and says whether today's engine would decide the same.

#include <map>
#include <optional>
#include <string>

#include "cli/decision_log.hpp"
#include "engine/policy_set.hpp"

namespace mcre::cli {

enum class VerifyOutcome {
    Same,
    Differs,         // re-evaluated; the JSON is not byte-identical
    CannotEvaluate,  // the stored policy or input no longer loads
    HashMismatch,    // the stored text does not match the stored hash: the row was altered
};

struct VerifyResult {
    VerifyOutcome outcome = VerifyOutcome::Same;
    std::string detail;  // for anything but Same: what differs, in one or a few lines
};

// Checks one record after another; remembers each stored policy it has checked, so a log
// of thousands of decisions under one policy parses that policy once.
class Verifier {
  public:
    [[nodiscard]] VerifyResult verify(const DecisionRecord& record);

  private:
    struct CheckedPolicy {
        std::optional<engine::LoadedPolicy> policy;
        std::string diagnostics;
    };
    std::map<std::string, CheckedPolicy> policies_;  // by file name and sha256
};

[[nodiscard]] VerifyResult verify_record(const DecisionRecord& record);

}  // namespace mcre::cli
