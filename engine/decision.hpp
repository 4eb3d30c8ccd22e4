#pragma once

// The result of evaluating one application: plain data, rendered by decision_text and
// decision_json. Everything a recognition officer needs to defend it is here.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dsl/source.hpp"
#include "rules/model.hpp"

namespace mcre::engine {

enum class Status {
    Recognized,
    PartiallyRecognized,
    NotRecognized,
    Referred,
    Incomplete,
    NotApplicable,
};
[[nodiscard]] const char* status_name(Status status);  // "recognized", "partially_recognized", ...
// How favourable a status is to the learner (recognized highest), for comparing decisions.
[[nodiscard]] int status_rank(Status status);

// One check applied to a credential: a policy rule or exclusion, a cap, or one of the
// engine's own checks of the credential's validity (rule = "validity", "duplicate").
struct Reason {
    std::string rule;  // "georgia.workload"
    std::string code;  // "WORKLOAD"
    rules::Outcome outcome = rules::Outcome::Reject;
    bool passed = false;
    std::string message;               // the policy's template, filled in
    std::string facts;                 // "6 ECTS is within 3 ECTS-30 ECTS"
    std::vector<std::string> missing;  // elements the check needed and did not have
    std::string cite;
    dsl::Location where;  // the clause in the policy file (empty file for engine checks)
    // Set when an exception decided instead of a rule, exclusion or cap: which one it
    // replaced ("georgia.workload"), the facts that made it apply, and sibling exceptions
    // that also applied but gave way ("a (b is narrower)").
    std::string instead_of;
    std::string because;
    std::vector<std::string> prevailed_over;
    // Set when an officer's override waived this check, which then counts as passed:
    // the override's id ("o1"), who and when ("N. Beridze, 2026-11-20"), and why.
    std::string override_id;
    std::string override_by;
    std::string override_reason;
};

struct CapCharge {
    std::string cap;
    double limit = 0;
    double used_before = 0;  // by prior decisions and earlier credentials
    double charged = 0;
    double remaining = 0;  // after this credential
};

// One fact of a credential as it would have to be for a different decision.
struct FactChange {
    std::string fact;   // "credential.workload"
    std::string from;   // "2 ECTS"; "" when the credential does not state it
    std::string to;     // "3 ECTS"
    std::string words;  // "it carried at least 3 ECTS (it carries 2 ECTS)"
};

// A smallest set of changes to a credential's own facts that gets it through every check,
// with the decision it would then receive (a cap may still cut it).
struct Counterfactual {
    std::vector<FactChange> changes;
    Status status = Status::Recognized;
    double recognized_ects = 0;
};

struct CredentialDecision {
    std::string id;
    std::string title;
    std::string awarding_body;
    std::string issued;  // as YYYY-MM-DD, "" when missing
    std::string kind;
    Status status = Status::NotRecognized;
    std::optional<double> claimed_ects;  // the workload in ECTS, when known
    std::string workload_basis;          // "stated" or "150 hours at 25 hours per ECTS"
    std::string level_basis;             // "NQF 6 as stated", "EQF 6 -> NQF 6 (table eqf_to_nqf)"
    double recognized_ects = 0;
    std::string primary_code;     // the deciding reason's code, "" when recognized
    std::vector<Reason> reasons;  // failures and warnings, in check order
    std::vector<Reason> passed;   // checks that passed, in check order
    std::vector<CapCharge> caps;  // caps charged, in declaration order
    std::optional<std::string> duplicate_of;
    // The earlier credential covering substantially the same learning outcomes, when this
    // one is not recognized for that (the policy's overlap test).
    std::optional<std::string> overlap_of;
    // The stack whose credential this one helped form, when it is counted there instead of
    // alone; and, for the credential a completed stack yields, the stack's name.
    std::optional<std::string> stacked_into;
    std::optional<std::string> formed_by_stack;
    // The issuer's identifier of a credential read from an ELM or Open Badges document.
    std::optional<std::string> source_id;
    std::vector<std::string> would_change;  // what would change the decision, in words
    // The smallest changes of the credential's facts that would get it recognized; when
    // there are none, `no_change_helps` says why (e.g. the exclusion turns on the programme).
    std::vector<Counterfactual> counterfactuals;
    std::string no_change_helps;

    // Empties every field, as a fresh CredentialDecision, keeping the strings' and lists'
    // memory for the next credential decided into it (evaluate into a reused Decision).
    void clear();
};

struct CapLedgerEntry {
    std::string cap;
    std::string cite;
    dsl::Location where;
    double limit = 0;
    double prior = 0;  // from earlier decisions
    double used = 0;   // by this decision
    double remaining = 0;
    // The element the limit needs and the application lacks (e.g. "programme's own cap");
    // the cap then counts as 0 and every credential it covers is incomplete.
    std::string missing;
    std::string instead_of;  // for an exception's limit: the cap it replaces here
};

// What an officer's override did in this decision (engine/overrides.hpp). `unnecessary`:
// the credential is decided the same without it; `not_applicable`: what it names is not in
// this policy or does not apply to the credential; `forbidden`: the policy forbids it, so
// it was not applied (check_overrides reports it as an error before evaluation).
enum class OverrideStatus { Applied, Unnecessary, NotApplicable, Forbidden };
[[nodiscard]] const char* override_status_name(OverrideStatus status);  // "applied", ...

struct OverrideRecord {
    std::string id;
    std::string credential;
    std::string action;  // "waive" or "set"
    std::string target;  // the check waived, as written, or the fact set ("credential.qa")
    std::string value;   // the value set; "" for a waiver
    std::string author;
    std::string date;  // YYYY-MM-DD
    std::string reason;
    OverrideStatus status = OverrideStatus::Applied;
    std::string note;  // what it changed, or why it did not, in plain words
};

// One component of a stack and the credential that fills it, if any.
struct StackPart {
    std::string component;   // its name in the stack
    std::string condition;   // what it asks, in words: the `when` or "the stack NAME"
    std::string credential;  // the credential that fills it; "" when none does
    std::string title;
    std::string issued;  // YYYY-MM-DD, "" when not stated
    double ects = 0;     // its workload in ECTS
    std::string stack;   // when the part is another stack: its name (see Decision::stacks)
    // For an empty part: the credentials that meet its condition and why each cannot fill it
    // ("c4 is used in stack gis_basics"; "c5: credential.level is 5, not at least 6").
    std::vector<std::string> near_misses;
};

// A stack the portfolio completes, or starts and does not complete (docs/stacking.md).
struct StackDecision {
    std::string name;
    std::string title;
    std::string cite;
    dsl::Location where;
    bool complete = false;
    std::string credential;            // the id of the credential it yields, when complete
    std::string used_in;               // the stack whose component it fills, if any
    double total_ects = 0;             // of the parts filled
    std::vector<StackPart> parts;      // in the stack's component order
    std::vector<std::string> missing;  // what is still needed, in words; empty when complete
};

// A course unit of a pathway and the recognized credential placed on it.
struct UnitCoverage {
    std::string code;
    std::string title;
    double ects = 0;
    std::string credential;  // "" when no recognized credential covers it
};

// Where a pathway places the recognized credit on the programme's units (docs/stacking.md).
struct PathwayDecision {
    std::string name;
    std::string title;
    std::string cite;
    dsl::Location where;
    std::vector<UnitCoverage> units;  // in the pathway's order
    double covered_ects = 0;          // the units covered, added up
    double remaining_ects = 0;        // the units not covered, added up
    // Recognized ECTS of a credential that no unit takes (credential id -> ECTS).
    std::map<std::string, double> unplaced;
    // Set when the search for the best placement stopped at its limit: the placement is
    // the best found, not proven the best.
    std::string note;
};

struct Decision {
    std::string application_id;
    std::string learner_id;
    std::string programme_id;
    std::string programme_kind;
    // For the applicant's statement only (engine/statement.hpp); not in text or JSON.
    std::string learner_name;
    std::string programme_title;
    std::string application_date;
    std::string values_as_of;  // set when dated parameters were read on another day (--as-of)
    std::string policy_id;
    std::string policy_version;
    std::string policy_title;
    std::string policy_hash;
    std::vector<CredentialDecision> credentials;  // in input order
    std::vector<CapLedgerEntry> cap_ledger;       // caps that apply to the programme
    std::map<std::string, double> recognized_by_kind;
    double total_recognized = 0;
    // Things about the whole application the officer should know, e.g. a cap that could
    // not be applied because its condition needs a fact the application lacks.
    std::vector<std::string> notes;
    std::vector<OverrideRecord> overrides;  // one per override in the application, in its order
    std::vector<StackDecision> stacks;      // completed and started stacks, inner ones first
    std::vector<PathwayDecision> pathways;  // the pathways that apply to the programme
};

}  // namespace mcre::engine
