#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mcre::cli {

// Exit codes: what scripts and admissions systems branch on.
inline constexpr int exit_ok = 0;
inline constexpr int exit_rejected = 1;  // a policy or an application was rejected
inline constexpr int exit_usage = 2;     // the command line was wrong
inline constexpr int exit_internal = 70;

// Runs `mcre ARGS...` (args exclude the program name).
[[nodiscard]] int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace mcre::cli
