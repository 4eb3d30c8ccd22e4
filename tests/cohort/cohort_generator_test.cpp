#include "engine/cohort_generator.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "cohort_support.hpp"
#include "engine/cohort_write.hpp"
#include "engine/decision_json.hpp"
#include "engine/evaluator.hpp"

using mcre::engine::CohortFormat;
using mcre::engine::CohortJurisdiction;
using mcre::engine::CohortSpec;
using mcre::test::read_all;

namespace {

std::string cohort(std::uint64_t size, std::uint64_t seed, CohortFormat format,
                   CohortJurisdiction jurisdiction = CohortJurisdiction::Both) {
    std::ostringstream out;
    (void)mcre::engine::write_cohort(CohortSpec{size, seed, jurisdiction}, format, out);
    return out.str();
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

const mcre::rules::Policy& policy_for(const mcre::engine::Application& app) {
    return mcre::test::shipped_policy(app.jurisdiction == "AM" ? "armenia" : "georgia");
}

// Every decision of a cohort, as the JSON a user would read.
std::vector<std::string> decisions(const std::vector<mcre::engine::CohortRecord>& records) {
    std::vector<std::string> out;
    for (const auto& r : records) {
        REQUIRE(r.application);
        out.push_back(mcre::engine::render_json(
            mcre::engine::evaluate(policy_for(*r.application), *r.application)));
    }
    return out;
}

}  // namespace

TEST_CASE("gen-cohort: the same seed gives the same bytes, another seed another cohort",
          "[cohort][generator]") {
    for (CohortFormat format : {CohortFormat::JsonLines, CohortFormat::Csv}) {
        const std::string a = cohort(200, 42, format);
        CHECK(a == cohort(200, 42, format));
        CHECK(a != cohort(200, 43, format));
        // Application i depends only on the seed and i: a smaller cohort is a prefix.
        const std::string small = cohort(50, 42, format);
        CHECK(a.compare(0, small.size(), small) == 0);
    }
}

TEST_CASE("gen-cohort: every application reads back in both formats and evaluates",
          "[cohort][generator]") {
    const auto jsonl = read_all(cohort(1000, 7, CohortFormat::JsonLines), CohortFormat::JsonLines);
    const auto csv = read_all(cohort(1000, 7, CohortFormat::Csv), CohortFormat::Csv);
    REQUIRE(jsonl.size() == 1000);
    REQUIRE(csv.size() == 1000);
    for (std::size_t i = 0; i < jsonl.size(); ++i) {
        INFO("application " << i << ": " << mcre::engine::render_errors(jsonl[i])
                            << mcre::engine::render_errors(csv[i]));
        REQUIRE(jsonl[i].errors.empty());
        REQUIRE(csv[i].errors.empty());
        // The same application through both formats.
        CHECK(mcre::engine::application_json_line(*jsonl[i].application) ==
              mcre::engine::application_json_line(*csv[i].application));
        // Under both policies, its own and the other country's.
        for (const char* id : {"georgia", "armenia"}) {
            const auto decision =
                mcre::engine::evaluate(mcre::test::shipped_policy(id), *jsonl[i].application);
            CHECK(decision.credentials.size() == jsonl[i].application->credentials.size());
        }
    }
    CHECK(decisions(jsonl) == decisions(csv));
}

TEST_CASE("gen-cohort: the distributions exercise every programme kind, status and main reason",
          "[cohort][generator]") {
    const auto records =
        read_all(cohort(2000, 1, CohortFormat::JsonLines), CohortFormat::JsonLines);
    REQUIRE(records.size() == 2000);
    std::map<std::string, int> kinds;
    std::map<std::string, int> credential_kinds;
    std::map<std::string, int> jurisdictions;
    std::map<std::string, std::set<std::string>> statuses;  // policy -> statuses
    std::map<std::string, std::set<std::string>> codes;     // policy -> primary codes
    std::size_t credentials = 0;
    int foreign = 0;
    int regulated = 0;
    for (const auto& r : records) {
        REQUIRE(r.application);
        const auto& app = *r.application;
        ++kinds[app.programme.kind.value_or("")];
        ++jurisdictions[app.jurisdiction.value_or("")];
        regulated += app.programme.regulated ? 1 : 0;
        credentials += app.credentials.size();
        for (const auto& c : app.credentials) {
            ++credential_kinds[c.kind.value_or("")];
            foreign += c.issuer_country && c.issuer_country != app.jurisdiction ? 1 : 0;
        }
        const auto& policy = policy_for(app);
        for (const auto& d : mcre::engine::evaluate(policy, app).credentials) {
            statuses[policy.id].insert(mcre::engine::status_name(d.status));
            codes[policy.id].insert(d.primary_code);
        }
    }
    for (const char* kind : {"bachelor", "master", "integrated", "short_cycle", "doctoral"}) {
        INFO(kind);
        CHECK(kinds[kind] > 0);
    }
    CHECK(kinds["bachelor"] > kinds["master"]);
    CHECK(kinds["master"] > kinds["integrated"]);
    for (const char* kind : {"micro_credential", "vocational_l5", "non_formal", "course_units"}) {
        INFO(kind);
        CHECK(credential_kinds[kind] > 0);
    }
    CHECK(jurisdictions["GE"] > 1000);  // 60 %
    CHECK(jurisdictions["AM"] > 600);   // 40 %
    const double per_application = static_cast<double>(credentials) / 2000.0;
    CHECK(per_application > 2.0);
    CHECK(per_application < 3.5);
    CHECK(foreign > static_cast<int>(credentials) / 10);
    CHECK(regulated > 50);
    for (const char* policy : {"georgia", "armenia"}) {
        for (const char* status :
             {"recognized", "not_recognized", "incomplete", "not_applicable"}) {
            INFO(policy << " " << status);
            CHECK(statuses[policy].count(status) == 1);
        }
    }
    CHECK(statuses["georgia"].count("referred") == 1);
    CHECK(statuses["georgia"].count("partially_recognized") == 1);  // Armenia allows no partial
    for (const char* code :
         {"TOO_OLD", "WORKLOAD", "NOT_IN_REGISTRY", "LEVEL", "QA_FOREIGN", "NOT_PILOT_INSTITUTION",
          "NOT_PILOT_FIELD", "REGULATED_SECTORAL", "MISSING_ELEMENT", "CAP_BACHELOR_COMBINED",
          "CAP_MASTER_MICRO_CREDENTIALS", "CAP_BACHELOR_VOCATIONAL", "VET_NOT_ELIGIBLE",
          "NON_FORMAL_RPL"}) {
        INFO("georgia " << code);
        CHECK(codes["georgia"].count(code) == 1);
    }
    for (const char* code :
         {"ECTS_NOT_AWARDED", "NO_PROVISION", "PROGRAMME_NOT_ACCREDITED", "CAP_PROGRAMME_CAP",
          "LEVEL", "NOT_IN_REGISTRY", "QA_NOT_ACCEPTED", "PROGRAMME_CAP_MISSING"}) {
        INFO("armenia " << code);
        CHECK(codes["armenia"].count(code) == 1);
    }
}

TEST_CASE("the shipped example cohort: CSV and JSON Lines give the same decisions",
          "[cohort][example]") {
    const std::string dir = std::string(MCRE_SOURCE_DIR) + "/examples/cohorts/";
    const auto csv = read_all(slurp(dir + "small.csv"), CohortFormat::Csv);
    const auto jsonl = read_all(slurp(dir + "small.jsonl"), CohortFormat::JsonLines);
    REQUIRE(csv.size() == jsonl.size());
    REQUIRE(csv.size() >= 10);
    for (const auto& r : csv) {
        INFO(mcre::engine::render_errors(r));
        REQUIRE(r.errors.empty());
    }
    CHECK(decisions(csv) == decisions(jsonl));
    CHECK(csv[1].line == 4);  // the second application after two rows of the first
}

// Reading throughput, by hand: MCRE_COHORT_BENCH=cohort.csv cohort_tests "[bench]"
TEST_CASE("reading throughput of a cohort file", "[.][bench]") {
    const char* path = std::getenv("MCRE_COHORT_BENCH");
    if (path == nullptr) return;
    std::ifstream in(path, std::ios::binary);
    const auto start = std::chrono::steady_clock::now();
    auto reader = mcre::engine::open_cohort(in, path, mcre::engine::cohort_format_for(path));
    std::size_t applications = 0;
    std::size_t bad = 0;
    while (auto record = reader->next()) {
        ++applications;
        bad += record->application ? 0 : 1;
    }
    const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
    WARN(applications << " applications (" << bad << " bad) in " << seconds.count() << " s: "
                      << static_cast<double>(applications) / seconds.count() << " applications/s");
    CHECK(bad == 0);
}
