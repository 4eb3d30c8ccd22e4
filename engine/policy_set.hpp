#pragma once

// The policies a service or batch run has loaded, and the choice among them: by id, or
// by jurisdiction and date (the version in force on that day).

#include <optional>
#include <string>
#include <vector>

#include "dsl/date.hpp"
#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

// One checked policy with the exact text it was checked from, so a decision can be
// re-evaluated later against the same source.
struct LoadedPolicy {
    rules::Policy policy;
    std::string source_text;
};

// The policy files named: files as given, and for a directory its *.policy files, sorted.
[[nodiscard]] std::vector<std::string> policy_files(const std::vector<std::string>& paths);

struct PolicyLoadProblem {
    std::string file;
    std::string rendered;  // the rendered diagnostics, or why the file could not be read
};

class PolicySet {
  public:
    // Reads and checks every file (a directory means its *.policy files). Files that
    // fail are reported and left out; the others load.
    [[nodiscard]] static PolicySet load(const std::vector<std::string>& paths,
                                        std::vector<PolicyLoadProblem>& problems);
    // From text already in memory (tests, stored sources).
    [[nodiscard]] static std::optional<LoadedPolicy> load_text(const std::string& name,
                                                               const std::string& text,
                                                               std::string& rendered_diagnostics);

    void add(LoadedPolicy policy) { policies_.push_back(std::move(policy)); }
    [[nodiscard]] const std::vector<LoadedPolicy>& all() const { return policies_; }
    [[nodiscard]] bool empty() const { return policies_.empty(); }

    [[nodiscard]] const LoadedPolicy* find(const std::string& id) const;
    // The policy of this jurisdiction in force on `date`; when several are, the one that
    // came into force last. Null when none is.
    [[nodiscard]] const LoadedPolicy* select(const std::string& jurisdiction, dsl::Date date) const;

  private:
    std::vector<LoadedPolicy> policies_;
};

}  // namespace mcre::engine
