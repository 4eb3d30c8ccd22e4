#pragma once

// The options that raise or lower the input limits (engine/input_limits.hpp), shared by
// `evaluate`, `batch` and `serve` so that a limit's diagnostic can name its option once.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "dsl/source.hpp"
#include "engine/input_limits.hpp"

namespace mcre::cli {

enum class LimitOption { NotOne, Taken, Bad };

// When args[i] is --max-input-bytes, --max-credentials, --max-depth or --max-nodes, reads
// its value into `limits` and moves `i` past it (Taken), or sets `problem` (Bad).
// --max-input-bytes only when `input_bytes` is true (batch limits lines instead).
[[nodiscard]] LimitOption take_limit_option(const std::vector<std::string>& args, std::size_t& i,
                                            engine::InputLimits& limits, bool input_bytes,
                                            std::string& problem);

// A whole number from 1 to `max`, digits only.
[[nodiscard]] std::optional<std::size_t> parse_limit(const std::string& text, std::size_t max);

// Reads an application file, refusing before reading one larger than `max_bytes` (E4050,
// rendered to `err` with the file's name). Nullopt after reporting.
[[nodiscard]] std::optional<dsl::SourceFile> read_limited(const std::string& path,
                                                          std::size_t max_bytes, std::ostream& err);

}  // namespace mcre::cli
