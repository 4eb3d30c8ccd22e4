// Stacks: which stacks a portfolio completes, with which credentials, what a started one
// lacks, and that no credential counts twice.

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <random>
#include <string>

#include "dsl/diagnostic_render.hpp"
#include "engine/application_load.hpp"
#include "engine/decision_text.hpp"
#include "engine/evaluator.hpp"
#include "rules/checker.hpp"

namespace mcre::engine {
namespace {

rules::Policy law(const std::string& stacks) {
    const std::string text =
        "policy st {\n  title \"Stacks\"\n  jurisdiction GE\n"
        "  version \"1\"\n  in force from 2020-01-01\n" +
        stacks +
        "  rule workload require credential.workload between 3 ects and 30 ects\n"
        "    else reject WORKLOAD \"size\" cite \"art. 1\"\n}\n";
    dsl::SourceFile source("st.policy", text);
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

std::string credential(const std::string& id, const std::string& title, double ects,
                       const std::string& issued = "2026-01-10", const std::string& extra = "") {
    return "  - {id: " + id + ", kind: micro_credential, title: \"" + title +
           "\", ects: " + std::to_string(ects) + ", issued: " + issued +
           (extra.find("nqf_level") == std::string::npos ? ", nqf_level: 6" : "") +
           ", awarding_body: GTU, field: \"0613\"" + extra + "}\n";
}

const CredentialDecision& decided(const Decision& d, const std::string& id) {
    auto it = std::find_if(d.credentials.begin(), d.credentials.end(),
                           [&](const CredentialDecision& cd) { return cd.id == id; });
    REQUIRE(it != d.credentials.end());
    return *it;
}

const StackDecision* stack(const Decision& d, const std::string& name) {
    for (const StackDecision& s : d.stacks) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

const std::string data_stack =
    "  stack data {\n    title \"Certificate in Data\"\n"
    "    component python when credential.title == \"Python\"\n"
    "    component stats when credential.title == \"Statistics\"\n"
    "    component viz when credential.title == \"Visualisation\"\n"
    "    require all of python\n    require 1 of stats, viz\n"
    "    require each credential.level >= 6\n"
    "    require total at least 5 ects\n    require within 2 years\n"
    "    cite \"Order 7\"\n  }\n";

TEST_CASE("a completed stack yields a credential decided in place of its parts",
          "[engine][stack]") {
    Decision d =
        evaluate(law(data_stack), application(credential("c1", "Python", 2.5, "2025-03-01") +
                                              credential("c2", "Statistics", 2.5, "2025-09-01")));
    const StackDecision* s = stack(d, "data");
    REQUIRE(s);
    CHECK(s->complete);
    CHECK(s->credential == "data");
    CHECK(s->total_ects == 5);
    // Below the policy's 3 ECTS alone, they count as parts of the stack.
    for (const char* id : {"c1", "c2"}) {
        const CredentialDecision& part = decided(d, id);
        CHECK(part.status == Status::NotRecognized);
        CHECK(part.primary_code == "IN_STACK");
        CHECK(part.stacked_into == "data");
        CHECK(part.recognized_ects == 0);
    }
    const CredentialDecision& made = decided(d, "data");
    CHECK(made.formed_by_stack == "data");
    CHECK(made.title == "Certificate in Data");
    CHECK(made.status == Status::Recognized);
    CHECK(made.recognized_ects == 5);
    CHECK(made.issued == "2025-09-01");  // the last part's date
    CHECK(made.level_basis == "NQF 6 (the lowest of its parts' levels)");
    CHECK(made.workload_basis == "5 ECTS, its parts' 2.5 + 2.5 ECTS added up");
    CHECK(d.total_recognized == 5);
    std::string text = render_text(d);
    CHECK(text.find("data \"Certificate in Data\": complete, 5 ECTS -> credential data") !=
          std::string::npos);
    CHECK(text.find("viz: not needed") != std::string::npos);
}

TEST_CASE("n of a list takes the fewest credentials, then the least credit; the rest count alone",
          "[engine][stack]") {
    Decision d = evaluate(law(data_stack), application(credential("c1", "Python", 3) +
                                                       credential("c2", "Statistics", 4) +
                                                       credential("c3", "Visualisation", 3)));
    const StackDecision* s = stack(d, "data");
    REQUIRE(s);
    REQUIRE(s->complete);
    CHECK(s->parts[0].credential == "c1");
    CHECK(s->parts[1].credential.empty());
    CHECK(s->parts[2].credential == "c3");
    CHECK(decided(d, "c2").status == Status::Recognized);
    CHECK(decided(d, "c2").recognized_ects == 4);
    CHECK(decided(d, "data").recognized_ects == 6);
}

TEST_CASE("a started stack says what is still missing and why a credential did not fit",
          "[engine][stack]") {
    SECTION("a required component and the total") {
        Decision d = evaluate(law(data_stack), application(credential("c2", "Statistics", 4)));
        const StackDecision* s = stack(d, "data");
        REQUIRE(s);
        CHECK_FALSE(s->complete);
        CHECK(s->credential.empty());
        CHECK(s->missing == std::vector<std::string>{"component python",
                                                     "1 ECTS more: the parts held carry 4 "
                                                     "ECTS, the stack requires at least 5 "
                                                     "ECTS"});
        CHECK(s->parts[0].condition == "credential.title == \"Python\"");
        // Nothing is used: the statistics credential is decided alone.
        CHECK(decided(d, "c2").status == Status::Recognized);
        CHECK_FALSE(decided(d, "c2").stacked_into);
    }
    SECTION("a part below the stated level, and one someone else holds") {
        Decision d =
            evaluate(law(data_stack),
                     application(credential("c1", "Python", 3, "2026-01-10", ", nqf_level: 5") +
                                 credential("c2", "Statistics", 4, "2026-01-10", ", learner: L2")));
        const StackDecision* s = stack(d, "data");
        REQUIRE(s);
        CHECK_FALSE(s->complete);
        REQUIRE(s->parts[0].near_misses.size() == 1);
        CHECK(s->parts[0].near_misses[0].find("c1: the stack requires credential.level >= 6") == 0);
        REQUIRE(s->parts[1].near_misses.size() == 1);
        CHECK(s->parts[1].near_misses[0].find("c2: the credential was issued to L2") == 0);
    }
    SECTION("parts issued too far apart") {
        Decision d =
            evaluate(law(data_stack), application(credential("c1", "Python", 3, "2022-01-10") +
                                                  credential("c2", "Statistics", 4, "2026-01-10")));
        const StackDecision* s = stack(d, "data");
        REQUIRE(s);
        CHECK_FALSE(s->complete);
        CHECK(s->missing ==
              std::vector<std::string>{
                  "parts issued within 2 years of each other: those held were issued from "
                  "2022-01-10 to 2026-01-10"});
    }
}

TEST_CASE("a stack of which nothing is held does not appear", "[engine][stack]") {
    Decision d = evaluate(law(data_stack), application(credential("c9", "Cooking", 5)));
    CHECK(d.stacks.empty());
    CHECK(decided(d, "c9").status == Status::Recognized);
}

const std::string nested =
    "  stack inner {\n    title \"Inner certificate\"\n"
    "    component a when credential.title == \"A\"\n"
    "    component b when credential.title == \"B\"\n    cite \"Order 8\"\n  }\n"
    "  stack outer {\n    title \"Outer diploma\"\n"
    "    component core is stack inner\n"
    "    component c when credential.title == \"C\"\n"
    "    yields 12 ects at level 7\n    cite \"Order 9\"\n  }\n";

TEST_CASE("a stack inside a stack: the inner credential is a part of the outer",
          "[engine][stack]") {
    Decision d =
        evaluate(law(nested), application(credential("c1", "A", 2) + credential("c2", "B", 2) +
                                          credential("c3", "C", 2)));
    const StackDecision* inner = stack(d, "inner");
    const StackDecision* outer = stack(d, "outer");
    REQUIRE(inner);
    REQUIRE(outer);
    CHECK(inner->complete);
    CHECK(inner->used_in == "outer");
    CHECK(outer->complete);
    CHECK(outer->parts[0].credential == "inner");
    CHECK(outer->parts[0].stack == "inner");
    CHECK(decided(d, "inner").primary_code == "IN_STACK");
    CHECK(decided(d, "inner").stacked_into == "outer");
    const CredentialDecision& made = decided(d, "outer");
    CHECK(made.recognized_ects == 12);  // as the stack yields, not 6
    CHECK(made.level_basis == "NQF 7 (as stack outer yields)");
    CHECK(d.total_recognized == 12);
    std::string text = render_text(d);
    // The tree: the inner stack under the outer one's component.
    CHECK(text.find("    core: stack inner \"Inner certificate\": complete") != std::string::npos);
    CHECK(text.find("      a: c1 \"A\" (2 ECTS, 2026-01-10)") != std::string::npos);
}

TEST_CASE("a credential fills one part of one stack: no double counting", "[engine][stack]") {
    const std::string two =
        "  stack first {\n    title \"First\"\n"
        "    component a when credential.title == \"Shared\"\n    cite \"c\"\n  }\n"
        "  stack second {\n    title \"Second\"\n"
        "    component a when credential.title == \"Shared\"\n    cite \"c\"\n  }\n";
    Decision d = evaluate(law(two), application(credential("c1", "Shared", 4)));
    const StackDecision* first = stack(d, "first");
    const StackDecision* second = stack(d, "second");
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->complete);
    CHECK_FALSE(second->complete);
    REQUIRE(second->parts[0].near_misses.size() == 1);
    CHECK(second->parts[0].near_misses[0] == "c1: it is used in stack first");
    CHECK(d.total_recognized == 4);
}

TEST_CASE("components count alone when the policy says so", "[engine][stack]") {
    const std::string alone =
        "  stack pair {\n    title \"Pair\"\n"
        "    component a when credential.title == \"A\"\n"
        "    component b when credential.title == \"B\"\n"
        "    components count alone\n    cite \"c\"\n  }\n";
    Decision d =
        evaluate(law(alone), application(credential("c1", "A", 3) + credential("c2", "B", 4)));
    CHECK(decided(d, "c1").status == Status::Recognized);
    CHECK(decided(d, "c1").stacked_into == "pair");
    CHECK(decided(d, "pair").recognized_ects == 7);
    CHECK(d.total_recognized == 14);
}

TEST_CASE("a repeated or revoked credential is no part of a stack", "[engine][stack]") {
    Decision d = evaluate(law(nested),
                          application(credential("c1", "A", 2) + credential("c1", "A", 2) +
                                      credential("c2", "B", 2, "2026-01-10", ", revoked: true")));
    const StackDecision* inner = stack(d, "inner");
    REQUIRE(inner);
    CHECK_FALSE(inner->complete);
    CHECK(inner->parts[0].credential == "c1");
    REQUIRE(inner->parts[1].near_misses.size() == 1);
    CHECK(inner->parts[1].near_misses[0] == "c2: the issuer has revoked this credential");
}

// Random portfolios against a stack with two groups and a minimum total: the engine
// completes the stack exactly when some assignment of credentials to components does, and
// then with the fewest credentials, then the least credit.
TEST_CASE("stack completion and choice agree with brute force", "[engine][stack]") {
    const std::string policy_text =
        "  stack s {\n    title \"S\"\n"
        "    component a when credential.title in {\"A\", \"AB\"}\n"
        "    component b when credential.title in {\"B\", \"AB\"}\n"
        "    component c when credential.title == \"C\"\n"
        "    component d when credential.title in {\"C\", \"D\"}\n"
        "    require all of a\n    require 2 of b, c, d\n"
        "    require total at least 9 ects\n    cite \"c\"\n  }\n";
    rules::Policy policy = law(policy_text);
    const std::vector<std::string> titles = {"A", "B", "AB", "C", "D", "E"};
    auto fits = [](const std::string& t, int k) {
        switch (k) {
            case 0:
                return t == "A" || t == "AB";
            case 1:
                return t == "B" || t == "AB";
            case 2:
                return t == "C";
            default:
                return t == "C" || t == "D";
        }
    };
    std::mt19937 rng(7);
    int completed = 0;
    for (int round = 0; round < 300; ++round) {
        int n = 1 + static_cast<int>(rng() % 5);
        std::vector<std::string> title(static_cast<std::size_t>(n));
        std::vector<double> ects(static_cast<std::size_t>(n));
        std::string creds;
        for (int i = 0; i < n; ++i) {
            title[static_cast<std::size_t>(i)] = titles[rng() % titles.size()];
            ects[static_cast<std::size_t>(i)] = 1 + static_cast<double>(rng() % 6);
            creds += credential("c" + std::to_string(i), title[static_cast<std::size_t>(i)],
                                ects[static_cast<std::size_t>(i)]);
        }
        // Brute force: every component gets one distinct credential or none.
        bool possible = false;
        std::size_t best_used = 99;
        double best_ects = 1e9;
        std::vector<int> pick(4, -1);
        std::function<void(int)> go = [&](int k) {
            if (k == 4) {
                int bcd = (pick[1] >= 0) + (pick[2] >= 0) + (pick[3] >= 0);
                double total = 0;
                std::size_t used = 0;
                for (int p : pick) {
                    if (p >= 0) {
                        total += ects[static_cast<std::size_t>(p)];
                        ++used;
                    }
                }
                if (pick[0] >= 0 && bcd >= 2 && total >= 9) {
                    possible = true;
                    if (used < best_used || (used == best_used && total < best_ects)) {
                        best_used = used;
                        best_ects = total;
                    }
                }
                return;
            }
            pick[static_cast<std::size_t>(k)] = -1;
            go(k + 1);
            for (int i = 0; i < n; ++i) {
                if (!fits(title[static_cast<std::size_t>(i)], k)) continue;
                if (std::find(pick.begin(), pick.begin() + k, i) != pick.begin() + k) continue;
                pick[static_cast<std::size_t>(k)] = i;
                go(k + 1);
            }
            pick[static_cast<std::size_t>(k)] = -1;
        };
        go(0);
        Decision d = evaluate(policy, application(creds));
        const StackDecision* s = stack(d, "s");
        CAPTURE(round, creds);
        bool complete = s != nullptr && s->complete;
        REQUIRE(complete == possible);
        if (!complete) continue;
        ++completed;
        std::size_t used = 0;
        for (const StackPart& p : s->parts) used += p.credential.empty() ? 0 : 1;
        CHECK(used == best_used);
        CHECK(s->total_ects == Approx(best_ects));
    }
    CHECK(completed > 20);  // the random cases do exercise completion
}

}  // namespace
}  // namespace mcre::engine
