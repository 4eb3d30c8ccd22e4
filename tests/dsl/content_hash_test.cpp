#include "dsl/content_hash.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace mcre::dsl {
namespace {

// Test vectors from FIPS 180-4 examples.
TEST_CASE("sha256 matches the published test vectors", "[dsl]") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256_hex(std::string(1000000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Every length from 0 to 1,199 bytes crosses each padding case (the length fits in the last
// block or needs one more) and several full blocks; the digest of the longest is Python's
// hashlib.sha256(bytes((n * 131 + 7) & 0xff for n in range(1200))). sha256_hex uses the
// processor's SHA extensions where it has them, so both paths are held to the same answers.
TEST_CASE("sha256 with and without the SHA extensions agree at every length", "[dsl]") {
    std::string bytes;
    for (int n = 0; n < 1200; ++n) {
        INFO("length " << n);
        REQUIRE(sha256_hex(bytes) == detail::sha256_hex_portable(bytes));
        bytes.push_back(static_cast<char>((n * 131 + 7) & 0xff));
    }
    CHECK(sha256_hex(bytes) == "1b82c0a533898f803917a8b54b22955f8d9a5b812c7cb7801fcafdd465f9380e");
    CHECK(detail::sha256_hex_portable(bytes) ==
          "1b82c0a533898f803917a8b54b22955f8d9a5b812c7cb7801fcafdd465f9380e");
}

}  // namespace
}  // namespace mcre::dsl
