#pragma once

#include <string>

#include "engine/application.hpp"

namespace mcre::engine {

// The application in the input format (docs/input-format.md), compact: flow mappings
// wrapped at about 96 columns, only the facts that are stated. `mcre evaluate` reads it
// back to the same application, so a witness a diff prints can be re-run by hand.
// Deterministic.
[[nodiscard]] std::string application_yaml(const Application& application);

}  // namespace mcre::engine
