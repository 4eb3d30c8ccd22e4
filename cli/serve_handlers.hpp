#pragma once

// The endpoints that decide and describe: evaluate, batch, policies.

#include <httplib.h>

#include "cli/http_server.hpp"

namespace mcre::cli {

void handle_evaluate(const ServeContext& context, const httplib::Request& req,
                     httplib::Response& res);
void handle_batch(const ServeContext& context, const httplib::Request& req, httplib::Response& res);
void handle_policies(const ServeContext& context, const httplib::Request& req,
                     httplib::Response& res);
void handle_policy(const ServeContext& context, const httplib::Request& req,
                   httplib::Response& res);

}  // namespace mcre::cli
