#pragma once

// The parse tree of a policy file. Plain structs with a SourceSpan each; no Spirit types,
// so every layer can include this cheaply. Names are bound and types checked in rules/.

#include <optional>
#include <string>
#include <vector>

#include "dsl/source.hpp"

namespace mcre::dsl::ast {

struct Node {
    SourceSpan span;
};

struct Ident : Node {
    std::string name;
};

struct StringLit : Node {
    std::string text;
};

enum class ExprKind {
    Invalid,
    Number,   // number, text = unit ("" | "ects" | "hours" | "years" | "months" | "days" | "%")
    Date,     // text = "YYYY-MM-DD" as written
    String,   // text = contents
    Name,     // text = dotted path: "credential.workload", "mc_max_ects", "bachelor"
    Call,     // text = function name, args
    Set,      // args = elements
    Not,      // args[0]
    Binary,   // text = operator ("and" "or" "<" "<=" ">" ">=" "==" "!=" "+" "-" "of" "in" "not in"
              // "as of": a dated parameter's value on the date on the right)
    Between,  // args = value, low, high (inclusive)
    IsMissing,
    IsPresent,
};

struct Expr : Node {
    ExprKind kind = ExprKind::Invalid;
    std::string text;
    double number = 0;
    std::vector<Expr> args;
    int depth = 1;  // height of this tree: bounded so checking and evaluation stay shallow
};

// title, jurisdiction, version, source, in force (values = from [, until]).
struct Setting : Node {
    std::string key;
    std::vector<StringLit> values;
};

// One value of a parameter and when it is in force; both dates are optional.
struct ParamValue : Node {
    Expr value;
    StringLit from;   // text empty when not given
    StringLit until;  // inclusive
};

struct Param : Node {
    bool overrides = false;  // written `override param ...`: replaces an inherited one
    Ident name;
    std::vector<ParamValue> values;  // one, or several dated ones
    StringLit cite;
};

struct TableEntry : Node {
    std::string key;    // code or institution id; for level maps the source level
    std::string label;  // optional human name; for level maps the target level
};

struct Table : Node {
    bool overrides = false;
    Ident name;
    std::string kind;            // "codes" | "institutions" | "levels"
    std::string from_framework;  // levels only: "eqf" | "nqf"
    Ident from_country;          // levels only, optional: whose NQF
    std::string to_framework;
    std::vector<TableEntry> entries;
    StringLit cite;
};

struct Conversion : Node {
    Expr hours_per_ects;
    std::string rounding = "none";  // "none" | "down" | "up" | "nearest"
    double step = 0;
    StringLit cite;
};

struct Allocation : Node {
    std::vector<Ident> order;
    std::optional<bool> partial;
    StringLit cite;
};

// `overlap at least P % cite "..."`: two credentials overlap when the outcome codes they
// share are at least P % of the smaller one's.
struct Overlap : Node {
    double percent = 0;
    StringLit cite;
};

// `component NAME when <credential condition>` or `component NAME is stack OTHER`.
struct StackComponent : Node {
    Ident name;
    std::optional<Expr> when;
    Ident stack;  // empty name unless the part is the credential another stack yields
};

// `require all of a, b` or `require 2 of a, b, c`.
struct StackGroup : Node {
    bool all = false;
    unsigned count = 0;
    std::vector<Ident> members;
};

// `stack NAME { title, component..., require..., yields..., [components count alone] cite }`:
// several credentials of the portfolio that together form a larger one (docs/stacking.md).
struct Stack : Node {
    Ident name;
    StringLit title;
    std::vector<StackComponent> components;
    std::vector<StackGroup> groups;  // none written: every component is required
    std::vector<Expr> each;          // `require each C`: every component must meet C
    std::optional<Expr> total;       // `require total at least X ects`
    std::optional<Expr> within;      // `require within N years`: first to last issue date
    std::optional<Expr> yields_ects;
    std::optional<unsigned> yields_level;
    Ident yields_kind;         // empty name: micro_credential
    StringLit yields_field;    // empty text: the components' common field
    bool count_alone = false;  // `components count alone`
    StringLit cite;
};

// `unit "CS101" "Introduction to Programming" 5 ects when <credential condition>`.
struct PathwayUnit : Node {
    StringLit code;
    StringLit title;
    Expr ects;
    Expr when;
};

// `pathway NAME { title, applies when <programme condition>, unit..., cite }`: an
// articulation table placing recognized credit on a programme's course units.
struct Pathway : Node {
    Ident name;
    StringLit title;
    std::optional<Expr> applies;
    std::vector<PathwayUnit> units;
    StringLit cite;
};

struct Outcome : Node {
    Ident kind;  // reject | refer | warn | incomplete | not_applicable
    Ident code;
    StringLit message;
};

struct Scope {
    std::vector<Ident> credential_kinds;  // "for ..."
    std::vector<Ident> programme_kinds;   // "in ..."
};

// Both `rule` (require ... else) and `exclude` (when ... then) statements.
struct Rule : Node {
    bool overrides = false;
    bool exclusion = false;
    Ident name;
    Scope scope;
    std::optional<Expr> when;
    Expr condition;  // rule: the requirement; exclude: the excluding condition
    Outcome outcome;
    StringLit cite;
};

struct Cap : Node {
    bool overrides = false;
    Ident name;
    Scope scope;
    std::optional<Expr> when;
    Expr limit;
    std::optional<Ident> code;  // `code CAP_VOCATIONAL`: the reason code when it cuts
    StringLit cite;
};

// `exception NAME to BASE ...`: qualifies an inherited or local rule, exclusion, cap or
// another exception. Where its scope and `when` hold, it decides instead of BASE.
struct Exception : Node {
    bool overrides = false;
    Ident name;
    Ident base;
    std::vector<Ident> over;  // sibling exceptions it prevails over when both apply
    Scope scope;
    std::optional<Expr> when;
    std::string effect;  // "limit" (at most E) | "require" (require C else O) | "then" | "exempt"
    Expr expr;           // the limit or the requirement
    Outcome outcome;     // for "require" and "then"
    StringLit cite;
};

// `expect "c1" recognized 6 ects because CODE not because CODE` or `expect total 12 ects`.
struct Expectation : Node {
    bool total = false;
    StringLit credential;  // the credential id; empty for a total
    Ident status;          // empty name when not stated
    std::optional<Expr> ects;
    std::vector<Ident> because;      // reason codes that must be present
    std::vector<Ident> not_because;  // reason codes that must be absent
};

// `test NAME { application "file.yaml" | application """yaml""" [as of D] expect ... }`.
struct Test : Node {
    bool overrides = false;
    Ident name;
    StringLit application_file;    // path relative to the policy file; text empty when inline
    StringLit application_inline;  // YAML between triple quotes; span covers the text only
    StringLit as_of;               // text empty when not given
    std::vector<Expectation> expectations;
};

// `remove rule NAME cite "..."`: an inherited rule, exclusion or cap no longer applies.
struct Removal : Node {
    Ident kind;  // rule | exclude | cap | exception | test
    Ident name;
    StringLit cite;
};

// `forbid override NAME, ... cite "..."`: officers may not override these rules, exclusions,
// exceptions or credential facts (`credential.level`) in an application's `overrides:`.
struct OverrideBan : Node {
    std::vector<Ident> names;  // a rule-like name, or a dotted credential fact path
    StringLit cite;
};

struct Policy : Node {
    Ident id;
    Ident parent;  // `extends ID`; empty name when the policy stands alone
    std::vector<Setting> settings;
    std::vector<Param> params;
    std::vector<Table> tables;
    std::vector<Conversion> conversions;
    std::vector<Allocation> allocations;
    std::vector<Overlap> overlaps;
    std::vector<Rule> rules;  // in the order written: the check order
    std::vector<Cap> caps;
    std::vector<Exception> exceptions;
    std::vector<Test> tests;
    std::vector<Removal> removals;
    std::vector<OverrideBan> override_bans;
    std::vector<Stack> stacks;
    std::vector<Pathway> pathways;
};

}  // namespace mcre::dsl::ast
