#pragma once

// The policies a running server decides with. A reload builds a whole new set aside and
// swaps it in only when every file checks, so requests see either the old set or the new
// one, never a mix, and a request keeps its set alive until it is answered.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/policy_set.hpp"

namespace mcre::cli {

class PolicyStore {
  public:
    explicit PolicyStore(std::vector<std::string> paths) : paths_(std::move(paths)) {}

    // Loads from the paths; false (and the old set kept) when any file fails or none
    // loads, with the reasons in `problems`.
    [[nodiscard]] bool reload(std::vector<engine::PolicyLoadProblem>& problems);

    [[nodiscard]] std::shared_ptr<const engine::PolicySet> current() const;

  private:
    std::vector<std::string> paths_;
    mutable std::mutex mutex_;  // guards only the pointer; loading happens outside it
    std::shared_ptr<const engine::PolicySet> current_;
};

}  // namespace mcre::cli
