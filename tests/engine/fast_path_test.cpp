// Conditions over numbers, dates and stated text are evaluated on a fast path that builds
// no Value per node (engine/expression_eval.cpp, scalar()). It must answer exactly as the
// general path: every condition, sub-condition and cap limit of every shipped policy is
// evaluated both ways against every credential of the shipped examples and of a generated
// cohort that leaves facts out, and the two values must be equal, missing ones included.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/application_load.hpp"
#include "engine/cohort_generator.hpp"
#include "engine/expression_eval.hpp"
#include "rules/checker.hpp"
#include "rules/schema.hpp"

namespace mcre::engine {
namespace {

const std::string root = MCRE_SOURCE_DIR;

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Tally {
    int compared = 0;
    int missing = 0;
};

// The expression and each of its parts, both ways.
void compare_both_ways(const rules::Expr& e, const EvalContext& ctx, Tally& tally) {
    const rules::Value fast = evaluate_expr(e, ctx);
    const rules::Value reference = evaluate_expr_reference(e, ctx);
    CAPTURE(e.text, ctx.credential ? ctx.credential->id : "(none)");
    CHECK(fast.missing == reference.missing);
    CHECK(fast.type == reference.type);
    CHECK(fast.number == reference.number);
    CHECK(fast.text == reference.text);
    CHECK(fast.items.size() == reference.items.size());
    ++tally.compared;
    if (reference.missing) ++tally.missing;
    for (const rules::Expr& part : e.args) compare_both_ways(part, ctx, tally);
}

void compare_policy(const rules::Policy& policy, const Application& app, Tally& tally) {
    auto all = [&](const EvalContext& ctx) {
        for (const rules::Rule& rule : policy.rules) {
            if (rule.when) compare_both_ways(*rule.when, ctx, tally);
            compare_both_ways(rule.condition, ctx, tally);
        }
        for (const rules::Exception& x : policy.exceptions) {
            if (x.when) compare_both_ways(*x.when, ctx, tally);
            compare_both_ways(x.expr, ctx, tally);
        }
        for (const rules::Cap& cap : policy.caps) {
            if (cap.when) compare_both_ways(*cap.when, ctx, tally);
            compare_both_ways(cap.limit, ctx, tally);
        }
    };
    all(EvalContext{policy, app, nullptr, false});  // what caps and programme rules see
    for (const Credential& c : app.credentials) all(EvalContext{policy, app, &c, false});
}

std::vector<rules::Policy> shipped_policies() {
    std::vector<rules::Policy> policies;
    for (const auto& entry : std::filesystem::directory_iterator(root + "/policies")) {
        if (entry.path().extension() != ".policy") continue;
        const std::string path = entry.path().string();
        rules::CheckResult checked = rules::load_policy(dsl::SourceFile(path, slurp(path)));
        REQUIRE(checked.policy);
        policies.push_back(std::move(*checked.policy));
    }
    return policies;
}

TEST_CASE("the fast path answers as the general path on the shipped examples", "[engine][fast]") {
    const std::vector<rules::Policy> policies = shipped_policies();
    REQUIRE(policies.size() >= 4);
    Tally tally;
    int applications = 0;
    for (const auto& entry : std::filesystem::directory_iterator(root + "/examples")) {
        if (entry.path().extension() != ".yaml") continue;
        const std::string path = entry.path().string();
        LoadOptions options;
        options.credential_directory = entry.path().parent_path().string();
        LoadResult loaded = load_application(dsl::SourceFile(path, slurp(path)), options);
        if (!loaded.application) continue;  // some examples are other documents
        for (const rules::Policy& policy : policies)
            compare_policy(policy, *loaded.application, tally);
        ++applications;
    }
    CHECK(applications >= 5);
    CHECK(tally.compared > 1000);
}

TEST_CASE("the fast path answers as the general path on a cohort with facts left out",
          "[engine][fast]") {
    const std::vector<rules::Policy> policies = shipped_policies();
    Tally tally;
    CohortSpec spec;
    spec.seed = 2026;
    spec.jurisdiction = CohortJurisdiction::Both;
    for (std::uint64_t i = 0; i < 300; ++i) {
        Application app = generate_application(spec, i);
        // Every third credential loses a fact or two, so that missing values are compared.
        for (std::size_t k = 0; k < app.credentials.size(); ++k) {
            Credential& c = app.credentials[k];
            switch ((i + k) % 6) {
                case 0:
                    c.ects.reset();
                    c.nqf_level.reset();
                    break;
                case 2:
                    c.issued.reset();
                    c.qa.reset();
                    break;
                case 4:
                    c.kind.reset();
                    c.hours.reset();
                    break;
                default:
                    break;
            }
        }
        if (i % 5 == 0) app.programme.kind.reset();
        for (const rules::Policy& policy : policies) compare_policy(policy, app, tally);
    }
    CHECK(tally.compared > 10000);
    CHECK(tally.missing > 100);
}

TEST_CASE("presence of every attribute is told the same both ways", "[engine][fast]") {
    const std::vector<rules::Policy> policies = shipped_policies();
    CohortSpec spec;
    spec.seed = 7;
    Tally tally;
    for (std::uint64_t i = 0; i < 60; ++i) {
        Application app = generate_application(spec, i);
        if (i % 2 == 0) {
            app.programme.title.reset();
            app.jurisdiction.reset();
            for (Credential& c : app.credentials) {
                c.title.reset();
                c.learner.reset();
                c.expires.reset();
                c.awarding_body.reset();
            }
        }
        for (const rules::AttrInfo& attribute : rules::all_attributes()) {
            for (const rules::Op op : {rules::Op::IsPresent, rules::Op::IsMissing}) {
                rules::Expr subject;
                subject.op = rules::Op::Attribute;
                subject.attribute = attribute.attr;
                subject.type = attribute.type;
                subject.text = std::string(attribute.path);
                rules::Expr test;
                test.op = op;
                test.type = rules::Type::Bool;
                test.text =
                    subject.text + (op == rules::Op::IsPresent ? " is present" : " is missing");
                test.args.push_back(subject);
                const EvalContext programme_only{policies.front(), app, nullptr, false};
                compare_both_ways(test, programme_only, tally);
                for (const Credential& c : app.credentials)
                    compare_both_ways(test, EvalContext{policies.front(), app, &c, false}, tally);
            }
        }
    }
    CHECK(tally.compared > 1000);
}

}  // namespace
}  // namespace mcre::engine
