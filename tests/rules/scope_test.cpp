#include "rules/scope.hpp"

#include <catch2/catch.hpp>

namespace mcre::rules {
namespace {

TEST_CASE("did-you-mean picks the closest plausible name", "[rules]") {
    std::vector<std::string> names = {"mc_max_ects", "mc_min_ects", "recency"};
    CHECK(closest("mc_max_ect", names) == "mc_max_ects");
    CHECK(closest("recensy", names) == "recency");
    CHECK_FALSE(closest("pilot_institutions", names).has_value());
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("issued", "isseud") == 1);  // a transposition is one edit
}

}  // namespace
}  // namespace mcre::rules
