#include "engine/library.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/decision_json.hpp"
#include "engine/decision_text.hpp"
#include "tests/support/files.hpp"

namespace mcre {
namespace {

namespace fs = std::filesystem;
using test::read_text;
using test::source_path;

const std::string k_gtu = "examples/gtu-network-admin.yaml";

// A directory of its own per run, so parallel ctest runs never share files.
class TempDir {
  public:
    TempDir() {
        std::random_device random;
        path_ = fs::temp_directory_path() / ("mcre-library-test-" + std::to_string(random()));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

Policies shipped_policies() {
    PoliciesLoad loaded = Policies::load({source_path("policies")});
    REQUIRE(loaded.problems.empty());
    return std::move(loaded.policies);
}

TEST_CASE("a rejected policy file is reported and the others load") {
    TempDir dir;
    fs::copy_file(source_path("policies/georgia.policy"), dir.path() / "georgia.policy");
    fs::copy_file(source_path("policies/eu-baseline.policy"), dir.path() / "eu-baseline.policy");
    fs::copy_file(source_path("tests/cli/unknown-parameter.policy"),
                  dir.path() / "unknown-parameter.policy");
    fs::copy_file(source_path(k_gtu), dir.path() / "not-a-policy.yaml");

    PoliciesLoad loaded = Policies::load({dir.path().string()});
    REQUIRE(loaded.problems.size() == 1);
    CHECK(loaded.problems[0].file == (dir.path() / "unknown-parameter.policy").string());
    CHECK_THAT(loaded.problems[0].rendered,
               Catch::Contains("error: unknown parameter 'mc_max_ect' [E2104]"));
    CHECK(loaded.policies.ids() == std::vector<std::string>{"eu_baseline", "georgia"});
    REQUIRE(loaded.policies.find("georgia") != nullptr);
    CHECK(loaded.policies.find("georgia")->jurisdiction == "GE");
    CHECK(loaded.policies.find("armenia") == nullptr);
}

TEST_CASE("an unreadable policy file is a problem, not an exception") {
    PoliciesLoad loaded = Policies::load({"/nonexistent/mcre.policy"});
    REQUIRE(loaded.problems.size() == 1);
    CHECK_THAT(loaded.problems[0].rendered,
               Catch::Contains("cannot read /nonexistent/mcre.policy"));
    CHECK(loaded.policies.empty());
}

TEST_CASE("without an id the policy of the application's jurisdiction is chosen") {
    const Policies policies = shipped_policies();

    EvaluationResult georgia = evaluate_file(policies, source_path(k_gtu));
    REQUIRE(georgia.errors.empty());
    REQUIRE(georgia.decision);
    REQUIRE(georgia.policy != nullptr);
    CHECK(georgia.policy->id == "georgia");
    CHECK(georgia.decision->policy_id == "georgia");
    CHECK(georgia.decision->total_recognized == 20);
    CHECK(georgia.warnings.empty());

    EvaluationResult armenia =
        evaluate_file(policies, source_path("examples/armenia-ysu-informatics.yaml"));
    REQUIRE(armenia.decision);
    CHECK(armenia.policy->id == "armenia");
}

TEST_CASE("without an id the version in force on the application date is chosen") {
    // Stage 1 ends where stage 2 begins.
    const std::string georgia = read_text(source_path("policies/georgia.policy"));
    std::string stage1 = replaced(georgia, "policy georgia ", "policy georgia_s1 ");
    stage1 =
        replaced(stage1, "in force from 2026-09-01", "in force from 2026-09-01 until 2027-08-31");
    std::string stage2 = replaced(georgia, "policy georgia ", "policy georgia_s2 ");
    stage2 = replaced(stage2, "in force from 2026-09-01", "in force from 2027-09-01");
    Policies policies;
    REQUIRE_FALSE(policies.add_text(source_path("policies/georgia-s1.policy"), stage1));
    REQUIRE_FALSE(policies.add_text(source_path("policies/georgia-s2.policy"), stage2));

    const std::string application = read_text(source_path(k_gtu));
    CHECK(evaluate(policies, application, k_gtu).policy->id == "georgia_s1");

    EvaluationResult later =
        evaluate(policies, replaced(application, "date: 2026-10-15", "date: 2027-10-15"), k_gtu);
    REQUIRE(later.decision);
    CHECK(later.policy->id == "georgia_s2");

    EvaluationResult early =
        evaluate(policies, replaced(application, "date: 2026-10-15", "date: 2026-01-15"), k_gtu);
    CHECK_FALSE(early.decision);
    CHECK(early.policy == nullptr);
    CHECK_THAT(early.errors, Catch::Contains("no policy for GE is in force on 2026-01-15"));
    CHECK_THAT(early.errors, Catch::Contains("georgia_s1 version 2026.1-S1 ("));
    CHECK_THAT(early.errors, Catch::Contains("not yet in force on 2026-01-15"));
}

TEST_CASE("two versions in force on the same day are reported, never silently chosen") {
    Policies policies = shipped_policies();
    std::string stage2 = replaced(read_text(source_path("policies/georgia.policy")),
                                  "policy georgia ", "policy georgia_s2 ");
    stage2 = replaced(stage2, "in force from 2026-09-01", "in force from 2027-09-01");
    REQUIRE_FALSE(policies.add_text(source_path("policies/georgia-s2.policy"), stage2));

    const std::string application = read_text(source_path(k_gtu));
    CHECK(evaluate(policies, application, k_gtu).policy->id == "georgia");
    EvaluationResult both =
        evaluate(policies, replaced(application, "date: 2026-10-15", "date: 2027-10-15"), k_gtu);
    CHECK_FALSE(both.decision);
    CHECK(both.policy == nullptr);
    CHECK_THAT(both.errors, Catch::Contains("2 policies for GE are in force on 2027-10-15"));
    CHECK_THAT(both.errors, Catch::Contains("georgia version 2026.1-S1 ("));
    CHECK_THAT(both.errors, Catch::Contains("georgia_s2 version 2026.1-S1 ("));
    CHECK_THAT(both.errors, Catch::Contains("hint: name one by its id"));
}

TEST_CASE("an id chooses the policy, with a warning when it does not fit the application") {
    const Policies policies = shipped_policies();
    EvaluationResult result = evaluate_file(policies, source_path(k_gtu), "eu_baseline");
    REQUIRE(result.decision);
    CHECK(result.policy->id == "eu_baseline");
    CHECK(result.decision->policy_id == "eu_baseline");
    REQUIRE(result.warnings.size() == 1);
    CHECK(result.warnings[0] == "the application is for GE but policy eu_baseline is for EU");
}

TEST_CASE("an unknown id is an error that names the loaded policies") {
    const Policies policies = shipped_policies();
    EvaluationResult result = evaluate_file(policies, source_path(k_gtu), "georgie");
    CHECK_FALSE(result.decision);
    CHECK(result.policy == nullptr);
    CHECK_THAT(result.errors, Catch::Contains("unknown policy 'georgie'"));
    CHECK_THAT(result.errors, Catch::Contains("georgia"));
}

TEST_CASE("a bad application gives rendered diagnostics and no decision") {
    const Policies policies = shipped_policies();
    const std::string path = source_path("tests/cli/bad-application.yaml");
    EvaluationResult result = evaluate_file(policies, path, "georgia");
    CHECK_FALSE(result.decision);
    CHECK(result.policy == nullptr);
    CHECK_THAT(result.errors, Catch::Contains(path + ":2:7: error:"));
    CHECK_THAT(result.errors, Catch::Contains("[E4"));

    EvaluationResult missing = evaluate_file(policies, "/nonexistent/application.yaml");
    CHECK_FALSE(missing.decision);
    CHECK_THAT(missing.errors, Catch::Contains("cannot read /nonexistent/application.yaml"));
}

TEST_CASE("an application without a jurisdiction needs an id") {
    const Policies policies = shipped_policies();
    const std::string application =
        replaced(read_text(source_path(k_gtu)), "jurisdiction: GE\n", "");
    EvaluationResult result = evaluate(policies, application, "no-jurisdiction.yaml");
    CHECK_FALSE(result.decision);
    CHECK_THAT(result.errors, Catch::Contains("states no jurisdiction"));
    CHECK(evaluate(policies, application, "no-jurisdiction.yaml", "georgia").decision);
}

TEST_CASE("a policy in memory that fails the checker is reported and not added") {
    Policies policies;
    auto problem = policies.add_text("bad.policy", "policy broken {");
    REQUIRE(problem);
    CHECK(problem->file == "bad.policy");
    CHECK_THAT(problem->rendered, Catch::Contains("bad.policy:1:"));
    CHECK(policies.empty());
}

TEST_CASE("the renderings are the engine's") {
    const Policies policies = shipped_policies();
    EvaluationResult result = evaluate_file(policies, source_path(k_gtu));
    REQUIRE(result.decision);
    CHECK(to_text(*result.decision) == engine::render_text(*result.decision));
    CHECK(to_json(*result.decision) == engine::render_json(*result.decision));
}

// Not a proof (that takes a race detector), but the documented way of sharing is exercised.
TEST_CASE("one const Policies serves several threads at once") {
    const Policies policies = shipped_policies();
    const std::string application = read_text(source_path(k_gtu));
    const std::string expected = to_json(*evaluate(policies, application, k_gtu).decision);

    std::vector<std::string> outputs(4);
    std::vector<std::thread> threads;
    for (std::string& output : outputs) {
        threads.emplace_back([&] {
            for (int i = 0; i < 10; ++i) {
                EvaluationResult result = evaluate(policies, application, k_gtu);
                output = result.decision ? to_json(*result.decision) : result.errors;
                if (output != expected) return;
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    for (const std::string& output : outputs) CHECK(output == expected);
}

}  // namespace
}  // namespace mcre
