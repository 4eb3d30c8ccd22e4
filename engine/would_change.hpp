#pragma once

#include <optional>
#include <string>

#include "engine/facts.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

// What the facts would have to be for `condition` to come out as `wanted`, in plain words:
// "credential.workload were between 3 ECTS and 30 ECTS". Nothing when the condition has a
// shape too complex to phrase (the officer then reads the rule itself).
[[nodiscard]] std::optional<std::string> required_change(const rules::Expr& condition, bool wanted,
                                                         const EvalContext& context);

}  // namespace mcre::engine
