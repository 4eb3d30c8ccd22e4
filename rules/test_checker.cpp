#include "rules/test_checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "rules/policy_test.hpp"
#include "rules/scope.hpp"

namespace mcre::rules {

namespace {

namespace ast = dsl::ast;

bool blank(const std::string& text) {
    return std::all_of(text.begin(), text.end(),
                       [](unsigned char c) { return std::isspace(c) != 0; });
}

// The statement as written, its line breaks and runs of blanks (what std::isspace calls
// space in the C locale) folded to one space; each run of other bytes appended at once.
std::string one_line(std::string_view text) {
    auto blank = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (true) {
        const std::size_t blanks = at;
        while (at < text.size() && blank(text[at])) ++at;
        if (at == text.size()) break;
        if (at != blanks && !out.empty()) out += ' ';
        const std::size_t word = at;
        while (at < text.size() && !blank(text[at])) ++at;
        out.append(text.substr(word, at - word));
    }
    return out;
}

class TestChecker {
  public:
    TestChecker(Policy& policy, const ast::Policy& written, const dsl::SourceFile& source,
                std::vector<dsl::Diagnostic>& out)
        : policy_(policy), written_(written), source_(source), out_(out) {}

    void run() {
        const bool had_errors = dsl::has_errors(out_);
        for (const ast::Test& t : written_.tests) add(t);
        for (const ast::Removal& removal : written_.removals) {
            if (removal.kind.name == "test") remove(removal);
        }
        // After an error a rule may be missing from the model, and its codes with it.
        if (!had_errors && !dsl::has_errors(out_)) warn_unknown_codes();
    }

  private:
    void error(const char* code, dsl::SourceSpan span, std::string message, std::string hint) {
        out_.push_back(dsl::Diagnostic{
            code, dsl::Severity::Error, span, std::move(message), std::move(hint), {}, {}});
    }

    [[nodiscard]] bool own(const PolicyTest& t) const { return t.origin == written_.id.name; }

    void add(const ast::Test& t) {
        auto inherited = std::find_if(policy_.tests.begin(), policy_.tests.end(),
                                      [&](const PolicyTest& x) { return x.name == t.name.name; });
        const bool from_base = inherited != policy_.tests.end() && !own(*inherited);
        auto [first, fresh] = defined_.emplace(t.name.name, t.name.span);
        if (!fresh) {
            dsl::Diagnostic d;
            d.code = "E2101";
            d.span = t.name.span;
            d.message = fmt::format("test '{}' is defined twice", t.name.name);
            d.hint = "give it another name, or delete one of the two tests";
            d.notes.push_back({"first defined here", first->second, true});
            out_.push_back(std::move(d));
            return;
        }
        if (from_base && !t.overrides) {
            const dsl::Location& there = inherited->where;
            dsl::Diagnostic d;
            d.code = "E2120";
            d.span = t.name.span;
            d.message = fmt::format("test '{}' is already defined by policy {}", t.name.name,
                                    inherited->origin);
            d.hint = fmt::format(
                "to change it here, write 'override test {} ...'; to drop it, 'remove test {} "
                "cite \"...\"'",
                t.name.name, t.name.name);
            d.notes.push_back(
                {fmt::format("first defined here: {}:{}:{}", there.file, there.line, there.column),
                 {},
                 false});
            out_.push_back(std::move(d));
            return;
        }
        if (!from_base && t.overrides) {
            error("E2121", t.name.span,
                  fmt::format("'override' but no inherited test is called '{}'", t.name.name),
                  written_.parent.name.empty()
                      ? "this policy extends no other; drop 'override'"
                      : fmt::format("policy {} has no such test; drop 'override' to add a new one",
                                    written_.parent.name));
            return;
        }
        auto checked = check(t);
        if (!checked) return;
        if (from_base) {
            *inherited = std::move(*checked);
        } else {
            policy_.tests.push_back(std::move(*checked));
        }
    }

    std::optional<PolicyTest> check(const ast::Test& t) {
        bool ok = true;
        PolicyTest test;
        test.name = t.name.name;
        test.where = source_.location(t.span);
        test.origin = written_.id.name;
        if (t.application_file.text.empty() && t.application_inline.span.end == 0) {
            // Neither was written: the parser requires one, so only an empty file name.
            error("E2603", t.application_file.span, "the application's file name is empty",
                  "name a YAML or JSON file relative to this policy, e.g. "
                  "\"../examples/gtu-network-admin.yaml\"");
            ok = false;
        } else if (!t.application_file.text.empty()) {
            test.application_file = t.application_file.text;
        } else if (blank(t.application_inline.text)) {
            error("E2603", t.application_inline.span, "the inline application is empty",
                  "write the application's YAML (docs/input-format.md) between the \"\"\"s");
            ok = false;
        } else {
            test.application_inline = t.application_inline.text;
            test.inline_at = source_.location(t.application_inline.span);
            const std::uint32_t begin = t.application_inline.span.begin;
            const std::size_t newline =
                begin == 0 ? std::string::npos : source_.text().rfind('\n', begin - 1);
            const std::size_t from = newline == std::string::npos ? 0 : newline + 1;
            test.inline_prefix = source_.text().substr(from, begin - from);
        }
        if (!t.as_of.text.empty()) {
            test.as_of = dsl::parse_date(t.as_of.text);
            if (!test.as_of) {
                error("E2004", t.as_of.span, fmt::format("'{}' is not a valid date", t.as_of.text),
                      "write dates as YYYY-MM-DD with a real month and day");
                ok = false;
            }
        }
        if (t.expectations.empty()) {
            error("E2602", t.name.span, fmt::format("test '{}' expects nothing", t.name.name),
                  "add what the policy must decide, e.g. expect \"c1\" recognized 6 ects");
            ok = false;
        }
        for (const ast::Expectation& e : t.expectations) {
            auto expectation = check(e);
            if (!expectation) {
                ok = false;
                continue;
            }
            test.expectations.push_back(std::move(*expectation));
        }
        if (!ok) return std::nullopt;
        return test;
    }

    std::optional<TestExpectation> check(const ast::Expectation& e) {
        bool ok = true;
        TestExpectation x;
        x.total = e.total;
        x.credential = e.credential.text;
        x.where = source_.location(e.span);
        x.text = one_line(
            std::string_view(source_.text()).substr(e.span.begin, e.span.end - e.span.begin));
        const std::string& status = e.status.name;
        if (!status.empty()) {
            auto known = std::find(status_words().begin(), status_words().end(), status);
            if (known == status_words().end()) {
                dsl::Diagnostic d;
                d.code = "E2601";
                d.span = e.status.span;
                d.message = fmt::format("unknown status '{}'", status);
                d.hint =
                    fmt::format("a credential's status is one of {}", join_names(status_words()));
                if (auto s = closest(status, status_words())) {
                    d.notes.push_back({fmt::format("did you mean '{}'?", *s), {}, false});
                }
                out_.push_back(std::move(d));
                ok = false;
            }
            x.status = status;
        }
        if (e.ects) {
            if (e.ects->text != "ects") {
                error("E2201", e.ects->span,
                      e.ects->text.empty()
                          ? std::string("the expected amount has no unit")
                          : fmt::format("the expected amount is in {}, not ECTS", e.ects->text),
                      fmt::format("recognized credit is counted in ECTS: write {} ects",
                                  format_number(e.ects->number)));
                ok = false;
            } else if (e.ects->number < 0) {
                error("E2301", e.ects->span, "the expected amount is below zero",
                      "recognized credit is zero or more ECTS");
                ok = false;
            }
            x.ects = e.ects->number;
        }
        for (const ast::Ident& code : e.because) x.because.push_back(code.name);
        for (const ast::Ident& code : e.not_because) x.not_because.push_back(code.name);
        if (!e.total && x.status.empty() && !x.ects && x.because.empty() && x.not_because.empty()) {
            error("E2602", e.span,
                  fmt::format("this expectation of credential \"{}\" checks nothing",
                              e.credential.text),
                  "state a status, an amount or reason codes: expect \"c1\" recognized 6 ects, "
                  "expect \"c2\" not_recognized because WORKLOAD");
            ok = false;
        }
        if (!ok) return std::nullopt;
        return x;
    }

    void remove(const ast::Removal& removal) {
        if (removal.cite.text.empty() || blank(removal.cite.text)) {
            error("E2111", removal.cite.span, "the citation is empty",
                  "name the clause this comes from, e.g. cite \"White paper, section 5(d)\"");
        }
        const std::string& name = removal.name.name;
        std::size_t removed = std::erase_if(
            policy_.tests, [&](const PolicyTest& t) { return t.name == name && !own(t); });
        if (removed > 0) return;
        dsl::Diagnostic d;
        d.code = "E2121";
        d.span = removal.name.span;
        d.message = fmt::format("no inherited test is called '{}'", name);
        d.hint = written_.parent.name.empty()
                     ? "this policy extends no other, so there is nothing to remove"
                     : fmt::format("policy {} has no such test", written_.parent.name);
        std::vector<std::string> inherited;
        for (const PolicyTest& t : policy_.tests) {
            if (!own(t)) inherited.push_back(t.name);
        }
        if (auto s = closest(name, inherited)) {
            d.notes.push_back({fmt::format("did you mean '{}'?", *s), {}, false});
        }
        out_.push_back(std::move(d));
    }

    // A code no check can give makes `because` always fail and `not because` always pass:
    // almost always a typo.
    void warn_unknown_codes() {
        std::vector<std::string> known = reason_codes(policy_);
        for (const ast::Test& t : written_.tests) {
            for (const ast::Expectation& e : t.expectations) {
                for (const auto* codes : {&e.because, &e.not_because}) {
                    for (const ast::Ident& code : *codes) {
                        if (std::find(known.begin(), known.end(), code.name) != known.end()) {
                            continue;
                        }
                        dsl::Diagnostic d;
                        d.code = "W3006";
                        d.severity = dsl::Severity::Warning;
                        d.span = code.span;
                        d.message = fmt::format("no check of policy {} gives the reason code '{}'",
                                                policy_.id, code.name);
                        d.hint =
                            "reason codes come from the outcomes of rules, exclusions and "
                            "exceptions, from caps (CAP_ and the cap's name) and from the "
                            "engine (DUPLICATE, REVOKED, EXPIRED_CREDENTIAL, ...)";
                        std::string upper;
                        for (char c : code.name) {
                            upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                        }
                        auto s = std::find(known.begin(), known.end(), upper) != known.end()
                                     ? std::optional<std::string>(upper)
                                     : closest(code.name, known);
                        if (s)
                            d.notes.push_back({fmt::format("did you mean '{}'?", *s), {}, false});
                        out_.push_back(std::move(d));
                    }
                }
            }
        }
    }

    Policy& policy_;
    const ast::Policy& written_;
    const dsl::SourceFile& source_;
    std::vector<dsl::Diagnostic>& out_;
    std::map<std::string, dsl::SourceSpan> defined_;  // the tests this file writes
};

}  // namespace

std::vector<std::string> reason_codes(const Policy& policy) {
    std::vector<std::string> codes;
    auto add = [&](std::string code) {
        if (!code.empty() && std::find(codes.begin(), codes.end(), code) == codes.end()) {
            codes.push_back(std::move(code));
        }
    };
    for (const Rule& rule : policy.rules) add(rule.code);
    for (const Exception& exception : policy.exceptions) {
        add(exception.code);
        // An exception's limit stands in for a cap and binds under its own name.
        if (exception.effect == ExceptionEffect::Limit) add(cap_code(exception.name));
    }
    for (const Cap& cap : policy.caps) add(cap.reason_code());
    for (std::string_view code : engine_reason_codes()) add(std::string(code));
    return codes;
}

void check_tests(Policy& policy, const dsl::ast::Policy& written, const dsl::SourceFile& source,
                 std::vector<dsl::Diagnostic>& out) {
    TestChecker(policy, written, source, out).run();
}

}  // namespace mcre::rules
