#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "dsl/source.hpp"
#include "rules/checker.hpp"
#include "rules/model.hpp"

namespace mcre::cli {

// Reads a whole file; nullopt (and a message on `err`) when it cannot be read.
[[nodiscard]] std::optional<dsl::SourceFile> read_source(const std::string& path,
                                                         std::ostream& err);

// Parses and checks a policy file, printing its diagnostics (warnings too) to `err`.
[[nodiscard]] std::optional<rules::Policy> load_policy_file(const std::string& path,
                                                            std::ostream& err);

// The same through `loader`, which checks a policy that others extend once: what `mcre
// check` runs. Null when the file cannot be read or has errors; the policy lives as long
// as the loader.
[[nodiscard]] const rules::Policy* check_policy_file(const std::string& path,
                                                     rules::PolicyLoader& loader,
                                                     std::ostream& err);

}  // namespace mcre::cli
