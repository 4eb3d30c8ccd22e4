#include "cli/input_map_option.hpp"

#include "cli/policy_loading.hpp"
#include "dsl/diagnostic_render.hpp"

namespace mcre::cli {

std::optional<engine::InputMap> read_input_map(const std::string& path, std::ostream& err) {
    auto source = read_source(path, err);
    if (!source) return std::nullopt;
    engine::InputMapLoad loaded = engine::load_input_map(*source);
    err << dsl::render_all(loaded.diagnostics, *source);
    return std::move(loaded.map);
}

}  // namespace mcre::cli
