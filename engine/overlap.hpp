#pragma once

// The same learning credited once: a credential whose declared outcome codes are those of
// an earlier credential that passed its checks (or share the policy's stated part of them,
// `overlap at least P %`) is not recognized (docs/language.md, section 24).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/application.hpp"
#include "engine/decision.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

struct Overlap {
    const Credential* earlier = nullptr;
    std::vector<std::string> shared;  // the outcome codes both declare, sorted
};

// The first of the `eligible` earlier credentials that the credential at `index` overlaps.
[[nodiscard]] std::optional<Overlap> find_overlap(const rules::Policy& policy,
                                                  const Application& application,
                                                  const std::vector<std::size_t>& eligible,
                                                  std::size_t index);

// Decides the credential NOT RECOGNIZED for the overlap, naming the earlier credential.
void mark_overlap(CredentialDecision& decided, const rules::Policy& policy,
                  const Credential& credential, const Overlap& overlap);

}  // namespace mcre::engine
