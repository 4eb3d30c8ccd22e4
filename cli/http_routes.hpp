#pragma once

// The routes `mcre serve` registers, as OpenAPI path templates. The server registers
// exactly these, and a test checks that docs/openapi.json describes each of them.

#include <array>
#include <string_view>

namespace mcre::cli {

struct RouteSpec {
    std::string_view method;  // lower case, as OpenAPI writes it
    std::string_view path;
};

inline constexpr std::array<RouteSpec, 13> http_routes = {{
    {"post", "/v1/evaluate"},
    {"post", "/v1/evaluate/batch"},
    {"get", "/v1/policies"},
    {"get", "/v1/policies/{id}"},
    {"get", "/v1/policies/{id}/source"},
    {"post", "/v1/statement"},
    {"post", "/v1/simulate"},
    {"post", "/v1/credentials/read"},
    {"get", "/healthz"},
    {"get", "/metrics"},
    {"get", "/openapi.json"},
    {"get", "/"},
    {"get", "/ui/{file}"},
}};

}  // namespace mcre::cli
