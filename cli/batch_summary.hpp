#pragma once

// The lean record of `mcre batch --format summary` (docs/integration-guide.md): what an
// admissions system stores per application, without the explanation. Written straight into
// a string, without a JSON document in between.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/decision.hpp"

namespace mcre::cli {

// {"line":N,"ok":true[,"request_id":ID],"id":APPLICATION,"recognized_ects":TOTAL,
//  "credentials":[{"id":ID,"status":STATUS,"reason_code":CODE|null,"recognized_ects":ECTS}]
//  [,"warnings":[...]]}
// Credentials in the decision's order (the application's); the reason code is the
// decision's primary code: the first failing check in policy order, or the cap that cut a
// credential. Compact, one line, no newline at the end.
[[nodiscard]] std::string summary_record(std::size_t line,
                                         const std::optional<std::string>& request_id,
                                         const engine::Decision& decision,
                                         const std::vector<std::string>& warnings);

}  // namespace mcre::cli
