#pragma once

// `extends`: what a policy takes from the one it builds on, and finding that one.

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "dsl/source.hpp"
#include "rules/model.hpp"

namespace mcre::rules {

// Inherited rules and caps were checked with the parent's parameter and table values
// folded in; where this policy overrides one of those, the inherited expressions read the
// new value instead.
void rebind_inherited(Policy& policy, const std::set<std::string>& changed,
                      const std::string& own_id);

// Finds the text of the policy with this id, for `extends`. The default looks beside the
// extending file: ID.policy, ID with '_' as '-', then any *.policy whose header names it.
using PolicyFinder = std::function<std::optional<dsl::SourceFile>(const std::string& id)>;
[[nodiscard]] PolicyFinder sibling_finder(const std::string& extending_file);

}  // namespace mcre::rules
