// Decisions for every shipped example, in text and JSON, compared with golden files.
// tests/golden/decisions/cases.txt lists: name policy-path application-path.

#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>
#include <sstream>

#include "engine/application_load.hpp"
#include "engine/decision_json.hpp"
#include "engine/decision_text.hpp"
#include "engine/evaluator.hpp"
#include "rules/checker.hpp"
#include "rules/inheritance.hpp"
#include "tests/support/files.hpp"
#include "tests/support/golden.hpp"

namespace mcre {
namespace {

struct Case {
    std::string name;
    std::string policy;
    std::string application;
};

// The policy a case's policy extends is found beside it in the source tree, whatever the
// working directory, and named by its relative path like the policy itself.
rules::PolicyFinder relative_finder(const std::string& relative) {
    std::string dir = std::filesystem::path(relative).parent_path().string();
    rules::PolicyFinder beside = rules::sibling_finder(test::source_path(relative));
    return [dir, beside](const std::string& id) -> std::optional<dsl::SourceFile> {
        auto found = beside(id);
        if (!found) return found;
        std::string name = std::filesystem::path(found->name()).filename().string();
        return dsl::SourceFile(dir + "/" + name, found->text());
    };
}

std::vector<Case> read_cases() {
    std::vector<Case> cases;
    std::istringstream in(test::read_text(test::source_path("tests/golden/decisions/cases.txt")));
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        Case c;
        fields >> c.name >> c.policy >> c.application;
        cases.push_back(c);
    }
    return cases;
}

TEST_CASE("decisions for the shipped examples match the golden files", "[golden][engine]") {
    auto cases = read_cases();
    REQUIRE(cases.size() >= 5);
    for (const Case& c : cases) {
        DYNAMIC_SECTION(c.name) {
            // Relative names, so the golden text does not depend on the checkout's path.
            dsl::SourceFile policy_source(c.policy, test::read_text(test::source_path(c.policy)));
            rules::CheckResult checked =
                rules::load_policy(policy_source, relative_finder(c.policy));
            REQUIRE(checked.policy);
            dsl::SourceFile app_source(c.application,
                                       test::read_text(test::source_path(c.application)));
            engine::LoadResult loaded = engine::load_application(app_source);
            REQUIRE(loaded.application);

            engine::Decision decision = engine::evaluate(*checked.policy, *loaded.application);
            std::string dir = test::source_path("tests/golden/decisions/");
            auto text = test::compare_golden(dir + c.name + ".txt", engine::render_text(decision));
            INFO(text.report);
            CHECK(text.matches);
            auto json = test::compare_golden(dir + c.name + ".json", engine::render_json(decision));
            INFO(json.report);
            CHECK(json.matches);

            // Same input, same output, byte for byte.
            engine::Decision again = engine::evaluate(*checked.policy, *loaded.application);
            CHECK(engine::render_json(again) == engine::render_json(decision));
        }
    }
}

}  // namespace
}  // namespace mcre
