#include "engine/policy_test_report.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "engine/decision_text.hpp"
#include "rules/value.hpp"

namespace mcre::engine {

namespace {

std::string ects(double n) { return fmt::format("{} ECTS", rules::format_number(n)); }

// The reasons that decided the credential, the way an officer reads them in a decision.
void render_credential(const CredentialDecision& cd, std::string& out) {
    out += fmt::format("    {} is {}", cd.id, status_name(cd.status));
    if (cd.recognized_ects > 0 || cd.status == Status::Recognized ||
        cd.status == Status::PartiallyRecognized) {
        out += fmt::format(", {}", ects(cd.recognized_ects));
    }
    if (cd.reasons.empty()) {
        out += ": every check passed\n";
    } else {
        out += ", decided by:\n";
    }
    for (const Reason& r : cd.reasons) {
        std::string outcome = r.outcome == rules::Outcome::Warn ? "warning " : "";
        out +=
            fmt::format("      {}{}: {}\n", outcome, r.code, r.facts.empty() ? r.message : r.facts);
        std::string rule = "rule " + r.rule;
        std::string where = format_location(r.where);
        if (!where.empty()) rule += fmt::format(" [{}]", where);
        out += fmt::format("        {}\n", rule);
    }
    for (const CapCharge& c : cd.caps) {
        out += fmt::format("      charged to cap {}: {} ({} used before, {} left)\n", c.cap,
                           ects(c.charged), ects(c.used_before), ects(c.remaining));
    }
}

void render_failure(const FailedExpectation& f, std::string& out) {
    const rules::TestExpectation& x = f.expectation;
    out += fmt::format("  {}:{}: {}\n", x.where.file, x.where.line, x.text);
    std::size_t width = 0;
    for (const Mismatch& m : f.mismatches) width = std::max(width, m.aspect.size());
    for (const Mismatch& m : f.mismatches) {
        out += fmt::format("    {:<{}}  expected {}\n", m.aspect, width, m.expected);
        out += fmt::format("    {:<{}}  actual   {}\n", "", width, m.actual);
    }
    if (f.credential) render_credential(*f.credential, out);
}

}  // namespace

std::string test_title(const TestResult& r) {
    std::string title = fmt::format("{}.{}", r.policy, r.name);
    if (r.origin != r.policy) title += fmt::format(" (from {})", r.origin);
    return title;
}

std::string render_test_results(const std::vector<TestResult>& results) {
    std::string out;
    for (const TestResult& r : results) {
        if (r.passed()) {
            out += fmt::format("PASS {}\n", test_title(r));
            continue;
        }
        out += fmt::format("FAIL {} ({}:{})\n", test_title(r), r.where.file, r.where.line);
        if (!r.problem.empty()) {
            // Indented under the FAIL line, like the diffs.
            std::size_t start = 0;
            while (start < r.problem.size()) {
                std::size_t end = r.problem.find('\n', start);
                if (end == std::string::npos) end = r.problem.size();
                out += "  " + r.problem.substr(start, end - start) + "\n";
                start = end + 1;
            }
        }
        for (const FailedExpectation& f : r.failures) render_failure(f, out);
    }
    return out;
}

void TestTally::add(const std::vector<TestResult>& results) {
    for (const TestResult& r : results) {
        ++tests;
        if (r.passed()) {
            ++passed;
        } else {
            ++failed;
        }
    }
}

std::string render_test_summary(const TestTally& t) {
    std::string out = fmt::format("{} test{}, {} passed, {} failed", t.tests,
                                  t.tests == 1 ? "" : "s", t.passed, t.failed);
    if (t.unloaded_policies > 0) {
        out += fmt::format("; {} policy file{} did not load", t.unloaded_policies,
                           t.unloaded_policies == 1 ? "" : "s");
    }
    return out + "\n";
}

}  // namespace mcre::engine
