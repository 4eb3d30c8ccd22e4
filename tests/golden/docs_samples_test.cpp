// Sample outputs in the docs are real: every fenced block introduced by a comment
//   <!-- sample: evaluate POLICY APPLICATION [text|json|markdown|html] -->
//        (for an application with an override the policy forbids: the errors)
//   <!-- sample: load APPLICATION -->
//   <!-- sample: check POLICY -->
//   <!-- sample: test [--coverage] POLICY... -->
//   <!-- sample: plan POLICY APPLICATION CATALOGUE TARGET [text|json] -->
// on the line right before its fence is an excerpt of what the libraries print for that
// input. Every non-empty line of the block must be a line of the real output, in order;
// lines of the output may be skipped, and a block line that is only "..." is skipped.

#include <algorithm>
#include <catch2/catch.hpp>
#include <exception>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "dsl/diagnostic_render.hpp"
#include "engine/application_load.hpp"
#include "engine/decision_json.hpp"
#include "engine/decision_text.hpp"
#include "engine/evaluator.hpp"
#include "engine/overrides.hpp"
#include "engine/plan_render.hpp"
#include "engine/planner.hpp"
#include "engine/policy_coverage.hpp"
#include "engine/policy_test_report.hpp"
#include "engine/policy_tests.hpp"
#include "engine/statement.hpp"
#include "rules/checker.hpp"
#include "tests/support/files.hpp"

namespace mcre {
namespace {

struct Sample {
    std::string doc;                 // "docs/officer-guide.md"
    std::size_t comment_line = 0;    // 1-based; the block's first line is two below it
    std::vector<std::string> words;  // after "sample:": the command and its arguments
    std::vector<std::string> lines;  // the block's lines, without the fences
    std::string problem;             // a malformed sample, reported as a failure
};

std::string trim(const std::string& s) {
    auto begin = s.find_first_not_of(" \t");
    if (begin == std::string::npos) return "";
    auto end = s.find_last_not_of(" \t");
    return s.substr(begin, end - begin + 1);
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

std::vector<Sample> samples_in(const std::string& doc, const std::string& markdown) {
    std::vector<Sample> samples;
    std::vector<std::string> lines = split_lines(markdown);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string comment = trim(lines[i]);
        if (comment.rfind("<!-- sample", 0) != 0) continue;
        Sample s;
        s.doc = doc;
        s.comment_line = i + 1;
        const std::string open = "<!-- sample:";
        const std::string close = "-->";
        if (comment.rfind(open, 0) != 0 || comment.size() < open.size() + close.size() ||
            comment.compare(comment.size() - close.size(), close.size(), close) != 0) {
            s.problem = "malformed sample comment: " + comment;
            samples.push_back(s);
            continue;
        }
        std::istringstream words(
            comment.substr(open.size(), comment.size() - open.size() - close.size()));
        for (std::string w; words >> w;) s.words.push_back(w);
        if (i + 1 >= lines.size() || lines[i + 1].rfind("```", 0) != 0) {
            s.problem = "a sample comment must be followed directly by a ``` fence";
            samples.push_back(s);
            continue;
        }
        std::size_t j = i + 2;
        for (; j < lines.size() && lines[j].rfind("```", 0) != 0; ++j) s.lines.push_back(lines[j]);
        if (j >= lines.size()) s.problem = "the sample's fence is never closed";
        samples.push_back(s);
        i = j;
    }
    return samples;
}

std::vector<Sample> all_samples() {
    std::vector<Sample> samples;
    for (const std::string& path : test::files_in(test::source_path("docs"), ".md")) {
        std::string doc = "docs/" + path.substr(path.find_last_of('/') + 1);
        auto found = samples_in(doc, test::read_text(path));
        samples.insert(samples.end(), found.begin(), found.end());
    }
    return samples;
}

// Named by the relative path, so output does not depend on where the checkout is.
dsl::SourceFile source_file(const std::string& relative) {
    return dsl::SourceFile(relative, test::read_text(test::source_path(relative)));
}

// Credential documents (`elm:` entries) are read beside the application, as `mcre evaluate`
// does.
engine::LoadOptions beside(const std::string& application) {
    engine::LoadOptions options;
    options.credential_directory =
        std::filesystem::path(test::source_path(application)).parent_path().string();
    return options;
}

// Finds the policy a sample's policy extends beside it, named by its relative path too.
rules::PolicyFinder relative_finder(const std::string& relative) {
    std::string dir = std::filesystem::path(relative).parent_path().string();
    rules::PolicyFinder beside = rules::sibling_finder(test::source_path(relative));
    return [dir, beside](const std::string& id) -> std::optional<dsl::SourceFile> {
        auto found = beside(id);
        if (!found) return found;
        std::string name = std::filesystem::path(found->name()).filename().string();
        return dsl::SourceFile(dir + "/" + name, found->text());
    };
}

// What `mcre test [--coverage] POLICY...` prints on stdout.
std::string test_output(const std::vector<std::string>& w, std::string& problem) {
    const bool coverage = w.size() > 1 && w[1] == "--coverage";
    engine::TestRunOptions options;
    options.root = test::source_path("");
    engine::TestTally tally;
    std::vector<engine::PolicyCoverage> coverages;
    std::string out;
    for (std::size_t i = coverage ? 2 : 1; i < w.size(); ++i) {
        dsl::SourceFile policy_source = source_file(w[i]);
        rules::CheckResult checked = rules::load_policy(policy_source, relative_finder(w[i]));
        if (!checked.policy) {
            problem =
                "the policy does not load:\n" + dsl::render_all(checked.diagnostics, policy_source);
            return "";
        }
        std::vector<engine::TestResult> results =
            engine::run_policy_tests(*checked.policy, options);
        out += engine::render_test_results(results);
        tally.add(results);
        if (coverage) coverages.push_back(engine::measure_coverage(*checked.policy, results));
    }
    for (const engine::PolicyCoverage& c : coverages) out += "\n" + engine::render_coverage(c);
    if (coverages.size() > 1) out += "\n" + engine::render_coverage_total(coverages);
    if (coverage) out += "\n";
    return out + engine::render_test_summary(tally);
}

// What `mcre plan --policy P --application A --catalogue C --target T [--format F]` prints.
std::string plan_output(const std::vector<std::string>& w, std::string& problem) {
    const std::string format = w.size() == 6 ? w[5] : "text";
    if (format != "text" && format != "json") {
        problem = "format is text or json, not '" + format + "'";
        return "";
    }
    dsl::SourceFile policy_source = source_file(w[1]);
    rules::CheckResult checked = rules::load_policy(policy_source, relative_finder(w[1]));
    dsl::SourceFile app_source = source_file(w[2]);
    engine::LoadResult loaded = engine::load_application(app_source, beside(w[2]));
    dsl::SourceFile catalogue_source = source_file(w[3]);
    engine::CatalogueLoadResult catalogue = engine::load_catalogue(catalogue_source, beside(w[3]));
    if (!checked.policy || !loaded.application) {
        problem = "the policy or the application does not load:\n" +
                  dsl::render_all(checked.diagnostics, policy_source) +
                  dsl::render_all(loaded.diagnostics, app_source);
        return "";
    }
    // A catalogue with errors: `mcre plan` prints them and plans nothing.
    if (!catalogue.catalogue) return dsl::render_all(catalogue.diagnostics, catalogue_source);
    engine::Plan plan =
        engine::plan(*checked.policy, *loaded.application, *catalogue.catalogue, w[4]);
    return format == "json" ? engine::render_plan_json(plan) : engine::render_plan_text(plan);
}

// The real output for a sample, or "" with `problem` set when the sample cannot be run.
std::string real_output(const std::vector<std::string>& w, std::string& problem) {
    const std::string command = w.empty() ? "" : w[0];
    if (command == "evaluate" && (w.size() == 3 || w.size() == 4)) {
        const std::string format = w.size() == 4 ? w[3] : "text";
        if (format != "text" && format != "json" && format != "markdown" && format != "html") {
            problem = "format is text, json, markdown or html, not '" + format + "'";
            return "";
        }
        dsl::SourceFile policy_source = source_file(w[1]);
        rules::CheckResult checked = rules::load_policy(policy_source, relative_finder(w[1]));
        if (!checked.policy) {
            problem =
                "the policy does not load:\n" + dsl::render_all(checked.diagnostics, policy_source);
            return "";
        }
        dsl::SourceFile app_source = source_file(w[2]);
        engine::LoadResult loaded = engine::load_application(app_source, beside(w[2]));
        if (!loaded.application) {
            problem = "the application does not load:\n" +
                      dsl::render_all(loaded.diagnostics, app_source);
            return "";
        }
        // An override the policy forbids: `mcre evaluate` prints the errors and decides nothing.
        std::vector<dsl::Diagnostic> forbidden =
            engine::check_overrides(*checked.policy, *loaded.application);
        if (!forbidden.empty()) return dsl::render_all(forbidden, app_source);
        engine::Decision decision = engine::evaluate(*checked.policy, *loaded.application);
        if (format == "json") return engine::render_json(decision);
        if (format == "markdown") {
            return engine::render_statement_markdown(engine::build_statement(decision));
        }
        if (format == "html")
            return engine::render_statement_html(engine::build_statement(decision));
        return engine::render_text(decision);
    }
    if (command == "load" && w.size() == 2) {
        dsl::SourceFile app_source = source_file(w[1]);
        return dsl::render_all(engine::load_application(app_source, beside(w[1])).diagnostics,
                               app_source);
    }
    if (command == "check" && w.size() == 2) {
        dsl::SourceFile policy_source = source_file(w[1]);
        return dsl::render_all(rules::load_policy(policy_source, relative_finder(w[1])).diagnostics,
                               policy_source);
    }
    if (command == "test" && w.size() >= 2 && !(w.size() == 2 && w[1] == "--coverage")) {
        return test_output(w, problem);
    }
    if (command == "plan" && (w.size() == 5 || w.size() == 6)) {
        return plan_output(w, problem);
    }
    problem =
        "unknown sample command; use 'evaluate POLICY APPLICATION [text|json|markdown|html]', "
        "'load APPLICATION', 'check POLICY', 'test [--coverage] POLICY...' or 'plan POLICY "
        "APPLICATION CATALOGUE TARGET [text|json]'";
    return "";
}

// Index of the first sample line that is not found, in order, among the output's lines;
// nullopt when all are. Greedy earliest matching finds the longest prefix that matches.
std::optional<std::size_t> first_unmatched(const std::vector<std::string>& sample,
                                           const std::vector<std::string>& output) {
    std::size_t next = 0;
    for (std::size_t i = 0; i < sample.size(); ++i) {
        if (sample[i].empty() || trim(sample[i]) == "...") continue;
        while (next < output.size() && output[next] != sample[i]) ++next;
        if (next == output.size()) return i;
        ++next;
    }
    return std::nullopt;
}

TEST_CASE("sample outputs in the docs are real output", "[golden][docs]") {
    std::vector<Sample> samples = all_samples();
    // Guards against a scan that silently finds nothing.
    REQUIRE(samples.size() >= 3);
    for (const Sample& s : samples) {
        DYNAMIC_SECTION(s.doc << ":" << s.comment_line) {
            const std::string where = s.doc + ":" + std::to_string(s.comment_line);
            if (!s.problem.empty()) FAIL(where << ": " << s.problem);
            std::string problem;
            std::string output;
            try {
                output = real_output(s.words, problem);
            } catch (const std::exception& e) {
                problem = e.what();
            }
            if (!problem.empty()) FAIL(where << ": " << problem);
            bool shows_something = std::any_of(s.lines.begin(), s.lines.end(), [](const auto& l) {
                return !l.empty() && trim(l) != "...";
            });
            if (!shows_something) FAIL(where << ": the sample block shows no line");

            std::vector<std::string> output_lines = split_lines(output);
            auto missing = first_unmatched(s.lines, output_lines);
            std::string report;
            if (missing) {
                const std::string& line = s.lines[*missing];
                bool elsewhere =
                    std::find(output_lines.begin(), output_lines.end(), line) != output_lines.end();
                report = s.doc + ":" + std::to_string(s.comment_line + 2 + *missing) + ": " +
                         (elsewhere ? "this sample line is in the real output, but not after the "
                                      "sample's previous lines:\n"
                                    : "this sample line is not a line of the real output:\n") +
                         line + "\n--- real output ---\n" + output;
            }
            INFO(report);
            CHECK_FALSE(missing.has_value());
        }
    }
}

}  // namespace
}  // namespace mcre
