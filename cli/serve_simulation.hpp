#pragma once

// The runs behind POST /v1/simulate (docs/workbench.md, Explore): a cohort decided under
// the policy in force and a draft, folded into an engine::Simulation in input order.
// Applications are decided on a pool of threads kept for the server's life while the
// request's own thread folds the chunk before. The baseline's decisions on the last
// generated cohort are kept, compact (what the fold reads: a few numbers a credential), so
// each further draft on that cohort decides only the draft; the cohort itself is generated
// again, which costs less than keeping it.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/http_server.hpp"
#include "engine/cohort_generator.hpp"
#include "engine/input_limits.hpp"
#include "engine/simulation.hpp"
#include "rules/model.hpp"

namespace mcre::cli {

struct SimulationCohort {
    bool generated = true;
    engine::CohortSpec spec;                // generated
    std::vector<std::string_view> lines;    // uploaded: one application a line
    std::vector<std::size_t> line_numbers;  // of each line in the upload
    engine::InputLimits limits;             // for uploaded applications
};

struct SimulationRun {
    std::size_t applications = 0;
    unsigned threads = 0;
    bool baseline_cached = false;  // the baseline's decisions were kept from an earlier run
};

// `reform` null: the draft is the baseline itself (no setting changed).
SimulationRun run_simulation(engine::Simulation& simulation, const rules::Policy& baseline,
                             const rules::Policy* reform, const SimulationCohort& cohort);

// The cohort the Explore view opens with: 100,000 generated applications, seed 1, of the
// policy's jurisdiction.
[[nodiscard]] engine::CohortSpec default_cohort(const rules::Policy& policy);

// Starts deciding the default cohort under the policy the Explore view opens with (georgia,
// else the first loaded) in the background, unless that is kept already, so the page's
// first run costs only the draft. Called when the page is served.
void warm_simulation(const ServeContext& context);
// For a process that serves the page to no one who will run Explore (the HTTP fuzzer).
void disable_warm_simulation();
// Stops a warm-up still running (at the end of its chunk) and starts no other: the server
// calls it when it stops.
void stop_warm_simulation();

}  // namespace mcre::cli
