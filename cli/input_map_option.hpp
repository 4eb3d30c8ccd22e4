#pragma once

// `--input-map FILE` of batch, evaluate and simulate (docs/input-format.md, "Input maps"):
// the map file read and checked once, before any application.

#include <optional>
#include <ostream>
#include <string>

#include "engine/input_map.hpp"

namespace mcre::cli {

// The map, or nothing after printing its diagnostics (clang style, file:line:column) or why
// the file cannot be read.
[[nodiscard]] std::optional<engine::InputMap> read_input_map(const std::string& path,
                                                             std::ostream& err);

}  // namespace mcre::cli
