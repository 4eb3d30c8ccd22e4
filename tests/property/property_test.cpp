// Invariants of every decision (docs/robustness.md, "Invariants"), checked on many random
// well-typed applications against every shipped policy. A failure prints the seed and the
// application in the input format, so it can be re-run with `mcre evaluate`.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "engine/application.hpp"
#include "engine/application_yaml.hpp"
#include "engine/cohort_generator.hpp"
#include "engine/decision.hpp"
#include "engine/decision_json.hpp"
#include "engine/evaluator.hpp"
#include "engine/policy_set.hpp"
#include "rules/schema.hpp"
#include "tests/support/files.hpp"

namespace {

using mcre::engine::Application;
using mcre::engine::Credential;
using mcre::engine::Decision;
using mcre::engine::LoadedPolicy;
using mcre::engine::Status;

constexpr double eps = 1e-9;

// SplitMix64: the same numbers on every platform, unlike <random>'s distributions.
class Random {
  public:
    explicit Random(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31U);
    }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }
    template <typename T>
    const T& pick(const std::vector<T>& items) {
        return items[below(items.size())];
    }

  private:
    std::uint64_t state_;
};

const std::vector<LoadedPolicy>& shipped_policies() {
    static const std::vector<LoadedPolicy> policies = [] {
        std::vector<LoadedPolicy> out;
        for (const char* name :
             {"eu-baseline", "georgia", "armenia", "spain-rd822", "italy-l240"}) {
            const std::string path =
                mcre::test::source_path(std::string("policies/") + name + ".policy");
            std::string diagnostics;
            auto loaded =
                mcre::engine::PolicySet::load_text(path, mcre::test::read_text(path), diagnostics);
            REQUIRE(loaded);
            out.push_back(std::move(*loaded));
        }
        return out;
    }();
    return policies;
}

std::string str(std::string_view s) { return std::string(s); }

// A credential with every field drawn at random, each sometimes absent: the policies must
// decide whatever is stated. Ids and titles are unique, so no two are repeats.
Credential random_credential(Random& r, std::size_t index, const std::string& learner,
                             mcre::dsl::Date date) {
    static const std::vector<std::string> qa = {"accredited_hei", "eqar_agency", "none",
                                                "third_party_certification", "enqa"};
    static const std::vector<std::string> fields = {"06", "061", "0612", "0714", "0413", "0231"};
    static const std::vector<std::string> countries = {"GE", "AM", "ES", "IT", "DE", "US"};
    static const std::vector<std::string> providers = {"hei", "vet", "non_formal"};
    static const std::vector<std::string> cycles = {"short", "first", "second", "third"};
    static const std::vector<std::string> participation = {"online", "on site", "blended"};
    std::vector<std::string> kinds;
    for (std::string_view k : mcre::rules::credential_kinds()) kinds.push_back(str(k));

    Credential c;
    c.id = "c" + std::to_string(index + 1);
    c.line = static_cast<int>(index + 1);
    if (r.chance(95)) c.kind = r.chance(70) ? "micro_credential" : r.pick(kinds);
    if (r.chance(95)) c.title = "Course " + std::to_string(index + 1);
    if (r.chance(90)) c.learner = r.chance(95) ? learner : "someone-else";
    if (r.chance(90)) c.issuer_country = r.pick(countries);
    if (r.chance(90)) c.awarding_body = r.chance(50) ? "Georgian Technical University" : "GRENA";
    if (r.chance(90)) {
        c.issued = mcre::dsl::Date{date.days + 30 - static_cast<int>(r.below(9 * 365))};
    }
    const std::size_t outcomes = r.below(4);
    for (std::size_t i = 0; i < outcomes; ++i) {
        c.learning_outcomes.push_back("outcome " + std::to_string(index + 1) + "." +
                                      std::to_string(i + 1));
    }
    if (r.chance(75)) c.ects = static_cast<double>(r.below(80)) / 2.0;  // 0 to 39.5
    if (r.chance(40)) c.hours = static_cast<double>(r.below(1200));
    if (r.chance(80)) c.nqf_level = static_cast<int>(r.below(8)) + 1;
    if (r.chance(30)) c.eqf_level = static_cast<int>(r.below(8)) + 1;
    if (r.chance(20)) c.cycle = r.pick(cycles);
    if (r.chance(85)) c.assessment = "exam";
    if (r.chance(80)) c.participation = r.pick(participation);
    if (r.chance(90)) c.qa = r.pick(qa);
    if (r.chance(85)) c.field = r.pick(fields);
    if (r.chance(20)) {
        c.expires = mcre::dsl::Date{date.days + static_cast<int>(r.below(2000)) - 1000};
    }
    c.revoked = r.chance(3);
    if (r.chance(85)) c.provider_type = r.pick(providers);
    if (r.chance(70)) c.programme_accredited = r.chance(80);
    if (r.chance(70)) c.institution_accredited = r.chance(85);
    if (r.chance(70)) c.in_registry = r.chance(80);
    return c;
}

Application random_application(Random& r, std::uint64_t seed) {
    // Half from the cohort generator (plausible Georgian and Armenian learners), half
    // drawn field by field (anything well-typed).
    if (r.chance(50)) {
        mcre::engine::CohortSpec spec;
        spec.seed = seed;
        return mcre::engine::generate_application(spec, r.below(100000));
    }
    std::vector<std::string> programme_kinds;
    for (std::string_view k : mcre::rules::programme_kinds()) programme_kinds.push_back(str(k));
    static const std::vector<std::string> jurisdictions = {"GE", "AM", "ES", "IT"};
    Application a;
    a.id = "app-" + std::to_string(seed);
    a.learner_id = "L-" + std::to_string(seed);
    a.jurisdiction = r.pick(jurisdictions);
    a.date =
        mcre::dsl::Date{mcre::dsl::parse_date("2026-10-15")->days + static_cast<int>(r.below(700))};
    a.programme.id = "P-1";
    if (r.chance(95)) a.programme.kind = r.pick(programme_kinds);
    if (r.chance(90)) a.programme.level = static_cast<int>(r.below(3)) + 5;
    if (r.chance(90)) a.programme.total_ects = r.chance(50) ? 240.0 : 120.0;
    if (r.chance(90)) a.programme.field = "0612";
    a.programme.regulated = r.chance(10);
    if (a.programme.regulated && r.chance(50)) a.programme.profession = "physician";
    if (r.chance(85)) a.programme.provides_for_recognition = r.chance(85);
    if (r.chance(30)) a.programme.mc_cap = static_cast<double>(r.below(80));
    if (r.chance(40)) a.prior_recognized["micro_credential"] = static_cast<double>(r.below(70));
    const std::size_t n = r.below(12);
    for (std::size_t i = 0; i < n; ++i) {
        a.credentials.push_back(random_credential(r, i, a.learner_id, a.date));
    }
    return a;
}

// What a credential's decision is, for comparing two runs.
struct Outcome {
    Status status;
    double recognized;
    std::string code;
    bool operator==(const Outcome& o) const {
        return status == o.status && std::fabs(recognized - o.recognized) < eps && code == o.code;
    }
};

std::map<std::string, Outcome> by_id(const Decision& d) {
    std::map<std::string, Outcome> out;
    for (const auto& c : d.credentials) out[c.id] = {c.status, c.recognized_ects, c.primary_code};
    return out;
}

// The application in the input format, for a failure's message.
std::string shown(const Application& a) { return mcre::engine::application_yaml(a); }

constexpr std::uint64_t k_applications = 400;  // per policy: 2,000 decisions in all

template <typename Check>
void for_random_applications(std::uint64_t salt, Check check) {
    for (const LoadedPolicy& loaded : shipped_policies()) {
        for (std::uint64_t seed = 1; seed <= k_applications; ++seed) {
            Random r(seed * 7919 + salt);
            const Application a = random_application(r, seed);
            INFO("policy " << loaded.policy.id << ", seed " << seed << ":\n" << shown(a));
            check(loaded.policy, a, r);
        }
    }
}

}  // namespace

TEST_CASE("recognized ECTS never exceed a credential's own; totals are the sum of their parts") {
    for_random_applications(
        1, [](const mcre::rules::Policy& policy, const Application& a, Random&) {
            const Decision d = mcre::engine::evaluate(policy, a);
            REQUIRE(d.credentials.size() >= a.credentials.size());
            double sum = 0;
            std::map<std::string, double> by_kind;
            for (const auto& c : d.credentials) {
                CHECK(c.recognized_ects >= 0);
                // No workload known: nothing can be recognized.
                CHECK(c.recognized_ects <= c.claimed_ects.value_or(0) + eps);
                const bool granted =
                    c.status == Status::Recognized || c.status == Status::PartiallyRecognized;
                CHECK(granted == (c.recognized_ects > eps || c.status == Status::Recognized));
                sum += c.recognized_ects;
                if (c.recognized_ects > 0) {
                    by_kind[c.kind.empty() ? "unspecified" : c.kind] += c.recognized_ects;
                }
            }
            CHECK(std::fabs(d.total_recognized - sum) < 1e-6);
            for (const auto& [kind, ects] : d.recognized_by_kind) {
                CHECK(std::fabs(ects - by_kind[kind]) < 1e-6);
            }
        });
}

TEST_CASE("no cap is exceeded, and each cap's use is the sum of its charges") {
    for_random_applications(2,
                            [](const mcre::rules::Policy& policy, const Application& a, Random&) {
                                const Decision d = mcre::engine::evaluate(policy, a);
                                for (const auto& cap : d.cap_ledger) {
                                    INFO("cap " << cap.cap);
                                    // What this application used fits in what the earlier decisions
                                    // left.
                                    CHECK(cap.used <= std::max(0.0, cap.limit - cap.prior) + 1e-6);
                                    CHECK(cap.remaining >= -1e-6);
                                    double charged = 0;
                                    for (const auto& c : d.credentials) {
                                        for (const auto& charge : c.caps) {
                                            if (charge.cap == cap.cap) charged += charge.charged;
                                        }
                                    }
                                    CHECK(std::fabs(charged - cap.used) < 1e-6);
                                }
                            });
}

TEST_CASE("an incomplete credential consumes no cap and changes no other decision") {
    for_random_applications(3, [](const mcre::rules::Policy& policy, const Application& a,
                                  Random&) {
        const Decision d = mcre::engine::evaluate(policy, a);
        Application without = a;
        without.credentials.clear();
        for (std::size_t i = 0; i < a.credentials.size(); ++i) {
            const auto& c = d.credentials[i];
            if (c.status != Status::Incomplete) {
                without.credentials.push_back(a.credentials[i]);
                continue;
            }
            CHECK(c.recognized_ects == 0);
            for (const auto& charge : c.caps) CHECK(charge.charged == 0);
        }
        if (without.credentials.size() == a.credentials.size()) return;
        std::map<std::string, Outcome> before = by_id(d);
        const std::map<std::string, Outcome> after = by_id(mcre::engine::evaluate(policy, without));
        for (const auto& c : d.credentials) {
            // A repeat or overlap of the removed credential is judged on its own without it.
            if (c.status == Status::Incomplete || c.duplicate_of || c.overlap_of) continue;
            INFO("credential " << c.id);
            CHECK(after.at(c.id) == before.at(c.id));
        }
    });
}

TEST_CASE("the order in which credentials are listed changes no decision") {
    for_random_applications(
        4, [](const mcre::rules::Policy& policy, const Application& a, Random& r) {
            const std::map<std::string, Outcome> before = by_id(mcre::engine::evaluate(policy, a));
            Application shuffled = a;
            auto& cs = shuffled.credentials;
            for (std::size_t i = cs.size(); i > 1; --i) std::swap(cs[i - 1], cs[r.below(i)]);
            const Decision d = mcre::engine::evaluate(policy, shuffled);
            // The credentials in the order given, whatever it is.
            for (std::size_t i = 0; i < cs.size(); ++i) CHECK(d.credentials[i].id == cs[i].id);
            const std::map<std::string, Outcome> after = by_id(d);
            for (const auto& [id, outcome] : before) {
                INFO("credential " << id);
                CHECK(after.at(id) == outcome);
            }
        });
}

TEST_CASE("listing a credential twice changes nothing but the repeat's own status") {
    for_random_applications(
        5, [](const mcre::rules::Policy& policy, const Application& a, Random& r) {
            if (a.credentials.empty()) return;
            const Decision d = mcre::engine::evaluate(policy, a);
            Application twice = a;
            const std::size_t original = r.below(a.credentials.size());
            // Anywhere after the original: the first listed is the one decided.
            const std::size_t at = original + 1 + r.below(a.credentials.size() - original);
            twice.credentials.insert(twice.credentials.begin() + static_cast<std::ptrdiff_t>(at),
                                     a.credentials[original]);
            const Decision t = mcre::engine::evaluate(policy, twice);
            REQUIRE(t.credentials.size() == d.credentials.size() + 1);
            for (std::size_t i = 0, j = 0; i < t.credentials.size(); ++i) {
                if (i == at) {
                    const auto& repeat = t.credentials[i];
                    CHECK(repeat.duplicate_of == a.credentials[original].id);
                    CHECK(repeat.recognized_ects == 0);
                    CHECK(repeat.caps.empty());
                    continue;
                }
                const auto& x = d.credentials[j++];
                const auto& y = t.credentials[i];
                INFO("credential " << x.id);
                CHECK(Outcome{x.status, x.recognized_ects, x.primary_code} ==
                      Outcome{y.status, y.recognized_ects, y.primary_code});
            }
            CHECK(std::fabs(d.total_recognized - t.total_recognized) < eps);
        });
}

TEST_CASE("the same application gives byte-identical decisions every time") {
    for_random_applications(
        6, [](const mcre::rules::Policy& policy, const Application& a, Random&) {
            const std::string first = mcre::engine::render_json(mcre::engine::evaluate(policy, a));
            CHECK(mcre::engine::render_json(mcre::engine::evaluate(policy, a)) == first);
        });
}
