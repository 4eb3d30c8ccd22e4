#include "engine/cohort_generator.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "cohort_support.hpp"
#include "dsl/content_hash.hpp"
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

TEST_CASE("gen-cohort: the bytes of a fixed seed do not change", "[cohort][generator]") {
    // Recorded from `mcre gen-cohort --size 5000 --seed 11` before generation was made
    // faster (and for GE and AM alone): any change to the bytes shows here. A deliberate
    // change to the distributions updates these, with docs/cohorts.md.
    CHECK(mcre::dsl::sha256_hex(cohort(5000, 11, CohortFormat::JsonLines)) ==
          "691a355b46953e45d106140b01430562d71fae75c8f9f7b34d70ee3e9cf87ffb");
    CHECK(mcre::dsl::sha256_hex(cohort(5000, 11, CohortFormat::Csv)) ==
          "ffa3e23b3f56c0e8db7e95e4ae5d3a77535cca65a81a0d71a7fce10689255f0c");
    CHECK(mcre::dsl::sha256_hex(
              cohort(1000, 5, CohortFormat::JsonLines, CohortJurisdiction::Georgia)) ==
          "07ea402a89682a83546a87f5dad379854b652fc5419d7e77daab3d466e6e7679");
    CHECK(mcre::dsl::sha256_hex(
              cohort(1000, 5, CohortFormat::JsonLines, CohortJurisdiction::Armenia)) ==
          "e56023c89818f106e04344039a5e61496d57392174e09e1f4b06c57f9daa350c");
}

namespace {

// The by-value application and the one generated into `reused` (which holds whatever the
// index before left in it) must be the same, byte for byte.
void check_reuse(const CohortSpec& spec, std::uint64_t index, mcre::engine::Application& reused) {
    mcre::engine::generate_application(spec, index, reused);
    const mcre::engine::Application fresh = mcre::engine::generate_application(spec, index);
    INFO("seed " << spec.seed << ", application " << index);
    REQUIRE(mcre::engine::application_json_line(reused) ==
            mcre::engine::application_json_line(fresh));
    REQUIRE(mcre::engine::cohort_csv_rows(reused) == mcre::engine::cohort_csv_rows(fresh));
}

bool rich(const mcre::engine::Application& a) {
    return a.credentials.size() >= 5 && a.learner_name && !a.prior_recognized.empty() &&
           a.programme.mc_cap;
}

bool plain(const mcre::engine::Application& a) {
    return a.credentials.size() == 1 && !a.learner_name && a.prior_recognized.empty() &&
           !a.programme.mc_cap;
}

}  // namespace

TEST_CASE("generating into a reused application gives the same application as a fresh one",
          "[cohort][generator]") {
    for (CohortJurisdiction jurisdiction :
         {CohortJurisdiction::Georgia, CohortJurisdiction::Armenia, CohortJurisdiction::Both}) {
        const CohortSpec spec{1000, 3, jurisdiction};
        mcre::engine::Application reused;
        for (std::uint64_t i = 0; i < 400; ++i) check_reuse(spec, i, reused);
    }

    // No field of a rich application (many credentials, a learner name, earlier recognition,
    // a programme cap) may leak into a plain one generated after it into the same object.
    const CohortSpec spec{100000, 9, CohortJurisdiction::Armenia};
    std::optional<std::uint64_t> rich_index;
    std::optional<std::uint64_t> plain_index;
    for (std::uint64_t i = 0; i < 20000 && !(rich_index && plain_index); ++i) {
        const mcre::engine::Application a = mcre::engine::generate_application(spec, i);
        if (!rich_index && rich(a)) rich_index = i;
        if (!plain_index && plain(a)) plain_index = i;
    }
    REQUIRE(rich_index);
    REQUIRE(plain_index);
    mcre::engine::Application reused;
    check_reuse(spec, *rich_index, reused);
    CHECK(rich(reused));
    check_reuse(spec, *plain_index, reused);
    CHECK(plain(reused));
    CHECK(!reused.learner_name);
    CHECK(reused.prior_recognized.empty());
    // A read or hand-made application before: what the generator never sets goes too.
    reused.values_as_of = mcre::dsl::Date{20000};
    reused.overrides.emplace_back();
    reused.credentials.front().source_id = "urn:epass:1";
    reused.credentials.front().outcome_codes = {"S1.2"};
    reused.credentials.front().set_by["qa"] = "set by override o1";
    reused.credentials.front().line = 12;
    mcre::engine::generate_application(spec, *plain_index, reused);
    const mcre::engine::Application fresh = mcre::engine::generate_application(spec, *plain_index);
    CHECK(!reused.values_as_of);
    CHECK(reused.overrides.empty());
    CHECK(!reused.credentials.front().source_id);
    CHECK(reused.credentials.front().outcome_codes.empty());
    CHECK(reused.credentials.front().set_by.empty());
    CHECK(reused.credentials.front().line == 0);
    CHECK(mcre::engine::application_json_line(reused) ==
          mcre::engine::application_json_line(fresh));
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
