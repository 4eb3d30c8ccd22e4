#pragma once

// Stacks (docs/stacking.md): which of the policy's stacks a portfolio completes, with which
// credentials, and what a started stack still lacks. A completed stack yields a credential
// of its own that the policy then checks like any other.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "engine/application.hpp"
#include "engine/decision.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

struct FormedStacks {
    // The input's credentials, then one credential per completed stack, inner stacks first.
    Application application;
    std::vector<StackDecision> stacks;  // completed and started stacks
    // Index in `application.credentials` of each credential used as a component -> the
    // stack it went into.
    std::map<std::size_t, const rules::Stack*> used_in;
    // Index of each credential a completed stack yields -> that stack.
    std::map<std::size_t, const rules::Stack*> formed_by;
    // Index of each credential a completed stack yields -> how its workload was found.
    std::map<std::size_t, std::string> workload_basis;
};

// Forms the stacks in the policy's order (inner stacks first). Each credential fills at most
// one component of one completed stack; among the ways to complete a stack the one using the
// fewest credentials, then the least credit, then the earliest ones, is chosen.
[[nodiscard]] FormedStacks form_stacks(const rules::Policy& policy, const Application& application);

// Decides a credential used in a completed stack NOT RECOGNIZED on its own (IN_STACK).
void mark_in_stack(CredentialDecision& decided, const rules::Stack& stack,
                   const std::string& stack_credential);

}  // namespace mcre::engine
