#include "rules/checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "dsl/content_hash.hpp"
#include "dsl/parser.hpp"
#include "rules/exception_resolver.hpp"
#include "rules/expression_checker.hpp"
#include "rules/inheritance.hpp"
#include "rules/scope.hpp"
#include "rules/stack_checker.hpp"
#include "rules/test_checker.hpp"

namespace mcre::rules {

namespace {

namespace ast = dsl::ast;

// Checks one policy; each statement kind has its own method so errors in one never stop
// the others from being checked.
class PolicyChecker {
  public:
    PolicyChecker(const ast::Policy& policy, const dsl::SourceFile& source, const Policy* base,
                  bool content_hash = true)
        : ast_(policy),
          source_(source),
          base_(base),
          content_hash_(content_hash),
          expressions_(scope_, diagnostics_, source.text()) {}

    CheckResult run();

  private:
    void check_settings();
    void check_params();
    void check_tables();
    void check_conversion();
    void check_allocation();
    void check_overlap();
    // E2002 for every statement after the first of one that may be written once.
    template <typename Statement>
    void report_repeats(const std::vector<Statement>& statements, const char* what) {
        for (std::size_t i = 1; i < statements.size(); ++i) {
            dsl::Diagnostic d;
            d.code = "E2002";
            d.span = statements[i].span;
            d.message = fmt::format("{} is stated twice", what);
            d.notes.push_back({"first stated here", statements[0].span, true});
            diagnostics_.push_back(std::move(d));
        }
    }
    void check_rules();
    void check_caps();
    std::string check_reason_code(const ast::Ident& written);
    void check_exceptions();
    void check_outcome(const ast::Outcome& written, Outcome& outcome, std::string& code,
                       std::vector<MessagePart>& message);
    std::optional<Expr> check_limit(const ast::Expr& written, const std::string& name);
    void check_min_max_pairs();
    void warn_unused();
    void inherit();
    void apply_removals();
    void check_override_bans();
    // An inherited definition of `name`: true when this one may replace it (it says
    // `override`); otherwise reports the clash. `found` says whether there was one.
    bool may_replace(const ast::Ident& name, bool overrides, const char* what, bool found,
                     const dsl::Location& there, const std::string& origin);
    std::optional<Parameter> check_param_values(const ast::Param& p);

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
    const Policy* base_;  // the policy this one extends, already checked; null if none
    bool content_hash_;   // false: content_hash stays empty (nothing will read it)
    std::set<std::string> changed_constants_;  // inherited parameters and tables overridden here
    std::set<std::string> inherited_constants_;
    dsl::Location inherited_where(const std::string& name) const;
    Scope scope_;
    std::vector<dsl::Diagnostic> diagnostics_;
    ExpressionChecker expressions_;
    Policy policy_;
    std::map<std::string, dsl::SourceSpan> constant_names_;
    std::map<std::string, dsl::SourceSpan> rule_names_;
    std::map<std::string, dsl::SourceSpan> cap_names_;
    std::map<std::string, dsl::SourceSpan> exception_names_;
    std::map<std::string, const ast::Exception*> local_exceptions_;
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
    if (base_ != nullptr) {
        std::vector<std::string> own = std::move(policy_.sources);
        policy_.sources = base_->sources;
        policy_.sources.insert(policy_.sources.end(), own.begin(), own.end());
    }
    for (const char* required : {"title", "jurisdiction", "version", "in force"}) {
        // A jurisdiction may come from the parent; title, version and period are each
        // policy's own.
        if (base_ != nullptr && std::string(required) == "jurisdiction") continue;
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

std::optional<Parameter> PolicyChecker::check_param_values(const ast::Param& p) {
    Parameter parameter;
    parameter.name = p.name.name;
    parameter.cite = p.cite.text;
    parameter.where = where(p.span);
    parameter.origin = ast_.id.name;
    bool dated = p.values.size() > 1 || !p.values.front().from.text.empty() ||
                 !p.values.front().until.text.empty();
    bool ok = true;
    for (const ast::ParamValue& written : p.values) {
        auto value = expressions_.check(written.value);
        if (!value) {
            ok = false;
            continue;
        }
        if (value->op != Op::Literal && value->op != Op::Param) {
            error("E2105", written.value.span,
                  fmt::format("the value of parameter '{}' must be a constant", p.name.name),
                  "write a literal such as 3 ects, 25 hours, 2026-09-01, \"text\" or {...}");
            ok = false;
            continue;
        }
        const Value& v = value->literal;
        bool quantity = v.type == Type::Ects || v.type == Type::Hours || v.type == Type::Years ||
                        v.type == Type::Months || v.type == Type::Days || v.type == Type::Percent;
        if (quantity && v.number < 0) {
            error("E2301", written.value.span,
                  fmt::format("parameter '{}' is negative ({})", p.name.name, format_value(v)),
                  "ECTS, hours, durations and shares are never below zero");
        }
        if (v.type == Type::Percent && v.number > 100) {
            // A share of a programme above 100 % is almost always a slip, but a ratio may
            // legitimately exceed it, so this only warns.
            warning(
                "W3004", written.value.span,
                fmt::format("parameter '{}' is more than 100 % ({})", p.name.name, format_value(v)),
                "as a share of a programme's ECTS it would allow more than the programme");
        }
        if (!parameter.dated.empty() && parameter.dated.front().value.type != v.type) {
            error("E2201", written.value.span,
                  fmt::format("parameter '{}' changes type over time: {} then {}", p.name.name,
                              type_name(parameter.dated.front().value.type), type_name(v.type)));
            ok = false;
        }
        DatedValue entry{v, std::nullopt, std::nullopt};
        for (auto [text, slot] :
             {std::pair{&written.from, &entry.from}, std::pair{&written.until, &entry.until}}) {
            if (text->text.empty()) continue;
            auto date = dsl::parse_date(text->text);
            if (!date) {
                error("E2004", text->span, fmt::format("'{}' is not a valid date", text->text),
                      "write dates as YYYY-MM-DD with a real month and day");
                ok = false;
            }
            *slot = date;
        }
        if (entry.from && entry.until && *entry.until < *entry.from) {
            error("E2003", written.until.span,
                  fmt::format("this value of '{}' ends ({}) before it starts ({})", p.name.name,
                              written.until.text, written.from.text));
            ok = false;
        }
        parameter.dated.push_back(std::move(entry));
    }
    if (!ok) return std::nullopt;
    parameter.value = parameter.dated.front().value;
    if (!dated) {
        parameter.dated.clear();
        return parameter;
    }
    // In force periods may not overlap: on any day at most one value holds.
    std::vector<std::size_t> order(parameter.dated.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    auto start = [&](std::size_t k) {
        return parameter.dated[k].from.value_or(dsl::Date{std::numeric_limits<int>::min()});
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return start(a) < start(b); });
    for (std::size_t k = 1; k < order.size(); ++k) {
        const DatedValue& earlier = parameter.dated[order[k - 1]];
        const DatedValue& later = parameter.dated[order[k]];
        if (!earlier.until || (later.from && *earlier.until >= *later.from) || !later.from) {
            dsl::Diagnostic d;
            d.code = "E2310";
            d.span = p.values[order[k]].span;
            d.message =
                fmt::format("two values of '{}' are in force on the same days", p.name.name);
            d.hint = "give the earlier value an 'until' date before the later value's 'from'";
            d.notes.push_back({"the other value", p.values[order[k - 1]].span, true});
            diagnostics_.push_back(std::move(d));
            return std::nullopt;
        }
        dsl::Date next_day{earlier.until->days + 1};
        if (*later.from > next_day) {
            warning("W3005", p.values[order[k]].span,
                    fmt::format("'{}' has no value in force from {} to {}", p.name.name,
                                dsl::format_date(next_day),
                                dsl::format_date(dsl::Date{later.from->days - 1})),
                    "a rule that reads it on those days cannot be decided");
        }
    }
    return parameter;
}

namespace {

bool same_value_type(const Value& a, const Value& b) {
    if (a.type != b.type) return false;
    if (a.type != Type::Set || a.items.empty() || b.items.empty()) return true;
    return a.items.front().type == b.items.front().type;
}

// "ECTS", "a date", "a set of levels".
std::string value_type_words(const Value& v) {
    if (v.type == Type::Set && !v.items.empty())
        return fmt::format("a set of {}", type_name(v.items.front().type));
    return type_name(v.type);
}

}  // namespace

bool PolicyChecker::may_replace(const ast::Ident& name, bool overrides, const char* what,
                                bool found, const dsl::Location& there, const std::string& origin) {
    if (found && !overrides) {
        dsl::Diagnostic d;
        d.code = "E2120";
        d.span = name.span;
        d.message = fmt::format("{} '{}' is already defined by policy {}", what, name.name, origin);
        d.hint = fmt::format("to change it here, write 'override {} {} ...'", what, name.name);
        d.notes.push_back(
            {fmt::format("first defined here: {}:{}:{}", there.file, there.line, there.column),
             {},
             false});
        diagnostics_.push_back(std::move(d));
        return false;
    }
    if (!found && overrides) {
        error("E2121", name.span,
              fmt::format("'override' but no inherited {} is called '{}'", what, name.name),
              base_
                  ? fmt::format("policy {} defines no such {}; drop 'override' to define a new one",
                                base_->id, what)
                  : "this policy extends no other; drop 'override'");
        return false;
    }
    return true;
}

void PolicyChecker::check_params() {
    for (const ast::Param& p : ast_.params) {
        check_cite(p.cite);
        auto inherited = std::find_if(policy_.params.begin(), policy_.params.end(),
                                      [&](const Parameter& x) { return x.name == p.name.name; });
        bool from_base = inherited != policy_.params.end() && inherited->origin != ast_.id.name;
        if (from_base || p.overrides) {
            if (!may_replace(p.name, p.overrides, "param", from_base,
                             from_base ? inherited->where : dsl::Location{},
                             from_base ? inherited->origin : "")) {
                continue;
            }
        }
        bool fresh = from_base || define(p.name, constant_names_, "parameter");
        if (from_base) constant_names_[p.name.name] = p.name.span;
        auto parameter = check_param_values(p);
        if (!parameter && fresh) scope_.poisoned.insert(p.name.name);
        if (!parameter || !fresh) continue;
        // Inherited rules were checked against the old value's type: keep it.
        if (from_base && !same_value_type(parameter->value, inherited->value)) {
            error(
                "E2123", p.name.span,
                fmt::format("override of '{}' changes its type from {} to {}", p.name.name,
                            value_type_words(inherited->value), value_type_words(parameter->value)),
                fmt::format("the inherited rules compare '{}' as {}; give a value of that type",
                            p.name.name, value_type_words(inherited->value)));
            continue;
        }
        scope_.constants[p.name.name] =
            Scope::Entry{parameter->value, p.name.span, false, false, !parameter->dated.empty()};
        if (from_base) {
            *inherited = std::move(*parameter);
            changed_constants_.insert(p.name.name);
        } else {
            policy_.params.push_back(std::move(*parameter));
        }
    }
}

void PolicyChecker::check_tables() {
    for (const ast::Table& t : ast_.tables) {
        check_cite(t.cite);
        const Scope::Entry* existing = scope_.find(t.name.name);
        bool from_base = existing != nullptr && inherited_constants_.count(t.name.name) > 0;
        if ((from_base || t.overrides) &&
            !may_replace(t.name, t.overrides, "table", from_base, inherited_where(t.name.name),
                         base_ ? base_->id : "")) {
            continue;
        }
        if (from_base) {
            // The new definition replaces the inherited one wholesale.
            std::erase_if(policy_.tables, [&](const Table& x) { return x.name == t.name.name; });
            std::erase_if(policy_.level_maps,
                          [&](const LevelMap& x) { return x.name == t.name.name; });
            changed_constants_.insert(t.name.name);
            constant_names_[t.name.name] = t.name.span;
        }
        bool fresh = from_base || define(t.name, constant_names_, "table");
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
                scope_.constants[t.name.name] =
                    Scope::Entry{Value{}, t.name.span, true, true, false};
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
            scope_.constants[t.name.name] = Scope::Entry{set, t.name.span, true, false, false};
            policy_.tables.push_back(std::move(table));
        }
    }
}

void PolicyChecker::check_conversion() {
    if (ast_.conversions.empty()) return;
    report_repeats(ast_.conversions, "the conversion from hours");
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
    report_repeats(ast_.allocations, "the allocation order");
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

void PolicyChecker::check_overlap() {
    if (ast_.overlaps.empty()) return;
    report_repeats(ast_.overlaps, "the overlap test");
    const ast::Overlap& o = ast_.overlaps.front();
    check_cite(o.cite);
    if (!(o.percent > 0) || o.percent > 100) {
        error("E2311", o.span,
              fmt::format("an overlap of {} % cannot be: the share of shared outcome codes is "
                          "more than 0 % and at most 100 %",
                          format_number(o.percent)),
              "write, for example, overlap at least 80 % cite \"...\"");
        return;
    }
    policy_.overlap.percent = o.percent;
    policy_.overlap.cite = o.cite.text;
    policy_.overlap.where = where(o.span);
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
            // This byte and the plain ones after it, at once.
            std::uint32_t run = i + 1;
            while (run < end && text[run] != '\\' && text[run] != '{' && text[run] != '}') ++run;
            literal.append(text, i, run - i);
            i = run;
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

void PolicyChecker::check_outcome(const ast::Outcome& written, Outcome& outcome, std::string& code,
                                  std::vector<MessagePart>& message) {
    static const std::vector<std::string> outcomes = {"reject", "refer", "warn", "incomplete",
                                                      "not_applicable"};
    const std::string& kind = written.kind.name;
    auto it = std::find(outcomes.begin(), outcomes.end(), kind);
    if (it == outcomes.end()) {
        dsl::Diagnostic d;
        d.code = "E2108";
        d.span = written.kind.span;
        d.message = fmt::format("unknown outcome '{}'", kind);
        d.hint = "the outcomes are reject, refer, warn, incomplete and not_applicable";
        if (auto s = closest(kind, outcomes)) {
            d.notes.push_back({fmt::format("did you mean '{}'?", *s), {}, false});
        }
        diagnostics_.push_back(std::move(d));
    } else {
        outcome = static_cast<Outcome>(it - outcomes.begin());
    }
    code = check_reason_code(written.code);
    message = check_message(written.message);
}

std::string PolicyChecker::check_reason_code(const ast::Ident& written) {
    const std::string& code = written.name;
    bool upper = std::all_of(code.begin(), code.end(), [](char c) {
        return std::isupper(static_cast<unsigned char>(c)) ||
               std::isdigit(static_cast<unsigned char>(c)) || c == '_';
    });
    if (!upper || !std::isupper(static_cast<unsigned char>(code.front()))) {
        std::string suggestion;
        for (char c : code)
            suggestion += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        error(
            "E2109", written.span,
            fmt::format("reason code '{}' must be written in capitals", code),
            fmt::format("reason codes are stable identifiers in UPPER_SNAKE_CASE: {}", suggestion));
    }
    return code;
}

void PolicyChecker::check_rules() {
    for (const ast::Rule& r : ast_.rules) {
        check_cite(r.cite);
        auto inherited = std::find_if(
            policy_.rules.begin(), policy_.rules.end(),
            [&](const Rule& x) { return x.name == r.name.name && x.origin != ast_.id.name; });
        bool from_base = inherited != policy_.rules.end();
        if ((from_base || r.overrides) &&
            !may_replace(r.name, r.overrides, r.exclusion ? "exclude" : "rule", from_base,
                         from_base ? inherited->where : dsl::Location{},
                         from_base ? inherited->origin : "")) {
            continue;
        }
        if (!from_base) define(r.name, rule_names_, r.exclusion ? "exclusion" : "rule");
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

        check_outcome(r.outcome, rule.outcome, rule.code, rule.message);
        rule.cite = r.cite.text;
        rule.where = where(r.span);
        rule.origin = ast_.id.name;
        if (!ok) continue;
        // An override keeps the inherited rule's place in the check order.
        if (from_base) {
            *inherited = std::move(rule);
        } else {
            policy_.rules.push_back(std::move(rule));
        }
    }
}

std::optional<Expr> PolicyChecker::check_limit(const ast::Expr& written, const std::string& name) {
    auto limit = expressions_.check(written);
    if (limit && limit->type != Type::Ects) {
        error("E2201", written.span,
              fmt::format("a cap is a number of ECTS, but this is {}", type_name(limit->type)),
              limit->type == Type::Percent
                  ? "take the share of the programme: 25 % of programme.total_ects"
                  : "write e.g. at most 60 ects");
        return std::nullopt;
    }
    if (limit && (limit->op == Op::Literal || limit->op == Op::Param) &&
        limit->literal.number < 0) {
        error("E2301", written.span,
              fmt::format("cap '{}' is below zero ({})", name, format_value(limit->literal)),
              "a cap is the most that may be recognized: zero or more ECTS");
        return std::nullopt;
    }
    return limit;
}

void PolicyChecker::check_caps() {
    for (const ast::Cap& c : ast_.caps) {
        check_cite(c.cite);
        auto inherited = std::find_if(policy_.caps.begin(), policy_.caps.end(), [&](const Cap& x) {
            return x.name == c.name.name && x.origin != ast_.id.name;
        });
        bool from_base = inherited != policy_.caps.end();
        if ((from_base || c.overrides) &&
            !may_replace(c.name, c.overrides, "cap", from_base,
                         from_base ? inherited->where : dsl::Location{},
                         from_base ? inherited->origin : "")) {
            continue;
        }
        if (!from_base) define(c.name, cap_names_, "cap");
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
        auto limit = check_limit(c.limit, c.name.name);
        ok = ok && limit.has_value();
        if (limit) cap.limit = std::move(*limit);
        if (c.code) cap.code = check_reason_code(*c.code);
        cap.cite = c.cite.text;
        cap.where = where(c.span);
        cap.origin = ast_.id.name;
        if (!ok) continue;
        if (from_base) {
            *inherited = std::move(cap);
        } else {
            policy_.caps.push_back(std::move(cap));
        }
    }
}

// Each exception on its own: names, kinds, expressions, outcome. How it relates to its base
// and its siblings is settled once removals are applied (resolve_exceptions).
void PolicyChecker::check_exceptions() {
    for (const ast::Exception& e : ast_.exceptions) {
        check_cite(e.cite);
        auto inherited = std::find_if(
            policy_.exceptions.begin(), policy_.exceptions.end(),
            [&](const Exception& x) { return x.name == e.name.name && x.origin != ast_.id.name; });
        bool from_base = inherited != policy_.exceptions.end();
        if ((from_base || e.overrides) &&
            !may_replace(e.name, e.overrides, "exception", from_base,
                         from_base ? inherited->where : dsl::Location{},
                         from_base ? inherited->origin : "")) {
            continue;
        }
        if (!from_base && !define(e.name, exception_names_, "exception")) continue;
        Exception x;
        x.name = e.name.name;
        x.base = e.base.name;
        for (const ast::Ident& o : e.over) x.over.push_back(o.name);
        x.credential_kinds =
            check_kinds(e.scope.credential_kinds, credential_kinds(), "credential kind");
        x.programme_kinds =
            check_kinds(e.scope.programme_kinds, programme_kinds(), "programme kind");
        bool ok = true;
        if (e.when) {
            x.when = expressions_.check_condition(*e.when, "the 'when' condition");
            ok = ok && x.when.has_value();
        }
        if (e.effect == "limit") {
            x.effect = ExceptionEffect::Limit;
            auto limit = check_limit(e.expr, e.name.name);
            ok = ok && limit.has_value();
            if (limit) x.expr = std::move(*limit);
        } else if (e.effect == "require") {
            x.effect = ExceptionEffect::Require;
            auto condition = expressions_.check_condition(e.expr, "the requirement");
            ok = ok && condition.has_value();
            if (condition) x.expr = std::move(*condition);
            check_outcome(e.outcome, x.outcome, x.code, x.message);
        } else if (e.effect == "then") {
            x.effect = ExceptionEffect::Then;
            check_outcome(e.outcome, x.outcome, x.code, x.message);
        } else {
            x.effect = ExceptionEffect::Exempt;
        }
        x.cite = e.cite.text;
        x.where = where(e.span);
        x.origin = ast_.id.name;
        local_exceptions_[x.name] = &e;
        if (!ok) continue;
        if (from_base) {
            *inherited = std::move(x);
        } else {
            policy_.exceptions.push_back(std::move(x));
        }
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

dsl::Location PolicyChecker::inherited_where(const std::string& name) const {
    if (base_ == nullptr) return {};
    for (const Table& t : base_->tables) {
        if (t.name == name) return t.where;
    }
    for (const LevelMap& m : base_->level_maps) {
        if (m.name == name) return m.where;
    }
    return {};
}

// Starts from the parent: its parameters, tables, conversion, allocation, rules and caps,
// each remembering the policy that wrote it.
void PolicyChecker::inherit() {
    if (base_ == nullptr) return;
    policy_ = *base_;
    policy_.sources.clear();
    policy_.title.clear();
    policy_.version.clear();
    policy_.in_force_from.reset();
    policy_.in_force_until.reset();
    for (const Parameter& p : base_->params) {
        scope_.constants[p.name] = Scope::Entry{p.value, {}, false, false, !p.dated.empty()};
        inherited_constants_.insert(p.name);
    }
    for (const Table& t : base_->tables) {
        Value set;
        set.type = Type::Set;
        Type element = t.kind == TableKind::Codes ? Type::Code : Type::Text;
        for (const auto& [key, label] : t.entries)
            set.items.push_back(Value::of_text(element, key));
        scope_.constants[t.name] = Scope::Entry{set, {}, true, false, false};
        inherited_constants_.insert(t.name);
    }
    for (const LevelMap& m : base_->level_maps) {
        scope_.constants[m.name] = Scope::Entry{Value{}, {}, true, true, false};
        inherited_constants_.insert(m.name);
    }
    // Inherited names count as used: the parent's rules use them.
    for (const std::string& name : inherited_constants_) {
        scope_.used.insert(name);
        scope_.constants[name].inherited = true;
    }
}

void PolicyChecker::apply_removals() {
    for (const ast::Removal& removal : ast_.removals) {
        check_cite(removal.cite);
        const std::string& kind = removal.kind.name;
        const std::string& name = removal.name.name;
        std::size_t removed = 0;
        if (kind == "rule" || kind == "exclude") {
            removed = std::erase_if(policy_.rules, [&](const Rule& r) {
                return r.name == name && r.exclusion == (kind == "exclude") &&
                       r.origin != ast_.id.name;
            });
        } else if (kind == "cap") {
            removed = std::erase_if(policy_.caps, [&](const Cap& c) {
                return c.name == name && c.origin != ast_.id.name;
            });
        } else if (kind == "exception") {
            removed = std::erase_if(policy_.exceptions, [&](const Exception& x) {
                return x.name == name && x.origin != ast_.id.name;
            });
        } else if (kind == "test") {
            continue;  // tests are resolved with the other tests
        } else {
            error("E2102", removal.kind.span, fmt::format("cannot remove a '{}'", kind),
                  "write remove rule, exclude, cap, exception or test, then the name");
            continue;
        }
        if (removed == 0) {
            error("E2121", removal.name.span,
                  fmt::format("no inherited {} is called '{}'", kind, name),
                  base_ ? fmt::format("policy {} has no such {}", base_->id, kind)
                        : "this policy extends no other, so there is nothing to remove");
        }
    }
}

// `forbid override ...`: each name must be a rule, exclusion or exception of the policy as
// it stands after removals, or a credential fact that an override can set.
void PolicyChecker::check_override_bans() {
    std::vector<std::string> names;
    for (const Rule& r : policy_.rules) names.push_back(r.name);
    for (const Exception& x : policy_.exceptions) names.push_back(x.name);
    std::vector<std::string> facts = {"credential.level"};
    for (std::string_view f : settable_facts()) facts.push_back("credential." + std::string(f));
    for (const ast::OverrideBan& ban : ast_.override_bans) {
        check_cite(ban.cite);
        for (const ast::Ident& n : ban.names) {
            bool fact = n.name.find('.') != std::string::npos;
            const std::vector<std::string>& known = fact ? facts : names;
            if (std::find(known.begin(), known.end(), n.name) == known.end()) {
                dsl::Diagnostic d;
                d.code = "E2114";
                d.span = n.span;
                d.message =
                    fact ? fmt::format("'{}' is not a credential fact an override can set", n.name)
                         : fmt::format("no rule, exclusion or exception is called '{}'", n.name);
                d.hint = fact ? fmt::format("the facts an override can set are: {}",
                                            fmt::join(facts, ", "))
                              : "name a rule, exclusion or exception of this policy or of the "
                                "policies it extends, or a fact such as credential.level";
                if (auto s = closest(n.name, known)) {
                    d.notes.push_back({fmt::format("did you mean '{}'?", *s), {}, false});
                }
                diagnostics_.push_back(std::move(d));
                continue;
            }
            policy_.override_bans.push_back(
                OverrideBan{n.name, fact, ban.cite.text, where(n.span), ast_.id.name});
        }
    }
}

CheckResult PolicyChecker::run() {
    inherit();
    policy_.id = ast_.id.name;
    check_settings();
    check_params();
    check_tables();
    rebind_inherited(policy_, changed_constants_, ast_.id.name);
    check_conversion();
    check_allocation();
    check_overlap();
    check_rules();
    check_caps();
    check_exceptions();
    apply_removals();
    check_override_bans();
    check_stacks_and_pathways(policy_, ast_, source_, expressions_, diagnostics_);
    resolve_exceptions(policy_, local_exceptions_, ast_, diagnostics_);
    check_tests(policy_, ast_, source_, diagnostics_);
    check_min_max_pairs();
    // After an error a use may have been lost to a typo, so "never used" would mislead.
    if (!dsl::has_errors(diagnostics_)) warn_unused();
    policy_.file = source_.name();
    // The hash covers every policy in the chain: a change to the EU baseline changes the
    // hash of every national policy built on it.
    if (content_hash_) {
        policy_.content_hash = dsl::sha256_hex(
            base_ != nullptr ? base_->content_hash + "\n" + source_.text() : source_.text());
    }
    policy_.chain.push_back(ast_.id.name);

    CheckResult result;
    dsl::sort_by_position(diagnostics_);
    result.diagnostics = std::move(diagnostics_);
    if (!dsl::has_errors(result.diagnostics)) result.policy = std::move(policy_);
    return result;
}

}  // namespace

CheckResult check(const ast::Policy& policy, const dsl::SourceFile& source, const Policy* base) {
    return PolicyChecker(policy, source, base).run();
}

namespace {

using Loaded = PolicyLoader::Loaded;
using Kept = std::vector<std::unique_ptr<Loaded>>;

// The most policies in one chain of `extends`, the policy itself and the root included.
constexpr std::size_t max_extends_chain = 16;

// What load_chain carries down an `extends` chain.
struct Loading {
    const PolicyFinder& find;
    std::vector<std::string> ids;  // the policies being loaded, the outermost first
    bool content_hash = true;
    Kept* kept = nullptr;  // a PolicyLoader's results, or null
    // A cycle or a chain too long, found further up: the chain's fault, not the parent's,
    // so each policy below reports it as it is (the parent alone may load fine).
    std::optional<std::pair<std::string, std::string>> chain_problem =
        std::nullopt;  // message, hint
};

// A result is reused for a file of the same name and the same bytes.
const Loaded* kept_result(const Kept& kept, const dsl::SourceFile& source) {
    for (const auto& entry : kept) {
        if (entry->source.name() == source.name() && entry->source.text() == source.text()) {
            return entry.get();
        }
    }
    return nullptr;
}

// A parent checked before, when loading it afresh below `loading` would succeed as well:
// no id of its chain among those being loaded (a cycle) and the chain within 16 policies.
// The loader finds parents beside the file by their declared id, so the ids of a chain are
// the names its policies asked for.
const Policy* reusable_parent(const Loading& loading, const dsl::SourceFile& source) {
    if (loading.kept == nullptr) return nullptr;
    const Loaded* entry = kept_result(*loading.kept, source);
    if (entry == nullptr || !entry->result.policy) return nullptr;
    const Policy& parent = *entry->result.policy;
    for (const std::string& id : parent.chain) {
        if (std::find(loading.ids.begin(), loading.ids.end(), id) != loading.ids.end()) {
            return nullptr;
        }
    }
    // `ids` holds the policy that extends this parent and those below it.
    if (loading.ids.size() + parent.chain.size() > max_extends_chain) return nullptr;
    return &parent;
}

CheckResult load_chain(const dsl::SourceFile& source, Loading& loading) {
    dsl::ParseResult parsed = dsl::parse(source);
    if (!parsed.policy) return CheckResult{std::nullopt, std::move(parsed.diagnostics)};
    const ast::Ident& parent = parsed.policy->parent;
    if (parent.name.empty()) {
        return PolicyChecker(*parsed.policy, source, nullptr, loading.content_hash).run();
    }

    auto fail = [&](std::string message, std::string hint) {
        dsl::Diagnostic d;
        d.code = "E2122";
        d.span = parent.span;
        d.message = std::move(message);
        d.hint = std::move(hint);
        return CheckResult{std::nullopt, {std::move(d)}};
    };
    auto fail_chain = [&](std::string message, std::string hint) {
        loading.chain_problem.emplace(message, hint);
        return fail(std::move(message), std::move(hint));
    };
    std::vector<std::string>& ids = loading.ids;
    if (std::find(ids.begin(), ids.end(), parent.name) != ids.end() ||
        parent.name == parsed.policy->id.name) {
        return fail_chain(
            fmt::format("policy {} extends itself through {}", parsed.policy->id.name, parent.name),
            "a chain of 'extends' must end in a policy that extends nothing");
    }
    // The policies below this one, this one and its parent, at least.
    if (ids.size() + 2 > max_extends_chain) {
        return fail_chain(
            fmt::format("the chain of 'extends' is longer than {} policies", max_extends_chain),
            "extend a policy nearer the root of the chain");
    }
    auto parent_source = loading.find(parent.name);
    if (!parent_source) {
        return fail(fmt::format("cannot find policy '{}' to extend", parent.name),
                    fmt::format("put {}.policy beside this file", parent.name));
    }
    ids.push_back(parsed.policy->id.name);
    const Policy* base_policy = reusable_parent(loading, *parent_source);
    CheckResult base;
    if (base_policy == nullptr) base = load_chain(*parent_source, loading);
    ids.pop_back();
    if (base_policy == nullptr) {
        if (!base.policy) {
            if (loading.chain_problem) {
                return fail(loading.chain_problem->first, loading.chain_problem->second);
            }
            return fail(fmt::format("policy '{}' ({}) has errors, so it cannot be extended",
                                    parent.name, parent_source->name()),
                        fmt::format("run: mcre check {}", parent_source->name()));
        }
        base_policy = &*base.policy;
        if (loading.kept != nullptr) {
            // Checked without error, so it is what loading the parent alone returns.
            loading.kept->push_back(
                std::make_unique<Loaded>(Loaded{std::move(*parent_source), std::move(base)}));
            base_policy = &*loading.kept->back()->result.policy;
        }
    }
    return PolicyChecker(*parsed.policy, source, base_policy, loading.content_hash).run();
}

}  // namespace

CheckResult load_policy(const dsl::SourceFile& source, const PolicyFinder& find) {
    Loading loading{find, {}};
    return load_chain(source, loading);
}

CheckResult load_policy(const dsl::SourceFile& source) {
    return load_policy(source, sibling_finder(source.name()));
}

PolicyLoader::PolicyLoader() = default;
PolicyLoader::PolicyLoader(Options options) : options_(options) {}
PolicyLoader::~PolicyLoader() = default;

const PolicyLoader::Loaded& PolicyLoader::load(dsl::SourceFile source) {
    if (const Loaded* entry = kept_result(loaded_, source)) return *entry;
    const PolicyFinder find = sibling_finder(source.name());
    Loading loading{find, {}, options_.content_hash, &loaded_};
    CheckResult result = load_chain(source, loading);
    loaded_.push_back(std::make_unique<Loaded>(Loaded{std::move(source), std::move(result)}));
    return *loaded_.back();
}

}  // namespace mcre::rules
