#pragma once

// The engine as a C++ library, for programs that decide applications without the CLI:
// load policies once, evaluate applications against them, read or render the decision.
// Installed with the `mcre` CMake package (find_package(mcre), target mcre::engine);
// docs/integration-guide.md ("C++ library") has a walk-through. Nothing here prints or throws for
// bad input: problems come back as rendered diagnostics, the same text `mcre check` shows.
//
// Thread safety: load once, then share a const Policies between threads; evaluate only
// reads it. Adding policies while another thread evaluates is a data race.

#include <optional>
#include <string>
#include <vector>

#include "engine/decision.hpp"
#include "engine/policy_set.hpp"
#include "rules/model.hpp"

namespace mcre {

struct PoliciesLoad;

// Checked policies, chosen by id or by jurisdiction and date.
class Policies {
  public:
    // Reads and checks every file (a directory means its *.policy files, in name order).
    // A file that fails is reported in `problems` and left out; the others load.
    [[nodiscard]] static PoliciesLoad load(const std::vector<std::string>& paths);

    // Checks a policy held in memory (e.g. stored in a database). `name` stands for the
    // file in diagnostics and citations. Returns the problem when the policy is rejected.
    // Invalidates the pointers earlier evaluate() results hold.
    [[nodiscard]] std::optional<engine::PolicyLoadProblem> add_text(const std::string& name,
                                                                    const std::string& text);

    [[nodiscard]] const engine::PolicySet& set() const { return set_; }
    [[nodiscard]] const rules::Policy* find(const std::string& id) const;
    [[nodiscard]] std::vector<std::string> ids() const;  // in load order
    [[nodiscard]] bool empty() const { return set_.empty(); }

  private:
    engine::PolicySet set_;
};

struct PoliciesLoad {
    Policies policies;
    std::vector<engine::PolicyLoadProblem> problems;  // one per rejected or unreadable file
};

struct EvaluationResult {
    // Present exactly when `errors` is empty. The decision carries the explanation: per
    // credential its status, recognized ECTS, every reason with its facts and citation.
    std::optional<engine::Decision> decision;
    // The policy that was applied (points into the Policies); null when none was.
    const rules::Policy* policy = nullptr;
    // Why there is no decision: the application's diagnostics rendered as `mcre evaluate`
    // prints them ("file:line:col: error: ... [E4002]"), an override the chosen policy
    // forbids (E4013; `policy` then names that policy), or why no policy could be chosen.
    std::string errors;
    // Things worth telling the caller about a decision that was made, e.g. that the policy
    // named by id is for another jurisdiction or not in force on the application date.
    std::vector<std::string> warnings;
};

// Reads an application (YAML or JSON, docs/input-format.md) and applies a policy to it:
// the one `policy_id` names or, without an id, the one of the application's jurisdiction
// in force on its date. When none or several are in force, `errors` lists them. `source_name`
// stands for the file in diagnostics. Pure: no I/O.
[[nodiscard]] EvaluationResult evaluate(const Policies& policies,
                                        const std::string& application_text,
                                        const std::string& source_name,
                                        const std::optional<std::string>& policy_id = {});

// The same, reading the application from a file; an unreadable file is an error.
[[nodiscard]] EvaluationResult evaluate_file(const Policies& policies, const std::string& path,
                                             const std::optional<std::string>& policy_id = {});

// The decision as an officer reads it, and as JSON (docs/decision-format.md). Both are
// deterministic: the same decision always renders to the same bytes.
[[nodiscard]] std::string to_text(const engine::Decision& decision);
[[nodiscard]] std::string to_json(const engine::Decision& decision);

}  // namespace mcre
