#pragma once

// The HTTP routes of `mcre serve` on a cpp-httplib server: authentication, limits,
// request ids, problem+json errors, the access log and metrics.

#include <httplib.h>
#include <spdlog/logger.h>

#include <memory>
#include <optional>

#include "cli/decision_log.hpp"
#include "cli/http_auth.hpp"
#include "cli/serve_metrics.hpp"
#include "cli/serve_options.hpp"
#include "cli/serve_policies.hpp"

namespace mcre::cli {

struct ServeContext {
    ServeOptions options;
    std::optional<ApiKeys> keys;  // none: every route is open (loopback only)
    PolicyStore* policies = nullptr;
    Metrics* metrics = nullptr;
    DecisionLog* decision_log = nullptr;  // none: decisions are not recorded
    std::shared_ptr<spdlog::logger> access_log;
};

// Registers the routes and handlers. `context` must outlive the server.
void configure_server(httplib::Server& server, const ServeContext& context);

// UTC now as 2026-11-29T04:20:00Z, or with milliseconds (2026-11-29T04:20:00.123Z).
[[nodiscard]] std::string utc_timestamp(bool milliseconds);

}  // namespace mcre::cli
