// Overlap: two credentials covering substantially the same learning outcomes are not
// recognized twice, by identical outcome codes or by the policy's stated test.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "dsl/diagnostic_render.hpp"
#include "engine/application_load.hpp"
#include "engine/decision_json.hpp"
#include "engine/evaluator.hpp"
#include "rules/checker.hpp"

namespace mcre::engine {
namespace {

rules::Policy law(const std::string& overlap_line) {
    const std::string text =
        "policy ov {\n  title \"Overlap\"\n  jurisdiction GE\n"
        "  version \"1\"\n  in force from 2020-01-01\n" +
        overlap_line +
        "  rule workload require credential.workload >= 3 ects\n"
        "    else reject WORKLOAD \"size\" cite \"art. 1\"\n}\n";
    dsl::SourceFile source("ov.policy", text);
    rules::CheckResult checked = rules::load_policy(source);
    INFO(dsl::render_all(checked.diagnostics, source));
    REQUIRE(checked.policy);
    return *checked.policy;
}

Application application(const std::string& credentials) {
    const std::string yaml =
        "id: a1\ndate: 2026-10-15\nlearner: {id: L1}\n"
        "programme: {id: P1, kind: bachelor, total_ects: 240}\n"
        "credentials:\n" +
        credentials;
    LoadResult loaded = load_application(dsl::SourceFile("a.yaml", yaml));
    REQUIRE(loaded.application);
    return *loaded.application;
}

const std::string four =
    "  - {id: c1, kind: micro_credential, ects: 2, outcome_codes: [DA1, DA2, DA3]}\n"
    "  - {id: c2, kind: micro_credential, ects: 5, outcome_codes: [DA3, DA2, DA1]}\n"
    "  - {id: c3, kind: micro_credential, ects: 4, outcome_codes: [DA1, DA2, ST9]}\n"
    "  - {id: c4, kind: micro_credential, ects: 4}\n"
    "  - {id: c5, kind: micro_credential, ects: 4, outcome_codes: [DA1, DA2, DA3]}\n";

TEST_CASE("without an overlap statement, identical outcome codes overlap", "[engine][overlap]") {
    Decision d = evaluate(law(""), application(four));
    // c1 fails its own check, so it does not stand in c2's way.
    CHECK(d.credentials[0].primary_code == "WORKLOAD");
    CHECK(d.credentials[1].status == Status::Recognized);
    // Two of three codes shared is not the same learning under the default test.
    CHECK(d.credentials[2].status == Status::Recognized);
    CHECK(d.credentials[3].status == Status::Recognized);  // no codes: nothing to compare
    const CredentialDecision& c5 = d.credentials[4];
    CHECK(c5.status == Status::NotRecognized);
    CHECK(c5.primary_code == "OVERLAP");
    REQUIRE(c5.overlap_of);
    CHECK(*c5.overlap_of == "c2");
    REQUIRE(c5.reasons.size() == 1);
    CHECK(c5.reasons[0].facts == "3 of its 3 outcome codes are also c2's: DA1, DA2, DA3");
    CHECK(c5.reasons[0].cite ==
          "learning is credited once: identical outcome codes (not a policy clause)");
    CHECK(c5.recognized_ects == 0);
    CHECK(c5.caps.empty());
    CHECK(c5.would_change.empty());  // nothing about it could change: it is the same learning
    CHECK(d.total_recognized == 13);
}

TEST_CASE("the policy's test: a share of the smaller credential's codes", "[engine][overlap]") {
    Decision d = evaluate(law("  overlap at least 60 % cite \"art. 9\"\n"), application(four));
    const CredentialDecision& c3 = d.credentials[2];
    CHECK(c3.primary_code == "OVERLAP");
    CHECK(*c3.overlap_of == "c2");
    CHECK(c3.reasons[0].facts ==
          "2 of its 3 outcome codes are also c2's: DA1, DA2 (the policy's test: at least 60 % of "
          "the smaller credential's)");
    CHECK(c3.reasons[0].cite == "art. 9");
    CHECK(c3.reasons[0].where.line == 6);

    Decision strict = evaluate(law("  overlap at least 70 % cite \"art. 9\"\n"), application(four));
    CHECK(strict.credentials[2].status == Status::Recognized);  // 67 % is below 70 %

    const auto json = nlohmann::json::parse(render_json(d));
    CHECK(json["credentials"][2]["overlap_of"] == "c2");
    CHECK(json["credentials"][1]["overlap_of"].is_null());
}

TEST_CASE("an overlap test outside 0-100 %, or stated twice, is an error", "[rules][overlap]") {
    auto codes = [](const std::string& line) {
        const std::string text =
            "policy ov {\n  title \"O\"\n  jurisdiction GE\n  version \"1\"\n"
            "  in force from 2020-01-01\n" +
            line + "}\n";
        dsl::SourceFile source("ov.policy", text);
        std::vector<std::string> out;
        for (const dsl::Diagnostic& d : rules::load_policy(source).diagnostics)
            out.push_back(d.code);
        return out;
    };
    CHECK(codes("  overlap at least 120 % cite \"x\"\n") == std::vector<std::string>{"E2311"});
    CHECK(codes("  overlap at least 0 % cite \"x\"\n") == std::vector<std::string>{"E2311"});
    CHECK(codes("  overlap at least 80 % cite \"x\"\n  overlap at least 90 % cite \"y\"\n") ==
          std::vector<std::string>{"E2002"});
}

}  // namespace
}  // namespace mcre::engine
