// libFuzzer target: the policy language front end on arbitrary bytes (docs/robustness.md).
// Parse, check (an `extends` finds the shipped policies), render every diagnostic, analyze
// and format a policy that checks, and evaluate it on the main example application.
// Bad input must come back as diagnostics; nothing may crash, leak or hang.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "dsl/diagnostic_render.hpp"
#include "dsl/format/formatter.hpp"
#include "dsl/parser.hpp"
#include "engine/application_load.hpp"
#include "engine/evaluator.hpp"
#include "fuzz/fuzz_support.hpp"
#include "rules/analysis/analyze.hpp"
#include "rules/checker.hpp"

namespace {

using namespace mcre;

const std::map<std::string, std::string>& shipped_policies() {
    static const std::map<std::string, std::string> texts = {
        {"eu_baseline", fuzz::read_source_file("policies/eu-baseline.policy")},
        {"georgia", fuzz::read_source_file("policies/georgia.policy")},
        {"armenia", fuzz::read_source_file("policies/armenia.policy")},
        {"spain_rd822", fuzz::read_source_file("policies/spain-rd822.policy")},
        {"italy_l240", fuzz::read_source_file("policies/italy-l240.policy")},
    };
    return texts;
}

std::optional<dsl::SourceFile> find_shipped(const std::string& id) {
    const auto& texts = shipped_policies();
    auto it = texts.find(id);
    if (it == texts.end()) return std::nullopt;
    return dsl::SourceFile("policies/" + id + ".policy", it->second);
}

const engine::Application& example_application() {
    static const engine::Application app = [] {
        dsl::SourceFile source("examples/gtu-network-admin.yaml",
                               fuzz::read_source_file("examples/gtu-network-admin.yaml"));
        engine::LoadResult loaded = engine::load_application(source);
        if (!loaded.application) fuzz::fail("the example application does not load");
        return *loaded.application;
    }();
    return app;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)shipped_policies();
    (void)example_application();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const dsl::SourceFile source("fuzz.policy",
                                 std::string(reinterpret_cast<const char*>(data), size));
    const dsl::ParseResult parsed = dsl::parse(source);
    MCRE_FUZZ_EXPECT(parsed.policy.has_value() || !parsed.diagnostics.empty(),
                     "a refused policy says why");
    (void)dsl::render_all(parsed.diagnostics, source);
    if (!parsed.policy) return 0;

    // Formatting a policy that parses succeeds, and is stable: formatting twice changes nothing.
    const dsl::FormatResult formatted = dsl::format_policy(source);
    MCRE_FUZZ_EXPECT(formatted.text.has_value(), "a policy that parses formats");
    const dsl::SourceFile again("fuzz.policy", *formatted.text);
    const dsl::FormatResult twice = dsl::format_policy(again);
    MCRE_FUZZ_EXPECT(twice.text && *twice.text == *formatted.text, "formatting is idempotent");

    const rules::CheckResult checked = rules::load_policy(source, find_shipped);
    MCRE_FUZZ_EXPECT(checked.policy.has_value() || !checked.diagnostics.empty(),
                     "a rejected policy says why");
    (void)dsl::render_all(checked.diagnostics, source);
    if (!checked.policy) return 0;

    (void)dsl::render_all(rules::analyze(*checked.policy, source), source);
    engine::EvaluateOptions lean;
    lean.explain = false;
    lean.what_would_change = false;
    const engine::Decision quick = engine::evaluate(*checked.policy, example_application(), lean);
    const engine::Decision full = engine::evaluate(*checked.policy, example_application());
    fuzz::check_decision(full);
    fuzz::check_same_outcome(full, quick);
    return 0;
}
