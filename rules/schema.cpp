#include "rules/schema.hpp"

#include <algorithm>
#include <array>

namespace mcre::rules {

namespace {

constexpr std::array k_attributes = {
    AttrInfo{Attr::CredentialLearner, "credential.learner", Type::Text, "learner identification",
             true},
    AttrInfo{Attr::CredentialTitle, "credential.title", Type::Text, "title", true},
    AttrInfo{Attr::CredentialIssuerCountry, "credential.issuer_country", Type::Text,
             "issuer country", true},
    AttrInfo{Attr::CredentialAwardingBody, "credential.awarding_body", Type::Text, "awarding body",
             true},
    AttrInfo{Attr::CredentialIssued, "credential.issued", Type::Date, "date of issuing", true},
    AttrInfo{Attr::CredentialLearningOutcomes, "credential.learning_outcomes", Type::Set,
             "learning outcomes", true},
    AttrInfo{Attr::CredentialWorkload, "credential.workload", Type::Ects, "notional workload",
             true},
    AttrInfo{Attr::CredentialLevel, "credential.level", Type::Level, "level", true},
    AttrInfo{Attr::CredentialAssessment, "credential.assessment", Type::Text, "type of assessment",
             true},
    AttrInfo{Attr::CredentialParticipation, "credential.participation", Type::Text,
             "form of participation", true},
    AttrInfo{Attr::CredentialQa, "credential.qa", Type::Text, "type of quality assurance", true},
    AttrInfo{Attr::CredentialId, "credential.id", Type::Text, "credential id", false},
    AttrInfo{Attr::CredentialEcts, "credential.ects", Type::Ects, "stated ECTS", false},
    AttrInfo{Attr::CredentialHours, "credential.hours", Type::Hours, "stated hours", false},
    AttrInfo{Attr::CredentialNqfLevel, "credential.nqf_level", Type::Level, "NQF level", false},
    AttrInfo{Attr::CredentialEqfLevel, "credential.eqf_level", Type::Level, "EQF level", false},
    AttrInfo{Attr::CredentialCycle, "credential.cycle", Type::Text, "QF-EHEA cycle", false},
    AttrInfo{Attr::CredentialKind, "credential.kind", Type::Text, "kind", false},
    AttrInfo{Attr::CredentialField, "credential.field", Type::Code, "ISCED-F field", false},
    AttrInfo{Attr::CredentialExpires, "credential.expires", Type::Date, "expiry date", false},
    AttrInfo{Attr::CredentialRevoked, "credential.revoked", Type::Bool, "revocation status", false},
    AttrInfo{Attr::CredentialAge, "credential.age", Type::Years, "age", false},
    AttrInfo{Attr::CredentialProviderType, "credential.provider_type", Type::Text, "provider type",
             false},
    AttrInfo{Attr::CredentialProgrammeAccredited, "credential.programme_accredited", Type::Bool,
             "programme accreditation", false},
    AttrInfo{Attr::CredentialInstitutionAccredited, "credential.institution_accredited", Type::Bool,
             "institutional accreditation", false},
    AttrInfo{Attr::CredentialInRegistry, "credential.in_registry", Type::Bool, "registry entry",
             false},
    AttrInfo{Attr::ProgrammeId, "programme.id", Type::Text, "programme id", false},
    AttrInfo{Attr::ProgrammeTitle, "programme.title", Type::Text, "programme title", false},
    AttrInfo{Attr::ProgrammeKind, "programme.kind", Type::Text, "programme kind", false},
    AttrInfo{Attr::ProgrammeLevel, "programme.level", Type::Level, "programme NQF level", false},
    AttrInfo{Attr::ProgrammeTotalEcts, "programme.total_ects", Type::Ects, "programme total ECTS",
             false},
    AttrInfo{Attr::ProgrammeField, "programme.field", Type::Code, "programme ISCED-F field", false},
    AttrInfo{Attr::ProgrammeInstitution, "programme.institution", Type::Text,
             "programme institution", false},
    AttrInfo{Attr::ProgrammeRegulated, "programme.regulated", Type::Bool, "regulated status",
             false},
    AttrInfo{Attr::ProgrammeProfession, "programme.profession", Type::Text, "regulated profession",
             false},
    AttrInfo{Attr::ProgrammeProvidesForRecognition, "programme.provides_for_recognition",
             Type::Bool, "provision for recognition", false},
    AttrInfo{Attr::ProgrammeMcCap, "programme.mc_cap", Type::Ects, "programme's own cap", false},
    AttrInfo{Attr::ApplicationId, "application.id", Type::Text, "application id", false},
    AttrInfo{Attr::ApplicationDate, "application.date", Type::Date, "application date", false},
    AttrInfo{Attr::ApplicationJurisdiction, "application.jurisdiction", Type::Text, "jurisdiction",
             false},
    AttrInfo{Attr::ApplicationLearner, "application.learner", Type::Text, "applicant", false},
};

constexpr std::array<std::string_view, 4> k_credential_kinds = {"micro_credential", "vocational_l5",
                                                                "non_formal", "course_units"};
constexpr std::array<std::string_view, 5> k_programme_kinds = {"short_cycle", "bachelor", "master",
                                                               "integrated", "doctoral"};

}  // namespace

std::span<const AttrInfo> all_attributes() { return k_attributes; }

const AttrInfo* find_attribute(std::string_view path) {
    auto it = std::find_if(k_attributes.begin(), k_attributes.end(),
                           [&](const AttrInfo& a) { return a.path == path; });
    return it == k_attributes.end() ? nullptr : &*it;
}

const AttrInfo& info(Attr attr) { return k_attributes[static_cast<std::size_t>(attr)]; }

std::span<const std::string_view> credential_kinds() { return k_credential_kinds; }
std::span<const std::string_view> programme_kinds() { return k_programme_kinds; }

}  // namespace mcre::rules
