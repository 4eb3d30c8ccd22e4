// rules::PolicyLoader, which `mcre check` uses to check a parent once for every policy that
// extends it: each result must be what load_policy gives for the file alone.

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "dsl/diagnostic_render.hpp"
#include "rules/checker.hpp"
#include "tests/support/files.hpp"

namespace mcre::rules {
namespace {

std::vector<std::string> codes(const CheckResult& r) {
    std::vector<std::string> out;
    for (const dsl::Diagnostic& d : r.diagnostics) out.push_back(d.code + " " + d.message);
    return out;
}

// What a test can tell of two results: the same diagnostics, and the same policy, its
// chain and content hash included.
void check_same(const CheckResult& loaded, const CheckResult& alone) {
    CHECK(codes(loaded) == codes(alone));
    REQUIRE(loaded.policy.has_value() == alone.policy.has_value());
    if (!alone.policy) return;
    CHECK(loaded.policy->id == alone.policy->id);
    CHECK(loaded.policy->version == alone.policy->version);
    CHECK(loaded.policy->chain == alone.policy->chain);
    CHECK(loaded.policy->content_hash == alone.policy->content_hash);
    CHECK(loaded.policy->file == alone.policy->file);
    CHECK(loaded.policy->params.size() == alone.policy->params.size());
    CHECK(loaded.policy->tables.size() == alone.policy->tables.size());
    CHECK(loaded.policy->caps.size() == alone.policy->caps.size());
    CHECK(loaded.policy->exceptions.size() == alone.policy->exceptions.size());
    CHECK(loaded.policy->tests.size() == alone.policy->tests.size());
    CHECK(loaded.policy->stacks.size() == alone.policy->stacks.size());
    REQUIRE(loaded.policy->rules.size() == alone.policy->rules.size());
    for (std::size_t i = 0; i < alone.policy->rules.size(); ++i)
        CHECK(loaded.policy->rules[i].name == alone.policy->rules[i].name);
}

dsl::SourceFile source(const std::string& path) {
    return dsl::SourceFile(path, test::read_text(path));
}

TEST_CASE("PolicyLoader: the shipped policies, parent first or last, as each alone",
          "[rules][extends]") {
    std::vector<std::string> paths;
    for (const auto& entry : std::filesystem::directory_iterator(test::source_path("policies"))) {
        if (entry.path().extension() == ".policy") paths.push_back(entry.path().string());
    }
    std::sort(paths.begin(), paths.end());
    REQUIRE(paths.size() >= 5);
    for (const bool reversed : {false, true}) {
        if (reversed) std::reverse(paths.begin(), paths.end());
        PolicyLoader loader;
        for (const std::string& path : paths) {
            INFO(path);
            const PolicyLoader::Loaded& loaded = loader.load(source(path));
            check_same(loaded.result, load_policy(source(path)));
            // Asked again, the same result, not a second check.
            CHECK(&loader.load(source(path)) == &loaded);
        }
    }
}

TEST_CASE("PolicyLoader: without the hash, the same policies with no content hash",
          "[rules][extends]") {
    PolicyLoader loader(PolicyLoader::Options{false});
    const std::string path = test::source_path("policies/georgia.policy");
    const PolicyLoader::Loaded& loaded = loader.load(source(path));
    REQUIRE(loaded.result.policy);
    CHECK(loaded.result.policy->content_hash.empty());
    CHECK(codes(loaded.result) == codes(load_policy(source(path))));
}

// Files in a directory of their own, since the loader finds a parent beside the file.
struct Directory {
    std::filesystem::path path;
    explicit Directory(const std::string& name)
        : path(std::filesystem::temp_directory_path() / name) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~Directory() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name, const std::string& text) const {
        const std::filesystem::path file = path / name;
        std::ofstream(file) << text;
        return file.string();
    }
};

std::string policy(const std::string& id, const std::string& parent) {
    return "policy " + id + (parent.empty() ? "" : " extends " + parent) + " { title \"" + id +
           "\" jurisdiction GE version \"1\" in force from 2026-01-01 }\n";
}

TEST_CASE("PolicyLoader: a cycle and a chain too deep are reported as load_policy reports them",
          "[rules][extends]") {
    SECTION("a cycle, whichever file comes first") {
        const Directory dir("mcre-policy-loader-cycle");
        const std::string a = dir.write("a.policy", policy("a", "b"));
        const std::string b = dir.write("b.policy", policy("b", "a"));
        PolicyLoader loader;
        for (const std::string& path : {a, b, a}) {
            INFO(path);
            const CheckResult& loaded = loader.load(source(path)).result;
            CHECK_FALSE(loaded.policy);
            check_same(loaded, load_policy(source(path)));
            // The cycle is named, not blamed on the parent (which fails only in the cycle).
            REQUIRE(loaded.diagnostics.size() == 1);
            CHECK_THAT(loaded.diagnostics[0].message,
                       Catch::Matchers::Contains("extends itself through"));
        }
    }
    SECTION("a chain of 19 policies, its middle loaded first") {
        const Directory dir("mcre-policy-loader-deep");
        std::vector<std::string> paths;
        for (int i = 0; i < 19; ++i) {
            const std::string id = "p" + std::to_string(i);
            paths.push_back(
                dir.write(id + ".policy", policy(id, i == 0 ? "" : "p" + std::to_string(i - 1))));
        }
        PolicyLoader loader;
        for (const int i : {9, 15, 16, 17, 18, 3}) {
            INFO(paths[i]);
            check_same(loader.load(source(paths[i])).result, load_policy(source(paths[i])));
        }
        // The limit the message states: 16 policies in a chain load, 17 do not.
        CHECK(load_policy(source(paths[15])).policy);
        const CheckResult too_long = load_policy(source(paths[16]));
        REQUIRE_FALSE(too_long.policy);
        CHECK_THAT(too_long.diagnostics.back().message,
                   Catch::Matchers::Contains("longer than 16 policies"));
    }
}

}  // namespace
}  // namespace mcre::rules
