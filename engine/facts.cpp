#include "engine/facts.hpp"

#include <fmt/format.h>

#include <string_view>
#include <utility>

#include "rules/value.hpp"

namespace mcre::engine {

namespace {

using rules::Attr;
using rules::Type;
using rules::Value;

Value missing(Attr attr) {
    const rules::AttrInfo& i = rules::info(attr);
    return Value::missing_element(i.type, std::string(i.element));
}

Value text_or_missing(Attr attr, const std::optional<std::string>& text) {
    if (!text) return missing(attr);
    return Value::of_text(rules::info(attr).type, *text);
}

Value number_or_missing(Attr attr, const std::optional<double>& number) {
    if (!number) return missing(attr);
    return Value::of_number(rules::info(attr).type, *number);
}

Value level_or_missing(Attr attr, const std::optional<int>& level) {
    if (!level) return missing(attr);
    return Value::of_number(Type::Level, *level);
}

Value bool_or_missing(Attr attr, const std::optional<bool>& b) {
    if (!b) return missing(attr);
    return Value::of_bool(*b);
}

Value date_or_missing(Attr attr, const std::optional<dsl::Date>& date) {
    if (!date) return missing(attr);
    return Value::of_number(Type::Date, date->days);
}

const rules::LevelMap* find_map(const rules::Policy& policy, rules::Framework from,
                                std::string_view from_country, rules::Framework to) {
    for (const rules::LevelMap& map : policy.level_maps) {
        if (map.from == from && map.from_country == from_country && map.to == to) return &map;
    }
    return nullptr;
}

// A chain of level mappings written the way an officer checks it by hand:
// "AM NQF 6 -> EQF 6 -> NQF 6 by tables am_nqf_to_eqf, eqf_to_nqf". Without a basis
// (Basis::Omitted) the chain writes nothing and only the level is derived.
struct LevelChain {
    bool written = true;
    std::string path;
    std::vector<std::string> tables;
    std::string note;

    template <typename... Args>
    void step(fmt::format_string<Args...> format, Args&&... args) {
        if (written) path += fmt::format(format, std::forward<Args>(args)...);
    }
    void table(const std::string& name) {
        if (written) tables.push_back(name);
    }

    [[nodiscard]] std::string basis() const {
        std::string out = path;
        if (tables.size() == 1) out += " by table " + tables[0];
        if (tables.size() > 1) out += " by tables " + fmt::format("{}", fmt::join(tables, ", "));
        if (!note.empty()) out += " " + note;
        return out;
    }
};

DerivedFact level_fact(int level, const LevelChain& chain) {
    return DerivedFact{Value::of_number(Type::Level, level), chain.written ? chain.basis() : "",
                       false};
}

DerivedFact no_level(std::string basis) {
    return DerivedFact{missing(Attr::CredentialLevel), std::move(basis), false};
}

// The last step of every derivation. Without a declared EQF -> NQF table, EQF n is NQF n:
// both frameworks have eight levels and the national ones were referenced level for level.
DerivedFact eqf_to_national(const rules::Policy& policy, int eqf, LevelChain chain) {
    const rules::LevelMap* map = find_map(policy, rules::Framework::Eqf, "", rules::Framework::Nqf);
    if (map == nullptr) {
        chain.step(" -> NQF {}", eqf);
        if (chain.written) chain.note = "(EQF n taken as NQF n: the policy declares no EQF table)";
        return level_fact(eqf, chain);
    }
    auto it = map->levels.find(eqf);
    if (it == map->levels.end()) {
        return no_level(chain.written ? fmt::format("{}: EQF {} has no entry in table {}",
                                                    chain.path, eqf, map->name)
                                      : "");
    }
    chain.step(" -> NQF {}", it->second);
    chain.table(map->name);
    return level_fact(it->second, chain);
}

int cycle_to_eqf(const std::string& cycle) {
    if (cycle == "short") return 5;
    if (cycle == "first") return 6;
    if (cycle == "second") return 7;
    if (cycle == "third") return 8;
    return 0;
}

std::string whole_or_fraction(double n) { return rules::format_number(n); }

// The level in the national framework an EQF level maps to, as eqf_to_national finds it,
// without the words.
std::optional<double> national_from_eqf(const rules::Policy& policy, int eqf) {
    const rules::LevelMap* map = find_map(policy, rules::Framework::Eqf, "", rules::Framework::Nqf);
    if (map == nullptr) return eqf;
    auto it = map->levels.find(eqf);
    if (it == map->levels.end()) return std::nullopt;
    return it->second;
}

// credential_level's value alone, as a number (workload_ects is the workload's): what a
// condition compares, read for every rule that asks without building a DerivedFact (a Value
// and a basis) each time. Equal to its value wherever that is not missing, and empty exactly
// when it is.
std::optional<double> level_number(const rules::Policy& policy, const Credential& c) {
    const bool own_country = !c.issuer_country || *c.issuer_country == policy.jurisdiction;
    if (c.nqf_level && own_country) return *c.nqf_level;
    if (c.eqf_level) return national_from_eqf(policy, *c.eqf_level);
    if (c.nqf_level) {
        const auto* map =
            find_map(policy, rules::Framework::Nqf, *c.issuer_country, rules::Framework::Eqf);
        if (map != nullptr) {
            if (auto it = map->levels.find(*c.nqf_level); it != map->levels.end())
                return national_from_eqf(policy, it->second);
        }
    }
    if (c.cycle) {
        if (int eqf = cycle_to_eqf(*c.cycle); eqf != 0) return national_from_eqf(policy, eqf);
    }
    return std::nullopt;
}

}  // namespace

DerivedFact credential_workload(const rules::Policy& policy, const Credential& c, Basis basis) {
    const bool written = basis == Basis::Written;
    if (c.ects) {
        return DerivedFact{Value::of_number(Type::Ects, *c.ects), written ? "stated" : "", false};
    }
    if (!c.hours) return DerivedFact{missing(Attr::CredentialWorkload), "", false};
    const rules::Conversion& conv = policy.conversion;
    if (!conv.declared || conv.hours_per_ects <= 0) {
        return DerivedFact{
            missing(Attr::CredentialWorkload),
            written ? fmt::format("{} hours stated; the policy converts no hours to ECTS",
                                  whole_or_fraction(*c.hours))
                    : "",
            false};
    }
    return DerivedFact{
        Value::of_number(Type::Ects, *c.hours / conv.hours_per_ects),
        written ? fmt::format("{} hours / {} hours per ECTS", whole_or_fraction(*c.hours),
                              whole_or_fraction(conv.hours_per_ects))
                : "",
        true};
}

std::optional<double> workload_ects(const rules::Policy& policy, const Credential& c) {
    if (c.ects) return *c.ects;
    const rules::Conversion& conv = policy.conversion;
    if (!c.hours || !conv.declared || conv.hours_per_ects <= 0) return std::nullopt;
    return *c.hours / conv.hours_per_ects;
}

DerivedFact credential_level(const rules::Policy& policy, const Credential& c, Basis basis) {
    const bool written = basis == Basis::Written;
    const bool own_country = !c.issuer_country || *c.issuer_country == policy.jurisdiction;
    // A level an officer's override set says so: "NQF 6 set by override o1: ...".
    auto source = [&](const char* fact) {
        auto it = c.set_by.find(fact);
        return it == c.set_by.end() ? std::string() : " (" + it->second + ")";
    };
    LevelChain chain{written, {}, {}, {}};
    if (c.nqf_level && own_country) {
        if (written) {
            std::string set = source("nqf_level");
            chain.path = set.empty() ? fmt::format("NQF {} as stated", *c.nqf_level)
                                     : fmt::format("NQF {}{}", *c.nqf_level, set);
        }
        return level_fact(*c.nqf_level, chain);
    }
    if (c.eqf_level) {
        chain.step("EQF {}{}", *c.eqf_level, written ? source("eqf_level") : std::string());
        return eqf_to_national(policy, *c.eqf_level, std::move(chain));
    }
    std::string failed;  // why a foreign NQF level could not be placed, if it could not
    if (c.nqf_level) {
        const std::string& country = *c.issuer_country;
        chain.step("{} NQF {}", country, *c.nqf_level);
        const auto* map = find_map(policy, rules::Framework::Nqf, country, rules::Framework::Eqf);
        if (map == nullptr) {
            if (written) {
                failed = fmt::format("{} cannot be placed: the policy has no table from the {} NQF",
                                     chain.path, country);
            }
        } else if (auto it = map->levels.find(*c.nqf_level); it == map->levels.end()) {
            if (written) failed = fmt::format("{} has no entry in table {}", chain.path, map->name);
        } else {
            chain.step(" -> EQF {}", it->second);
            chain.table(map->name);
            return eqf_to_national(policy, it->second, std::move(chain));
        }
    }
    if (c.cycle) {
        int eqf = cycle_to_eqf(*c.cycle);
        if (eqf != 0) {
            LevelChain cycle_chain{written, {}, {}, {}};
            cycle_chain.step("QF-EHEA {} cycle -> EQF {}", *c.cycle, eqf);
            return eqf_to_national(policy, eqf, std::move(cycle_chain));
        }
    }
    return no_level(failed);
}

Value attribute_value(Attr attr, const EvalContext& ctx) {
    const Application& app = ctx.application;
    const Programme& p = app.programme;
    if (is_credential_attribute(attr) && ctx.credential == nullptr) return missing(attr);
    switch (attr) {
        case Attr::ProgrammeId:
            return Value::of_text(Type::Text, p.id);
        case Attr::ProgrammeTitle:
            return text_or_missing(attr, p.title);
        case Attr::ProgrammeKind:
            return text_or_missing(attr, p.kind);
        case Attr::ProgrammeLevel:
            return level_or_missing(attr, p.level);
        case Attr::ProgrammeTotalEcts:
            return number_or_missing(attr, p.total_ects);
        case Attr::ProgrammeField:
            return text_or_missing(attr, p.field);
        case Attr::ProgrammeInstitution:
            return text_or_missing(attr, p.institution);
        case Attr::ProgrammeRegulated:
            return Value::of_bool(p.regulated);
        case Attr::ProgrammeProfession:
            return text_or_missing(attr, p.profession);
        case Attr::ProgrammeProvidesForRecognition:
            return bool_or_missing(attr, p.provides_for_recognition);
        case Attr::ProgrammeMcCap:
            return number_or_missing(attr, p.mc_cap);
        case Attr::ApplicationId:
            return Value::of_text(Type::Text, app.id);
        case Attr::ApplicationDate:
            return Value::of_number(Type::Date, app.date.days);
        case Attr::ApplicationJurisdiction:
            return text_or_missing(attr, app.jurisdiction);
        case Attr::ApplicationLearner:
            return Value::of_text(Type::Text, app.learner_id);
        default:
            break;
    }
    const Credential& c = *ctx.credential;
    switch (attr) {
        case Attr::CredentialLearner:
            return text_or_missing(attr, c.learner);
        case Attr::CredentialTitle:
            return text_or_missing(attr, c.title);
        case Attr::CredentialIssuerCountry:
            return text_or_missing(attr, c.issuer_country);
        case Attr::CredentialAwardingBody:
            return text_or_missing(attr, c.awarding_body);
        case Attr::CredentialIssued:
            return date_or_missing(attr, c.issued);
        case Attr::CredentialLearningOutcomes: {
            if (c.learning_outcomes.empty()) return missing(attr);
            Value set = Value::of_number(Type::Set, 0);
            for (const std::string& outcome : c.learning_outcomes) {
                set.items.push_back(Value::of_text(Type::Text, outcome));
            }
            return set;
        }
        case Attr::CredentialWorkload:
            return credential_workload(ctx.policy, c, Basis::Omitted).value;
        case Attr::CredentialLevel:
            return credential_level(ctx.policy, c, Basis::Omitted).value;
        case Attr::CredentialAssessment:
            return text_or_missing(attr, c.assessment);
        case Attr::CredentialParticipation:
            return text_or_missing(attr, c.participation);
        case Attr::CredentialQa:
            return text_or_missing(attr, c.qa);
        case Attr::CredentialId:
            return Value::of_text(Type::Text, c.id);
        case Attr::CredentialEcts:
            return number_or_missing(attr, c.ects);
        case Attr::CredentialHours:
            return number_or_missing(attr, c.hours);
        case Attr::CredentialNqfLevel:
            return level_or_missing(attr, c.nqf_level);
        case Attr::CredentialEqfLevel:
            return level_or_missing(attr, c.eqf_level);
        case Attr::CredentialCycle:
            return text_or_missing(attr, c.cycle);
        case Attr::CredentialKind:
            return text_or_missing(attr, c.kind);
        case Attr::CredentialField:
            return text_or_missing(attr, c.field);
        case Attr::CredentialExpires:
            return date_or_missing(attr, c.expires);
        case Attr::CredentialRevoked:
            return Value::of_bool(c.revoked);
        case Attr::CredentialAge:
            // The age is missing exactly when the issue date is; naming that element tells
            // the applicant what to supply.
            if (!c.issued) return missing(Attr::CredentialIssued);
            return Value::of_number(Type::Years, dsl::whole_years_between(*c.issued, app.date));
        case Attr::CredentialProviderType:
            return text_or_missing(attr, c.provider_type);
        case Attr::CredentialProgrammeAccredited:
            return bool_or_missing(attr, c.programme_accredited);
        case Attr::CredentialInstitutionAccredited:
            return bool_or_missing(attr, c.institution_accredited);
        case Attr::CredentialInRegistry:
            return bool_or_missing(attr, c.in_registry);
        default:
            break;
    }
    return missing(attr);
}

const std::string* stated_text(Attr attr, const EvalContext& ctx) {
    auto stated = [](const std::optional<std::string>& text) { return text ? &*text : nullptr; };
    const Application& app = ctx.application;
    const Programme& p = app.programme;
    switch (attr) {
        case Attr::ProgrammeId:
            return &p.id;
        case Attr::ProgrammeTitle:
            return stated(p.title);
        case Attr::ProgrammeKind:
            return stated(p.kind);
        case Attr::ProgrammeField:
            return stated(p.field);
        case Attr::ProgrammeInstitution:
            return stated(p.institution);
        case Attr::ProgrammeProfession:
            return stated(p.profession);
        case Attr::ApplicationId:
            return &app.id;
        case Attr::ApplicationJurisdiction:
            return stated(app.jurisdiction);
        case Attr::ApplicationLearner:
            return &app.learner_id;
        default:
            break;
    }
    if (ctx.credential == nullptr) return nullptr;
    const Credential& c = *ctx.credential;
    switch (attr) {
        case Attr::CredentialId:
            return &c.id;
        case Attr::CredentialLearner:
            return stated(c.learner);
        case Attr::CredentialTitle:
            return stated(c.title);
        case Attr::CredentialCycle:
            return stated(c.cycle);
        case Attr::CredentialQa:
            return stated(c.qa);
        case Attr::CredentialKind:
            return stated(c.kind);
        case Attr::CredentialField:
            return stated(c.field);
        case Attr::CredentialAssessment:
            return stated(c.assessment);
        case Attr::CredentialParticipation:
            return stated(c.participation);
        case Attr::CredentialProviderType:
            return stated(c.provider_type);
        case Attr::CredentialAwardingBody:
            return stated(c.awarding_body);
        case Attr::CredentialIssuerCountry:
            return stated(c.issuer_country);
        default:
            return nullptr;
    }
}

std::optional<double> stated_number(Attr attr, const EvalContext& ctx) {
    using Number = std::optional<double>;
    auto number = [](const auto& stated) -> Number {
        if (!stated) return std::nullopt;
        return static_cast<double>(*stated);
    };
    auto date = [](const std::optional<dsl::Date>& d) -> Number {
        if (!d) return std::nullopt;
        return d->days;
    };
    const Application& app = ctx.application;
    const Programme& p = app.programme;
    switch (attr) {
        case Attr::ProgrammeLevel:
            return number(p.level);
        case Attr::ProgrammeTotalEcts:
            return number(p.total_ects);
        case Attr::ProgrammeRegulated:
            return p.regulated ? 1 : 0;
        case Attr::ProgrammeProvidesForRecognition:
            return number(p.provides_for_recognition);
        case Attr::ProgrammeMcCap:
            return number(p.mc_cap);
        case Attr::ApplicationDate:
            return app.date.days;
        default:
            break;
    }
    if (!is_credential_attribute(attr) || ctx.credential == nullptr) return std::nullopt;
    const Credential& c = *ctx.credential;
    switch (attr) {
        case Attr::CredentialIssued:
            return date(c.issued);
        case Attr::CredentialExpires:
            return date(c.expires);
        case Attr::CredentialWorkload:
            return workload_ects(ctx.policy, c);
        case Attr::CredentialLevel:
            return level_number(ctx.policy, c);
        case Attr::CredentialEcts:
            return number(c.ects);
        case Attr::CredentialHours:
            return number(c.hours);
        case Attr::CredentialNqfLevel:
            return number(c.nqf_level);
        case Attr::CredentialEqfLevel:
            return number(c.eqf_level);
        case Attr::CredentialRevoked:
            return c.revoked ? 1 : 0;
        case Attr::CredentialAge:
            if (!c.issued) return std::nullopt;
            return dsl::whole_years_between(*c.issued, app.date);
        case Attr::CredentialProgrammeAccredited:
            return number(c.programme_accredited);
        case Attr::CredentialInstitutionAccredited:
            return number(c.institution_accredited);
        case Attr::CredentialInRegistry:
            return number(c.in_registry);
        default:
            return std::nullopt;
    }
}

bool attribute_stated(Attr attr, const EvalContext& ctx) {
    const Application& app = ctx.application;
    const Programme& p = app.programme;
    switch (attr) {
        case Attr::ProgrammeId:
        case Attr::ProgrammeRegulated:
        case Attr::ApplicationId:
        case Attr::ApplicationDate:
        case Attr::ApplicationLearner:
            return true;
        case Attr::ProgrammeTitle:
            return p.title.has_value();
        case Attr::ProgrammeKind:
            return p.kind.has_value();
        case Attr::ProgrammeLevel:
            return p.level.has_value();
        case Attr::ProgrammeTotalEcts:
            return p.total_ects.has_value();
        case Attr::ProgrammeField:
            return p.field.has_value();
        case Attr::ProgrammeInstitution:
            return p.institution.has_value();
        case Attr::ProgrammeProfession:
            return p.profession.has_value();
        case Attr::ProgrammeProvidesForRecognition:
            return p.provides_for_recognition.has_value();
        case Attr::ProgrammeMcCap:
            return p.mc_cap.has_value();
        case Attr::ApplicationJurisdiction:
            return app.jurisdiction.has_value();
        default:
            break;
    }
    if (!is_credential_attribute(attr) || ctx.credential == nullptr) return false;
    const Credential& c = *ctx.credential;
    switch (attr) {
        case Attr::CredentialId:
        case Attr::CredentialRevoked:
            return true;
        case Attr::CredentialLearner:
            return c.learner.has_value();
        case Attr::CredentialTitle:
            return c.title.has_value();
        case Attr::CredentialIssuerCountry:
            return c.issuer_country.has_value();
        case Attr::CredentialAwardingBody:
            return c.awarding_body.has_value();
        case Attr::CredentialIssued:
        case Attr::CredentialAge:
            return c.issued.has_value();
        case Attr::CredentialLearningOutcomes:
            return !c.learning_outcomes.empty();
        case Attr::CredentialWorkload:
            return workload_ects(ctx.policy, c).has_value();
        case Attr::CredentialLevel:
            return level_number(ctx.policy, c).has_value();
        case Attr::CredentialAssessment:
            return c.assessment.has_value();
        case Attr::CredentialParticipation:
            return c.participation.has_value();
        case Attr::CredentialQa:
            return c.qa.has_value();
        case Attr::CredentialEcts:
            return c.ects.has_value();
        case Attr::CredentialHours:
            return c.hours.has_value();
        case Attr::CredentialNqfLevel:
            return c.nqf_level.has_value();
        case Attr::CredentialEqfLevel:
            return c.eqf_level.has_value();
        case Attr::CredentialCycle:
            return c.cycle.has_value();
        case Attr::CredentialKind:
            return c.kind.has_value();
        case Attr::CredentialField:
            return c.field.has_value();
        case Attr::CredentialExpires:
            return c.expires.has_value();
        case Attr::CredentialProviderType:
            return c.provider_type.has_value();
        case Attr::CredentialProgrammeAccredited:
            return c.programme_accredited.has_value();
        case Attr::CredentialInstitutionAccredited:
            return c.institution_accredited.has_value();
        case Attr::CredentialInRegistry:
            return c.in_registry.has_value();
        default:
            return false;
    }
}

std::string attribute_basis(Attr attr, const EvalContext& ctx) {
    if (ctx.credential == nullptr) return "";
    const Credential& c = *ctx.credential;
    switch (attr) {
        case Attr::CredentialWorkload: {
            DerivedFact w = credential_workload(ctx.policy, c);
            return w.basis == "stated" ? "" : w.basis;
        }
        case Attr::CredentialLevel: {
            DerivedFact l = credential_level(ctx.policy, c);
            return l.basis.find("as stated") != std::string::npos ? "" : l.basis;
        }
        case Attr::CredentialAge:
            if (!c.issued) return "";
            return fmt::format("issued {}, applied {}", dsl::format_date(*c.issued),
                               dsl::format_date(ctx.application.date));
        default: {
            // A fact an officer's override set is named as such wherever it is quoted.
            std::string_view path = rules::info(attr).path;
            auto it = c.set_by.find(std::string(path.substr(path.find('.') + 1)));
            return it == c.set_by.end() ? "" : it->second;
        }
    }
}

}  // namespace mcre::engine
