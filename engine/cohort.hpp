#pragma once

// A cohort: many applications read one at a time, for `mcre simulate` and `mcre sweep`
// (docs/cohorts.md). Two formats: JSON Lines (one application per line, the format of
// `mcre batch`) and CSV (one row per credential, the shape of a registry extract).

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"
#include "engine/application.hpp"

namespace mcre::engine {

enum class CohortFormat { JsonLines, Csv };

// By extension: .csv -> Csv, anything else (.jsonl, .json, "-") -> JsonLines.
[[nodiscard]] CohortFormat cohort_format_for(const std::string& path);

struct CohortRecord {
    std::size_t line = 0;  // where the record starts (1-based); for CSV the first row of the
                           // application
    std::optional<Application> application;  // empty when the record is bad
    std::vector<dsl::Diagnostic> errors;     // file:line:column, what is wrong, how to fix
    // The text the errors' spans point into: the record's own line(s) of the cohort, named
    // after the cohort. Its line 1 is the cohort's line `line`; render_errors and
    // error_location translate. Null when there are no errors.
    std::shared_ptr<const dsl::SourceFile> text;
    // Set by a reader opened with `defer_parsing`: the record was read but not yet parsed;
    // parse_record does it, on any thread.
    bool pending = false;
};

// Parses a record a deferring reader left pending (a no-op for any other), so the costly
// step can run on worker threads while one thread reads the stream.
void parse_record(CohortRecord& record);

// Streams applications one at a time: memory does not grow with the cohort.
class CohortReader {
  public:
    virtual ~CohortReader() = default;
    [[nodiscard]] virtual std::optional<CohortRecord> next() = 0;  // nullopt at the end
};

// `name` is the cohort's file name, used in diagnostics.
// With `defer_parsing`, JSON Lines records come back `pending` (CSV records are always
// parsed, since grouping rows needs their values).
[[nodiscard]] std::unique_ptr<CohortReader> open_cohort(std::istream& in, std::string name,
                                                        CohortFormat format,
                                                        bool defer_parsing = false);

// Where an error of the record is in the cohort file: name, line, column (in characters).
[[nodiscard]] dsl::Location error_location(const CohortRecord& record,
                                           const dsl::Diagnostic& error);

// The record's errors in the clang style of every mcre diagnostic, with the cohort file's
// own line numbers: "cohort.csv:14:37: error: ... [E4002]", the line, a caret, the hint.
[[nodiscard]] std::string render_errors(const CohortRecord& record);

}  // namespace mcre::engine
