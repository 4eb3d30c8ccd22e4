#pragma once

// One line of `mcre batch`: a JSON application in, one compact JSON record out
// (docs/integration-guide.md). Pure apart from the optional decision log write.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cli/decision_log.hpp"
#include "engine/decision.hpp"
#include "engine/input_limits.hpp"
#include "engine/input_map.hpp"
#include "engine/policy_set.hpp"

namespace mcre::cli {

// What a decided line's record holds: the whole decision (`--format json`, the default), or
// per application and credential only the outcome (`--format summary`, cli/batch_summary.hpp).
enum class BatchFormat { Json, Summary };

struct BatchContext {
    // The policy for every line; when null, each line's is chosen from `policies` by
    // jurisdiction (`jurisdiction`, else the application's) and the application date.
    const engine::LoadedPolicy* policy = nullptr;
    const engine::PolicySet* policies = nullptr;
    std::optional<std::string> jurisdiction;
    DecisionLog* log = nullptr;     // null: decisions are not logged
    std::string request_id_prefix;  // request ids are "<prefix>-<line>"
    BatchFormat format = BatchFormat::Json;
    // How the lines name the fields, when they are another system's export (--input-map).
    const engine::InputMap* input_map = nullptr;
    engine::InputLimits limits;  // per line (docs/robustness.md, "Limits")
};

struct LineOutcome {
    std::size_t line = 0;
    std::string json;  // the output record, compact, without the newline
    bool ok = false;
    bool internal_error = false;           // a bug, not bad input: the run exits 70
    std::vector<engine::Status> statuses;  // of each credential, when decided
};

// The error record (E4050) of a line of `bytes` bytes, longer than `limit`: the reader kept
// none of it.
[[nodiscard]] LineOutcome line_too_long(std::size_t line, std::size_t bytes, std::size_t limit);

// Never throws: every problem with the line becomes an error record.
[[nodiscard]] LineOutcome decide_line(const BatchContext& context, std::size_t line,
                                      std::string text);

}  // namespace mcre::cli
