#pragma once

// Writing a cohort (docs/cohorts.md): an application as one JSON line, or as CSV rows, both
// read back by open_cohort to the same application. Deterministic, byte for byte.
// What a cohort carries: everything of the input format except overrides and `elm:`
// documents (a cohort is facts, not an officer's judgements).

#include <string>

#include "engine/application.hpp"

namespace mcre::engine {

// The application as one line of compact JSON (no line end), fields in the order of
// docs/input-format.md, only the facts that are stated.
[[nodiscard]] std::string application_json_line(const Application& application);

// The CSV header row, every column of docs/cohorts.md, ending in "\n".
[[nodiscard]] std::string cohort_csv_header();

// The application's CSV rows, one per credential (one row with empty credential columns when
// it has none), each ending in "\n"; RFC 4180 quoting where a cell needs it.
[[nodiscard]] std::string cohort_csv_rows(const Application& application);

}  // namespace mcre::engine
