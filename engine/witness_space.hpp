#pragma once

// The candidate applications a semantic policy diff evaluates. Two policies can only decide
// differently where one of them draws a line, so the candidates sit on and next to every line
// either policy draws (each constant an attribute is compared with, each cap), varied one
// fact at a time from a typical application that both policies would recognize if they can.
// This is a search, not a proof: see docs/policy-diff.md for what it can miss.

#include <string>
#include <vector>

#include "engine/application.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

struct Candidate {
    Application application;
    // What sets it apart from its kind pair's baseline, for a reader: "credential.ects = 30.5
    // ECTS"; "baseline" for the baseline itself.
    std::string variation;
};

// Deterministic: the same two policies always give the same candidates in the same order,
// simplest first (baselines, then one fact varied, then cap probes). The applications are
// for `new_policy`'s jurisdiction.
[[nodiscard]] std::vector<Candidate> build_candidates(const rules::Policy& old_policy,
                                                      const rules::Policy& new_policy);

}  // namespace mcre::engine
