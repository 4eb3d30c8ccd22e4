#pragma once

// What the service does with a request body, free of HTTP: parse, load, choose the
// policy, decide. Every failure is a Problem value naming the offending field.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/http_problem.hpp"
#include "engine/decision.hpp"
#include "engine/input_limits.hpp"
#include "engine/policy_set.hpp"

namespace mcre::cli {

struct ItemResult {
    std::optional<Problem> problem;
    std::string decision_json;                         // engine::render_json, when decided
    const engine::LoadedPolicy* policy = nullptr;      // lives as long as the PolicySet
    std::vector<std::string> credential_statuses;      // for the decisions metric
    std::shared_ptr<const engine::Decision> decision;  // when DecideRequest::keep_decision
};

struct DecideRequest {
    std::string_view text;       // one application as JSON
    std::string policy_id;       // from ?policy=; empty = by jurisdiction and date
    std::string pointer_prefix;  // "/3" for the fourth item of a JSON-array batch
    bool with_positions = true;  // line/column in errors (meaningless inside an array)
    engine::InputLimits limits;  // --max-credentials, --max-depth, --max-nodes
    bool yaml = false;           // Content-Type: application/yaml: read as YAML, not JSON
    bool keep_decision = false;  // also return the Decision itself (statements)
};

[[nodiscard]] ItemResult decide(const DecideRequest& request, const engine::PolicySet& policies);

// 400 with the position of the first syntax error, or nullopt when `text` is JSON.
[[nodiscard]] std::optional<Problem> json_syntax_problem(std::string_view text);

// 404 when `policy_id` names no loaded policy.
[[nodiscard]] std::optional<Problem> unknown_policy_problem(const std::string& policy_id,
                                                            const engine::PolicySet& policies);

struct BatchItem {
    std::string text;
    std::string pointer_prefix;
    int line = 0;                    // NDJSON: the 1-based line; 0 for array items
    std::optional<Problem> problem;  // this item could not even be read
};

struct BatchSplit {
    std::vector<BatchItem> items;
    std::optional<Problem> problem;  // the whole body is unusable
};

// A JSON array of applications, or NDJSON (one per line, blank lines skipped; chosen when
// `ndjson` or when the body does not start with '['). More than `max_items` is a 413.
[[nodiscard]] BatchSplit split_batch(const std::string& body, bool ndjson, std::size_t max_items);

}  // namespace mcre::cli
