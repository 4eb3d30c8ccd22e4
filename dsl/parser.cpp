// The one translation unit that compiles the Spirit grammar.

#include "dsl/parser.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "dsl/detail/grammar_def.hpp"
#include "dsl/policy_input.hpp"

namespace mcre::dsl {

namespace detail {

std::string describe_expected(const std::string& which) {
    if (which.empty()) return "something else";
    // A parser without a description of its own (grammar_def.hpp names rules, actions and
    // lists): Spirit describes it by its C++ type, whose spelling is the compiler's.
    if (which.find("spirit") != std::string::npos) {
        return "a value (a number with its unit, a date, text)";
    }
    bool word_like = std::all_of(which.begin(), which.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
    if (word_like) return "'" + which + "'";
    if (which == "\"->\"" || which == "'->'") return "'->'";
    if (which.size() == 3 && which.front() == '\'' && which.back() == '\'') return which;
    return which;
}

const char* skip_blanks_and_comments(const char* at, const char* end) {
    while (at != end) {
        if (*at == ' ' || *at == '\t' || *at == '\r' || *at == '\n') {
            ++at;
        } else if (*at == '#') {
            while (at != end && *at != '\n') ++at;
        } else {
            break;
        }
    }
    return at;
}

std::string describe_found(const char* where, const char* end) {
    while (where != end && (*where == ' ' || *where == '\t')) ++where;
    if (where == end) return "the end of the file";
    if (*where == '\n' || *where == '\r') return "the end of the line";
    auto is_word_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
               (static_cast<unsigned char>(c) & 0x80) != 0;
    };
    const char* stop = where;
    while (stop != end && is_word_char(*stop)) ++stop;
    if (stop == where) {
        if (*where == '"') return "a text in double quotes";
        return std::string("'") + *where + "'";
    }
    return "'" + std::string(where, stop) + "'";
}

std::string hint_for(const std::string& which) {
    if (which == "cite \"...\"") {
        return "every param, table, convert, allocate, rule, exclude and cap names its legal "
               "source: end it with cite \"...\"";
    }
    if (which == "require")
        return "a rule reads: rule NAME [for KINDS] [in PROGRAMMES] "
               "[when CONDITION] require CONDITION else OUTCOME CODE \"message\"";
    if (which == "then")
        return "an exclusion reads: exclude NAME when CONDITION then OUTCOME "
               "CODE \"message\"";
    if (which == "else") return "after the requirement comes: else OUTCOME CODE \"message\"";
    if (which.rfind("a statement", 0) == 0) {
        return "check the spelling of the statement keyword, or close the policy with '}'";
    }
    if (which == "'\"'") return "close the text with a double quote on the same line";
    return {};
}

}  // namespace detail

ParseResult parse(const SourceFile& source) {
    namespace x3 = boost::spirit::x3;
    ParseResult result;
    const std::string& text = source.text();
    int nesting = 0;
    detail::ParseState state{text.data(), text.data() + text.size(), &result.diagnostics, &nesting};

    if (text.size() > max_policy_bytes) {
        Diagnostic d;
        d.code = "E1004";
        d.message = "the policy file is more than " + std::to_string(max_policy_bytes) +
                    " bytes (4 MiB), the limit for a policy";
        d.hint =
            "a policy is rarely more than a hundred kilobytes: check that this is the "
            "policy file you meant";
        result.diagnostics.push_back(std::move(d));
        return result;
    }
    if (const std::size_t bad = invalid_utf8_at(text); bad != std::string::npos) {
        static constexpr char hex[] = "0123456789ABCDEF";
        const auto byte = static_cast<unsigned char>(text[bad]);
        Diagnostic d;
        d.code = "E1003";
        d.span = SourceSpan{static_cast<std::uint32_t>(bad), static_cast<std::uint32_t>(bad + 1)};
        d.message = std::string("the policy is not valid UTF-8: byte 0x") + hex[byte >> 4U] +
                    hex[byte & 0xFU] + " cannot stand here";
        d.hint =
            "save the file as UTF-8 (this byte is probably Latin-1 or Windows-1252 text, "
            "or the file is not a policy at all)";
        result.diagnostics.push_back(std::move(d));
        return result;
    }

    ast::Policy policy;
    const char* first = state.begin;
    // Editors on Windows may save a byte-order mark; it is not part of the policy.
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) first += 3;
    bool ok = false;
    ok = x3::phrase_parse(first, state.end, x3::with<detail::state_tag>(state)[detail::policy],
                          detail::skipper, policy);
    if (ok && result.diagnostics.empty()) {
        result.policy = std::move(policy);
    } else if (result.diagnostics.empty()) {
        // The very first keyword did not match, so no expectation point was reached.
        auto where = static_cast<std::uint32_t>(first - state.begin);
        Diagnostic d;
        d.code = "E1002";
        d.span = SourceSpan{where, where + 1};
        d.message = "expected 'policy', found " + detail::describe_found(first, state.end);
        d.hint = "a policy file starts with: policy NAME {";
        result.diagnostics.push_back(std::move(d));
    }
    return result;
}

}  // namespace mcre::dsl
