#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "dsl/source.hpp"
#include "rules/model.hpp"

namespace mcre::cli {

// Reads a whole file; nullopt (and a message on `err`) when it cannot be read.
[[nodiscard]] std::optional<dsl::SourceFile> read_source(const std::string& path,
                                                         std::ostream& err);

// Parses and checks a policy file, printing its diagnostics (warnings too) to `err`.
[[nodiscard]] std::optional<rules::Policy> load_policy_file(const std::string& path,
                                                            std::ostream& err);

}  // namespace mcre::cli
