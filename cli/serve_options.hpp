#pragma once

// The flags of `mcre serve` and their defaults (documented in docs/integration-guide.md).

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "engine/input_limits.hpp"

namespace mcre::cli {

struct ServeOptions {
    std::vector<std::string> policies;  // files or directories of *.policy
    std::string host = "127.0.0.1";
    int port = 8080;  // 0 = an ephemeral port, printed when ready
    std::string api_keys_file;
    std::string decision_log_file;
    std::string access_log_file;  // empty = stderr
    std::size_t max_body_bytes = 1024 * 1024;
    std::size_t max_batch = 1000;
    int read_timeout_seconds = 10;       // a whole request, head and body, from its first byte
    int keep_alive_timeout_seconds = 5;  // an idle connection waits this long for the next
    std::size_t max_header_bytes = 16 * 1024;  // request line and headers (431 over it)
    std::size_t max_connections = 512;         // waiting for a request (503 over it)
    int write_timeout_seconds = 10;
    std::size_t threads = 8;
    std::size_t queue = 64;          // complete requests waiting for a worker
    int drain_timeout_seconds = 30;  // after SIGTERM, then exit 1
    // Per application; the size is --max-body's (docs/robustness.md, "Limits").
    engine::InputLimits limits;
};

[[nodiscard]] const char* serve_help();

// Nullopt after printing the problem and the help to `err`.
[[nodiscard]] std::optional<ServeOptions> parse_serve_options(const std::vector<std::string>& args,
                                                              std::ostream& err);

}  // namespace mcre::cli
