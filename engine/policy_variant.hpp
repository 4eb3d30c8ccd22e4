#pragma once

// A policy with some of its numbers changed on the command line (`--set bachelor_cap=90`,
// `--set cap.bachelor_combined=90`), for policymakers trying a value before writing a
// draft. A parameter is changed the way a draft would change it, by a policy that extends
// the one given and overrides the parameter, so the new value is checked like any policy
// text: its type, its unit, the sanity of its range.

#include <optional>
#include <string>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

struct Setting {
    std::string name;   // "bachelor_cap", or "cap.NAME" for a cap's limit
    std::string value;  // as written: "90", "90 ects", "{6, 7}"
};

// "NAME=VALUE"; nullopt when there is no '=' or either side is empty.
[[nodiscard]] std::optional<Setting> parse_setting(const std::string& text);

struct PolicyVariant {
    std::optional<rules::Policy> policy;       // present when every setting was accepted
    std::vector<dsl::Diagnostic> diagnostics;  // against `source`
    dsl::SourceFile source;                    // the draft text the settings became
};

// `base_file` is where `base` was read from (its own `extends` are found beside it).
// A bare number for a parameter with a unit gets the unit ("90" -> "90 ects").
[[nodiscard]] PolicyVariant policy_with_settings(const rules::Policy& base,
                                                 const dsl::SourceFile& base_source,
                                                 const std::vector<Setting>& settings);

// "bachelor_cap=90, cap.bachelor_combined=90": how a variant is named in reports.
[[nodiscard]] std::string settings_label(const std::vector<Setting>& settings);

}  // namespace mcre::engine
