#include "engine/policy_tests.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dsl/diagnostic_render.hpp"
#include "engine/application_load.hpp"
#include "engine/evaluator.hpp"
#include "engine/expression_eval.hpp"
#include "engine/overrides.hpp"
#include "rules/value.hpp"

namespace mcre::engine {

namespace {

namespace fs = std::filesystem;

std::string ects(double n) { return fmt::format("{} ECTS", rules::format_number(n)); }

std::string codes_text(const std::vector<std::string>& codes) {
    return fmt::format("{}", fmt::join(codes, ", "));
}

// The codes of the reasons a credential was decided by (failures and warnings).
std::vector<std::string> reason_codes_of(const CredentialDecision& cd) {
    std::vector<std::string> codes;
    for (const Reason& r : cd.reasons) {
        if (std::find(codes.begin(), codes.end(), r.code) == codes.end()) codes.push_back(r.code);
    }
    return codes;
}

std::string because_text(const std::vector<std::string>& codes) {
    return codes.empty() ? "no reasons (every check passed)" : "because " + codes_text(codes);
}

const CredentialDecision* find_credential(const Decision& d, const std::string& id) {
    for (const CredentialDecision& cd : d.credentials) {
        if (cd.id == id) return &cd;
    }
    return nullptr;
}

// The inline YAML as a source whose offsets are those of the policy file: blank lines and
// spaces stand in for the policy text before it, so the application loader's positions
// are the policy's line and column. With `shown`, the text before it on its first line is
// the policy's own, for messages (when it is ASCII, so that offsets stay the same).
dsl::SourceFile inline_source(const rules::PolicyTest& test, bool shown) {
    std::string text(static_cast<std::size_t>(std::max(0, test.inline_at.line - 1)), '\n');
    const auto columns = static_cast<std::size_t>(std::max(0, test.inline_at.column - 1));
    if (shown && test.inline_prefix.size() == columns) {
        text += test.inline_prefix;
    } else {
        text.append(columns, ' ');
    }
    text += test.application_inline;
    return dsl::SourceFile(test.where.file, std::move(text));
}

std::string where_text(const dsl::Location& where) {
    return fmt::format("{}:{}:{}", where.file, where.line, where.column);
}

}  // namespace

TestApplication load_test_application(const rules::Policy& policy, const rules::PolicyTest& test,
                                      const TestRunOptions& options) {
    TestApplication out;
    std::optional<dsl::SourceFile> parsed;  // when it differs from what messages show
    if (test.application_file.empty()) {
        out.source = inline_source(test, true);
        parsed = inline_source(test, false);
    } else {
        fs::path dir = !options.directory.empty() && test.origin == policy.id
                           ? fs::path(options.directory)
                           : fs::path(test.where.file).parent_path();
        if (!options.root.empty() && dir.is_relative()) dir = fs::path(options.root) / dir;
        fs::path path = (dir / test.application_file).lexically_normal();
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            std::error_code ec;
            out.problem = fmt::format(
                "{}: error: test '{}': cannot read the application '{}' ({}: {})\n"
                "  = hint: the path is relative to the directory of {}\n",
                where_text(test.where), test.name, test.application_file, path.string(),
                fs::exists(path, ec) ? "not readable" : "no such file", test.where.file);
            return out;
        }
        std::ostringstream text;
        text << in.rdbuf();
        out.source = dsl::SourceFile(path.string(), text.str());
    }
    LoadResult loaded = load_application(parsed ? *parsed : *out.source);
    out.application = std::move(loaded.application);
    out.diagnostics = std::move(loaded.diagnostics);
    if (!out.application) {
        out.problem = fmt::format("{}: error: test '{}': its application is not valid\n{}",
                                  where_text(test.where), test.name,
                                  dsl::render_all(out.diagnostics, *out.source));
        return out;
    }
    // As `mcre evaluate` does: an override the policy forbids is an error, never a decision.
    std::vector<dsl::Diagnostic> forbidden = check_overrides(policy, *out.application);
    if (!forbidden.empty()) {
        out.problem = fmt::format(
            "{}: error: test '{}': its application has an override the policy forbids\n{}",
            where_text(test.where), test.name, dsl::render_all(forbidden, *out.source));
        out.application.reset();
        out.diagnostics = std::move(forbidden);
    }
    return out;
}

std::vector<Mismatch> compare(const rules::TestExpectation& x, const Decision& d) {
    std::vector<Mismatch> out;
    if (x.total) {
        if (x.ects && compare_numbers(d.total_recognized, *x.ects) != 0) {
            out.push_back({"total", ects(*x.ects), ects(d.total_recognized)});
        }
        return out;
    }
    const CredentialDecision* cd = find_credential(d, x.credential);
    if (cd == nullptr) {
        std::vector<std::string> ids;
        for (const CredentialDecision& c : d.credentials) ids.push_back(c.id);
        out.push_back({"credential", fmt::format("a credential \"{}\"", x.credential),
                       ids.empty() ? "the application has no credentials"
                                   : "the application has only " + codes_text(ids)});
        return out;
    }
    if (!x.status.empty() && x.status != status_name(cd->status)) {
        out.push_back({"status", x.status, status_name(cd->status)});
    }
    if (x.ects && compare_numbers(cd->recognized_ects, *x.ects) != 0) {
        out.push_back({"ECTS", ects(*x.ects), ects(cd->recognized_ects)});
    }
    std::vector<std::string> actual = reason_codes_of(*cd);
    auto has = [&](const std::string& code) {
        return std::find(actual.begin(), actual.end(), code) != actual.end();
    };
    std::vector<std::string> lacking;
    for (const std::string& code : x.because) {
        if (!has(code)) lacking.push_back(code);
    }
    if (!lacking.empty())
        out.push_back({"reasons", "because " + codes_text(lacking), because_text(actual)});
    std::vector<std::string> unwanted;
    for (const std::string& code : x.not_because) {
        if (has(code)) unwanted.push_back(code);
    }
    if (!unwanted.empty())
        out.push_back({"reasons", "not because " + codes_text(unwanted), because_text(actual)});
    return out;
}

TestResult run_policy_test(const rules::Policy& policy, const rules::PolicyTest& test,
                           const TestRunOptions& options) {
    TestResult result;
    result.name = test.name;
    result.origin = test.origin;
    result.policy = policy.id;
    result.where = test.where;
    TestApplication loaded = load_test_application(policy, test, options);
    if (!loaded.application) {
        result.problem = std::move(loaded.problem);
        return result;
    }
    Application& application = *loaded.application;
    if (test.as_of) application.values_as_of = test.as_of;
    Decision decision = evaluate(policy, application);
    for (const rules::TestExpectation& x : test.expectations) {
        std::vector<Mismatch> mismatches = compare(x, decision);
        if (mismatches.empty()) continue;
        FailedExpectation failed{x, std::move(mismatches), std::nullopt};
        if (!x.total) {
            if (const CredentialDecision* cd = find_credential(decision, x.credential)) {
                failed.credential = *cd;
            }
        }
        result.failures.push_back(std::move(failed));
    }
    result.application = std::move(application);
    result.decision = std::move(decision);
    return result;
}

std::vector<TestResult> run_policy_tests(const rules::Policy& policy,
                                         const TestRunOptions& options) {
    std::vector<TestResult> results;
    results.reserve(policy.tests.size());
    for (const rules::PolicyTest& test : policy.tests) {
        results.push_back(run_policy_test(policy, test, options));
    }
    return results;
}

}  // namespace mcre::engine
