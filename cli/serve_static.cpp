#include "cli/serve_static.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "cli/http_exchange.hpp"
#include "cli/http_problem.hpp"
#include "cli/serve_simulation.hpp"
#include "cli/web_assets.hpp"

namespace mcre::cli {

namespace web {

const Asset* find_asset(std::string_view path) {
    if (path == "/" || path == "/ui" || path == "/ui/") path = "/ui/index.html";
    const auto all = assets();
    const auto found = std::find_if(all.begin(), all.end(),
                                    [&](const Asset* asset) { return asset->path == path; });
    return found == all.end() ? nullptr : *found;
}

}  // namespace web

bool is_workbench_path(std::string_view path) {
    return path == "/" || path == "/ui" || path.rfind("/ui/", 0) == 0;
}

void handle_static(const ServeContext& context, const httplib::Request& req,
                   httplib::Response& res) {
    // Only the embedded names exist: "/ui/../x", "/ui/%2e%2e" or "/ui/a/b" match none.
    const web::Asset* asset = web::find_asset(req.path);
    if (asset == nullptr) {
        send_problem(res, make_problem(404, "not-found", "Not found",
                                       fmt::format("the workbench has no file {}; open / for it",
                                                   req.path)));
        return;
    }
    res.set_header("Content-Security-Policy", std::string(workbench_csp));
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("X-Frame-Options", "DENY");
    // The files change with the binary: a browser asks again rather than keep an old page.
    res.set_header("Cache-Control", "no-cache");
    res.set_content(std::string(asset->bytes), std::string(asset->content_type));
    // The page is open: Explore's first run will want the policy in force on the default
    // cohort, so its decisions are made now, in the background (docs/workbench.md).
    if (req.path == "/") warm_simulation(context);
}

}  // namespace mcre::cli
