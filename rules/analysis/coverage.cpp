#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "rules/analysis/checks.hpp"
#include "rules/analysis/conditions.hpp"

namespace mcre::rules::analysis {

namespace {

bool in_scope(const std::vector<std::string>& kinds, std::string_view kind) {
    return kinds.empty() || std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

// The policy statement has no span in the model; its `policy` line is the natural place.
dsl::SourceSpan policy_line(const dsl::SourceFile& source) {
    const std::string& text = source.text();
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + at, end - at);
        if (line.rfind("policy ", 0) == 0) {
            return {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + 6)};
        }
        at = end + 1;
    }
    return {};
}

// An exclusion that stops every credential of this kind in this programme kind, whatever
// else the application says (not a warning: a warning stops nothing).
bool always_excluded(const Policy& policy, const ConditionAnalyzer& conditions,
                     std::string_view credential, std::string_view programme) {
    Region combination =
        ConditionAnalyzer::scope({std::string(credential)}, {std::string(programme)});
    return std::any_of(policy.rules.begin(), policy.rules.end(), [&](const Rule& r) {
        if (!r.exclusion || r.outcome == Outcome::Warn) return false;
        if (!in_scope(r.credential_kinds, credential) || !in_scope(r.programme_kinds, programme)) {
            return false;
        }
        return combination.intersect(conditions.fails(r.condition)).empty();
    });
}

}  // namespace

void check_coverage(const Policy& policy, const dsl::SourceFile& source, Diagnostics& out) {
    ConditionAnalyzer conditions(policy);
    std::vector<std::string> unchecked;
    std::vector<std::string> uncapped;
    for (std::string_view credential : credential_kinds()) {
        for (std::string_view programme : programme_kinds()) {
            std::string pair = fmt::format("{} in {}", credential, programme);
            bool checked =
                std::any_of(policy.rules.begin(), policy.rules.end(), [&](const Rule& r) {
                    return in_scope(r.credential_kinds, credential) &&
                           in_scope(r.programme_kinds, programme);
                });
            bool capped = std::any_of(policy.caps.begin(), policy.caps.end(), [&](const Cap& c) {
                return in_scope(c.credential_kinds, credential) &&
                       in_scope(c.programme_kinds, programme);
            });
            if (!checked && !capped) {
                unchecked.push_back(pair);
                continue;
            }
            // Conditional caps may not apply: only a cap without 'when' always limits.
            bool always_capped =
                std::any_of(policy.caps.begin(), policy.caps.end(), [&](const Cap& c) {
                    return !c.when && in_scope(c.credential_kinds, credential) &&
                           in_scope(c.programme_kinds, programme);
                });
            if (!always_capped && !always_excluded(policy, conditions, credential, programme)) {
                uncapped.push_back(pair);
            }
        }
    }
    dsl::SourceSpan span = policy_line(source);
    if (!unchecked.empty()) {
        out.push_back(warning(
            "W3112", span,
            fmt::format("no check and no cap covers: {}", fmt::join(unchecked, ", ")),
            "such credentials are recognized in full, unchecked; add a scope or an exclusion"));
    }
    if (!uncapped.empty()) {
        out.push_back(
            warning("W3113", span,
                    fmt::format("no cap always limits the credit recognized for: {}",
                                fmt::join(uncapped, ", ")),
                    "add a cap, or an exclusion for combinations the policy does not cover"));
    }
}

}  // namespace mcre::rules::analysis
