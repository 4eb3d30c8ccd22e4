#include "rules/checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "dsl/content_hash.hpp"
#include "dsl/parser.hpp"
#include "rules/expression_checker.hpp"
#include "rules/scope.hpp"

namespace mcre::rules {

namespace {

namespace ast = dsl::ast;

// Checks one policy; each statement kind has its own method so errors in one never stop
// the others from being checked.
class PolicyChecker {
  public:
    PolicyChecker(const ast::Policy& policy, const dsl::SourceFile& source)
        : ast_(policy), source_(source), expressions_(scope_, diagnostics_, source.text()) {}

    CheckResult run();

  private:
    void check_settings();
    void check_params();
    void check_tables();
    void check_conversion();
    void check_allocation();
    void check_rules();
    void check_caps();
    void check_min_max_pairs();
    void warn_unused();

    std::vector<std::string> check_kinds(const std::vector<ast::Ident>& names,
                                         std::span<const std::string_view> known, const char* what);
    std::vector<MessagePart> check_message(const ast::StringLit& message);
    void check_cite(const ast::StringLit& cite);
    bool define(const ast::Ident& name, std::map<std::string, dsl::SourceSpan>& names,
                const char* what);
    void error(const char* code, dsl::SourceSpan span, std::string message, std::string hint = {});
    void warning(const char* code, dsl::SourceSpan span, std::string message,
                 std::string hint = {});
    dsl::Location where(dsl::SourceSpan span) const { return source_.location(span); }

    const ast::Policy& ast_;
    const dsl::SourceFile& source_;
    Scope scope_;
    std::vector<dsl::Diagnostic> diagnostics_;
    ExpressionChecker expressions_;
    Policy policy_;
    std::map<std::string, dsl::SourceSpan> constant_names_;
    std::map<std::string, dsl::SourceSpan> rule_names_;
    std::map<std::string, dsl::SourceSpan> cap_names_;
};

void PolicyChecker::error(const char* code, dsl::SourceSpan span, std::string message,
                          std::string hint) {
    diagnostics_.push_back(dsl::Diagnostic{
        code, dsl::Severity::Error, span, std::move(message), std::move(hint), {}, {}});
}

void PolicyChecker::warning(const char* code, dsl::SourceSpan span, std::string message,
                            std::string hint) {
    diagnostics_.push_back(dsl::Diagnostic{
        code, dsl::Severity::Warning, span, std::move(message), std::move(hint), {}, {}});
}

bool PolicyChecker::define(const ast::Ident& name, std::map<std::string, dsl::SourceSpan>& names,
                           const char* what) {
    auto [it, inserted] = names.emplace(name.name, name.span);
    if (inserted) return true;
    dsl::Diagnostic d;
    d.code = "E2101";
    d.span = name.span;
    d.message = fmt::format("{} '{}' is defined twice", what, name.name);
    d.hint = "give it another name, or delete one of the two definitions";
    d.notes.push_back({"first defined here", it->second, true});
    diagnostics_.push_back(std::move(d));
    return false;
}

void PolicyChecker::check_cite(const ast::StringLit& cite) {
    auto blank = std::all_of(cite.text.begin(), cite.text.end(),
                             [](unsigned char c) { return std::isspace(c) != 0; });
    if (blank) {
        error("E2111", cite.span, "the citation is empty",
              "name the clause this comes from, e.g. cite \"White paper, section 5(d)\"");
    }
}

void PolicyChecker::check_settings() {
    std::map<std::string, const ast::Setting*> seen;
    for (const ast::Setting& s : ast_.settings) {
        if (s.key != "source") {
            auto [it, inserted] = seen.emplace(s.key, &s);
            if (!inserted) {
                dsl::Diagnostic d;
                d.code = "E2002";
                d.span = s.span;
                d.message = fmt::format("'{}' is given twice", s.key);
                d.notes.push_back({"first given here", it->second->span, true});
                diagnostics_.push_back(std::move(d));
                continue;
            }
        }
        const std::string& value = s.values.front().text;
        if (s.key == "title") policy_.title = value;
        if (s.key == "version") policy_.version = value;
        if (s.key == "source") policy_.sources.push_back(value);
        if (s.key == "jurisdiction") {
            policy_.jurisdiction = value;
            bool code_like = value.size() == 2 &&
                             std::isupper(static_cast<unsigned char>(value[0])) &&
                             std::isupper(static_cast<unsigned char>(value[1]));
            if (!code_like) {
                error("E2005", s.values.front().span,
                      fmt::format("'{}' is not a jurisdiction code", value),
                      "use an ISO 3166-1 alpha-2 code such as GE or AM, or EU");
            }
        }
        if (s.key == "in force") {
            std::vector<dsl::Date> dates;
            for (const ast::StringLit& v : s.values) {
                auto date = dsl::parse_date(v.text);
                if (!date) {
                    error("E2004", v.span, fmt::format("'{}' is not a valid date", v.text),
                          "write dates as YYYY-MM-DD with a real month and day");
                } else {
                    dates.push_back(*date);
                }
            }
            if (dates.size() == s.values.size()) {
                policy_.in_force_from = dates[0];
                if (dates.size() > 1) {
                    policy_.in_force_until = dates[1];
                    if (dates[1] < dates[0]) {
                        error("E2003", s.values[1].span,
                              fmt::format("the policy ends ({}) before it starts ({})",
                                          s.values[1].text, s.values[0].text));
                    }
                }
            }
        }
    }
    for (const char* required : {"title", "jurisdiction", "version", "in force"}) {
        if (!seen.count(required)) {
            std::string what = std::string(required) == "in force" ? "period in force" : required;
            error("E2001", ast_.id.span,
                  fmt::format("policy '{}' does not state its {}", ast_.id.name, what),
                  std::string(required) == "in force"
                      ? "add: in force from YYYY-MM-DD [until YYYY-MM-DD]"
                      : fmt::format("add a line: {} ...", required));
        }
    }
}

void PolicyChecker::check_params() {
    for (const ast::Param& p : ast_.params) {
        check_cite(p.cite);
        bool fresh = define(p.name, constant_names_, "parameter");
        auto value = expressions_.check(p.value);
        if (!value) continue;
        if (value->op != Op::Literal && value->op != Op::Param) {
            error("E2105", p.value.span,
                  fmt::format("the value of parameter '{}' must be a constant", p.name.name),
                  "write a literal such as 3 ects, 25 hours, 2026-09-01, \"text\" or {...}");
            continue;
        }
        const Value& v = value->literal;
        bool quantity = v.type == Type::Ects || v.type == Type::Hours || v.type == Type::Years ||
                        v.type == Type::Months || v.type == Type::Days || v.type == Type::Percent;
        if (quantity && v.number < 0) {
            error("E2301", p.value.span,
                  fmt::format("parameter '{}' is negative ({})", p.name.name, format_value(v)),
                  "ECTS, hours, durations and shares are never below zero");
        }
        if (v.type == Type::Percent && v.number > 100) {
            // A share of a programme above 100 % is almost always a slip, but a ratio may
            // legitimately exceed it, so this only warns.
            warning(
                "W3004", p.value.span,
                fmt::format("parameter '{}' is more than 100 % ({})", p.name.name, format_value(v)),
                "as a share of a programme's ECTS it would allow more than the programme");
        }
        if (fresh) {
            scope_.constants[p.name.name] = Scope::Entry{v, p.name.span, false, false};
            policy_.params.push_back(Parameter{p.name.name, v, p.cite.text, where(p.name.span)});
        }
    }
}

void PolicyChecker::check_tables() {
    for (const ast::Table& t : ast_.tables) {
        check_cite(t.cite);
        bool fresh = define(t.name, constant_names_, "table");
        std::map<std::string, dsl::SourceSpan> keys;
        for (const ast::TableEntry& e : t.entries) {
            auto [it, inserted] = keys.emplace(e.key, e.span);
            if (!inserted) {
                dsl::Diagnostic d;
                d.code = "E2106";
                d.span = e.span;
                d.message = fmt::format("'{}' is listed twice in table '{}'", e.key, t.name.name);
                d.notes.push_back({"first listed here", it->second, true});
                diagnostics_.push_back(std::move(d));
            }
        }
        if (t.kind == "levels") {
            LevelMap map;
            map.name = t.name.name;
            map.from = t.from_framework == "eqf" ? Framework::Eqf : Framework::Nqf;
            map.to = t.to_framework == "eqf" ? Framework::Eqf : Framework::Nqf;
            map.from_country = t.from_country.name;
            map.cite = t.cite.text;
            map.where = where(t.name.span);
            if (map.from == map.to) {
                error("E2308", t.span, "a level table maps between two frameworks",
                      "write levels eqf -> nqf, or levels nqf AM -> eqf");
            }
            for (const ast::TableEntry& e : t.entries) {
                int from = std::stoi(e.key);
                int to = std::stoi(e.label);
                if (from < 1 || from > 8 || to < 1 || to > 8) {
                    error("E2305", e.span,
                          fmt::format("levels run from 1 to 8; '{} -> {}' is outside", from, to));
                    continue;
                }
                map.levels[from] = to;
            }
            if (fresh) {
                scope_.constants[t.name.name] = Scope::Entry{Value{}, t.name.span, true, true};
                policy_.level_maps.push_back(std::move(map));
            }
            continue;
        }
        Table table;
        table.name = t.name.name;
        table.kind = t.kind == "codes" ? TableKind::Codes : TableKind::Institutions;
        table.cite = t.cite.text;
        table.where = where(t.name.span);
        Value set;
        set.type = Type::Set;
        Type element = table.kind == TableKind::Codes ? Type::Code : Type::Text;
        for (const ast::TableEntry& e : t.entries) {
            if (table.kind == TableKind::Codes) {
                bool digits = !e.key.empty() && std::all_of(e.key.begin(), e.key.end(), [](char c) {
                    return std::isdigit(static_cast<unsigned char>(c)) != 0;
                });
                if (!digits || e.key.size() < 2 || e.key.size() > 4) {
                    error("E2306", e.span,
                          fmt::format("'{}' is not an ISCED-F 2013 field code", e.key),
                          "ISCED-F codes have 2 (broad), 3 (narrow) or 4 (detailed) digits, "
                          "e.g. \"06\", \"061\", \"0612\"");
                }
            }
            table.entries.emplace_back(e.key, e.label);
            set.items.push_back(Value::of_text(element, e.key));
        }
        if (fresh) {
            scope_.constants[t.name.name] = Scope::Entry{set, t.name.span, true, false};
            policy_.tables.push_back(std::move(table));
        }
    }
}

void PolicyChecker::check_conversion() {
    if (ast_.conversions.empty()) return;
    for (std::size_t i = 1; i < ast_.conversions.size(); ++i) {
        dsl::Diagnostic d;
        d.code = "E2002";
        d.span = ast_.conversions[i].span;
        d.message = "the conversion from hours is stated twice";
        d.notes.push_back({"first stated here", ast_.conversions[0].span, true});
        diagnostics_.push_back(std::move(d));
    }
    const ast::Conversion& c = ast_.conversions.front();
    check_cite(c.cite);
    scope_.conversion_declared = true;
    auto rate = expressions_.check(c.hours_per_ects);
    if (!rate) return;
    if (rate->type != Type::Hours) {
        error("E2201", c.hours_per_ects.span,
              fmt::format("the conversion rate must be in hours, but this is {}",
                          type_name(rate->type)),
              "write e.g. convert hours to ects at 25 hours per ects");
        return;
    }
    if (rate->op != Op::Literal && rate->op != Op::Param) {
        error("E2105", c.hours_per_ects.span, "the conversion rate must be a constant");
        return;
    }
    if (rate->literal.number <= 0) {
        error("E2301", c.hours_per_ects.span, "hours per ECTS must be above zero");
        return;
    }
    Conversion& conversion = policy_.conversion;
    conversion.declared = true;
    conversion.hours_per_ects = rate->literal.number;
    if (rate->op == Op::Param) conversion.hours_per_ects_name = rate->text;
    conversion.rounding = c.rounding == "down"      ? Rounding::Down
                          : c.rounding == "up"      ? Rounding::Up
                          : c.rounding == "nearest" ? Rounding::Nearest
                                                    : Rounding::None;
    conversion.step = c.step;
    if (conversion.rounding != Rounding::None && c.step <= 0) {
        error("E2301", c.span, "the rounding step must be above zero");
    }
    if (conversion.hours_per_ects < 25 || conversion.hours_per_ects > 30) {
        warning("W3003", c.hours_per_ects.span,
                fmt::format("{} hours per ECTS is outside the ECTS Users' Guide range of 25-30",
                            format_number(conversion.hours_per_ects)));
    }
    conversion.cite = c.cite.text;
    conversion.where = where(c.span);
}

void PolicyChecker::check_allocation() {
    if (ast_.allocations.empty()) return;
    for (std::size_t i = 1; i < ast_.allocations.size(); ++i) {
        dsl::Diagnostic d;
        d.code = "E2002";
        d.span = ast_.allocations[i].span;
        d.message = "the allocation order is stated twice";
        d.notes.push_back({"first stated here", ast_.allocations[0].span, true});
        diagnostics_.push_back(std::move(d));
    }
    const ast::Allocation& a = ast_.allocations.front();
    check_cite(a.cite);
    static const std::vector<std::string> keys = {"issued", "id", "ects", "title"};
    policy_.allocation.order.clear();
    for (const ast::Ident& key : a.order) {
        auto it = std::find(keys.begin(), keys.end(), key.name);
        if (it == keys.end()) {
            dsl::Diagnostic d;
            d.code = "E2103";
            d.span = key.span;
            d.message = fmt::format("cannot allocate by '{}'", key.name);
            d.hint = "allocate by issued, id, ects or title, joined with 'then'";
            if (auto s = closest(key.name, keys)) {
                d.notes.push_back({fmt::format("did you mean '{}'?", *s), {}, false});
            }
            diagnostics_.push_back(std::move(d));
            continue;
        }
        policy_.allocation.order.push_back(static_cast<OrderKey>(it - keys.begin()));
    }
    if (a.partial) policy_.allocation.partial_allowed = *a.partial;
    policy_.allocation.cite = a.cite.text;
}

std::vector<std::string> PolicyChecker::check_kinds(const std::vector<ast::Ident>& names,
                                                    std::span<const std::string_view> known,
                                                    const char* what) {
    std::vector<std::string> out;
    std::vector<std::string> candidates(known.begin(), known.end());
    for (const ast::Ident& n : names) {
        if (std::find(known.begin(), known.end(), n.name) != known.end()) {
            out.push_back(n.name);
            continue;
        }
        dsl::Diagnostic d;
        d.code = "E2102";
        d.span = n.span;
        d.message = fmt::format("unknown {} '{}'", what, n.name);
        d.hint = fmt::format("the {}s are: {}", what, join_names(known));
        if (auto s = closest(n.name, candidates)) {
            d.notes.push_back({fmt::format("did you mean '{}'?", *s), {}, false});
        }
        diagnostics_.push_back(std::move(d));
    }
    return out;
}

std::vector<MessagePart> PolicyChecker::check_message(const ast::StringLit& message) {
    // Placeholders are found in the raw source so their spans point into the file.
    std::vector<MessagePart> parts;
    const std::string& text = source_.text();
    std::uint32_t i = message.span.begin + 1;
    std::uint32_t end = message.span.end > 0 ? message.span.end - 1 : 0;
    std::string literal;
    while (i < end) {
        char c = text[i];
        if (c == '\\' && i + 1 < end) {
            literal += text[i + 1];
            i += 2;
            continue;
        }
        if (c == '{' && i + 1 < end && text[i + 1] == '{') {
            literal += '{';
            i += 2;
            continue;
        }
        if (c == '}' && i + 1 < end && text[i + 1] == '}') {
            literal += '}';
            i += 2;
            continue;
        }
        if (c != '{') {
            literal += c;
            ++i;
            continue;
        }
        std::uint32_t close = i + 1;
        while (close < end && text[close] != '}') ++close;
        if (close >= end) {
            error("E2110", dsl::SourceSpan{i, i + 1}, "this '{' is never closed",
                  "close the placeholder with '}', or write '{{' for a literal brace");
            break;
        }
        ast::Expr name;
        name.kind = ast::ExprKind::Name;
        name.text = text.substr(i + 1, close - i - 1);
        name.span = dsl::SourceSpan{i + 1, close};
        if (!literal.empty()) parts.push_back(MessagePart{std::move(literal), std::nullopt});
        literal.clear();
        if (auto value = expressions_.check(name)) {
            parts.push_back(MessagePart{{}, std::move(*value)});
        }
        i = close + 1;
    }
    if (!literal.empty()) parts.push_back(MessagePart{std::move(literal), std::nullopt});
    return parts;
}

void PolicyChecker::check_rules() {
    static const std::vector<std::string> outcomes = {"reject", "refer", "warn", "incomplete",
                                                      "not_applicable"};
    for (const ast::Rule& r : ast_.rules) {
        check_cite(r.cite);
        define(r.name, rule_names_, r.exclusion ? "exclusion" : "rule");
        Rule rule;
        rule.name = r.name.name;
        rule.exclusion = r.exclusion;
        rule.credential_kinds =
            check_kinds(r.scope.credential_kinds, credential_kinds(), "credential kind");
        rule.programme_kinds =
            check_kinds(r.scope.programme_kinds, programme_kinds(), "programme kind");
        bool ok = true;
        if (r.when) {
            rule.when = expressions_.check_condition(*r.when, "the 'when' condition");
            ok = ok && rule.when.has_value();
        }
        auto condition = expressions_.check_condition(
            r.condition, r.exclusion ? "the exclusion's condition" : "the requirement");
        ok = ok && condition.has_value();
        if (condition) rule.condition = std::move(*condition);

        const std::string& kind = r.outcome.kind.name;
        auto it = std::find(outcomes.begin(), outcomes.end(), kind);
        if (it == outcomes.end()) {
            dsl::Diagnostic d;
            d.code = "E2108";
            d.span = r.outcome.kind.span;
            d.message = fmt::format("unknown outcome '{}'", kind);
            d.hint = "the outcomes are reject, refer, warn, incomplete and not_applicable";
            if (auto s = closest(kind, outcomes)) {
                d.notes.push_back({fmt::format("did you mean '{}'?", *s), {}, false});
            }
            diagnostics_.push_back(std::move(d));
        } else {
            rule.outcome = static_cast<Outcome>(it - outcomes.begin());
        }
        const std::string& code = r.outcome.code.name;
        bool upper = std::all_of(code.begin(), code.end(), [](char c) {
            return std::isupper(static_cast<unsigned char>(c)) ||
                   std::isdigit(static_cast<unsigned char>(c)) || c == '_';
        });
        if (!upper || !std::isupper(static_cast<unsigned char>(code.front()))) {
            std::string suggestion;
            for (char c : code)
                suggestion += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            error("E2109", r.outcome.code.span,
                  fmt::format("reason code '{}' must be written in capitals", code),
                  fmt::format("reason codes are stable identifiers in UPPER_SNAKE_CASE: {}",
                              suggestion));
        }
        rule.code = code;
        rule.message = check_message(r.outcome.message);
        rule.cite = r.cite.text;
        rule.where = where(r.span);
        if (ok) policy_.rules.push_back(std::move(rule));
    }
}

void PolicyChecker::check_caps() {
    for (const ast::Cap& c : ast_.caps) {
        check_cite(c.cite);
        define(c.name, cap_names_, "cap");
        Cap cap;
        cap.name = c.name.name;
        cap.credential_kinds =
            check_kinds(c.scope.credential_kinds, credential_kinds(), "credential kind");
        cap.programme_kinds =
            check_kinds(c.scope.programme_kinds, programme_kinds(), "programme kind");
        bool ok = true;
        if (c.when) {
            cap.when = expressions_.check_condition(*c.when, "the 'when' condition");
            ok = ok && cap.when.has_value();
        }
        auto limit = expressions_.check(c.limit);
        if (limit && limit->type != Type::Ects) {
            error("E2201", c.limit.span,
                  fmt::format("a cap is a number of ECTS, but this is {}", type_name(limit->type)),
                  limit->type == Type::Percent
                      ? "take the share of the programme: 25 % of programme.total_ects"
                      : "write e.g. at most 60 ects");
            ok = false;
        } else if (limit && (limit->op == Op::Literal || limit->op == Op::Param) &&
                   limit->literal.number < 0) {
            error("E2301", c.limit.span,
                  fmt::format("cap '{}' is below zero ({})", c.name.name,
                              format_value(limit->literal)),
                  "a cap is the most that may be recognized: zero or more ECTS");
            ok = false;
        }
        ok = ok && limit.has_value();
        if (limit) cap.limit = std::move(*limit);
        cap.cite = c.cite.text;
        cap.where = where(c.span);
        if (ok) policy_.caps.push_back(std::move(cap));
    }
}

// mc_min_ects / mc_max_ects, min_x / max_x, x_min / x_max: the lower may not exceed the upper.
void PolicyChecker::check_min_max_pairs() {
    for (const Parameter& low : policy_.params) {
        std::size_t at = low.name.find("min");
        if (at == std::string::npos) continue;
        std::string high_name = low.name;
        high_name.replace(at, 3, "max");
        auto high = std::find_if(policy_.params.begin(), policy_.params.end(),
                                 [&](const Parameter& p) { return p.name == high_name; });
        if (high == policy_.params.end() || high->value.type != low.value.type) continue;
        if (high->value.type == Type::Set || high->value.type == Type::Text) continue;
        if (low.value.number > high->value.number) {
            dsl::Diagnostic d;
            d.code = "E2303";
            d.span = scope_.constants[low.name].defined_at;
            d.message = fmt::format("'{}' ({}) is above '{}' ({})", low.name,
                                    format_value(low.value), high_name, format_value(high->value));
            d.hint = "the minimum must not exceed the maximum; swap or correct the values";
            d.notes.push_back({fmt::format("'{}' is defined here", high_name),
                               scope_.constants[high_name].defined_at, true});
            diagnostics_.push_back(std::move(d));
        }
    }
}

void PolicyChecker::warn_unused() {
    for (const ast::Param& p : ast_.params) {
        if (!scope_.used.count(p.name.name) &&
            policy_.conversion.hours_per_ects_name != p.name.name) {
            warning("W3002", p.name.span, fmt::format("parameter '{}' is never used", p.name.name),
                    "use it in a rule, cap or message, or delete it");
        }
    }
}

CheckResult PolicyChecker::run() {
    policy_.id = ast_.id.name;
    check_settings();
    check_params();
    check_tables();
    check_conversion();
    check_allocation();
    check_rules();
    check_caps();
    check_min_max_pairs();
    // After an error a use may have been lost to a typo, so "never used" would mislead.
    if (!dsl::has_errors(diagnostics_)) warn_unused();
    policy_.file = source_.name();
    policy_.content_hash = dsl::sha256_hex(source_.text());

    CheckResult result;
    dsl::sort_by_position(diagnostics_);
    result.diagnostics = std::move(diagnostics_);
    if (!dsl::has_errors(result.diagnostics)) result.policy = std::move(policy_);
    return result;
}

}  // namespace

CheckResult check(const ast::Policy& policy, const dsl::SourceFile& source) {
    return PolicyChecker(policy, source).run();
}

CheckResult load_policy(const dsl::SourceFile& source) {
    dsl::ParseResult parsed = dsl::parse(source);
    if (!parsed.policy) return CheckResult{std::nullopt, std::move(parsed.diagnostics)};
    return check(*parsed.policy, source);
}

}  // namespace mcre::rules
