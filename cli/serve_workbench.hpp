#pragma once

// The endpoints the workbench (docs/workbench.md) needs beyond evaluate and policies:
// a decision as the applicant's statement, a policy's source with its sections, and a
// simulation of the policy in force against a draft of it on a cohort. Each is a thin
// wrapper over engine/ (statement, policy_variant, cohort_generator, simulation).

#include <httplib.h>

#include "cli/http_server.hpp"

namespace mcre::cli {

// POST /v1/statement?policy=ID&format=html|markdown
void handle_statement(const ServeContext& context, const httplib::Request& req,
                      httplib::Response& res);
// GET /v1/policies/{id}/source
void handle_policy_source(const ServeContext& context, const httplib::Request& req,
                          httplib::Response& res);
// POST /v1/simulate
void handle_simulate(const ServeContext& context, const httplib::Request& req,
                     httplib::Response& res);

// POST /v1/credentials/read?id=ID: a Europass (ELM) or Open Badges 3.0 credential document
// as a credential of the application format, with what it does not state.
void handle_read_credential(const ServeContext& context, const httplib::Request& req,
                            httplib::Response& res);

// Content-Type application/yaml (or text/yaml, application/x-yaml): the body is YAML.
[[nodiscard]] bool is_yaml_body(const httplib::Request& req);

}  // namespace mcre::cli
