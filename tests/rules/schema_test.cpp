#include "rules/schema.hpp"

#include <catch2/catch.hpp>

namespace mcre::rules {
namespace {

TEST_CASE("every attribute is found by its path and its enum", "[rules]") {
    int mandatory = 0;
    for (const AttrInfo& a : all_attributes()) {
        REQUIRE(find_attribute(a.path) == &a);
        CHECK(info(a.attr).path == a.path);  // the table is in enum order
        if (a.mandatory_element) ++mandatory;
    }
    // Council Recommendation 2022/C 243/02, Annex I: eleven mandatory elements.
    CHECK(mandatory == 11);
}

}  // namespace
}  // namespace mcre::rules
