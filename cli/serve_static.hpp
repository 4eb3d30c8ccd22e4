#pragma once

// GET / and GET /ui/NAME: the workbench (docs/workbench.md), served from the files
// embedded in the binary (cli/web_assets.hpp) with a strict Content-Security-Policy.

#include <httplib.h>

#include <string_view>

#include "cli/http_server.hpp"

namespace mcre::cli {

// The Content-Security-Policy of every workbench page: scripts, styles, images and API
// calls from the server itself only; no inline script or style, no frames, no forms.
inline constexpr std::string_view workbench_csp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

// The static pages need no API key (they hold no data; the API calls they make do).
[[nodiscard]] bool is_workbench_path(std::string_view path);

void handle_static(const ServeContext& context, const httplib::Request& req,
                   httplib::Response& res);

}  // namespace mcre::cli
