#include "engine/policy_diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "engine/decision_text.hpp"
#include "engine/evaluator.hpp"
#include "engine/expression_eval.hpp"
#include "engine/witness_space.hpp"

namespace mcre::engine {

namespace {

bool decided_alike(const CredentialDecision& a, const CredentialDecision& b) {
    return a.status == b.status && compare_numbers(a.recognized_ects, b.recognized_ects) == 0;
}

Direction direction_of(const CredentialDecision& old_cd, const CredentialDecision& new_cd) {
    int ects = compare_numbers(new_cd.recognized_ects, old_cd.recognized_ects);
    if (ects != 0) return ects > 0 ? Direction::NewMore : Direction::NewLess;
    return status_rank(new_cd.status) > status_rank(old_cd.status) ? Direction::NewMore
                                                                   : Direction::NewLess;
}

// The credential's block as an officer reads it in `mcre evaluate`, without the list of
// checks passed: only what decided.
std::string explanation(const Decision& decision, const CredentialDecision& cd) {
    Decision alone = decision;
    alone.credentials = {cd};
    alone.credentials.front().passed.clear();
    std::string text = render_text(alone);
    std::size_t begin = text.find("\ncredential ");
    if (begin == std::string::npos) return "";
    std::size_t end = text.find("\n\n", begin + 1);
    return text.substr(begin + 1, end == std::string::npos ? std::string::npos : end - begin);
}

WitnessSide side(const Decision& decision, const CredentialDecision& cd) {
    return WitnessSide{cd.status, cd.recognized_ects, cd.primary_code, explanation(decision, cd)};
}

std::string label(const rules::Policy& policy) {
    std::string out = fmt::format("{} {}", policy.id, policy.version);
    if (!policy.file.empty()) out += fmt::format(" ({})", policy.file);
    return out;
}

using GroupKey = std::tuple<Direction, std::string, std::string>;

}  // namespace

std::string verdict_sentence(DiffVerdict verdict) {
    switch (verdict) {
        case DiffVerdict::NoDifference:
            return "no difference found";
        case DiffVerdict::NewMore:
            return "NEW recognizes strictly more than OLD";
        case DiffVerdict::NewLess:
            return "NEW recognizes strictly less than OLD";
        case DiffVerdict::BothWays:
            return "OLD and NEW differ both ways";
    }
    return "";
}

PolicyDiff diff_policies(const rules::Policy& old_policy, const rules::Policy& new_policy) {
    PolicyDiff diff;
    diff.old_label = label(old_policy);
    diff.new_label = label(new_policy);
    if (old_policy.jurisdiction != new_policy.jurisdiction) {
        diff.warnings.push_back(fmt::format(
            "OLD is for {} and NEW for {}; the candidate applications are for {} (NEW's)",
            old_policy.jurisdiction, new_policy.jurisdiction, new_policy.jurisdiction));
    }

    auto stacks = [](const rules::Policy& p) { return !p.stacks.empty() || !p.pathways.empty(); };
    if (stacks(old_policy) || stacks(new_policy)) {
        diff.warnings.push_back(
            "a policy has stacks or pathways; the candidates here are mostly single "
            "credentials, which show little of them: compare on a cohort with mcre simulate");
    }

    std::vector<Candidate> candidates = build_candidates(old_policy, new_policy);
    diff.candidates = candidates.size();
    std::map<GroupKey, DifferenceGroup> groups;
    for (const Candidate& candidate : candidates) {
        Decision old_decision = evaluate(old_policy, candidate.application);
        Decision new_decision = evaluate(new_policy, candidate.application);
        bool differs = false;
        // The candidate's own credentials: those a stack yields differ in number between
        // the two policies.
        for (std::size_t i = 0; i < candidate.application.credentials.size(); ++i) {
            const CredentialDecision& o = old_decision.credentials[i];
            const CredentialDecision& n = new_decision.credentials[i];
            if (decided_alike(o, n)) continue;
            differs = true;
            Direction direction = direction_of(o, n);
            (direction == Direction::NewMore ? diff.more : diff.less) += 1;
            auto [it, inserted] =
                groups.try_emplace(GroupKey{direction, o.primary_code, n.primary_code});
            DifferenceGroup& g = it->second;
            ++g.count;
            if (!inserted) continue;
            g.old_code = o.primary_code;
            g.new_code = n.primary_code;
            g.direction = direction;
            g.application = candidate.application;
            g.credential_id = o.id;
            g.variation = candidate.variation;
            g.old_side = side(old_decision, o);
            g.new_side = side(new_decision, n);
        }
        if (differs) ++diff.differing_candidates;
    }
    for (auto& [key, group] : groups) diff.groups.push_back(std::move(group));

    if (diff.more > 0 && diff.less > 0)
        diff.verdict = DiffVerdict::BothWays;
    else if (diff.more > 0)
        diff.verdict = DiffVerdict::NewMore;
    else if (diff.less > 0)
        diff.verdict = DiffVerdict::NewLess;
    return diff;
}

}  // namespace mcre::engine
