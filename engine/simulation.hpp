#pragma once

// What a reform does to a cohort: every application decided under a baseline and a reform
// policy, folded into aggregates as it goes, so memory holds the report and never the
// cohort. Neither policy is assumed to be a variant of the other: Georgia against Armenia
// is compared the same way as a draft against the law in force.

#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "engine/application.hpp"
#include "engine/decision.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

// Counts and ECTS for one group of applications (all, one programme kind, one field).
struct Tally {
    std::size_t applications = 0;
    std::size_t credentials = 0;
    std::size_t applications_changed = 0;  // any credential's status or credit differs
    std::size_t credentials_changed = 0;
    std::size_t applications_gaining = 0;  // more ECTS in total under the reform
    std::size_t applications_losing = 0;
    double baseline_ects = 0;
    double reform_ects = 0;
    double gained = 0;  // sum of the increases, application by application
    double lost = 0;    // sum of the decreases, as a positive number

    void merge(const Tally& other);
};

// A histogram with fixed bins: [lower + i*width, lower + (i+1)*width); the first and the
// last bins are open-ended.
struct Histogram {
    double lower = 0;
    double width = 5;
    std::vector<std::size_t> counts;

    void add(double value);
    [[nodiscard]] std::string bin_label(std::size_t i) const;
};

// One credential that moved from one status to another, the witness of a flip cell.
struct FlipWitness {
    std::string application;
    std::string credential;
};

// Credentials that moved from one status to another, by the rule or cap responsible:
// "WORKLOAD -> recognized" names what decided under the baseline and under the reform.
struct FlipCell {
    std::size_t count = 0;
    std::map<std::string, std::size_t> by_cause;
    std::map<std::string, FlipWitness> witness_by_cause;
    FlipWitness witness;
};

// How often a rule or cap decided a credential's outcome under each policy.
struct DecidingCounts {
    std::string code;
    std::size_t baseline = 0;
    std::size_t reform = 0;
};

// One of the applications whose decision changed most, with both explanations.
struct ChangedCase {
    std::string application;
    std::string programme_kind;
    double baseline_ects = 0;
    double reform_ects = 0;
    std::size_t credentials_changed = 0;
    std::string baseline_text;
    std::string reform_text;

    [[nodiscard]] double change() const { return reform_ects - baseline_ects; }
};

constexpr std::size_t status_count = 6;

struct SimulationReport {
    std::string baseline;  // "georgia 2026.1-S1"
    std::string reform;
    Tally total;
    std::map<std::string, Tally> by_programme_kind;
    std::map<std::string, Tally> by_field;  // ISCED-F broad field of the programme
    Histogram baseline_distribution;        // recognized ECTS per application
    Histogram reform_distribution;
    Histogram change_distribution;                   // reform minus baseline, per application
    std::map<std::string, DecidingCounts> deciding;  // by rule or cap (qualified name)
    // [from status][to status], indexes of engine::Status.
    std::array<std::array<FlipCell, status_count>, status_count> flips{};
    std::vector<ChangedCase> most_changed;  // largest change first
    std::size_t bad_records = 0;
    std::vector<std::string> bad_examples;  // the first few errors, "line 7: ..."
};

struct SimulationOptions {
    std::size_t most_changed = 10;
    std::size_t bad_examples = 10;
};

class Simulation {
  public:
    Simulation(const rules::Policy& baseline, const rules::Policy& reform,
               SimulationOptions options = {});

    // Decides `application` under both policies and folds the two decisions in.
    void add(const Application& application);
    // Folds in two decisions already made (a sweep decides the baseline once for all values).
    void add(const Application& application, const Decision& baseline, const Decision& reform);
    void add_bad_record(std::size_t line, const std::string& message);

    [[nodiscard]] const SimulationReport& report() const { return report_; }
    [[nodiscard]] const rules::Policy& baseline_policy() const { return baseline_; }
    [[nodiscard]] const rules::Policy& reform_policy() const { return reform_; }

  private:
    const rules::Policy& baseline_;
    const rules::Policy& reform_;
    SimulationOptions options_;
    SimulationReport report_;

    void keep_if_most_changed(ChangedCase candidate, const Application& application);
};

// "georgia 2026.1-S1": how a policy is named in a report.
[[nodiscard]] std::string policy_label(const rules::Policy& policy);

// The rule or cap that decided a credential ("georgia.workload"), "" when recognized in full.
[[nodiscard]] std::string deciding_rule(const CredentialDecision& credential);

}  // namespace mcre::engine
