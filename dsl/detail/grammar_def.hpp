#pragma once

// The policy grammar. Included by dsl/parser.cpp only, so Spirit is compiled in exactly
// one translation unit. Nodes are built with small semantic actions (no Fusion
// adaptation); spans come from the on_success hook every rule ID inherits.

#include <boost/spirit/home/x3.hpp>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/detail/error_handler.hpp"

// An action's "expected ..." text is its subject's, not a mangled type name.
namespace boost::spirit::x3 {
template <typename Subject, typename Action>
struct get_info<action<Subject, Action>> {
    using result_type = std::string;
    std::string operator()(const action<Subject, Action>& p) const { return what(p.subject); }
};
// A list (`a % ','`) is described by its element. Spirit's default description of a parser
// is typeid(...).name(), a mangled C++ type that differs from compiler to compiler (the
// lambdas of the semantic actions are named differently by GCC and clang), so it must
// never reach a message.
template <typename Left, typename Right>
struct get_info<list<Left, Right>> {
    using result_type = std::string;
    std::string operator()(const list<Left, Right>& p) const { return what(p.left); }
};
}  // namespace boost::spirit::x3

namespace mcre::dsl::detail {

namespace x3 = boost::spirit::x3;
using x3::_attr;
using x3::_val;

// spanned[p]: after p succeeds, record the source range it covered in the enclosing rule's
// value. (X3's on_success hook cannot do this: for rules built with semantic actions it
// is handed an unused attribute.)
template <typename Subject>
struct spanned_directive : x3::unary_parser<Subject, spanned_directive<Subject>> {
    using base_type = x3::unary_parser<Subject, spanned_directive<Subject>>;
    using attribute_type = x3::unused_type;
    static const bool has_attribute = false;
    static const bool has_action = true;

    constexpr explicit spanned_directive(const Subject& inner) : base_type(inner) {}

    template <typename It, typename Ctx, typename RCtx, typename Attr>
    bool parse(It& first, const It& last, const Ctx& ctx, RCtx& rctx, Attr& attr) const {
        x3::skip_over(first, last, ctx);
        It start = first;
        if (!this->subject.parse(first, last, ctx, rctx, attr)) return false;
        if constexpr (std::is_base_of_v<ast::Node, RCtx>) {
            const ParseState& state = x3::get<state_tag>(ctx);
            rctx.span =
                SourceSpan{static_cast<std::uint32_t>(start - state.begin),
                           static_cast<std::uint32_t>(last_non_space(start, first) - state.begin)};
        }
        return true;
    }

    // The skipper may have consumed trailing blanks and comments; the span ends at the
    // last real character.
    template <typename It>
    static It last_non_space(It start, It end) {
        while (end != start &&
               (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r')) {
            --end;
        }
        return end;
    }
};

// nesting_guard[p]: p may recurse into expressions; refuse absurd depth with a syntax
// error instead of overflowing the stack.
template <typename Subject>
struct nesting_directive : x3::unary_parser<Subject, nesting_directive<Subject>> {
    using base_type = x3::unary_parser<Subject, nesting_directive<Subject>>;
    using attribute_type = x3::unused_type;
    static const bool has_attribute = false;
    static const bool has_action = true;

    constexpr explicit nesting_directive(const Subject& inner) : base_type(inner) {}

    template <typename It, typename Ctx, typename RCtx, typename Attr>
    bool parse(It& first, const It& last, const Ctx& ctx, RCtx& rctx, Attr& attr) const {
        int& depth = *x3::get<state_tag>(ctx).nesting;
        if (depth >= max_nesting) {
            throw x3::expectation_failure<It>(first, "an expression nested at most 64 deep");
        }
        ++depth;
        bool ok = false;
        try {
            ok = this->subject.parse(first, last, ctx, rctx, attr);
        } catch (...) {
            --depth;
            throw;
        }
        --depth;
        return ok;
    }
};

struct nesting_guard_gen {
    template <typename Subject>
    constexpr nesting_directive<typename x3::extension::as_parser<Subject>::value_type> operator[](
        const Subject& subject) const {
        return nesting_directive<typename x3::extension::as_parser<Subject>::value_type>(
            x3::as_parser(subject));
    }
};
const nesting_guard_gen nesting_guard;

struct spanned_gen {
    template <typename Subject>
    constexpr spanned_directive<typename x3::extension::as_parser<Subject>::value_type> operator[](
        const Subject& subject) const {
        return spanned_directive<typename x3::extension::as_parser<Subject>::value_type>(
            x3::as_parser(subject));
    }
};
const spanned_gen spanned;

// ---- lexical pieces -------------------------------------------------------------------

// Character classes in ASCII, as the C library's isalnum, isalpha, isdigit and isupper
// answer in the C locale (the only one mcre runs in), without a call per byte.
constexpr bool ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool ascii_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool word_start(char c) { return ascii_letter(c) || c == '_'; }
constexpr bool word_char(char c) { return ascii_letter(c) || ascii_digit(c) || c == '_'; }

template <bool (*Test)(char)>
struct ascii_class : x3::char_parser<ascii_class<Test>> {
    using attribute_type = char;
    static const bool has_attribute = true;

    template <typename Char, typename Ctx>
    bool test(Char ch, const Ctx&) const {
        return Test(static_cast<char>(ch));
    }
};

const ascii_class<word_char> ident_char;    // x3::alnum | '_'
const ascii_class<word_start> ident_start;  // x3::alpha | '_'
const ascii_class<ascii_digit> digit;
const ascii_class<ascii_upper> upper;

// lexeme[lit(word) >> !ident_char], compared in one loop.
struct keyword_parser : x3::parser<keyword_parser> {
    using attribute_type = x3::unused_type;
    static const bool has_attribute = false;

    const char* word;
    constexpr explicit keyword_parser(const char* w) : word(w) {}

    template <typename It, typename Ctx, typename RCtx, typename Attr>
    bool parse(It& first, const It& last, const Ctx& ctx, RCtx&, Attr&) const {
        x3::skip_over(first, last, ctx);
        It at = first;
        for (const char* w = word; *w != '\0'; ++w, ++at) {
            if (at == last || *at != *w) return false;
        }
        if (at != last && word_char(*at)) return false;
        first = at;
        return true;
    }
};

// A keyword matches only as a whole word; its rule name is what "expected ..." shows.
inline auto kw(const char* word) {
    return x3::rule<struct keyword_id>{word} = keyword_parser(word);
}

// The characters of a quoted text up to its closing quote or the end of the line, with
// \" and \\ resolved: `*(('\\' > x3::char_("\"\\")) | ~x3::char_("\"\\\n"))`, each run
// of plain characters appended at once rather than one by one.
struct text_chars_parser : x3::parser<text_chars_parser> {
    // Whether one of the eight bytes of `word` is `byte`.
    static constexpr bool has_byte(std::uint64_t word, unsigned char byte) {
        const std::uint64_t x = word ^ (0x0101010101010101ULL * byte);
        return ((x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL) != 0;
    }
    // The first '"', '\\' or '\n' from `at`, or `last`: eight bytes at a time.
    static const char* plain_run_end(const char* at, const char* last) {
        while (last - at >= 8) {
            std::uint64_t word = 0;
            std::memcpy(&word, at, 8);
            if (has_byte(word, '"') || has_byte(word, '\\') || has_byte(word, '\n')) break;
            at += 8;
        }
        while (at != last && *at != '"' && *at != '\\' && *at != '\n') ++at;
        return at;
    }

    using attribute_type = std::string;
    static const bool has_attribute = true;

    template <typename It, typename Ctx, typename RCtx, typename Attr>
    bool parse(It& first, const It& last, const Ctx& ctx, RCtx&, Attr& attr) const {
        while (true) {
            x3::skip_over(first, last, ctx);  // nothing inside a lexeme, as before
            It run = plain_run_end(first, last);
            if (run != first) {
                if constexpr (!std::is_same_v<Attr, x3::unused_type>) attr.append(first, run);
                first = run;
                continue;
            }
            if (first == last || *first != '\\') return true;
            It escaped = first;
            ++escaped;
            x3::skip_over(escaped, last, ctx);
            if (escaped == last || (*escaped != '"' && *escaped != '\\')) {
                static const auto escapable = x3::char_("\"\\");
                boost::throw_exception(x3::expectation_failure<It>(escaped, x3::what(escapable)));
            }
            if constexpr (!std::is_same_v<Attr, x3::unused_type>) attr.push_back(*escaped);
            first = ++escaped;
        }
    }
};

struct reserved_words : x3::symbols<> {
    reserved_words() {
        for (const char* w : {"and", "or", "not", "between", "in", "is", "of", "for", "when",
                              "require", "else", "then", "cite", "at", "as"}) {
            add(w);
        }
    }
};
const reserved_words reserved;

struct unit_words : x3::symbols<std::string> {
    unit_words() {
        add("ects", "ects")("ECTS", "ects")("hours", "hours")("hour", "hours")("years", "years")(
            "year", "years")("months", "months")("month", "months")("days", "days")("day", "days")(
            "%", "%");
    }
};
const unit_words units;

struct comparison_ops : x3::symbols<std::string> {
    comparison_ops() {
        add("==", "==")("=", "==")("!=", "!=")("<=", "<=")(">=", ">=")("<", "<")(">", ">");
    }
};
const comparison_ops comparison_op;

struct additive_ops : x3::symbols<std::string> {
    additive_ops() { add("+", "+")("-", "-"); }
};
const additive_ops additive_op;

struct frameworks : x3::symbols<std::string> {
    frameworks() { add("eqf", "eqf")("nqf", "nqf")("EQF", "eqf")("NQF", "nqf"); }
};
const frameworks framework;

// No "nan" or "inf": a number in a policy is an amount (tests/bad_inputs/policies/nan.policy).
struct finite_real_policies : x3::ureal_policies<double> {
    template <typename Iterator, typename Attribute>
    static bool parse_nan(Iterator&, Iterator const&, Attribute&) {
        return false;
    }
    template <typename Iterator, typename Attribute>
    static bool parse_inf(Iterator&, Iterator const&, Attribute&) {
        return false;
    }
};
const x3::real_parser<double, finite_real_policies> unsigned_number;

// Blanks (the bytes std::isspace calls space in the C locale: ' ' and \t to \r) and
// comments from '#' to the end of the line, all in one loop: the same bytes as
// `x3::space | ('#' >> *(x3::char_ - x3::eol))`, which asked the C library about every
// byte and came back to the skipper once per blank.
struct blanks_and_comments : x3::parser<blanks_and_comments> {
    // The first '\n' or '\r' from `at`, or `last`.
    static const char* end_of_line(const char* at, const char* last) {
        const auto* newline =
            static_cast<const char*>(std::memchr(at, '\n', static_cast<std::size_t>(last - at)));
        const char* stop = newline != nullptr ? newline : last;
        const auto* cr =
            static_cast<const char*>(std::memchr(at, '\r', static_cast<std::size_t>(stop - at)));
        return cr != nullptr ? cr : stop;
    }

    static bool skippable(char c) { return c == ' ' || (c >= '\t' && c <= '\r') || c == '#'; }

    [[gnu::noinline]] static const char* skip(const char* first, const char* last) {
        while (first != last) {
            const char c = *first;
            if (c == ' ' || (c >= '\t' && c <= '\r')) {
                ++first;
            } else if (c == '#') {
                first = end_of_line(first, last);
            } else {
                break;
            }
        }
        return first;
    }

    using attribute_type = x3::unused_type;
    static const bool has_attribute = false;

    // Only x3::skip_over calls a skipper, and asks again while it matches; this one skips
    // all there is at once and says no, so each skip is one call, and one comparison when
    // there is nothing to skip (as before every token).
    template <typename It, typename Ctx, typename RCtx, typename Attr>
    bool parse(It& first, const It& last, const Ctx&, RCtx&, Attr&) const {
        if (first != last && skippable(*first)) first = skip(first, last);
        return false;
    }
};
const blanks_and_comments skipper;

// ---- rule declarations ------------------------------------------------------------------

struct ident_class {};
struct path_class {};
struct string_lit_class {};
struct date_text_class {};
struct expr_class {};
struct and_expr_class {};
struct not_expr_class {};
struct cmp_expr_class {};
struct add_expr_class {};
struct mul_expr_class {};
struct as_of_expr_class {};
struct primary_class {};
struct number_lit_class {};
struct date_lit_class {};
struct string_expr_class {};
struct set_lit_class {};
struct name_expr_class {};
struct cite_class {};
struct setting_class {};
struct param_class {};
struct table_class {};
struct table_entry_class {};
struct level_entry_class {};
struct conversion_class {};
struct allocation_class {};
struct overlap_class {};
struct outcome_class {};
struct rule_stmt_class {};
struct exclude_stmt_class {};
struct cap_stmt_class {};
struct policy_class : report_errors {};

const x3::rule<ident_class, ast::Ident> ident = "a name";
const x3::rule<path_class, std::string> path = "a name";
const x3::rule<string_lit_class, ast::StringLit> string_lit = "a text in double quotes";
const x3::rule<date_text_class, ast::StringLit> date_text = "a date (YYYY-MM-DD)";
const x3::rule<expr_class, ast::Expr> expr = "an expression";
const x3::rule<and_expr_class, ast::Expr> and_expr = "an expression";
const x3::rule<not_expr_class, ast::Expr> not_expr = "an expression";
const x3::rule<cmp_expr_class, ast::Expr> cmp_expr = "an expression";
const x3::rule<add_expr_class, ast::Expr> add_expr = "a value";
const x3::rule<mul_expr_class, ast::Expr> mul_expr = "a value";
const x3::rule<as_of_expr_class, ast::Expr> as_of_expr = "a value";
const x3::rule<primary_class, ast::Expr> primary = "a value";
const x3::rule<number_lit_class, ast::Expr> number_lit = "a number";
const x3::rule<date_lit_class, ast::Expr> date_lit = "a date";
const x3::rule<string_expr_class, ast::Expr> string_expr = "a text in double quotes";
const x3::rule<set_lit_class, ast::Expr> set_lit = "a set";
const x3::rule<name_expr_class, ast::Expr> name_expr = "a name";
const x3::rule<cite_class, ast::StringLit> cite = "cite \"...\"";
const x3::rule<setting_class, ast::Setting> setting = "a policy header line";
const x3::rule<param_class, ast::Param> param = "a parameter";
const x3::rule<table_class, ast::Table> table = "a table";
const x3::rule<table_entry_class, ast::TableEntry> table_entry = "a table entry";
const x3::rule<level_entry_class, ast::TableEntry> level_entry = "a level pair such as 6 -> 6";
const x3::rule<conversion_class, ast::Conversion> conversion = "a conversion";
const x3::rule<allocation_class, ast::Allocation> allocation = "an allocation order";
const x3::rule<overlap_class, ast::Overlap> overlap = "an overlap test";
const x3::rule<outcome_class, ast::Outcome> outcome = "an outcome";
const x3::rule<rule_stmt_class, ast::Rule> rule_stmt = "a rule";
const x3::rule<exclude_stmt_class, ast::Rule> exclude_stmt = "an exclusion";
const x3::rule<cap_stmt_class, ast::Cap> cap_stmt = "a cap";
const x3::rule<policy_class, ast::Policy> policy = "a policy";

// ---- actions --------------------------------------------------------------------------

const auto assign = [](auto& ctx) { _val(ctx) = std::move(_attr(ctx)); };

inline ast::Expr make_node(ast::ExprKind kind, std::string text, std::vector<ast::Expr> args) {
    ast::Expr node;
    node.kind = kind;
    node.text = std::move(text);
    node.span = SourceSpan{args.front().span.begin, args.back().span.end};
    node.args = std::move(args);
    for (const ast::Expr& arg : node.args) node.depth = std::max(node.depth, arg.depth + 1);
    return node;
}

// A chain such as a + a + ... folds into a tree as tall as the chain; refuse absurd ones
// as a syntax error at the operator where the limit was passed.
template <typename Ctx>
void limit_height(const Ctx& ctx) {
    if (_val(ctx).depth > max_expression_height) {
        throw x3::expectation_failure<const char*>(
            x3::_where(ctx).begin(), "an expression of at most 256 operators in a row");
    }
}

// Left-associative folding: the rule's value so far becomes the left operand.
inline auto fold_with(const char* op) {
    return [op](auto& ctx) {
        std::vector<ast::Expr> args;
        args.push_back(std::move(_val(ctx)));
        args.push_back(std::move(_attr(ctx)));
        _val(ctx) = make_node(ast::ExprKind::Binary, op, std::move(args));
        limit_height(ctx);
    };
}

const auto fold_operator = [](auto& ctx) {
    auto& attr = _attr(ctx);
    std::vector<ast::Expr> args;
    args.push_back(std::move(_val(ctx)));
    args.push_back(std::move(boost::fusion::at_c<1>(attr)));
    _val(ctx) = make_node(ast::ExprKind::Binary, boost::fusion::at_c<0>(attr), std::move(args));
    limit_height(ctx);
};

const auto make_between = [](auto& ctx) {
    auto& attr = _attr(ctx);
    std::vector<ast::Expr> args;
    args.push_back(std::move(_val(ctx)));
    args.push_back(std::move(boost::fusion::at_c<0>(attr)));
    args.push_back(std::move(boost::fusion::at_c<1>(attr)));
    _val(ctx) = make_node(ast::ExprKind::Between, "between", std::move(args));
};

const auto make_is = [](auto& ctx) {
    std::vector<ast::Expr> args;
    args.push_back(std::move(_val(ctx)));
    bool missing = _attr(ctx) == "missing";
    _val(ctx) = make_node(missing ? ast::ExprKind::IsMissing : ast::ExprKind::IsPresent, _attr(ctx),
                          std::move(args));
};

struct is_words : x3::symbols<std::string> {
    is_words() { add("missing", "missing")("present", "present"); }
};
const is_words is_word;

const auto make_not = [](auto& ctx) {
    std::vector<ast::Expr> args;
    args.push_back(std::move(_attr(ctx)));
    _val(ctx) = make_node(ast::ExprKind::Not, "not", std::move(args));
};

// ---- lexical rules ----------------------------------------------------------------------

const auto word = x3::lexeme[ident_start >> *ident_char];

const auto ident_def = spanned[x3::raw[x3::lexeme[!(reserved >> !ident_char) >> word]][(
    [](auto& ctx) { _val(ctx).name.assign(_attr(ctx).begin(), _attr(ctx).end()); })]];

const auto path_def = x3::raw[x3::lexeme[!(reserved >> !ident_char) >> word >> *('.' >> word)]];

const auto string_chars = x3::rule<struct string_chars_id, std::string>{"text"} =
    text_chars_parser{};

const auto string_lit_def =
    spanned[x3::lexeme['"' > string_chars > '"']
                      [([](auto& ctx) { _val(ctx).text = std::move(_attr(ctx)); })]];

const auto date_chars = x3::lexeme[x3::repeat(4)[digit] >> '-' >> x3::repeat(2)[digit] >> '-' >>
                                   x3::repeat(2)[digit] >> !ident_char];

const auto date_text_def = spanned[x3::raw[date_chars][(
    [](auto& ctx) { _val(ctx).text.assign(_attr(ctx).begin(), _attr(ctx).end()); })]];

const auto cite_def = spanned[kw("cite") > string_lit[assign]];

// ---- expressions ------------------------------------------------------------------------

const auto expr_def =
    nesting_guard[spanned[and_expr[assign] >> *((kw("or") > and_expr)[fold_with("or")])]];

const auto and_expr_def = spanned[not_expr[assign] >> *((kw("and") > not_expr)[fold_with("and")])];

const auto not_expr_def =
    nesting_guard[spanned[(kw("not") > not_expr)[make_not] | cmp_expr[assign]]];

const auto cmp_expr_def =
    spanned[add_expr[assign] >>
            -((comparison_op > add_expr)[fold_operator] |
              (kw("between") > add_expr > kw("and") > add_expr)[make_between] |
              (kw("not") >> kw("in") > add_expr)[fold_with("not in")] |
              (kw("in") > add_expr)[fold_with("in")] |
              (kw("is") > (x3::rule<struct is_word_id, std::string>{"'missing' or 'present'"} =
                               x3::lexeme[is_word >> !ident_char]))[make_is])];

const auto add_expr_def = spanned[mul_expr[assign] >> *((additive_op > mul_expr)[fold_operator])];

const auto mul_expr_def =
    spanned[as_of_expr[assign] >> *((kw("of") > as_of_expr)[fold_with("of")])];

// `mc_max_ects as of credential.issued`: a dated parameter read on another date
// (transitional provisions).
const auto as_of_expr_def =
    spanned[primary[assign] >> -((kw("as") > kw("of") > primary)[fold_with("as of")])];

const auto primary_def = spanned[date_lit[assign] | number_lit[assign] | string_expr[assign] |
                                 set_lit[assign] | name_expr[assign] | ('(' > expr > ')')[assign]];

const auto number_lit_def =
    spanned[(unsigned_number >> -x3::lexeme[units >> !ident_char])[([](auto& ctx) {
        _val(ctx).kind = ast::ExprKind::Number;
        _val(ctx).number = boost::fusion::at_c<0>(_attr(ctx));
        _val(ctx).text = boost::fusion::at_c<1>(_attr(ctx)).value_or("");
    })]];

const auto date_lit_def = spanned[x3::raw[date_chars][([](auto& ctx) {
    _val(ctx).kind = ast::ExprKind::Date;
    _val(ctx).text.assign(_attr(ctx).begin(), _attr(ctx).end());
})]];

const auto string_expr_def = spanned[string_lit[([](auto& ctx) {
    _val(ctx).kind = ast::ExprKind::String;
    _val(ctx).text = std::move(_attr(ctx).text);
})]];

const auto push_arg = [](auto& ctx) { _val(ctx).args.push_back(std::move(_attr(ctx))); };

const auto set_lit_def =
    spanned[x3::lit('{')[([](auto& ctx) { _val(ctx).kind = ast::ExprKind::Set; })] >
            -(expr[push_arg] % ',') > '}'];

// A name, or a function call when '(' follows it: the path is read once, not once for a
// call that fails at the missing '(' and again for the name.
const auto name_expr_def =
    spanned[path[([](auto& ctx) {
                _val(ctx).kind = ast::ExprKind::Name;
                _val(ctx).text = std::move(_attr(ctx));
            })] >>
            -(x3::lit('(')[([](auto& ctx) { _val(ctx).kind = ast::ExprKind::Call; })] >
              -(expr[push_arg] % ',') > ')')];

// ---- statements -------------------------------------------------------------------------

inline auto setting_key(const char* key) {
    return [key](auto& ctx) { _val(ctx).key = key; };
}
const auto push_value = [](auto& ctx) { _val(ctx).values.push_back(std::move(_attr(ctx))); };
const auto push_ident_value = [](auto& ctx) {
    ast::StringLit value;
    value.span = _attr(ctx).span;
    value.text = std::move(_attr(ctx).name);
    _val(ctx).values.push_back(std::move(value));
};

const auto setting_def =
    spanned[(kw("title")[setting_key("title")] > string_lit[push_value]) |
            (kw("jurisdiction")[setting_key("jurisdiction")] > ident[push_ident_value]) |
            (kw("version")[setting_key("version")] > string_lit[push_value]) |
            (kw("source")[setting_key("source")] > string_lit[push_value]) |
            ((kw("in") > kw("force"))[setting_key("in force")] > kw("from") >
             date_text[push_value] > -(kw("until") > date_text[push_value]))];

const auto set_name = [](auto& ctx) { _val(ctx).name = std::move(_attr(ctx)); };
const auto set_cite = [](auto& ctx) { _val(ctx).cite = std::move(_attr(ctx)); };

const x3::rule<struct param_value_class, ast::ParamValue> param_value =
    "a value (a number with its unit, a date, text)";
const auto param_value_def = spanned
    [expr[([](auto& ctx) { _val(ctx).value = std::move(_attr(ctx)); })] >>
     -(kw("from") > date_text[([](auto& ctx) { _val(ctx).from = std::move(_attr(ctx)); })]) >>
     -(kw("until") > date_text[([](auto& ctx) { _val(ctx).until = std::move(_attr(ctx)); })])];

const auto param_def =
    spanned[kw("param") > ident[set_name] > '=' >
            (param_value[([](auto& ctx) { _val(ctx).values.push_back(std::move(_attr(ctx))); })] %
             ',') > cite[set_cite]];

const auto table_entry_def =
    spanned[string_lit[([](auto& ctx) { _val(ctx).key = std::move(_attr(ctx).text); })] >>
            -string_lit[([](auto& ctx) { _val(ctx).label = std::move(_attr(ctx).text); })]];

const auto level_entry_def =
    spanned[x3::uint_[([](auto& ctx) { _val(ctx).key = std::to_string(_attr(ctx)); })] > "->" >
            x3::uint_[([](auto& ctx) { _val(ctx).label = std::to_string(_attr(ctx)); })]];

// An ISO 3166-1 alpha-2 code: whose national framework a level table reads from.
const auto country = x3::rule<struct country_id, ast::Ident>{"a country code such as AM"} =
    spanned[x3::raw[x3::lexeme[x3::repeat(2)[upper] >> !ident_char]][(
        [](auto& ctx) { _val(ctx).name.assign(_attr(ctx).begin(), _attr(ctx).end()); })]];

const auto push_entry = [](auto& ctx) { _val(ctx).entries.push_back(std::move(_attr(ctx))); };

const auto table_def =
    spanned[kw("table") > ident[set_name] > ':' >
            (((kw("codes")[([](auto& ctx) { _val(ctx).kind = "codes"; })] |
               kw("institutions")[([](auto& ctx) { _val(ctx).kind = "institutions"; })]) > '{' >
              *(table_entry[push_entry] >> -x3::lit(',')) > '}') |
             (kw("levels")[([](auto& ctx) { _val(ctx).kind = "levels"; })] >
              (x3::rule<struct framework_id, std::string>{"eqf or nqf"} =
                   x3::lexeme[framework >> !ident_char])[([](auto& ctx) {
                  _val(ctx).from_framework = std::move(_attr(ctx));
              })] > -country[([](auto& ctx) { _val(ctx).from_country = std::move(_attr(ctx)); })] >
              "->" > (x3::rule<struct framework_id, std::string>{"eqf or nqf"} =
                          x3::lexeme[framework >> !ident_char])[([](auto& ctx) {
                  _val(ctx).to_framework = std::move(_attr(ctx));
              })] > '{' > *(level_entry[push_entry] >> -x3::lit(',')) > '}')) > cite[set_cite]];

struct rounding_words : x3::symbols<std::string> {
    rounding_words() { add("down", "down")("up", "up")("nearest", "nearest"); }
};
const rounding_words rounding_word;

const auto conversion_def =
    spanned[kw("convert") > kw("hours") > kw("to") > kw("ects") > kw("at") >
            add_expr[([](auto& ctx) { _val(ctx).hours_per_ects = std::move(_attr(ctx)); })] >
            kw("per") > kw("ects") >
            -(kw("round") > (x3::rule<struct rounding_id, std::string>{"down, up or nearest"} =
                                 x3::lexeme[rounding_word >> !ident_char])[([](auto& ctx) {
                  _val(ctx).rounding = std::move(_attr(ctx));
              })] > kw("to") > unsigned_number[([](auto& ctx) { _val(ctx).step = _attr(ctx); })] >
              kw("ects")) > cite[set_cite]];

const auto allocation_def =
    spanned[kw("allocate") > kw("by") >
            (ident[([](auto& ctx) { _val(ctx).order.push_back(std::move(_attr(ctx))); })] %
             kw("then")) >
            -(kw("partial") >
              (kw("allowed")[([](auto& ctx) { _val(ctx).partial = true; })] |
               (kw("not") > kw("allowed"))[([](auto& ctx) { _val(ctx).partial = false; })])) >
            cite[set_cite]];

const auto overlap_def =
    spanned[kw("overlap") > kw("at") > kw("least") >
            unsigned_number[([](auto& ctx) { _val(ctx).percent = _attr(ctx); })] > '%' >
            cite[set_cite]];

const auto outcome_def =
    spanned[(x3::rule<struct outcome_word_id, ast::Ident>{
                 "an outcome (reject, refer, warn, incomplete or not_applicable)"} =
                 ident)[([](auto& ctx) { _val(ctx).kind = std::move(_attr(ctx)); })] >
            (x3::rule<struct reason_code_id, ast::Ident>{"a reason code such as WORKLOAD"} =
                 ident)[([](auto& ctx) { _val(ctx).code = std::move(_attr(ctx)); })] >
            (x3::rule<struct message_id, ast::StringLit>{"a message in double quotes"} =
                 string_lit)[([](auto& ctx) { _val(ctx).message = std::move(_attr(ctx)); })]];

const auto scope_for =
    (kw("for") >
     (ident % ','))[([](auto& ctx) { _val(ctx).scope.credential_kinds = std::move(_attr(ctx)); })];
const auto scope_in =
    (kw("in") >
     (ident % ','))[([](auto& ctx) { _val(ctx).scope.programme_kinds = std::move(_attr(ctx)); })];
const auto set_when = [](auto& ctx) { _val(ctx).when = std::move(_attr(ctx)); };
const auto set_condition = [](auto& ctx) { _val(ctx).condition = std::move(_attr(ctx)); };
const auto set_outcome = [](auto& ctx) { _val(ctx).outcome = std::move(_attr(ctx)); };

const auto rule_stmt_def =
    spanned[kw("rule") > ident[set_name] > -scope_for > -scope_in > -(kw("when") > expr[set_when]) >
            kw("require") > expr[set_condition] > kw("else") > outcome[set_outcome] >
            cite[set_cite]];

const auto exclude_stmt_def =
    spanned[kw("exclude")[([](auto& ctx) { _val(ctx).exclusion = true; })] > ident[set_name] >
            -scope_for > -scope_in > kw("when") > expr[set_condition] > kw("then") >
            outcome[set_outcome] > cite[set_cite]];

const auto cap_stmt_def =
    spanned[kw("cap") > ident[set_name] > -scope_for > -scope_in > -(kw("when") > expr[set_when]) >
            kw("at") > kw("most") >
            expr[([](auto& ctx) { _val(ctx).limit = std::move(_attr(ctx)); })] >
            -(kw("code") >
              (x3::rule<struct cap_code_id, ast::Ident>{"a reason code such as CAP_VOCATIONAL"} =
                   ident)[([](auto& ctx) { _val(ctx).code = std::move(_attr(ctx)); })]) >
            cite[set_cite]];

// `exception NAME to BASE [over A, B] [for ...] [in ...] [when C] EFFECT cite "..."`
struct exception_stmt_class {};
const x3::rule<exception_stmt_class, ast::Exception> exception_stmt = "an exception";
const auto set_effect = [](const char* effect) {
    return [effect](auto& ctx) { _val(ctx).effect = effect; };
};
const auto set_expr = [](auto& ctx) { _val(ctx).expr = std::move(_attr(ctx)); };
const auto exception_stmt_def = spanned
    [kw("exception") > ident[set_name] > kw("to") >
     ident[([](auto& ctx) { _val(ctx).base = std::move(_attr(ctx)); })] >
     -(kw("over") > (ident % ',')[([](auto& ctx) { _val(ctx).over = std::move(_attr(ctx)); })]) >
     -scope_for > -scope_in > -(kw("when") > expr[set_when]) >
     // The lookahead only names the choices for "expected ..."; the alternatives stay
     // in this rule so their actions reach the exception.
     &(x3::rule<struct exception_effect_id>{
           "what the exception does: at most ..., require ... else ..., then ... or "
           "exempt"} = kw("at") | kw("require") | kw("then") | kw("exempt")) >
     (((kw("at") > kw("most"))[set_effect("limit")] > expr[set_expr]) |
      (kw("require")[set_effect("require")] > expr[set_expr] > kw("else") > outcome[set_outcome]) |
      (kw("then")[set_effect("then")] > outcome[set_outcome]) |
      kw("exempt")[set_effect("exempt")]) > cite[set_cite]];

// A test: an application and what the policy must decide for it.
struct expectation_class {};
const x3::rule<expectation_class, ast::Expectation> expectation = "an expectation";
const auto ects_amount = x3::rule<struct ects_amount_id, ast::Expr>{"an amount such as 6 ects"} =
    number_lit;
const auto reason_codes =
    x3::rule<struct reason_codes_id, std::vector<ast::Ident>>{"reason codes such as WORKLOAD, QA"} =
        ident % ',';
const auto expectation_def = spanned
    [kw("expect") >
     ((kw("total")[([](auto& ctx) { _val(ctx).total = true; })] >
       ects_amount[([](auto& ctx) { _val(ctx).ects = std::move(_attr(ctx)); })]) |
      ((x3::rule<struct credential_id_id, ast::StringLit>{"a credential id in double quotes"} =
            string_lit)[([](auto& ctx) { _val(ctx).credential = std::move(_attr(ctx)); })] >
       -(!kw("because") >> !kw("not") >>
         ident[([](auto& ctx) { _val(ctx).status = std::move(_attr(ctx)); })]) >>
       -ects_amount[([](auto& ctx) { _val(ctx).ects = std::move(_attr(ctx)); })] >>
       -(kw("because") >
         reason_codes[([](auto& ctx) { _val(ctx).because = std::move(_attr(ctx)); })]) >>
       -(kw("not") > kw("because") >
         reason_codes[([](auto& ctx) { _val(ctx).not_because = std::move(_attr(ctx)); })])))];

// *(x3::char_ - x3::lit("\"\"\"")): everything up to the first """ (or the end), found
// with one search instead of trying """ at every byte.
struct up_to_triple_quote_parser : x3::parser<up_to_triple_quote_parser> {
    using attribute_type = x3::unused_type;
    static const bool has_attribute = false;

    template <typename It, typename Ctx, typename RCtx, typename Attr>
    bool parse(It& first, const It& last, const Ctx&, RCtx&, Attr&) const {
        const std::string_view rest(first, static_cast<std::size_t>(last - first));
        const std::size_t end = rest.find(R"(""")");
        first = end == std::string_view::npos ? last : first + end;
        return true;
    }
};
const up_to_triple_quote_parser up_to_triple_quote;

const auto inline_text =
    x3::rule<struct inline_text_id, ast::StringLit>{
        "an application: a file name in double quotes, or YAML between \"\"\" and \"\"\""} =
        x3::lexeme[x3::lit("\"\"\"") > spanned[x3::raw[up_to_triple_quote][([](auto& ctx) {
                       _val(ctx).text.assign(_attr(ctx).begin(), _attr(ctx).end());
                   })]] > x3::lit("\"\"\"")];

struct test_class {};
const x3::rule<test_class, ast::Test> test_stmt = "a test";
const auto test_stmt_def = spanned
    [kw("test") > ident[set_name] > '{' > kw("application") >
     (inline_text[([](auto& ctx) { _val(ctx).application_inline = std::move(_attr(ctx)); })] |
      string_lit[([](auto& ctx) { _val(ctx).application_file = std::move(_attr(ctx)); })]) >
     -(kw("as") > kw("of") >
       date_text[([](auto& ctx) { _val(ctx).as_of = std::move(_attr(ctx)); })]) >
     *expectation[([](auto& ctx) { _val(ctx).expectations.push_back(std::move(_attr(ctx))); })] >
     (x3::rule<struct test_end_id>{"expect ... or '}'"} = x3::lit('}'))];

inline auto push_to(auto member) {
    return [member](auto& ctx) { (_val(ctx).*member).push_back(std::move(_attr(ctx))); };
}

// After `override`: the same statement, marked as replacing an inherited definition.
inline auto push_override(auto member) {
    return [member](auto& ctx) {
        auto item = std::move(_attr(ctx));
        item.overrides = true;
        (_val(ctx).*member).push_back(std::move(item));
    };
}

const auto removal_kind =
    x3::rule<struct removal_kind_id, ast::Ident>{"rule, exclude, cap, exception or test"} = ident;

struct removal_class {};
const x3::rule<removal_class, ast::Removal> removal = "a removal";
const auto removal_def =
    spanned[kw("remove") > removal_kind[([](auto& ctx) { _val(ctx).kind = _attr(ctx); })] >
            ident[set_name] > cite[set_cite]];

// `forbid override regulated_programmes, credential.level cite "..."`: what an officer's
// override in an application may not touch.
const auto override_target =
    x3::rule<struct override_target_id, ast::Ident>{
        "a rule, exclusion, exception or credential fact such as credential.level"} =
        spanned[path[([](auto& ctx) { _val(ctx).name = std::move(_attr(ctx)); })]];

struct override_ban_class {};
const x3::rule<override_ban_class, ast::OverrideBan> override_ban = "a forbid override statement";
const auto override_ban_def =
    spanned[kw("forbid") > kw("override") >
            (override_target % ',')[([](auto& ctx) { _val(ctx).names = std::move(_attr(ctx)); })] >
            cite[set_cite]];

// `stack NAME { ... cite "..." }`: credentials that together form a larger one.
const auto set_member = [](auto member) {
    return [member](auto& ctx) { _val(ctx).*member = std::move(_attr(ctx)); };
};

struct stack_component_class {};
const x3::rule<stack_component_class, ast::StackComponent> stack_component = "a component";
const auto stack_component_def =
    spanned[kw("component") > ident[set_name] >
            &(x3::rule<struct component_kind_id>{
                  "'when' and a condition, or 'is stack' and a name"} = kw("when") | kw("is")) >
            ((kw("when") > expr[set_when]) |
             (kw("is") > kw("stack") > ident[set_member(&ast::StackComponent::stack)]))];

struct stack_group_class {};
const x3::rule<stack_group_class, ast::StackGroup> stack_group = "a group of components";
const auto stack_group_def =
    spanned[(kw("all")[([](auto& ctx) { _val(ctx).all = true; })] |
             x3::uint_[([](auto& ctx) { _val(ctx).count = _attr(ctx); })]) > kw("of") >
            (ident % ',')[([](auto& ctx) { _val(ctx).members = std::move(_attr(ctx)); })]];

const auto stack_requirement =
    kw("require") >
    &(x3::rule<struct stack_requirement_id>{
          "what the stack requires: all of ..., N of ..., each ..., total at least ... or "
          "within ..."} = kw("all") | x3::uint_ | kw("each") | kw("total") | kw("within")) >
    (stack_group[push_to(&ast::Stack::groups)] | (kw("each") > expr[push_to(&ast::Stack::each)]) |
     (kw("total") > kw("at") > kw("least") > add_expr[set_member(&ast::Stack::total)]) |
     (kw("within") > add_expr[set_member(&ast::Stack::within)]));

const auto stack_yields = kw("yields") > -number_lit[set_member(&ast::Stack::yields_ects)] >
                          -(kw("at") > kw("level") >
                            x3::uint_[set_member(&ast::Stack::yields_level)]) >
                          -(kw("kind") > ident[set_member(&ast::Stack::yields_kind)]) >
                          -(kw("field") > string_lit[set_member(&ast::Stack::yields_field)]);

struct stack_class {};
const x3::rule<stack_class, ast::Stack> stack_stmt = "a stack";
const auto stack_stmt_def =
    spanned[kw("stack") > ident[set_name] > '{' >
            *((kw("title") > string_lit[set_member(&ast::Stack::title)]) |
              stack_component[push_to(&ast::Stack::components)] | stack_requirement | stack_yields |
              (kw("components") > kw("count") >
               kw("alone"))[([](auto& ctx) { _val(ctx).count_alone = true; })]) >
            (x3::rule<struct stack_end_id, ast::StringLit>{
                 "title, component, require, yields, components count alone, or cite \"...\""} =
                 cite)[set_cite] > '}'];

// `pathway NAME { ... cite "..." }`: an articulation table onto a programme's units.
struct pathway_unit_class {};
const x3::rule<pathway_unit_class, ast::PathwayUnit> pathway_unit = "a course unit";
const auto pathway_unit_def = spanned[kw("unit") > string_lit[set_member(&ast::PathwayUnit::code)] >
                                      string_lit[set_member(&ast::PathwayUnit::title)] >
                                      add_expr[set_member(&ast::PathwayUnit::ects)] > kw("when") >
                                      expr[set_member(&ast::PathwayUnit::when)]];

struct pathway_class {};
const x3::rule<pathway_class, ast::Pathway> pathway_stmt = "a pathway";
const auto pathway_stmt_def =
    spanned[kw("pathway") > ident[set_name] > '{' >
            *((kw("title") > string_lit[set_member(&ast::Pathway::title)]) |
              (kw("applies") > kw("when") > expr[set_member(&ast::Pathway::applies)]) |
              pathway_unit[push_to(&ast::Pathway::units)]) >
            (x3::rule<struct pathway_end_id, ast::StringLit>{
                 "title, applies when ..., unit, or cite \"...\""} = cite)[set_cite] > '}'];

const auto statement_or_end = x3::rule<struct statement_or_end_id>{
    "a statement (title, jurisdiction, version, in force, source, param, table, convert, "
    "allocate, overlap, rule, exclude, cap, exception, test, override, remove, forbid override, "
    "stack, pathway) "
    "or "
    "'}'"} = x3::lit('}');

const auto policy_def = spanned
    [kw("policy") > ident[([](auto& ctx) { _val(ctx).id = std::move(_attr(ctx)); })] >
     -(kw("extends") > ident[([](auto& ctx) { _val(ctx).parent = std::move(_attr(ctx)); })]) > '{' >
     *(setting[push_to(&ast::Policy::settings)] | param[push_to(&ast::Policy::params)] |
       table[push_to(&ast::Policy::tables)] | conversion[push_to(&ast::Policy::conversions)] |
       allocation[push_to(&ast::Policy::allocations)] | overlap[push_to(&ast::Policy::overlaps)] |
       removal[push_to(&ast::Policy::removals)] |
       override_ban[push_to(&ast::Policy::override_bans)] |
       stack_stmt[push_to(&ast::Policy::stacks)] | pathway_stmt[push_to(&ast::Policy::pathways)] |
       (kw("override") >
        // The lookahead names what may follow, for the "expected ..." message; the
        // statements themselves must stay in this rule so their actions reach the policy.
        &(x3::rule<struct overridable_id>{"param, table, rule, exclude, cap, exception or test"} =
              kw("param") | kw("table") | kw("rule") | kw("exclude") | kw("cap") | kw("exception") |
              kw("test")) >
        (param[push_override(&ast::Policy::params)] | table[push_override(&ast::Policy::tables)] |
         rule_stmt[push_override(&ast::Policy::rules)] |
         exclude_stmt[push_override(&ast::Policy::rules)] |
         cap_stmt[push_override(&ast::Policy::caps)] |
         exception_stmt[push_override(&ast::Policy::exceptions)] |
         test_stmt[push_override(&ast::Policy::tests)])) |
       rule_stmt[push_to(&ast::Policy::rules)] | exclude_stmt[push_to(&ast::Policy::rules)] |
       cap_stmt[push_to(&ast::Policy::caps)] | exception_stmt[push_to(&ast::Policy::exceptions)] |
       test_stmt[push_to(&ast::Policy::tests)]) > statement_or_end >
     (x3::rule<struct end_of_file_id>{"the end of the file"} = x3::eoi)];

BOOST_SPIRIT_DEFINE(ident, path, string_lit, date_text, expr, and_expr, not_expr, cmp_expr,
                    add_expr, mul_expr, as_of_expr, primary, number_lit, date_lit, string_expr,
                    set_lit, name_expr, cite, setting, param, table, table_entry, level_entry,
                    conversion, allocation, overlap, outcome, rule_stmt, exclude_stmt, cap_stmt,
                    removal, param_value, exception_stmt, expectation, test_stmt, override_ban,
                    stack_component, stack_group, stack_stmt, pathway_unit, pathway_stmt, policy)

}  // namespace mcre::dsl::detail
