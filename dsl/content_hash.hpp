#pragma once

#include <string>
#include <string_view>

namespace mcre::dsl {

// SHA-256 of the bytes, as 64 lower-case hex digits. Decisions carry the hash of the
// policy text that produced them so an auditor can prove which text decided.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

}  // namespace mcre::dsl
