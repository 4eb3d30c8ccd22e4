#include "cli/batch_line.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/policy_loading.hpp"
#include "engine/application_load.hpp"
#include "engine/decision_json.hpp"
#include "engine/evaluator.hpp"
#include "tests/support/files.hpp"

namespace {

using mcre::cli::BatchContext;
using mcre::cli::decide_line;
using Json = nlohmann::ordered_json;

const mcre::engine::LoadedPolicy& georgia() {
    static const mcre::engine::LoadedPolicy policy = [] {
        std::string diagnostics;
        const std::string path = mcre::test::source_path("policies/georgia.policy");
        auto loaded =
            mcre::engine::PolicySet::load_text(path, mcre::test::read_text(path), diagnostics);
        REQUIRE(loaded);
        return *loaded;
    }();
    return policy;
}

std::vector<std::string> data_lines(const std::string& name) {
    std::istringstream in(
        mcre::test::read_text(mcre::test::source_path("tests/batch/data/" + name)));
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

class FailingLog final : public mcre::cli::DecisionLog {
  public:
    bool record(const mcre::cli::DecisionRecord&, std::string& error) override {
        error = "disk full";
        return false;
    }
    std::optional<mcre::cli::DecisionRecord> find(const std::string&, std::string&) override {
        return std::nullopt;
    }
    std::vector<mcre::cli::DecisionRecord> all(std::string&) override { return {}; }
};

}  // namespace

TEST_CASE("a good line carries the same decision as evaluate --format json") {
    BatchContext context;
    context.policy = &georgia();
    // Line 4 of good.jsonl is examples/gtu-network-admin.yaml as one line of JSON.
    const auto outcome = decide_line(context, 4, data_lines("good.jsonl")[3]);
    REQUIRE(outcome.ok);
    CHECK(outcome.json.find('\n') == std::string::npos);
    const Json record = Json::parse(outcome.json);
    CHECK(record["line"] == 4);
    CHECK(record["ok"] == true);
    CHECK_FALSE(record.contains("request_id"));

    const mcre::dsl::SourceFile yaml(
        "gtu-network-admin.yaml",
        mcre::test::read_text(mcre::test::source_path("examples/gtu-network-admin.yaml")));
    auto loaded = mcre::engine::load_application(yaml);
    REQUIRE(loaded.application);
    const std::string expected =
        mcre::engine::render_json(mcre::engine::evaluate(georgia().policy, *loaded.application));
    CHECK(record["decision"].dump(2) + "\n" == expected);
    CHECK(outcome.statuses.size() == 6);
}

TEST_CASE("each kind of bad line is an error record naming its line") {
    BatchContext context;
    context.policy = &georgia();
    const auto lines = data_lines("mixed.jsonl");
    struct Expected {
        std::size_t line;
        const char* code;
    };
    for (const Expected& e : {Expected{3, "E4001"}, Expected{5, "E4001"}, Expected{6, "E4004"},
                              Expected{8, "E4001"}, Expected{10, "E4001"}, Expected{12, "E4002"}}) {
        CAPTURE(e.line);
        const auto outcome = decide_line(context, e.line, lines[e.line - 1]);
        CHECK_FALSE(outcome.ok);
        const Json record = Json::parse(outcome.json);
        CHECK(record["line"] == e.line);
        CHECK(record["ok"] == false);
        REQUIRE(record["errors"].size() >= 1);
        CHECK(record["errors"][0]["code"] == e.code);
        CHECK(record["errors"][0]["line"] == e.line);
        CHECK(record["errors"][0]["column"].get<int>() >= 1);
    }
}

TEST_CASE("a JSON syntax error points at the character where the JSON broke") {
    BatchContext context;
    context.policy = &georgia();
    const auto outcome = decide_line(context, 1, "{\"id\": \"ნინო\",}");
    const Json record = Json::parse(outcome.json);
    // The "}" is byte 23 but character 15: each Georgian letter is three bytes.
    CHECK(record["errors"][0]["column"] == 15);
}

TEST_CASE("a decision the log refused is a failed line, not a reported decision") {
    FailingLog log;
    BatchContext context;
    context.policy = &georgia();
    context.log = &log;
    context.request_id_prefix = "t";
    const auto outcome = decide_line(context, 2, data_lines("good.jsonl")[1]);
    CHECK_FALSE(outcome.ok);
    const Json record = Json::parse(outcome.json);
    CHECK(record["errors"][0]["code"] == "E5001");
    CHECK(record["errors"][0]["message"].get<std::string>().find("disk full") != std::string::npos);
    CHECK_FALSE(record.contains("decision"));
}

TEST_CASE("an override the policy forbids fails its line with E4013; an allowed one is decided") {
    std::string diagnostics;
    const std::string path = mcre::test::source_path("examples/overrides/recognition-2026.policy");
    auto policy =
        mcre::engine::PolicySet::load_text(path, mcre::test::read_text(path), diagnostics);
    REQUIRE(policy);
    BatchContext context;
    context.policy = &*policy;
    const std::string head =
        R"({"id":"a","date":"2026-11-20","learner":{"id":"L"},"programme":{"id":"P",)"
        R"("kind":"bachelor","regulated":true},"credentials":[{"id":"c1","ects":5,)"
        R"("nqf_level":6,"qa":"accredited_hei","in_registry":true,"issued":"2026-01-01"}],)";
    const std::string forbidden =
        head + R"("overrides":[{"credential":"c1","waive":"regulated_programme",)"
               R"("author":"N. B.","date":"2026-11-20","reason":"elective"}]})";
    const auto refused = decide_line(context, 1, forbidden);
    CHECK_FALSE(refused.ok);
    const Json errors = Json::parse(refused.json)["errors"];
    REQUIRE(errors.size() == 1);
    CHECK(errors[0]["code"] == "E4013");
    CHECK(errors[0]["message"].get<std::string>().find("Law on Higher Education, Art. 12") !=
          std::string::npos);

    const std::string allowed = head + R"("overrides":[{"credential":"c1","waive":"recency",)"
                                       R"("author":"N. B.","date":"2026-11-20","reason":"r"}]})";
    const auto decided = decide_line(context, 2, allowed);
    REQUIRE(decided.ok);
    const Json overrides = Json::parse(decided.json)["decision"]["overrides"];
    REQUIRE(overrides.size() == 1);
    CHECK(overrides[0]["status"] == "unnecessary");  // recency passes; the exclusion decides
}

TEST_CASE("a summary record holds, per credential, what the whole decision says") {
    BatchContext full;
    full.policy = &georgia();
    BatchContext summary = full;
    summary.format = mcre::cli::BatchFormat::Summary;
    const auto lines = data_lines("good.jsonl");
    std::size_t partial = 0;
    std::size_t cut_by_cap = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        CAPTURE(i + 1);
        const auto lean = decide_line(summary, i + 1, lines[i]);
        const auto whole = decide_line(full, i + 1, lines[i]);
        REQUIRE(lean.ok);
        CHECK(lean.statuses == whole.statuses);
        CHECK(lean.json.find('\n') == std::string::npos);
        const Json record = Json::parse(lean.json);
        const Json decision = Json::parse(whole.json)["decision"];
        CHECK(record["line"] == i + 1);
        CHECK(record["ok"] == true);
        CHECK(record["id"] == decision["application"]["id"]);
        CHECK(record["recognized_ects"] == decision["totals"]["recognized_ects"]);
        CHECK_FALSE(record.contains("decision"));
        REQUIRE(record["credentials"].size() == decision["credentials"].size());
        for (std::size_t c = 0; c < decision["credentials"].size(); ++c) {
            const Json& mine = record["credentials"][c];
            const Json& theirs = decision["credentials"][c];
            // Exactly these four keys, in this order: no explanation text.
            std::vector<std::string> keys;
            for (const auto& item : mine.items()) keys.push_back(item.key());
            CHECK(keys ==
                  std::vector<std::string>{"id", "status", "reason_code", "recognized_ects"});
            CHECK(mine["id"] == theirs["id"]);
            CHECK(mine["status"] == theirs["status"]);
            CHECK(mine["reason_code"] == theirs["primary_code"]);
            CHECK(mine["recognized_ects"] == theirs["recognized_ects"]);
            if (mine["status"] == "partially_recognized") ++partial;
            if (mine["reason_code"].is_string() &&
                mine["reason_code"].get<std::string>().rfind("CAP_", 0) == 0)
                ++cut_by_cap;
        }
    }
    // The examples include a credential a cap cut to part of its credit.
    CHECK(partial >= 1);
    CHECK(cut_by_cap >= 1);
}

TEST_CASE("a summary record escapes ids, prints fractional credit and names the cutting cap") {
    std::string diagnostics;
    auto policy = mcre::engine::PolicySet::load_text("small.policy", R"(policy small {
  title "Small"
  jurisdiction XX
  version "1"
  in force from 2026-01-01
  rule qa require credential.qa == "accredited" else reject QA "not accredited" cite "c"
  cap overall at most 10 ects cite "c"
})",
                                                     diagnostics);
    REQUIRE(policy);
    BatchContext context;
    context.policy = &*policy;
    context.format = mcre::cli::BatchFormat::Summary;
    const std::string line = R"({"id":"a \"quoted\"\\id","date":"2026-10-15","learner":{"id":"L"},)"
                             R"("programme":{"id":"P"},"credentials":[)"
                             R"({"id":"c\t1","ects":7.5,"qa":"accredited","issued":"2026-01-01"},)"
                             R"({"id":"c2","ects":5,"qa":"none","issued":"2026-02-01"},)"
                             R"({"id":"c3","ects":5,"qa":"accredited","issued":"2026-03-01"}]})";
    const auto outcome = decide_line(context, 7, line);
    REQUIRE(outcome.ok);
    CHECK(outcome.json ==
          R"({"line":7,"ok":true,"id":"a \"quoted\"\\id","recognized_ects":10,"credentials":[)"
          R"({"id":"c\t1","status":"recognized","reason_code":null,"recognized_ects":7.5},)"
          R"({"id":"c2","status":"not_recognized","reason_code":"QA","recognized_ects":0},)"
          R"({"id":"c3","status":"partially_recognized","reason_code":"CAP_OVERALL",)"
          R"("recognized_ects":2.5}]})");
}
