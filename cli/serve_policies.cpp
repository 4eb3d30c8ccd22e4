#include "cli/serve_policies.hpp"

namespace mcre::cli {

bool PolicyStore::reload(std::vector<engine::PolicyLoadProblem>& problems) {
    auto loaded = std::make_shared<engine::PolicySet>(engine::PolicySet::load(paths_, problems));
    if (!problems.empty()) return false;
    if (loaded->empty()) {
        problems.push_back({"", "no *.policy files found\n"});
        return false;
    }
    std::lock_guard lock(mutex_);
    current_ = std::move(loaded);
    return true;
}

std::shared_ptr<const engine::PolicySet> PolicyStore::current() const {
    std::lock_guard lock(mutex_);
    return current_;
}

}  // namespace mcre::cli
