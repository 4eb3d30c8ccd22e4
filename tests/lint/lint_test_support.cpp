#include "tests/lint/lint_test_support.hpp"

#include <catch2/catch.hpp>

#include "dsl/diagnostic_render.hpp"
#include "rules/analysis/analyze.hpp"
#include "rules/checker.hpp"

namespace mcre::lint_test {

std::vector<dsl::Diagnostic> lint(const std::string& body) {
    dsl::SourceFile source("test.policy",
                           "policy test {\n"
                           "  title \"lint test\"\n"
                           "  jurisdiction GE\n"
                           "  version \"1\"\n"
                           "  in force from 2026-09-01\n" +
                               body + "\n}\n");
    rules::CheckResult checked = rules::load_policy(source);
    INFO(dsl::render_all(checked.diagnostics, source));
    REQUIRE(checked.policy.has_value());
    std::vector<dsl::Diagnostic> found = rules::analyze(*checked.policy, source);
    UNSCOPED_INFO(dsl::render_all(found, source));
    return found;
}

std::vector<dsl::Diagnostic> with_code(const std::vector<dsl::Diagnostic>& all,
                                       const std::string& code) {
    std::vector<dsl::Diagnostic> out;
    for (const dsl::Diagnostic& d : all) {
        if (d.code == code) out.push_back(d);
    }
    return out;
}

std::string notes_of(const dsl::Diagnostic& diagnostic) {
    std::string out;
    for (const dsl::DiagnosticNote& n : diagnostic.notes) out += n.message + "\n";
    return out;
}

}  // namespace mcre::lint_test
