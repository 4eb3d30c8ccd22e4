#pragma once

// API keys: who may call the service. Keys live in a file an operator rotates; the
// server only ever compares them, never logs them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcre::cli {

class ApiKeys {
  public:
    // One key per line; blank lines and lines starting with # are skipped, surrounding
    // spaces trimmed. Nullopt with `error` set when the file cannot be read or has no key.
    [[nodiscard]] static std::optional<ApiKeys> load(const std::string& path, std::string& error);

    // Compares against every key in time independent of where they differ.
    [[nodiscard]] bool accepts(std::string_view presented) const;

  private:
    std::vector<std::string> keys_;
};

// The key a request presents: "Authorization: Bearer KEY" or "X-API-Key: KEY".
[[nodiscard]] std::string presented_key(std::string_view authorization, std::string_view x_api_key);

// 127.0.0.0/8, ::1 and "localhost": only then may the server run without keys.
[[nodiscard]] bool is_loopback_host(const std::string& host);

}  // namespace mcre::cli
