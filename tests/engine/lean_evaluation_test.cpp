// A decision without its explanation (EvaluateOptions::explain = false, what `mcre batch
// --format summary` and `mcre simulate` use) decides exactly as the explained one: the same
// statuses, deciding codes and rules, credit and caps, for every shipped example and the
// example cohort.

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/application_load.hpp"
#include "engine/cohort.hpp"
#include "engine/decision_json.hpp"
#include "engine/evaluator.hpp"
#include "rules/checker.hpp"
#include "rules/inheritance.hpp"

namespace mcre::engine {
namespace {

const std::string root = MCRE_SOURCE_DIR;

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

rules::Policy policy_at(const std::string& relative) {
    const std::string path = root + "/" + relative;
    rules::CheckResult checked = rules::load_policy(dsl::SourceFile(path, slurp(path)));
    REQUIRE(checked.policy);
    return *checked.policy;
}

// The deciding rule: what `mcre simulate` counts.
std::string deciding_rule(const CredentialDecision& cd) {
    for (const Reason& r : cd.reasons) {
        if (!r.passed && r.code == cd.primary_code) return r.rule;
    }
    return "";
}

void check_same(const rules::Policy& policy, const Application& app) {
    Decision full = evaluate(policy, app);
    EvaluateOptions lean_options;
    lean_options.explain = false;
    Decision lean = evaluate(policy, app, lean_options);
    CAPTURE(app.id);
    REQUIRE(lean.credentials.size() == full.credentials.size());
    CHECK(lean.total_recognized == full.total_recognized);
    CHECK(lean.recognized_by_kind == full.recognized_by_kind);
    // The ids a lean caller reports by, and the caps' figures without their citations.
    CHECK(lean.application_id == full.application_id);
    CHECK(lean.learner_id == full.learner_id);
    CHECK(lean.programme_id == full.programme_id);
    CHECK(lean.policy_id == full.policy_id);
    CHECK(lean.policy_version == full.policy_version);
    CHECK(lean.policy_hash.empty());
    // An officer's waiver finds its check in a lean decision too.
    REQUIRE(lean.overrides.size() == full.overrides.size());
    for (std::size_t i = 0; i < full.overrides.size(); ++i) {
        CHECK(lean.overrides[i].status == full.overrides[i].status);
    }
    REQUIRE(lean.cap_ledger.size() == full.cap_ledger.size());
    for (std::size_t i = 0; i < full.cap_ledger.size(); ++i) {
        CHECK(lean.cap_ledger[i].cap == full.cap_ledger[i].cap);
        CHECK(lean.cap_ledger[i].limit == full.cap_ledger[i].limit);
        CHECK(lean.cap_ledger[i].prior == full.cap_ledger[i].prior);
        CHECK(lean.cap_ledger[i].used == full.cap_ledger[i].used);
        CHECK(lean.cap_ledger[i].missing == full.cap_ledger[i].missing);
        CHECK(lean.cap_ledger[i].cite.empty());
    }
    for (std::size_t i = 0; i < full.credentials.size(); ++i) {
        const CredentialDecision& f = full.credentials[i];
        const CredentialDecision& l = lean.credentials[i];
        CAPTURE(f.id);
        CHECK(l.status == f.status);
        CHECK(l.primary_code == f.primary_code);
        CHECK(l.recognized_ects == f.recognized_ects);
        CHECK(deciding_rule(l) == deciding_rule(f));
        CHECK(l.caps.size() == f.caps.size());
        // No words: no messages from the policy's checks, no passed checks (but for the
        // overrides' sake, when the application has some).
        if (app.overrides.empty()) CHECK(l.passed.empty());
        for (const Reason& r : l.reasons) {
            if (r.rule != "validity" && r.rule.find('.') != std::string::npos &&
                r.code.rfind("CAP_", 0) != 0) {
                CHECK(r.facts.empty());
            }
        }
    }
}

TEST_CASE("a lean decision decides every shipped example as the explained one does",
          "[engine][lean]") {
    std::istringstream cases(slurp(root + "/tests/golden/decisions/cases.txt"));
    int n = 0;
    for (std::string line; std::getline(cases, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream words(line);
        std::string name, policy, application;
        words >> name >> policy >> application;
        const std::string path = root + "/" + application;
        LoadOptions options;
        options.credential_directory = path.substr(0, path.find_last_of('/'));
        LoadResult loaded = load_application(dsl::SourceFile(path, slurp(path)), options);
        REQUIRE(loaded.application);
        check_same(policy_at(policy), *loaded.application);
        ++n;
    }
    CHECK(n >= 15);
}

TEST_CASE("a lean decision decides the example cohort as the explained one does",
          "[engine][lean]") {
    const rules::Policy georgia = policy_at("policies/georgia.policy");
    std::ifstream in(root + "/examples/cohorts/small.jsonl");
    auto reader = open_cohort(in, "small.jsonl", CohortFormat::JsonLines);
    int n = 0;
    while (auto record = reader->next()) {
        REQUIRE(record->application);
        check_same(georgia, *record->application);
        ++n;
    }
    CHECK(n > 10);
}

// Every field of two decisions, as far as a caller can tell them apart.
void check_identical(const Decision& a, const Decision& b) {
    CHECK(render_json(a) == render_json(b));
    CHECK(a.application_id == b.application_id);
    CHECK(a.learner_id == b.learner_id);
    CHECK(a.programme_id == b.programme_id);
    CHECK(a.programme_kind == b.programme_kind);
    CHECK(a.learner_name == b.learner_name);
    CHECK(a.programme_title == b.programme_title);
    CHECK(a.application_date == b.application_date);
    CHECK(a.values_as_of == b.values_as_of);
    CHECK(a.policy_title == b.policy_title);
    CHECK(a.policy_hash == b.policy_hash);
    CHECK(a.total_recognized == b.total_recognized);
    CHECK(a.recognized_by_kind == b.recognized_by_kind);
    CHECK(a.notes == b.notes);
    CHECK(a.overrides.size() == b.overrides.size());
    CHECK(a.stacks.size() == b.stacks.size());
    CHECK(a.pathways.size() == b.pathways.size());
    REQUIRE(a.cap_ledger.size() == b.cap_ledger.size());
    for (std::size_t i = 0; i < a.cap_ledger.size(); ++i) {
        CHECK(a.cap_ledger[i].cap == b.cap_ledger[i].cap);
        CHECK(a.cap_ledger[i].cite == b.cap_ledger[i].cite);
        CHECK(a.cap_ledger[i].where.line == b.cap_ledger[i].where.line);
        CHECK(a.cap_ledger[i].used == b.cap_ledger[i].used);
        CHECK(a.cap_ledger[i].missing == b.cap_ledger[i].missing);
        CHECK(a.cap_ledger[i].instead_of == b.cap_ledger[i].instead_of);
    }
    REQUIRE(a.credentials.size() == b.credentials.size());
    for (std::size_t i = 0; i < a.credentials.size(); ++i) {
        const CredentialDecision& x = a.credentials[i];
        const CredentialDecision& y = b.credentials[i];
        CAPTURE(x.id);
        CHECK(x.id == y.id);
        CHECK(x.kind == y.kind);
        CHECK(x.title == y.title);
        CHECK(x.issued == y.issued);
        CHECK(x.status == y.status);
        CHECK(x.claimed_ects == y.claimed_ects);
        CHECK(x.workload_basis == y.workload_basis);
        CHECK(x.recognized_ects == y.recognized_ects);
        CHECK(x.primary_code == y.primary_code);
        CHECK(x.duplicate_of == y.duplicate_of);
        CHECK(x.overlap_of == y.overlap_of);
        CHECK(x.stacked_into == y.stacked_into);
        CHECK(x.formed_by_stack == y.formed_by_stack);
        CHECK(x.would_change == y.would_change);
        CHECK(x.counterfactuals.size() == y.counterfactuals.size());
        CHECK(x.passed.size() == y.passed.size());
        CHECK(x.caps.size() == y.caps.size());
        REQUIRE(x.reasons.size() == y.reasons.size());
        for (std::size_t k = 0; k < x.reasons.size(); ++k) {
            CHECK(x.reasons[k].rule == y.reasons[k].rule);
            CHECK(x.reasons[k].code == y.reasons[k].code);
            CHECK(x.reasons[k].outcome == y.reasons[k].outcome);
            CHECK(x.reasons[k].message == y.reasons[k].message);
            CHECK(x.reasons[k].where.line == y.reasons[k].where.line);
        }
    }
}

// A batch, a simulation or a benchmark decides many applications into one Decision it
// keeps (evaluate(..., Decision& out)); whatever that Decision held, it must then be the
// decision evaluate() returns. The examples are decided in turn, larger and smaller ones,
// lean and explained, forwards and backwards.
TEST_CASE("a decision written into a reused Decision is the one evaluate returns",
          "[engine][lean]") {
    std::vector<std::pair<rules::Policy, Application>> cases;
    std::istringstream listed(slurp(root + "/tests/golden/decisions/cases.txt"));
    for (std::string line; std::getline(listed, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream words(line);
        std::string name, policy, application;
        words >> name >> policy >> application;
        const std::string path = root + "/" + application;
        LoadOptions options;
        options.credential_directory = path.substr(0, path.find_last_of('/'));
        LoadResult loaded = load_application(dsl::SourceFile(path, slurp(path)), options);
        REQUIRE(loaded.application);
        cases.emplace_back(policy_at(policy), *loaded.application);
    }
    REQUIRE(cases.size() >= 15);
    EvaluateOptions lean;
    lean.explain = false;
    lean.what_would_change = false;
    Decision kept;
    for (int pass = 0; pass < 2; ++pass) {
        for (std::size_t n = 0; n < cases.size(); ++n) {
            const auto& [policy, app] = cases[pass == 0 ? n : cases.size() - 1 - n];
            CAPTURE(app.id, pass);
            for (const EvaluateOptions& options : {lean, EvaluateOptions{}}) {
                evaluate(policy, app, options, kept);
                check_identical(kept, evaluate(policy, app, options));
            }
        }
    }
}

}  // namespace
}  // namespace mcre::engine
