#pragma once

// Runs the lines of a stream through worker threads and hands the results back in input
// order, while reading: at most `window` lines are held at once however long the input.

#include <cstddef>
#include <functional>
#include <istream>
#include <string>

#include "cli/batch_line.hpp"

namespace mcre::cli {

struct PipelineOptions {
    unsigned jobs = 1;
    std::size_t window = 1024;
    // A line longer than this (bytes, without its newline) is never held: the reader skips
    // the rest of it and the line's outcome is `too_long(line, bytes)`. 0: no limit.
    std::size_t max_line_bytes = 0;
    std::function<LineOutcome(std::size_t line, std::size_t bytes)> too_long;
};

using LineWorker = std::function<LineOutcome(std::size_t line, std::string text)>;
// Called once per line, in order, one call at a time (with two jobs or more, on whichever
// thread's turn it is); `idle` after the lines read before the input ran dry (the moment
// to flush, so a consumer reading line by line is never kept waiting).
using LineSink = std::function<void(LineOutcome outcome)>;

void run_in_order(std::istream& in, const PipelineOptions& options, const LineWorker& work,
                  const LineSink& emit, const std::function<void()>& idle);

}  // namespace mcre::cli
