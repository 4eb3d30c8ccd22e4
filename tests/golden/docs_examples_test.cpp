// Every ```mcre block in the docs is a complete policy that `mcre check` accepts, and the
// tests it writes pass, so the documentation cannot drift from the language.

#include <catch2/catch.hpp>
#include <sstream>

#include "dsl/diagnostic_render.hpp"
#include "engine/policy_test_report.hpp"
#include "engine/policy_tests.hpp"
#include "rules/checker.hpp"
#include "tests/support/files.hpp"

namespace mcre {
namespace {

std::vector<std::pair<int, std::string>> mcre_blocks(const std::string& markdown) {
    std::vector<std::pair<int, std::string>> blocks;
    std::istringstream in(markdown);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.rfind("```mcre", 0) != 0) continue;
        int start = number;
        std::string block;
        while (std::getline(in, line)) {
            ++number;
            if (line.rfind("```", 0) == 0) break;
            block += line + "\n";
        }
        blocks.emplace_back(start, block);
    }
    return blocks;
}

TEST_CASE("policy examples in the docs pass the checker", "[golden][docs]") {
    for (const char* doc : {"docs/language.md"}) {
        auto blocks = mcre_blocks(test::read_text(test::source_path(doc)));
        REQUIRE(blocks.size() >= 5);
        for (const auto& [line, text] : blocks) {
            DYNAMIC_SECTION(doc << ":" << line) {
                dsl::SourceFile source(std::string(doc) + ":" + std::to_string(line), text);
                // Examples that extend a shipped policy find it in policies/.
                rules::CheckResult result = rules::load_policy(
                    source, rules::sibling_finder(test::source_path("policies/any.policy")));
                INFO(dsl::render_all(result.diagnostics, source));
                REQUIRE(result.policy.has_value());
                // The tests an example writes pass; their files are found as from a
                // policy in policies/ (inherited tests belong to the shipped policies).
                engine::TestRunOptions options;
                options.directory = test::source_path("policies");
                for (const rules::PolicyTest& t : result.policy->tests) {
                    if (t.origin != result.policy->id) continue;
                    engine::TestResult run = engine::run_policy_test(*result.policy, t, options);
                    INFO(engine::render_test_results({run}));
                    CHECK(run.passed());
                }
            }
        }
    }
}

}  // namespace
}  // namespace mcre
