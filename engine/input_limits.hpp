#pragma once

// Limits on an application document (docs/robustness.md, "Limits"), checked before the
// document is built in memory, so that a hostile or broken input costs at most what the
// limits allow. Each limit has its own diagnostic naming it and the option that raises it.

#include <cstddef>
#include <string_view>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"

namespace mcre::engine {

struct InputLimits {
    // Bytes of one application document (a file for `evaluate`, one line for `batch`,
    // a request body for `serve`, which calls it --max-body). E4050.
    std::size_t max_bytes = 8 * 1024 * 1024;
    // Credentials in one application. E4051.
    std::size_t max_credentials = 1000;
    // Mappings and lists inside one another; a real application needs 4. E4052.
    std::size_t max_depth = 32;
    // Values in the document (every mapping, list, key and scalar), counting each use of a
    // YAML alias (*name) as a copy of what it names: a "billion laughs" document stops here.
    // E4053.
    std::size_t max_nodes = 500000;
};

// The largest amount (ECTS, hours, a cap) an application may state: larger ones are input
// errors (E4005). The JSON reader and the YAML reader both refuse them.
inline constexpr double k_max_number = 1e9;

// The largest value --max-depth accepts: yaml-cpp refuses 2000 levels on its own.
inline constexpr std::size_t k_max_depth_ceiling = 1000;

// Whether the document fits: its size, then one pass over its parse events (no document is
// built) for depth, nodes and credentials, and its bytes for valid UTF-8 (E4054). Nothing
// when it fits, or when it is not valid YAML at all (loading reports that, E4001).
[[nodiscard]] std::vector<dsl::Diagnostic> check_limits(const dsl::SourceFile& source,
                                                        const InputLimits& limits);

// The same for text already known to be strict JSON (a `batch` line, a `serve` body), by a
// byte scan that is much cheaper than a parse.
[[nodiscard]] std::vector<dsl::Diagnostic> check_json_limits(const dsl::SourceFile& source,
                                                             const InputLimits& limits);

// E4050 for a document of `size` bytes, reported before it is read. `option` is the flag
// that raises the limit (--max-input-bytes, --max-line-bytes).
[[nodiscard]] dsl::Diagnostic too_large(std::size_t size, std::size_t limit, std::string_view what,
                                        std::string_view option);

// The first byte that is not part of valid UTF-8, or npos.
[[nodiscard]] std::size_t invalid_utf8_at(std::string_view text);

}  // namespace mcre::engine
