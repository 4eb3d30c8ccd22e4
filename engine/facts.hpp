#pragma once

// The facts a policy asks about, taken from an application: stated values as written,
// derived ones (workload in ECTS, level in the policy's national framework, age) computed
// with the policy's own conversion and level maps, and a plain statement of how.

#include <optional>
#include <string>

#include "engine/application.hpp"
#include "rules/model.hpp"
#include "rules/schema.hpp"
#include "rules/value.hpp"

namespace mcre::engine {

// What an expression is evaluated against. `credential` is null for checks about the
// programme or the application as a whole (a cap's condition, a cap's limit).
struct EvalContext {
    const rules::Policy& policy;
    const Application& application;
    const Credential* credential = nullptr;
    bool explain = true;  // false: reasons carry codes and outcomes, no words (EvaluateOptions)
};

// A derived fact and how it was obtained ("stated", "150 hours / 25 hours per ECTS").
struct DerivedFact {
    rules::Value value;
    std::string basis;
    bool converted = false;  // the workload came from hours, so credit is rounded
};

// Whether a derivation also writes its basis. Without it only the value is computed: the
// evaluator reads derived facts once per rule, and words are only wanted in explanations.
enum class Basis { Written, Omitted };

// Stated ECTS win; otherwise hours over the policy's hours_per_ects, exact and unrounded.
[[nodiscard]] DerivedFact credential_workload(const rules::Policy& policy,
                                              const Credential& credential,
                                              Basis basis = Basis::Written);

// The same workload's ECTS alone, without its Value or words: empty exactly when it is
// missing. A lean decision reads it for every credential.
[[nodiscard]] std::optional<double> workload_ects(const rules::Policy& policy,
                                                  const Credential& credential);

// The level in the national framework of the policy's jurisdiction (docs/officer-guide.md):
// a stated own-country NQF level, else the EQF level mapped, else a foreign NQF level mapped
// through EQF, else the QF-EHEA cycle mapped through EQF.
[[nodiscard]] DerivedFact credential_level(const rules::Policy& policy,
                                           const Credential& credential,
                                           Basis basis = Basis::Written);

// The value of one fact; Value::missing_element naming the element when it is not stated.
[[nodiscard]] rules::Value attribute_value(rules::Attr attr, const EvalContext& context);

// The stated text of a text or code attribute (credential.qa, programme.kind, ...), read in
// place; nullptr exactly when the attribute is missing. Comparisons and presence tests read
// it without copying the text into a Value.
[[nodiscard]] const std::string* stated_text(rules::Attr attr, const EvalContext& context);

// The value of a fact that is a number, date, level or truth value (dates as days, truths as
// 0 or 1), read without building a Value; empty when it is missing or not of such a type.
// Equal to attribute_value(...).number wherever that is not missing.
[[nodiscard]] std::optional<double> stated_number(rules::Attr attr, const EvalContext& context);
// Whether the fact is stated (or derived): exactly when attribute_value(...) is not missing,
// told without building the value. Presence tests ask it of every credential.
[[nodiscard]] bool attribute_stated(rules::Attr attr, const EvalContext& context);
// How a derived fact was obtained, for explanations; "" for facts taken as stated.
[[nodiscard]] std::string attribute_basis(rules::Attr attr, const EvalContext& context);

// Whether the fact is about the credential (and so needs one to be evaluated).
[[nodiscard]] inline bool is_credential_attribute(rules::Attr attr) {
    return static_cast<int>(attr) < static_cast<int>(rules::Attr::ProgrammeId);
}

}  // namespace mcre::engine
