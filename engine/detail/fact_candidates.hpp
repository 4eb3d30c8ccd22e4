#pragma once

// The values a credential's facts could take for a different decision, read from the
// policy's own conditions, and how to apply and describe them (engine/counterfactual.cpp).

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/application.hpp"
#include "engine/decision.hpp"
#include "engine/facts.hpp"
#include "rules/model.hpp"

namespace mcre::engine::detail {

using rules::Attr;
using rules::Value;

// A fact of the credential that can be changed on its own. Derived facts map onto the
// stated fact they come from: the workload onto ECTS, the age onto the issue date. The
// kind is not one: a vocational qualification does not become a micro-credential by a
// change of its facts; it is another credential.
enum class Fact {
    Ects,
    Hours,
    Level,
    EqfLevel,
    Cycle,
    Issued,
    Expires,
    Revoked,
    Learner,
    Qa,
    Field,
    ProviderType,
    ProgrammeAccredited,
    InstitutionAccredited,
    InRegistry,
    Assessment,
    Participation,
    IssuerCountry,
    Title,
    AwardingBody,
    LearningOutcomes,
};

// The stated fact a candidate changes: the issue date for an age.
[[nodiscard]] Attr stated(Attr attr);

// One value a fact could take, and how to say it.
struct Candidate {
    Fact fact;
    Attr attr;  // the attribute the policy tested (the age, for an issue date)
    Value value;
    bool unset = false;  // the change is to stop stating the fact
    std::string words;   // "it carried at least 3 ECTS"
};

// The checks of the policy and the engine, with what each reads.
struct CheckFacts {
    std::set<Fact> facts;
    std::set<Attr> others;
};

// Candidate values from every condition of the policy's checks, those of the failing
// checks first (so a value is described in the words of the check it would pass).
[[nodiscard]] std::vector<Candidate> collect_candidates(
    const EvalContext& context, const std::vector<const rules::Rule*>& failing);

// Sets the candidate's fact on the credential.
void apply_candidate(const rules::Policy& policy, const Candidate& candidate,
                     Credential& credential);

// "(it carries 2 ECTS)": the fact as the credential states it now.
[[nodiscard]] std::string now_words(Attr attr, const Value& current);

// The rule or exclusion with this qualified name ("georgia.workload"), if any.
[[nodiscard]] const rules::Rule* rule_named(const rules::Policy& policy,
                                            const std::string& qualified);

// What a failing reason reads: a policy check's facts, or the one fact of a validity check.
[[nodiscard]] CheckFacts reason_facts(const rules::Policy& policy, const Reason& reason);

}  // namespace mcre::engine::detail
