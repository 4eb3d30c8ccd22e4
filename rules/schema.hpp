#pragma once

#include <span>
#include <string_view>

#include "rules/value.hpp"

namespace mcre::rules {

// Every fact a policy can ask about. The engine supplies their values; the checker binds
// names like "credential.workload" to these.
enum class Attr {
    // credential: the EU mandatory elements (Council Recommendation 2022/C 243/02, Annex I)
    CredentialLearner,
    CredentialTitle,
    CredentialIssuerCountry,
    CredentialAwardingBody,
    CredentialIssued,
    CredentialLearningOutcomes,
    CredentialWorkload,  // ECTS: stated, or converted from hours by the policy
    CredentialLevel,     // level in the policy's national framework, derived (see docs)
    CredentialAssessment,
    CredentialParticipation,
    CredentialQa,
    // credential: further facts
    CredentialId,
    CredentialEcts,   // ECTS as stated on the credential
    CredentialHours,  // notional hours as stated
    CredentialNqfLevel,
    CredentialEqfLevel,
    CredentialCycle,  // QF-EHEA cycle: short, first, second, third
    CredentialKind,
    CredentialField,
    CredentialExpires,
    CredentialRevoked,
    CredentialAge,  // whole years from issue to the application date
    CredentialProviderType,
    CredentialProgrammeAccredited,
    CredentialInstitutionAccredited,
    CredentialInRegistry,
    // programme
    ProgrammeId,
    ProgrammeTitle,
    ProgrammeKind,
    ProgrammeLevel,
    ProgrammeTotalEcts,
    ProgrammeField,
    ProgrammeInstitution,
    ProgrammeRegulated,
    ProgrammeProfession,
    ProgrammeProvidesForRecognition,
    ProgrammeMcCap,
    // application
    ApplicationId,
    ApplicationDate,
    ApplicationJurisdiction,
    ApplicationLearner,
};

struct AttrInfo {
    Attr attr;
    std::string_view path;  // "credential.workload"
    Type type;
    std::string_view element;  // what a reader calls it: "notional workload"
    bool mandatory_element;    // one of the 11 EU mandatory elements
};

[[nodiscard]] std::span<const AttrInfo> all_attributes();
[[nodiscard]] const AttrInfo* find_attribute(std::string_view path);
[[nodiscard]] const AttrInfo& info(Attr attr);

// Known kinds; bare names such as `bachelor` or `micro_credential` denote these texts.
[[nodiscard]] std::span<const std::string_view> credential_kinds();
[[nodiscard]] std::span<const std::string_view> programme_kinds();

}  // namespace mcre::rules
