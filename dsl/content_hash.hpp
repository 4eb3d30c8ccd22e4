#pragma once

#include <string>
#include <string_view>

namespace mcre::dsl {

// SHA-256 of the bytes, as 64 lower-case hex digits. Decisions carry the hash of the
// policy text that produced them so an auditor can prove which text decided.
// Uses the processor's SHA extensions where it has them.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

namespace detail {
// The same digest without the SHA extensions, whatever the processor (for the tests).
[[nodiscard]] std::string sha256_hex_portable(std::string_view bytes);
}  // namespace detail

}  // namespace mcre::dsl
