#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"
#include "rules/inheritance.hpp"
#include "rules/model.hpp"

namespace mcre::rules {

struct CheckResult {
    std::optional<Policy> policy;              // present exactly when there is no error
    std::vector<dsl::Diagnostic> diagnostics;  // errors and warnings, sorted by position
};

// Binds every name, checks types, units and parameter sanity, and reports every
// problem in the file in one run. `base` is the checked policy this one extends, if any.
[[nodiscard]] CheckResult check(const dsl::ast::Policy& policy, const dsl::SourceFile& source,
                                const Policy* base = nullptr);

// Parse and check in one step, following `extends` (what `mcre check` and `mcre evaluate`
// run). The parent is found beside the file, or by `find`.
[[nodiscard]] CheckResult load_policy(const dsl::SourceFile& source);
[[nodiscard]] CheckResult load_policy(const dsl::SourceFile& source, const PolicyFinder& find);

// Loads several policy files and keeps what it checked, so a policy that others extend is
// parsed and checked once (`mcre check policies/` checks eu-baseline.policy once, not once
// more for each of the three policies that extend it). Each result is exactly what
// load_policy(source) returns: a parent is reused only where loading it afresh would
// succeed too (no cycle through the ids being loaded, the chain within 16 policies).
class PolicyLoader {
  public:
    struct Options {
        // `mcre check` prints no hash: without it, a policy's content_hash stays empty.
        bool content_hash = true;
    };
    PolicyLoader();
    explicit PolicyLoader(Options options);
    PolicyLoader(const PolicyLoader&) = delete;
    PolicyLoader& operator=(const PolicyLoader&) = delete;
    ~PolicyLoader();

    struct Loaded {
        dsl::SourceFile source;
        CheckResult result;
    };
    // load_policy(source), its parent found beside the file; the file and its result live
    // as long as the loader.
    [[nodiscard]] const Loaded& load(dsl::SourceFile source);

  private:
    Options options_;
    std::vector<std::unique_ptr<Loaded>> loaded_;
};

}  // namespace mcre::rules
