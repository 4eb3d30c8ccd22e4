#include <fmt/format.h>

#include <algorithm>

#include "rules/analysis/checks.hpp"
#include "rules/analysis/conditions.hpp"
#include "rules/analysis/witness.hpp"

namespace mcre::rules::analysis {

namespace {

// What a failing check does to the credential, as the officer's decision says it.
const char* effect(Outcome outcome) {
    switch (outcome) {
        case Outcome::Reject:
            return "not recognized";
        case Outcome::Refer:
            return "referred";
        case Outcome::Incomplete:
            return "incomplete";
        case Outcome::NotApplicable:
            return "not applicable";
        case Outcome::Warn:
            return "warned about";
    }
    return "";
}

bool kind_attribute(Attr attr) {
    return attr == Attr::CredentialKind || attr == Attr::ProgrammeKind;
}

// `exclude x for non_formal when credential.kind == non_formal` restates its scope: the
// language asks for a condition, so an exclusion meant for a whole scope must write one.
bool only_about_kinds(const Expr& condition) {
    std::set<Attr> attrs = attributes_of(condition);
    return std::all_of(attrs.begin(), attrs.end(), kind_attribute);
}

void check_rule(const Rule& rule, const ConditionAnalyzer& conditions, Diagnostics& out) {
    Region scope = ConditionAnalyzer::scope(rule.credential_kinds, rule.programme_kinds);
    if (rule.when) scope = scope.intersect(conditions.holds(*rule.when));
    std::set<Attr> shown = attributes_of(rule.condition);
    if (rule.when) shown.merge(attributes_of(*rule.when));
    dsl::SourceSpan span = rule.when ? rule.when->span : rule.condition.span;
    if (scope.empty()) {
        out.push_back(warning("W3103", span,
                              fmt::format("rule '{}' never applies: its scope and 'when' "
                                          "condition never hold together",
                                          rule.name),
                              "remove the rule, or correct its 'when' condition or scope"));
        return;
    }
    if (scope.intersect(conditions.fails(rule.condition)).empty()) {
        out.push_back(warning(
            "W3101", rule.condition.span,
            fmt::format("rule '{}' can never fail: its requirement holds for every credential "
                        "it applies to that states the facts it reads",
                        rule.name),
            "the rule decides nothing; check the parameter values it compares with"));
        return;
    }
    if (scope.intersect(conditions.holds(rule.condition)).empty()) {
        dsl::Diagnostic d = warning(
            "W3102", rule.condition.span,
            fmt::format("rule '{}' can never pass: its requirement holds for no credential it "
                        "applies to, so each one is {}",
                        rule.name, effect(rule.outcome)),
            "check the bounds and parameter values of the requirement");
        Region failing = scope.intersect(conditions.fails(rule.condition));
        d.notes.push_back(
            note("witness: " + describe_witness(failing, shown) + " fails '" + rule.name + "'"));
        out.push_back(std::move(d));
    }
}

void check_exclusion(const Rule& rule, const ConditionAnalyzer& conditions, Diagnostics& out) {
    Region scope = ConditionAnalyzer::scope(rule.credential_kinds, rule.programme_kinds);
    Region applies = scope.intersect(conditions.holds(rule.condition));
    if (applies.empty()) {
        out.push_back(warning(
            "W3103", rule.condition.span,
            fmt::format("exclusion '{}' never applies: its condition holds for no credential "
                        "in its scope",
                        rule.name),
            "remove the exclusion, or correct its condition or scope"));
        return;
    }
    if (only_about_kinds(rule.condition)) return;
    if (scope.intersect(conditions.fails(rule.condition)).empty()) {
        dsl::Diagnostic d =
            warning("W3104", rule.condition.span,
                    fmt::format("exclusion '{}' always applies: its condition holds for every "
                                "credential in its scope that states the facts it reads",
                                rule.name),
                    "if that is intended, say so with a scope ('for'/'in') and a condition on the "
                    "kinds only");
        d.notes.push_back(
            note("witness: " + describe_witness(applies, attributes_of(rule.condition)) + " is " +
                 effect(rule.outcome)));
        out.push_back(std::move(d));
    }
}

}  // namespace

void check_reachability(const Policy& policy, Diagnostics& out) {
    ConditionAnalyzer conditions(policy);
    for (const Rule& rule : policy.rules) {
        if (rule.exclusion)
            check_exclusion(rule, conditions, out);
        else
            check_rule(rule, conditions, out);
    }
}

}  // namespace mcre::rules::analysis
