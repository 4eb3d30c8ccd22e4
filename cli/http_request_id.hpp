#pragma once

// Request ids tie an HTTP call to its access-log line and its decision-log rows.

#include <string>
#include <string_view>

namespace mcre::cli {

// Printable ASCII (space to ~), 1 to 128 characters: safe in logs and headers.
[[nodiscard]] bool valid_request_id(std::string_view id);

// A random UUID (version 4).
[[nodiscard]] std::string generate_request_id();

}  // namespace mcre::cli
