#pragma once

// The checked policy: every name bound, every type and unit checked, every constant
// folded. Immutable once built; the engine evaluates only this, never the parse tree.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/date.hpp"
#include "dsl/source.hpp"
#include "rules/policy_test.hpp"
#include "rules/schema.hpp"
#include "rules/value.hpp"

namespace mcre::rules {

enum class Op {
    Literal,     // literal: a constant written in place
    Param,       // literal: the parameter's (or table's) value; text: its name
    DatedParam,  // text: the name of a parameter with dated values, read on the evaluation date
    AsOf,        // args: a (dated) parameter, a date: its value in force on that date
    Attribute,   // attribute: a fact of the application
    Not,
    And,
    Or,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Between,  // args: value, low, high; inclusive at both ends
    In,       // args: value, set; for codes, ISCED-F containment
    NotIn,
    IsMissing,
    IsPresent,
    Add,        // number + number of the same unit; date + years/months/days
    Sub,        // likewise; date - years/months/days
    PercentOf,  // percent of ECTS -> ECTS
    ToEcts,     // hours -> ECTS with the policy's conversion (exact, unrounded)
    Min,
    Max,
};

// The comparison with its operands swapped: `a < b` is `b > a`; other operators unchanged.
[[nodiscard]] Op mirrored(Op op);

struct Expr {
    Op op = Op::Literal;
    Type type = Type::Invalid;
    Type element = Type::Invalid;  // for sets
    dsl::SourceSpan span;
    std::string text;  // how it was written, for explanations ("credential.workload")
    Value literal;
    Attr attribute = Attr::CredentialId;
    std::vector<Expr> args;
};

enum class Outcome { Reject, Refer, Warn, Incomplete, NotApplicable };
[[nodiscard]] const char* outcome_name(Outcome outcome);

// A piece of a message template: literal text, or a value to quote ("{mc_max_ects}").
struct MessagePart {
    std::string literal;
    std::optional<Expr> value;
};

// One value of a parameter and the days it is in force (either end may be open).
struct DatedValue {
    Value value;
    std::optional<dsl::Date> from;
    std::optional<dsl::Date> until;  // inclusive
};

struct Parameter {
    std::string name;
    Value value;                    // the value; for a dated parameter, the first one
    std::vector<DatedValue> dated;  // empty unless the parameter has dated values
    std::string cite;
    dsl::Location where;
    std::string origin;  // the policy in the `extends` chain that gave this value
};

// The value of a dated parameter in force on `date`, or null when none is.
[[nodiscard]] const DatedValue* value_in_force(const Parameter& parameter, dsl::Date date);

enum class TableKind { Codes, Institutions, Levels };

struct Table {
    std::string name;
    TableKind kind = TableKind::Codes;
    std::vector<std::pair<std::string, std::string>> entries;  // key, label
    std::string cite;
    dsl::Location where;
};

enum class Framework { Eqf, Nqf };

// Level correspondence, e.g. EQF -> this jurisdiction's NQF, or Armenia's NQF -> EQF.
struct LevelMap {
    std::string name;
    Framework from = Framework::Eqf;
    std::string from_country;  // for NQF sources: whose NQF; empty = the policy's own
    Framework to = Framework::Nqf;
    std::map<int, int> levels;
    std::string cite;
    dsl::Location where;
};

enum class Rounding { None, Down, Up, Nearest };

// How hours become ECTS. Eligibility checks use the exact quotient; recognized credit is
// rounded to `step` as stated.
struct Conversion {
    bool declared = false;
    double hours_per_ects = 0;
    std::string hours_per_ects_name;  // the parameter it came from, if any
    Rounding rounding = Rounding::None;
    double step = 0;
    std::string cite;
    dsl::Location where;
};

enum class OrderKey { Issued, Id, Ects, Title };

struct Allocation {
    std::vector<OrderKey> order{OrderKey::Issued, OrderKey::Id};
    bool partial_allowed = true;
    std::string cite;  // empty when the default applies
};

// When two credentials cover substantially the same learning outcomes, so that only one
// is recognized. Without an `overlap` statement: only identical sets of declared outcome
// codes overlap.
struct OverlapTest {
    double percent = 100;  // shared codes, as a share of the smaller credential's codes
    std::string cite;      // empty when the default applies
    dsl::Location where;
};

// A `rule` (require ... else outcome) or an `exclude` (when ... then outcome).
struct Rule {
    std::string name;
    bool exclusion = false;
    std::vector<std::string> credential_kinds;  // empty = every kind
    std::vector<std::string> programme_kinds;   // empty = every kind
    std::optional<Expr> when;
    Expr condition;
    Outcome outcome = Outcome::Reject;
    std::string code;
    std::vector<MessagePart> message;
    std::string cite;
    dsl::Location where;
    std::string origin;  // the policy in the `extends` chain that wrote it
};

struct Cap {
    std::string name;
    std::vector<std::string> credential_kinds;
    std::vector<std::string> programme_kinds;
    std::optional<Expr> when;
    Expr limit;        // type ECTS
    std::string code;  // `code X`, when the policy names the reason code; see reason_code()
    std::string cite;
    dsl::Location where;
    std::string origin;

    // The reason code of a credential this cap cuts: its `code`, else CAP_ and its name.
    [[nodiscard]] std::string reason_code() const;
};

enum class ExceptionEffect { Limit, Require, Then, Exempt };

// `exception NAME to BASE`: where the base applies and the exception's scope and `when`
// hold too, the exception decides instead of the base (a rule, exclusion, cap or another
// exception). Among exceptions of one base that apply together, a narrower one wins
// (`more_specific_than`), then a stated priority (`over`).
struct Exception {
    std::string name;
    std::string base;
    std::string root;            // the rule, exclusion or cap at the top of the chain
    bool qualifies_cap = false;  // the root is a cap: the effect is Limit or Exempt
    std::vector<std::string> over;
    std::vector<std::string> more_specific_than;  // siblings it is narrower than
    std::vector<std::string> credential_kinds;    // as written; empty = the base's
    std::vector<std::string> programme_kinds;
    std::optional<Expr> when;
    ExceptionEffect effect = ExceptionEffect::Exempt;
    Expr expr;  // the limit (Limit) or the requirement (Require)
    Outcome outcome = Outcome::Reject;
    std::string code;
    std::vector<MessagePart> message;
    std::string cite;
    dsl::Location where;
    std::string origin;
};

// `forbid override NAME, ... cite "..."`: an officer's override in an application may not
// waive this rule, exclusion or exception, nor set this credential fact (engine/overrides.hpp).
struct OverrideBan {
    std::string name;   // "regulated_programmes", or a fact path such as "credential.level"
    bool fact = false;  // a credential fact path rather than a rule, exclusion or exception
    std::string cite;
    dsl::Location where;
    std::string origin;  // the policy in the `extends` chain that forbade it
};

// One part of a stack: a credential of the portfolio meeting `when`, or the credential
// another stack yields (`stack` names it).
struct StackComponent {
    std::string name;
    std::optional<Expr> when;
    std::string stack;
    dsl::Location where;
};

// At least `need` of the members must be filled (all of them for `require all of`).
struct StackGroup {
    std::size_t need = 0;
    bool all = false;
    std::vector<std::string> members;
    dsl::Location where;
};

// A larger credential formed from several in one portfolio (docs/stacking.md). A stack
// that completes yields a credential the policy then checks like any other; the credentials
// used in it are not also counted alone unless `count_alone`.
struct Stack {
    std::string name;
    std::string title;
    std::vector<StackComponent> components;
    std::vector<StackGroup> groups;  // never empty: one `all` group when none was written
    std::vector<Expr> each;          // conditions every component must meet
    std::optional<double> min_total_ects;
    std::optional<Value> within;        // years, months or days from first to last issue date
    std::optional<double> yields_ects;  // empty: the components' workloads added up
    std::optional<int> yields_level;    // empty: the lowest of the components' levels
    std::string yields_kind = "micro_credential";
    std::string yields_field;  // empty: the ISCED-F field all components share
    bool count_alone = false;
    int depth = 1;  // 1 + the deepest stack among its components
    std::string cite;
    dsl::Location where;
    std::string origin;
};

// Stacks may contain stacks to this depth, so explanations and searches stay small.
inline constexpr int max_stack_depth = 4;

struct PathwayUnit {
    std::string code;
    std::string title;
    double ects = 0;
    Expr when;  // which recognized credentials may cover it
    dsl::Location where;
};

// An articulation table: which recognized credentials cover which course units of the
// programme the application is for (docs/stacking.md).
struct Pathway {
    std::string name;
    std::string title;
    std::optional<Expr> applies;  // on programme facts; empty: every programme
    std::vector<PathwayUnit> units;
    std::string cite;
    dsl::Location where;
    std::string origin;
};

// The credential facts an officer's `set` override may give ("qa", "nqf_level", ...), as
// written in an application; a ban names them as "credential.qa". A ban on
// "credential.level" covers nqf_level and eqf_level, from which the level is derived.
[[nodiscard]] std::span<const std::string_view> settable_facts();

struct Policy {
    std::string id;
    std::string title;
    std::string jurisdiction;
    std::string version;
    std::optional<dsl::Date> in_force_from;
    std::optional<dsl::Date> in_force_until;
    std::vector<std::string> sources;
    std::vector<Parameter> params;
    std::vector<Table> tables;
    std::vector<LevelMap> level_maps;
    Conversion conversion;
    Allocation allocation;
    OverlapTest overlap;
    std::vector<Rule> rules;  // check order: exclusions and rules as written
    std::vector<Cap> caps;
    std::vector<Exception> exceptions;       // in the order written, parents' first
    std::vector<PolicyTest> tests;           // parents' first, then this policy's own
    std::vector<OverrideBan> override_bans;  // parents' first
    std::vector<Stack> stacks;               // inner stacks before the stacks that use them
    std::vector<Pathway> pathways;           // parents' first
    std::string file;
    std::string content_hash;        // SHA-256 of the policy text and of every policy it extends
    std::vector<std::string> chain;  // ids from the root of `extends` to this policy

    [[nodiscard]] const Parameter* find_parameter(const std::string& name) const;
    [[nodiscard]] const Exception* find_exception(const std::string& name) const;
    [[nodiscard]] const Stack* find_stack(const std::string& name) const;
    [[nodiscard]] const Pathway* find_pathway(const std::string& name) const;
};

}  // namespace mcre::rules
