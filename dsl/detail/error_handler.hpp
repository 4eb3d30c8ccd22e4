#pragma once

// Turns Spirit's expectation failures into Diagnostics. Nothing is printed here; the
// diagnostic is pushed into the sink carried in the parse context.

#include <boost/spirit/home/x3.hpp>
#include <string>
#include <vector>

#include "dsl/diagnostic.hpp"

namespace mcre::dsl::detail {

namespace x3 = boost::spirit::x3;

struct ParseState {
    const char* begin = nullptr;
    const char* end = nullptr;
    std::vector<Diagnostic>* diagnostics = nullptr;
    int* nesting = nullptr;  // how deep the expression being parsed is nested
};

// Deeper nesting than this is refused rather than risking the stack: no real policy
// comes near it.
inline constexpr int max_nesting = 64;
inline constexpr int max_expression_height = 256;
struct state_tag;

// "expected 'then'" reads better than Spirit's raw description of the parser.
std::string describe_expected(const std::string& which);
// The token found at the failure point: a word, one character, or "the end of the file".
std::string describe_found(const char* where, const char* end);
std::string hint_for(const std::string& which);
// Spirit reports the failure before the skipper ran; the reader wants the next token.
const char* skip_blanks_and_comments(const char* at, const char* end);

struct report_errors {
    template <typename It, typename Exc, typename Ctx>
    x3::error_handler_result on_error(It&, It const&, Exc const& failure, Ctx const& ctx) const {
        const ParseState& state = x3::get<state_tag>(ctx);
        // Inside a quoted text the skipper is off: the missing quote belongs right here.
        const char* at = failure.which() == "'\"'"
                             ? failure.where()
                             : skip_blanks_and_comments(failure.where(), state.end);
        auto where = static_cast<std::uint32_t>(at - state.begin);
        Diagnostic d;
        d.code = "E1001";
        d.span = SourceSpan{where, where + 1};
        d.message = "expected " + describe_expected(failure.which()) + ", found " +
                    describe_found(at, state.end);
        d.hint = hint_for(failure.which());
        state.diagnostics->push_back(std::move(d));
        return x3::error_handler_result::fail;
    }
};

}  // namespace mcre::dsl::detail
