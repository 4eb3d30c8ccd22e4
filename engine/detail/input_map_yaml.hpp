#pragma once

// The input map applied to a yaml-cpp document in place, for the YAML reader (the fall-back of
// the JSON reader, and YAML input): keys renamed where they are, values translated where they
// are, so that every diagnostic the loader reports still points at the export's own text.
// Internal to engine/: it exposes yaml-cpp.

#include <yaml-cpp/yaml.h>

#include "engine/input_map.hpp"

namespace mcre::engine::detail {

void apply_input_map(const InputMap& map, YAML::Node& root);

}  // namespace mcre::engine::detail
