#pragma once

// Which exception, if any, decides instead of a rule, exclusion or cap for one credential:
// the applicable exceptions of the base, less those a narrower or prevailing sibling
// beats, then the same again below the one chosen.

#include <string>
#include <vector>

#include "engine/facts.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

struct ExceptionChoice {
    const rules::Exception* chosen = nullptr;  // null: the base decides
    std::string because;                       // the facts that made it apply
    std::vector<std::string> prevailed_over;   // "a (b is narrower)", "a (b is stated to prevail)"
    // Facts needed to tell whether an exception applies; when set, nothing is chosen and
    // the check cannot be made.
    std::vector<std::string> missing;
    std::string undecided;  // which exception and why, in words
};

[[nodiscard]] ExceptionChoice choose_exception(const std::string& base, const EvalContext& context);

}  // namespace mcre::engine
