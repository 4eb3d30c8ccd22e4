// Decisions for every shipped example, in text and JSON, and the applicant's statement in
// Markdown and HTML, compared with golden files.
// tests/golden/decisions/cases.txt lists: name policy-path application-path.

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "engine/application_load.hpp"
#include "engine/decision_json.hpp"
#include "engine/decision_text.hpp"
#include "engine/evaluator.hpp"
#include "engine/statement.hpp"
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

// The annex of the HTML statement records every reason and passed check of the JSON
// decision, in the section of its credential: rule, code, facts, clause and citation.
void check_annex_lists_json(const std::string& html, const std::string& json_text) {
    auto json = nlohmann::json::parse(json_text);
    const std::size_t annex = html.find("<div class=\"annex\">");
    REQUIRE(annex != std::string::npos);
    for (const auto& cd : json["credentials"]) {
        const std::string id = cd["id"].get<std::string>();
        const std::size_t begin = html.find("<section id=\"annex-" + id + "\">", annex);
        REQUIRE(begin != std::string::npos);
        const std::string section = html.substr(begin, html.find("</section>", begin) - begin);
        for (const char* list : {"reasons", "passed"}) {
            for (const auto& r : cd[list]) {
                for (const char* key : {"rule", "code", "facts", "cite", "location"}) {
                    if (!r.contains(key) || !r[key].is_string()) continue;
                    const std::string value = r[key].get<std::string>();
                    if (value.empty()) continue;
                    INFO("credential " << id << " " << list << " " << key << ": " << value);
                    CHECK(section.find(engine::escape_html(value)) != std::string::npos);
                }
                if (r.contains("exception")) {
                    const std::string replaced = r["exception"]["instead_of"].get<std::string>();
                    INFO("credential " << id << " exception instead of " << replaced);
                    CHECK(section.find("<td>" + engine::escape_html(replaced) + "</td>") !=
                          std::string::npos);
                }
            }
        }
    }
    for (const auto& e : json["cap_ledger"]) {
        CHECK(html.find("<td>" + engine::escape_html(e["cap"].get<std::string>()) + "</td>",
                        annex) != std::string::npos);
    }
    for (const char* key : {"id", "version", "sha256"}) {
        CHECK(html.find(engine::escape_html(json["policy"][key].get<std::string>()), annex) !=
              std::string::npos);
    }
    CHECK(html.find(json["application"]["id"].get<std::string>(), annex) != std::string::npos);
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
            engine::LoadOptions options;  // `elm:` documents beside the application
            options.credential_directory =
                std::filesystem::path(test::source_path(c.application)).parent_path().string();
            engine::LoadResult loaded = engine::load_application(app_source, options);
            REQUIRE(loaded.application);

            engine::Decision decision = engine::evaluate(*checked.policy, *loaded.application);
            std::string dir = test::source_path("tests/golden/decisions/");
            auto text = test::compare_golden(dir + c.name + ".txt", engine::render_text(decision));
            INFO(text.report);
            CHECK(text.matches);
            auto json = test::compare_golden(dir + c.name + ".json", engine::render_json(decision));
            INFO(json.report);
            CHECK(json.matches);
            engine::Statement statement = engine::build_statement(decision);
            auto md = test::compare_golden(dir + c.name + ".md",
                                           engine::render_statement_markdown(statement));
            INFO(md.report);
            CHECK(md.matches);
            auto html = test::compare_golden(dir + c.name + ".html",
                                             engine::render_statement_html(statement));
            INFO(html.report);
            CHECK(html.matches);
            check_annex_lists_json(engine::render_statement_html(statement),
                                   engine::render_json(decision));

            // Same input, same output, byte for byte.
            engine::Decision again = engine::evaluate(*checked.policy, *loaded.application);
            CHECK(engine::render_json(again) == engine::render_json(decision));
        }
    }
}

}  // namespace
}  // namespace mcre
