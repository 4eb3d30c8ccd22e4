// The semantic diff on small inline policies: each test changes one thing a drafter would
// change and checks the verdict and that the witness shows it.

#include "engine/policy_diff.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "dsl/diagnostic_render.hpp"
#include "dsl/source.hpp"
#include "engine/application_yaml.hpp"
#include "engine/policy_diff_render.hpp"
#include "rules/checker.hpp"

namespace mcre {
namespace {

using engine::DiffVerdict;
using engine::Direction;
using engine::PolicyDiff;

struct Settings {
    std::string max_ects = "30";
    std::string levels = "{6, 7}";
    std::string cap = "60";
    std::string extra;
};

// Replaces every `@key` in the template: the policies differ only where a test says.
std::string fill(std::string text, const std::string& key, const std::string& value) {
    for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at))
        text.replace(at, key.size(), value);
    return text;
}

rules::Policy make_policy(const Settings& s) {
    std::string text = R"policy(policy diff_test {
  title "Diff test"
  jurisdiction GE
  version "1"
  in force from 2026-09-01

  param mc_min_ects = 3 ects cite "White paper 5(d)"
  param mc_max_ects = @max ects cite "White paper 5(d)"
  param mc_levels = @levels cite "White paper 5(g)"

  rule workload for micro_credential
    require credential.workload between mc_min_ects and mc_max_ects
    else reject WORKLOAD "{mc_min_ects} to {mc_max_ects}; this one carries {credential.workload}"
    cite "White paper 5(d)"

  rule level for micro_credential
    require credential.level in mc_levels
    else reject LEVEL "levels {mc_levels}; this one is at {credential.level}"
    cite "White paper 5(g)"
@extra
  cap overall in bachelor at most @cap ects cite "White paper 5(m)"
}
)policy";
    text = fill(fill(fill(fill(text, "@max", s.max_ects), "@levels", s.levels), "@cap", s.cap),
                "@extra", s.extra);
    dsl::SourceFile source("diff_test.policy", text);
    rules::CheckResult checked = rules::load_policy(source);
    INFO(dsl::render_all(checked.diagnostics, source));
    REQUIRE(checked.policy);
    return *checked.policy;
}

const engine::DifferenceGroup* find_group(const PolicyDiff& diff, const std::string& old_code,
                                          const std::string& new_code) {
    for (const auto& g : diff.groups)
        if (g.old_code == old_code && g.new_code == new_code) return &g;
    return nullptr;
}

double witness_ects(const engine::DifferenceGroup& g) {
    for (const auto& c : g.application.credentials)
        if (c.id == g.credential_id) return c.ects.value_or(-1);
    return -1;
}

TEST_CASE("raising the maximum workload recognizes strictly more", "[diff]") {
    Settings old_settings;
    Settings new_settings;
    new_settings.max_ects = "40";
    PolicyDiff diff = engine::diff_policies(make_policy(old_settings), make_policy(new_settings));

    CHECK(diff.verdict == DiffVerdict::NewMore);
    CHECK(diff.less == 0);
    const auto* g = find_group(diff, "WORKLOAD", "");
    REQUIRE(g != nullptr);
    CHECK(g->direction == Direction::NewMore);
    double ects = witness_ects(*g);
    CHECK(ects > 30);
    CHECK(ects <= 40);
    CHECK(g->old_side.status == engine::Status::NotRecognized);
    CHECK(g->new_side.status == engine::Status::Recognized);
    CHECK(g->old_side.explanation.find("WORKLOAD") != std::string::npos);
    CHECK(g->new_side.explanation.find("WORKLOAD") == std::string::npos);
    for (const auto& group : diff.groups) CHECK(group.new_code != "WORKLOAD");

    std::string text = engine::render_diff_text(diff, 10);
    CHECK(text.find("NEW recognizes strictly more than OLD") != std::string::npos);
    CHECK(text.find("OLD WORKLOAD -> NEW recognized") != std::string::npos);
}

TEST_CASE("lowering a cap recognizes strictly less, with a witness at the cap", "[diff]") {
    Settings new_settings;
    new_settings.cap = "50";
    PolicyDiff diff = engine::diff_policies(make_policy(Settings{}), make_policy(new_settings));

    CHECK(diff.verdict == DiffVerdict::NewLess);
    CHECK(diff.more == 0);
    const auto* g = find_group(diff, "", "CAP_OVERALL");
    REQUIRE(g != nullptr);
    CHECK(g->direction == Direction::NewLess);
    CHECK(g->new_side.recognized_ects < g->old_side.recognized_ects);
    // The witness fills the new cap: what earlier decisions and the credentials before it
    // used, plus what NEW still recognized, is exactly the 50 ECTS.
    double prior = 0;
    for (const auto& [kind, ects] : g->application.prior_recognized) prior += ects;
    double before = 0;
    for (const auto& c : g->application.credentials) {
        if (c.id == g->credential_id) break;
        before += c.ects.value_or(0);
    }
    CHECK(prior + before + g->new_side.recognized_ects == Approx(50));
    CHECK(prior + before + witness_ects(*g) > 50);
    CHECK(g->variation.find("cap 50 ECTS") != std::string::npos);
}

TEST_CASE("identical policies show no difference", "[diff]") {
    PolicyDiff diff = engine::diff_policies(make_policy(Settings{}), make_policy(Settings{}));
    CHECK(diff.verdict == DiffVerdict::NoDifference);
    CHECK(diff.groups.empty());
    CHECK(diff.candidates > 20);
    CHECK(engine::render_diff_text(diff, 10).find("evidence, not proof") != std::string::npos);
}

TEST_CASE("a change in both directions differs both ways, with a witness each", "[diff]") {
    Settings new_settings;
    new_settings.max_ects = "40";
    new_settings.levels = "{6}";
    PolicyDiff diff = engine::diff_policies(make_policy(Settings{}), make_policy(new_settings));

    CHECK(diff.verdict == DiffVerdict::BothWays);
    const auto* more = find_group(diff, "WORKLOAD", "");
    const auto* less = find_group(diff, "", "LEVEL");
    REQUIRE(more != nullptr);
    REQUIRE(less != nullptr);
    CHECK(more->direction == Direction::NewMore);
    CHECK(less->direction == Direction::NewLess);
    CHECK(less->application.credentials.front().nqf_level == 7);
    std::string text = engine::render_diff_text(diff, 10);
    CHECK(text.find("OLD and NEW differ both ways") != std::string::npos);
}

TEST_CASE("a new exclusion for a field has a witness in that field", "[diff]") {
    Settings new_settings;
    new_settings.extra = R"policy(
  table medicine : codes { "0912" "Medicine" } cite "Directive 2005/36/EC Art. 24"
  exclude medicine_programmes when programme.field in medicine
    then reject MEDICINE "no credit into {programme.field}" cite "Directive 2005/36/EC Art. 24"
)policy";
    PolicyDiff diff = engine::diff_policies(make_policy(Settings{}), make_policy(new_settings));

    CHECK(diff.verdict == DiffVerdict::NewLess);
    const auto* g = find_group(diff, "", "MEDICINE");
    REQUIRE(g != nullptr);
    CHECK(g->application.programme.field == "0912");
    CHECK(engine::application_yaml(g->application).find("field: \"0912\"") != std::string::npos);
}

TEST_CASE("the diff is deterministic and bounded", "[diff]") {
    Settings new_settings;
    new_settings.max_ects = "40";
    new_settings.levels = "{6}";
    rules::Policy old_policy = make_policy(Settings{});
    rules::Policy new_policy = make_policy(new_settings);
    PolicyDiff first = engine::diff_policies(old_policy, new_policy);
    PolicyDiff second = engine::diff_policies(old_policy, new_policy);
    CHECK(engine::render_diff_text(first, 10) == engine::render_diff_text(second, 10));
    CHECK(engine::render_diff_json(first, 10) == engine::render_diff_json(second, 10));

    std::string one = engine::render_diff_text(first, 1);
    CHECK(one.find("\n[1] ") != std::string::npos);
    CHECK(one.find("\n[2] ") == std::string::npos);
    CHECK(one.find("without a witness shown") != std::string::npos);
}

TEST_CASE("policies for different jurisdictions are compared with a warning", "[diff]") {
    rules::Policy old_policy = make_policy(Settings{});
    rules::Policy new_policy = make_policy(Settings{});
    new_policy.jurisdiction = "AM";
    PolicyDiff diff = engine::diff_policies(old_policy, new_policy);
    REQUIRE(diff.warnings.size() == 1);
    CHECK(diff.warnings.front().find("for AM") != std::string::npos);
}

}  // namespace
}  // namespace mcre
