#pragma once

// Checks on the bytes of a policy file before it is parsed (docs/robustness.md, "Limits"):
// dsl::parse refuses a file over the size limit (E1004) or with a byte that is not UTF-8
// (E1003), and the engine uses the same UTF-8 check for applications (E4054).

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace mcre::dsl {

// The largest policy file mcre reads (E1004). The largest shipped policy is 43 KB; a file a
// hundred times larger is not a policy someone wrote.
inline constexpr std::size_t max_policy_bytes = std::size_t{4} * 1024 * 1024;

// The offset of the first byte that is not part of valid UTF-8 (a stray continuation byte,
// a truncated or overlong sequence, a surrogate, a code point above U+10FFFF), or npos.
[[nodiscard]] std::size_t invalid_utf8_at(std::string_view text);

// The bytes of a policy file, at most max_policy_bytes + 1 of them: enough for parse to
// refuse a file over the limit without holding all of it.
[[nodiscard]] std::string read_policy_text(std::istream& in);

// The same bytes of the file at `path`, read without a stream; nullopt (errno set) when it
// cannot be opened.
[[nodiscard]] std::optional<std::string> read_policy_file(const std::string& path);

}  // namespace mcre::dsl
