#include "dsl/source.hpp"

#include <catch2/catch.hpp>

namespace mcre::dsl {
namespace {

TEST_CASE("line and column of an offset", "[dsl]") {
    SourceFile f("x.policy", "ab\ncd\n");
    CHECK(f.location(0).line == 1);
    CHECK(f.location(0).column == 1);
    CHECK(f.location(4).line == 2);
    CHECK(f.location(4).column == 2);
    CHECK(f.line_text(2) == "cd");
}

TEST_CASE("columns count UTF-8 characters, not bytes", "[dsl]") {
    // "ქართ" is 4 Georgian letters, 12 bytes.
    SourceFile f("x.policy", "title \"ქართ\" x");
    std::uint32_t x_offset = static_cast<std::uint32_t>(f.text().find(" x") + 1);
    CHECK(f.location(x_offset).column == 14);
}

TEST_CASE("windows line endings are not shown in quoted lines", "[dsl]") {
    SourceFile f("x.policy", "policy a {\r\n}\r\n");
    CHECK(f.line_text(1) == "policy a {");
}

}  // namespace
}  // namespace mcre::dsl
