#pragma once

// The endpoints that decide and describe: evaluate, batch, policies.

#include <httplib.h>

#include "cli/http_server.hpp"
#include "engine/policy_set.hpp"

namespace mcre::cli {

void handle_evaluate(const ServeContext& context, const httplib::Request& req,
                     httplib::Response& res);
void handle_batch(const ServeContext& context, const httplib::Request& req, httplib::Response& res);
void handle_policies(const ServeContext& context, const httplib::Request& req,
                     httplib::Response& res);
void handle_policy(const ServeContext& context, const httplib::Request& req,
                   httplib::Response& res);

// The policy the path's {id} names among `policies`; null, with a 404 problem answered,
// when none of that id is loaded.
[[nodiscard]] const engine::LoadedPolicy* requested_policy(const engine::PolicySet& policies,
                                                           const httplib::Request& req,
                                                           httplib::Response& res);

}  // namespace mcre::cli
