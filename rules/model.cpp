#include "rules/model.hpp"

#include <array>

#include "rules/policy_test.hpp"

namespace mcre::rules {

std::string Cap::reason_code() const { return code.empty() ? cap_code(name) : code; }

const char* outcome_name(Outcome outcome) {
    switch (outcome) {
        case Outcome::Reject:
            return "reject";
        case Outcome::Refer:
            return "refer";
        case Outcome::Warn:
            return "warn";
        case Outcome::Incomplete:
            return "incomplete";
        case Outcome::NotApplicable:
            return "not_applicable";
    }
    return "reject";
}

std::span<const std::string_view> settable_facts() {
    static constexpr std::array<std::string_view, 7> k_facts = {"qa",
                                                                "nqf_level",
                                                                "eqf_level",
                                                                "field",
                                                                "programme_accredited",
                                                                "institution_accredited",
                                                                "in_registry"};
    return k_facts;
}

const DatedValue* value_in_force(const Parameter& parameter, dsl::Date date) {
    for (const DatedValue& v : parameter.dated) {
        if (v.from && date < *v.from) continue;
        if (v.until && date > *v.until) continue;
        return &v;
    }
    return nullptr;
}

const Parameter* Policy::find_parameter(const std::string& name) const {
    for (const Parameter& p : params) {
        if (p.name == name) return &p;
    }
    return nullptr;
}

const Exception* Policy::find_exception(const std::string& name) const {
    for (const Exception& x : exceptions) {
        if (x.name == name) return &x;
    }
    return nullptr;
}

const Stack* Policy::find_stack(const std::string& name) const {
    for (const Stack& s : stacks) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

const Pathway* Policy::find_pathway(const std::string& name) const {
    for (const Pathway& p : pathways) {
        if (p.name == name) return &p;
    }
    return nullptr;
}

Op mirrored(Op op) {
    switch (op) {
        case Op::Lt:
            return Op::Gt;
        case Op::Le:
            return Op::Ge;
        case Op::Gt:
            return Op::Lt;
        case Op::Ge:
            return Op::Le;
        default:
            return op;
    }
}

}  // namespace mcre::rules
