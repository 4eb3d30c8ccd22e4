#include "engine/policy_set.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dsl/diagnostic_render.hpp"
#include "rules/checker.hpp"

namespace mcre::engine {

std::vector<std::string> policy_files(const std::vector<std::string>& paths) {
    std::vector<std::string> files;
    for (const std::string& path : paths) {
        std::error_code ec;
        if (!std::filesystem::is_directory(path, ec)) {
            files.push_back(path);
            continue;
        }
        std::vector<std::string> found;
        for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
            if (entry.path().extension() == ".policy") found.push_back(entry.path().string());
        }
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

std::optional<LoadedPolicy> PolicySet::load_text(const std::string& name, const std::string& text,
                                                 std::string& rendered_diagnostics) {
    dsl::SourceFile source(name, text);
    rules::CheckResult result = rules::load_policy(source);
    rendered_diagnostics = dsl::render_all(result.diagnostics, source);
    if (!result.policy) return std::nullopt;
    return LoadedPolicy{std::move(*result.policy), text};
}

PolicySet PolicySet::load(const std::vector<std::string>& paths,
                          std::vector<PolicyLoadProblem>& problems) {
    PolicySet set;
    for (const std::string& file : policy_files(paths)) {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            problems.push_back({file, "cannot read " + file + "\n"});
            continue;
        }
        std::ostringstream text;
        text << in.rdbuf();
        std::string rendered;
        auto loaded = load_text(file, text.str(), rendered);
        if (!loaded) {
            problems.push_back({file, rendered});
            continue;
        }
        set.add(std::move(*loaded));
    }
    return set;
}

const LoadedPolicy* PolicySet::find(const std::string& id) const {
    auto it = std::find_if(policies_.begin(), policies_.end(),
                           [&](const LoadedPolicy& p) { return p.policy.id == id; });
    return it == policies_.end() ? nullptr : &*it;
}

const LoadedPolicy* PolicySet::select(const std::string& jurisdiction, dsl::Date date) const {
    const LoadedPolicy* best = nullptr;
    for (const LoadedPolicy& p : policies_) {
        const rules::Policy& policy = p.policy;
        if (policy.jurisdiction != jurisdiction) continue;
        if (policy.in_force_from && date < *policy.in_force_from) continue;
        if (policy.in_force_until && date > *policy.in_force_until) continue;
        if (best == nullptr || best->policy.in_force_from < policy.in_force_from) best = &p;
    }
    return best;
}

}  // namespace mcre::engine
