#pragma once

#include <optional>
#include <string>

#include "engine/facts.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

// What the facts would have to be for `condition` to come out as `wanted`, in plain words:
// "programme.field were not in regulated_sectoral". Used for checks no change of the
// credential's own facts can pass (engine/counterfactual.cpp says so, then this). Nothing when the
// condition has a shape too complex to phrase (the officer then reads the rule itself).
[[nodiscard]] std::optional<std::string> required_change(const rules::Expr& condition, bool wanted,
                                                         const EvalContext& context);

}  // namespace mcre::engine
