#pragma once

// The workbench's static files (web/), compiled into the binary by cmake/WebAssets.cmake:
// `mcre serve` answers GET /ui/NAME from this table and nothing else, so no path a client
// sends can reach the file system.

#include <span>
#include <string_view>

namespace mcre::cli::web {

struct Asset {
    std::string_view path;          // "/ui/app.js"
    std::string_view content_type;  // "text/javascript; charset=utf-8"
    std::string_view bytes;
};

// Every embedded file, sorted by path.
[[nodiscard]] std::span<const Asset* const> assets();

// The asset served at `path` ("/" is /ui/index.html), or nullptr.
[[nodiscard]] const Asset* find_asset(std::string_view path);

}  // namespace mcre::cli::web
