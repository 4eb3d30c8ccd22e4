#include <fmt/format.h>

#include <optional>

#include "rules/analysis/checks.hpp"
#include "rules/analysis/conditions.hpp"
#include "rules/analysis/witness.hpp"

namespace mcre::rules::analysis {

namespace {

struct Candidate {
    const Rule* rule;
    Region scope;   // scope and 'when'
    Region passes;  // scope, 'when' and the requirement holds
    std::set<Attr> read;
};

std::optional<Candidate> candidate(const Rule& rule, const ConditionAnalyzer& conditions) {
    // A warning decides nothing, so it cannot contradict anything.
    if (rule.exclusion || rule.outcome == Outcome::Warn) return std::nullopt;
    Region scope = ConditionAnalyzer::scope(rule.credential_kinds, rule.programme_kinds);
    if (rule.when) scope = scope.intersect(conditions.holds(*rule.when));
    Region passes = scope.intersect(conditions.holds(rule.condition));
    // A rule that never applies or never passes is reported on its own (W3102, W3103).
    if (passes.empty()) return std::nullopt;
    return Candidate{&rule, scope, passes, attributes_of(rule.condition)};
}

}  // namespace

void check_contradictions(const Policy& policy, Diagnostics& out) {
    ConditionAnalyzer conditions(policy);
    std::vector<Candidate> rules;
    for (const Rule& rule : policy.rules) {
        if (auto c = candidate(rule, conditions)) rules.push_back(std::move(*c));
    }
    for (std::size_t j = 0; j < rules.size(); ++j) {
        for (std::size_t i = 0; i < j; ++i) {
            const Candidate& a = rules[i];
            const Candidate& b = rules[j];
            Region both = a.scope.intersect(b.scope);
            if (both.empty()) continue;
            if (!a.passes.intersect(b.passes).empty()) continue;
            std::set<Attr> shown = a.read;
            shown.insert(b.read.begin(), b.read.end());
            dsl::Diagnostic d = warning(
                "W3105", b.rule->condition.span,
                fmt::format("rules '{}' and '{}' contradict: no credential they both apply to "
                            "passes both",
                            a.rule->name, b.rule->name),
                "one of the two requirements (or a parameter it uses) is probably wrong");
            d.notes.push_back(note_at(fmt::format("'{}' passes only with {}", a.rule->name,
                                                  describe_constraints(a.passes, a.read)),
                                      a.rule->condition.span));
            d.notes.push_back(note(fmt::format("'{}' passes only with {}", b.rule->name,
                                               describe_constraints(b.passes, b.read))));
            Region witness = both.intersect(a.passes);
            std::string outcome =
                "passes '" + a.rule->name + "' but cannot pass '" + b.rule->name + "'";
            if (witness.empty()) {
                witness = both;
                outcome = "cannot pass both";
            }
            d.notes.push_back(note("witness: " + describe_witness(witness, shown) + " " + outcome));
            out.push_back(std::move(d));
        }
    }
}

}  // namespace mcre::rules::analysis
