#pragma once

// Decides a cohort stream on several threads and folds the decisions in input order, for
// `mcre simulate` and `mcre sweep`: the report is the same byte for byte whatever the
// number of threads, and memory holds a few chunks of records, never the cohort.

#include <cstddef>
#include <functional>
#include <vector>

#include "engine/cohort.hpp"
#include "engine/decision.hpp"

namespace mcre::cli {

// The decisions of one application under each policy of the run, written into `out`. `out`
// is the same vector from one application to the next on a thread, so its storage is
// reused.
using DecideInto =
    std::function<void(const engine::Application&, std::vector<engine::Decision>& out)>;
// Called in input order, one call at a time (not always on the same thread).
using FoldDecisions =
    std::function<void(const engine::Application&, const std::vector<engine::Decision>&)>;
using FoldBadRecord = std::function<void(const engine::CohortRecord&)>;
// Called at most once per chunk, in order, with the records folded so far and the share
// of the input read (0 when unknown).
using FoldProgress = std::function<void(std::size_t folded, double share_read)>;

struct CohortPipeline {
    unsigned jobs = 1;
    DecideInto decide;
    FoldDecisions fold;
    FoldBadRecord bad;
    FoldProgress progress;
};

// Reads every record of `reader` (best opened with defer_parsing, so records are parsed on
// the deciding threads) and runs the pipeline on them. `share_read` says how much of the
// input has been read (0 to 1); it is asked on the thread that reads, after each chunk.
void run_cohort(engine::CohortReader& reader, const std::function<double()>& share_read,
                const CohortPipeline& pipeline);

}  // namespace mcre::cli
