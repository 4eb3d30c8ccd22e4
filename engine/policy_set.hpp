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

// A policy file as read: the name it was loaded under and its exact text.
struct PolicySource {
    std::string file;
    std::string text;
};

// One checked policy with the exact text it was checked from, and the texts of the
// policies it extends, so a decision can be re-evaluated later against the same sources.
struct LoadedPolicy {
    rules::Policy policy;
    std::string source_text;
    std::vector<PolicySource> bases;  // the `extends` chain without this policy, root first
};

// Why one policy of the jurisdiction asked for does not apply on the date.
struct NotInForce {
    const LoadedPolicy* policy = nullptr;
    std::string why;  // "not yet in force on 2025-01-15"
};

// Choosing by jurisdiction and date has three outcomes: exactly one policy is in force,
// none is, or several are. The caller decides what to do with none or several (an error
// naming them, with a hint in its own terms); never a silent pick.
struct PolicyChoice {
    std::string jurisdiction;
    dsl::Date date;
    std::vector<const LoadedPolicy*> in_force;  // in load order
    std::vector<NotInForce> not_in_force;       // the jurisdiction's other policies
    // Every jurisdiction loaded with its policy ids, sorted: "AM (armenia)".
    std::vector<std::string> jurisdictions;

    [[nodiscard]] const LoadedPolicy* chosen() const {
        return in_force.size() == 1 ? in_force.front() : nullptr;
    }
    [[nodiscard]] bool none() const { return in_force.empty(); }
    [[nodiscard]] bool several() const { return in_force.size() > 1; }
    // True when some policy of the jurisdiction is loaded, in force or not.
    [[nodiscard]] bool jurisdiction_loaded() const {
        return !in_force.empty() || !not_in_force.empty();
    }
    // One line saying what was found: "policy georgia version 1 is the only policy for GE
    // in force on 2026-10-15", "no policy for GE is in force on 2025-01-15", "no policy for
    // FR is loaded", "2 policies for GE are in force on 2027-10-15". Non-empty notes say
    // where the jurisdiction and the date came from: "GE (--jurisdiction)".
    [[nodiscard]] std::string summary(const std::string& jurisdiction_note = {},
                                      const std::string& date_note = {}) const;
    // One line per policy of the jurisdiction, with its period and why it does (not)
    // cover the date; then, when none is in force, the jurisdictions loaded. With
    // `with_files`, each policy is followed by the file it was loaded from.
    [[nodiscard]] std::vector<std::string> details(bool with_files) const;
};

// "in force from 2026-09-01 until 2028-08-31", "in force from 2026-09-01", "no period
// stated (always in force)".
[[nodiscard]] std::string period_of(const rules::Policy& policy);

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
    // From text already in memory (tests, stored sources). A policy that `extends`
    // another finds it beside `name` on disk.
    [[nodiscard]] static std::optional<LoadedPolicy> load_text(const std::string& name,
                                                               const std::string& text,
                                                               std::string& rendered_diagnostics);
    // The same, with the policies it extends given as well (root first, as `bases` holds
    // them): nothing is read from disk, so a stored chain is checked exactly as it was.
    [[nodiscard]] static std::optional<LoadedPolicy> load_text(
        const std::string& name, const std::string& text, const std::vector<PolicySource>& bases,
        std::string& rendered_diagnostics);

    void add(LoadedPolicy policy) { policies_.push_back(std::move(policy)); }
    [[nodiscard]] const std::vector<LoadedPolicy>& all() const { return policies_; }
    [[nodiscard]] bool empty() const { return policies_.empty(); }

    [[nodiscard]] const LoadedPolicy* find(const std::string& id) const;
    // The policies of this jurisdiction in force on `date` (both ends of a period count),
    // and why each other one of the jurisdiction is not. A policy that extends another is
    // a candidate like any other: a draft in force beside the law it amends makes two.
    [[nodiscard]] PolicyChoice select(const std::string& jurisdiction, dsl::Date date) const;

  private:
    std::vector<LoadedPolicy> policies_;
};

}  // namespace mcre::engine
