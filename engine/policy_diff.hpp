#pragma once

// A semantic diff of two policies: not which lines changed, but for which learners the
// decision changes. Both policies decide the same candidate applications (witness_space);
// every credential they decide differently is a difference, grouped by the deciding reason
// codes, with one concrete witness per group. Evidence, not proof: docs/policy-diff.md.

#include <cstddef>
#include <string>
#include <vector>

#include "engine/application.hpp"
#include "engine/decision.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

enum class DiffVerdict {
    NoDifference,  // on every candidate both policies decide alike
    NewMore,       // every difference is in NEW's favour
    NewLess,       // every difference is in OLD's favour
    BothWays,
};

// "more": NEW recognizes more ECTS for the credential or, at equal ECTS, gives a status
// nearer to recognition (recognized > partially > referred > incomplete > not applicable >
// not recognized).
enum class Direction { NewMore, NewLess };

// How one policy decided the witness credential.
struct WitnessSide {
    Status status = Status::NotRecognized;
    double recognized_ects = 0;
    std::string code;         // the deciding reason code, "" when fully recognized
    std::string explanation;  // the credential's block of render_text, checks passed left out
};

struct DifferenceGroup {
    std::string old_code;  // "" when OLD fully recognized
    std::string new_code;
    Direction direction = Direction::NewMore;
    std::size_t count = 0;  // credentials decided differently this way, over all candidates
    // The first witness found, in candidate order (simplest first).
    Application application;
    std::string credential_id;
    std::string variation;
    WitnessSide old_side;
    WitnessSide new_side;
};

struct PolicyDiff {
    std::string old_label;  // "georgia 2026.1-S1 (policies/georgia.policy)"
    std::string new_label;
    DiffVerdict verdict = DiffVerdict::NoDifference;
    std::size_t candidates = 0;
    std::size_t differing_candidates = 0;
    std::size_t more = 0;  // differing credentials in NEW's favour
    std::size_t less = 0;
    std::vector<DifferenceGroup> groups;  // NEW's favour first, then by codes
    std::vector<std::string> warnings;    // e.g. the policies are for different jurisdictions
};

[[nodiscard]] PolicyDiff diff_policies(const rules::Policy& old_policy,
                                       const rules::Policy& new_policy);

// "NEW recognizes strictly more than OLD", ... one line, for summaries.
[[nodiscard]] std::string verdict_sentence(DiffVerdict verdict);

}  // namespace mcre::engine
