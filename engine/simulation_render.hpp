#pragma once

// A simulation or a sweep as text (for the terminal), JSON (for other tools), CSV (for
// spreadsheets) and one self-contained HTML page with SVG charts (docs/simulate.md).

#include <string>
#include <vector>

#include "engine/simulation.hpp"

namespace mcre::engine {

[[nodiscard]] std::string render_simulation_text(const SimulationReport& report);
[[nodiscard]] std::string render_simulation_json(const SimulationReport& report);
// One table: section, group, measure, baseline, reform (docs/simulate.md).
[[nodiscard]] std::string render_simulation_csv(const SimulationReport& report);
[[nodiscard]] std::string render_simulation_html(const SimulationReport& report);

// One row per value of the swept parameter, each a simulation against the policy as is.
struct SweepRow {
    std::string value;  // "90 ects"
    SimulationReport report;
};
struct SweepReport {
    std::string baseline;   // "georgia 2026.1-S1"
    std::string parameter;  // "bachelor_cap"
    std::vector<SweepRow> rows;
};

[[nodiscard]] std::string render_sweep_text(const SweepReport& sweep);
[[nodiscard]] std::string render_sweep_json(const SweepReport& sweep);
[[nodiscard]] std::string render_sweep_csv(const SweepReport& sweep);
[[nodiscard]] std::string render_sweep_html(const SweepReport& sweep);

}  // namespace mcre::engine
