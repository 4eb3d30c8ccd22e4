#pragma once

// What one request carries from the pre-routing handler through its route to the access
// log. cpp-httplib runs all three on the same worker thread, one request at a time, so
// the state is thread-local rather than threaded through httplib's const Request.

#include <httplib.h>

#include <chrono>
#include <string>

#include "cli/http_problem.hpp"

namespace mcre::cli {

struct Exchange {
    bool active = false;  // false when httplib answered before our pre-routing handler ran
    std::string request_id;
    bool request_id_from_client = false;
    std::chrono::steady_clock::time_point start;
    std::string error_kind;  // the problem answered, for the errors metric
};

[[nodiscard]] Exchange& current_exchange();

void send_problem(httplib::Response& res, const Problem& problem);

}  // namespace mcre::cli
