// Every tests/golden/check/<case>.policy is checked and its rendered diagnostics compared
// with <case>.expected: the exact text a policy author sees.

#include <catch2/catch.hpp>

#include "dsl/diagnostic_render.hpp"
#include "rules/checker.hpp"
#include "tests/support/files.hpp"
#include "tests/support/golden.hpp"

namespace mcre {
namespace {

TEST_CASE("checker diagnostics match the golden files", "[golden][rules]") {
    auto cases = test::files_in(test::source_path("tests/golden/check"), ".policy");
    REQUIRE(cases.size() >= 10);
    for (const std::string& path : cases) {
        DYNAMIC_SECTION(path) {
            std::string name = path.substr(path.rfind('/') + 1);
            dsl::SourceFile source(name, test::read_text(path));
            rules::CheckResult result = rules::load_policy(source);
            CHECK_FALSE(result.diagnostics.empty());
            std::string expected_path = path.substr(0, path.size() - 7) + ".expected";
            test::GoldenResult golden =
                test::compare_golden(expected_path, dsl::render_all(result.diagnostics, source));
            INFO(golden.report);
            CHECK(golden.matches);
        }
    }
}

}  // namespace
}  // namespace mcre
