#pragma once

// The JSON reader of applications: simdjson straight into engine::Application, with an input
// map applied as it goes (engine/input_map.hpp). It takes a document only when it can take it
// cleanly, and then gives exactly what the YAML reader gives for the same text: strict JSON,
// one object, every field known and valid. Anything else (an error of any kind, an `elm:`
// entry, overrides, a number where the YAML reader would read text differently) gives
// nothing, and the caller reads the document with the YAML reader, whose diagnostics say
// what is wrong. Internal to engine/: simdjson stays in its one translation unit.

#include <optional>
#include <string_view>

#include "engine/application.hpp"
#include "engine/input_map.hpp"

namespace mcre::engine::detail {

// Reads into `out` (built in place: an application with its credentials is a few kilobytes
// to move); false, with `out` empty, when the document is left to the YAML reader.
[[nodiscard]] bool read_application_json(std::string_view text, const InputMap* map,
                                         std::optional<Application>& out);

}  // namespace mcre::engine::detail
