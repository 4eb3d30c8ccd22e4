#pragma once

// The decision log: every decision `serve` and `batch` make, recorded in SQLite (WAL,
// synchronous FULL) so that a crash or a kill never leaves one half-written.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mcre::cli {

// A policy the deciding one extends, as it was loaded: its file name and exact text.
struct LoggedSource {
    std::string file;
    std::string text;
};

struct DecisionRecord {
    std::string request_id;    // unique; chosen by the caller (HTTP: X-Request-Id or generated)
    std::string input_sha256;  // of the application bytes as received
    std::string policy_id;
    std::string policy_version;
    std::string policy_sha256;  // rules::Policy::content_hash
    std::string policy_source;  // the full policy text, stored once per hash
    std::string decided_at;     // UTC, ISO 8601 with seconds: 2026-11-29T04:20:00Z
    std::string input_text;     // the application as received, for `log verify`
    std::string decision_json;  // engine::render_json output
    // rules::Policy::file. The decision JSON cites clauses as file:line:col, so `log verify`
    // reloads the source under this name; when empty it is read back from decision_json.
    std::string policy_file;
    // The policies it `extends`, root first (empty when it extends none); stored once per
    // policy_sha256, which covers them, so `log verify` re-checks the whole chain as it was.
    std::vector<LoggedSource> policy_bases;
};

class DecisionLog {
  public:
    virtual ~DecisionLog() = default;
    // Opens or creates the log; nullptr with `error` set when it cannot.
    [[nodiscard]] static std::unique_ptr<DecisionLog> open(const std::string& path,
                                                           std::string& error);
    // Safe to call from several threads. False with `error` set when the write failed;
    // nothing is half-written either way.
    [[nodiscard]] virtual bool record(const DecisionRecord& record, std::string& error) = 0;
    [[nodiscard]] virtual std::optional<DecisionRecord> find(const std::string& request_id,
                                                             std::string& error) = 0;
    [[nodiscard]] virtual std::vector<DecisionRecord> all(std::string& error) = 0;
    // Each record in the order it was logged, one at a time, so a log larger than memory
    // can be verified; stops when `visit` returns false. False with `error` set on failure.
    [[nodiscard]] virtual bool for_each(const std::function<bool(const DecisionRecord&)>& visit,
                                        std::string& error);
};

// The current time in the form `decided_at` uses: 2026-11-29T04:20:00Z.
[[nodiscard]] std::string utc_now_iso8601();

}  // namespace mcre::cli
