// libFuzzer target: the application reader on arbitrary bytes (docs/robustness.md).
// The same bytes go to the YAML/JSON application loader and to the reader of issued
// credentials (Europass ELM and Open Badges 3.0 JSON-LD). Every problem must come back as
// a positioned diagnostic; an application that loads is then decided under the Georgian
// policy, and the decision must keep the invariants.

#include <cstddef>
#include <cstdint>
#include <string>

#include "dsl/diagnostic_render.hpp"
#include "engine/application_load.hpp"
#include "engine/decision_json.hpp"
#include "engine/decision_text.hpp"
#include "engine/elm_load.hpp"
#include "engine/evaluator.hpp"
#include "fuzz/fuzz_support.hpp"
#include "rules/checker.hpp"

namespace {

using namespace mcre;

const rules::Policy& georgia() {
    static const rules::Policy policy = [] {
        // By its full name: its parent (extends eu_baseline) is found beside it, whatever
        // the working directory (ctest replays from the build tree).
        dsl::SourceFile source(std::string(MCRE_SOURCE_DIR) + "/policies/georgia.policy",
                               fuzz::read_source_file("policies/georgia.policy"));
        rules::CheckResult checked = rules::load_policy(source);
        if (!checked.policy) fuzz::fail("policies/georgia.policy does not check");
        return *checked.policy;
    }();
    return policy;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)georgia();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const dsl::SourceFile source("fuzz.yaml", text);
    const engine::LoadResult loaded = engine::load_application(source);
    MCRE_FUZZ_EXPECT(loaded.application.has_value() || !loaded.diagnostics.empty(),
                     "a refused application says why");
    for (const dsl::Diagnostic& d : loaded.diagnostics) {
        if (d.severity == dsl::Severity::Error) {
            MCRE_FUZZ_EXPECT(!loaded.application.has_value(), "an error refuses the application");
        }
    }
    (void)dsl::render_all(loaded.diagnostics, source);

    const engine::ElmReadResult issued = engine::read_elm_credential(source);
    MCRE_FUZZ_EXPECT(issued.credential.has_value() != !issued.problems.empty(),
                     "an issued credential is read exactly when there is no problem");

    if (loaded.application) {
        const engine::Decision decision = engine::evaluate(georgia(), *loaded.application);
        fuzz::check_decision(decision);
        fuzz::check_own_ects(decision);
        // What `mcre evaluate` writes: the learner's own text goes into both.
        (void)engine::render_json(decision);
        (void)engine::render_text(decision);
    }
    return 0;
}
