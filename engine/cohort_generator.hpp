#pragma once

// Synthetic cohorts for `mcre gen-cohort` (docs/cohorts.md, "Generating a cohort"):
// applications whose distributions are plausible for Georgia and Armenia and exercise the
// rules and caps of policies/georgia.policy and policies/armenia.policy. Deterministic: the
// same seed gives the same bytes on every platform (own PRNG, no <random> distributions).

#include <cstdint>
#include <iosfwd>

#include "engine/application.hpp"
#include "engine/cohort.hpp"

namespace mcre::engine {

enum class CohortJurisdiction { Georgia, Armenia, Both };

struct CohortSpec {
    std::uint64_t size = 1000;
    std::uint64_t seed = 1;
    CohortJurisdiction jurisdiction = CohortJurisdiction::Both;
};

// The application at `index` (0-based). It depends only on the seed, the jurisdiction and
// the index, so a cohort of 1,000 is the first 1,000 of a cohort of 1,000,000.
[[nodiscard]] Application generate_application(const CohortSpec& spec, std::uint64_t index);

// The same application, generated into `out`: every field of `out` is assigned or reset (what
// it held before leaves nothing behind), and its strings and vectors keep their memory, so a
// caller that generates many applications into one object allocates little after the first.
void generate_application(const CohortSpec& spec, std::uint64_t index, Application& out);

struct CohortSummary {
    std::uint64_t applications = 0;
    std::uint64_t credentials = 0;
};

// Writes the cohort one application at a time (CSV: the header first); memory does not
// grow with the size.
CohortSummary write_cohort(const CohortSpec& spec, CohortFormat format, std::ostream& out);

}  // namespace mcre::engine
