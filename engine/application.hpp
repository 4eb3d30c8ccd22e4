#pragma once

// One application for recognition, as read from YAML or JSON (docs/input-format.md).
// Optional fields stay empty when the document does not state them: a missing element
// is a fact the policy judges, not a load error.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dsl/date.hpp"
#include "dsl/source.hpp"

namespace mcre::engine {

struct Credential {
    std::string id;
    // The identifier the issuer gave the credential (ELM or Open Badges `id`, such as
    // "urn:epass:..."), when it was read from an issued document (`elm:` entry).
    std::optional<std::string> source_id;
    std::optional<std::string> title;
    std::optional<std::string> learner;
    std::optional<std::string> issuer_country;  // ISO 3166-1 alpha-2
    std::optional<std::string> awarding_body;
    std::optional<dsl::Date> issued;
    std::vector<std::string> learning_outcomes;
    // Codes of the learning outcomes (an institution's outcome codes, ESCO skills), by which
    // the policy's overlap test finds two credentials covering the same learning.
    std::vector<std::string> outcome_codes;
    std::optional<double> ects;
    std::optional<double> hours;
    std::optional<int> nqf_level;
    std::optional<int> eqf_level;
    std::optional<std::string> cycle;  // short | first | second | third
    std::optional<std::string> assessment;
    std::optional<std::string> participation;
    std::optional<std::string> qa;
    std::optional<std::string>
        kind;  // micro_credential | vocational_l5 | non_formal | course_units
    std::optional<std::string> field;  // ISCED-F 2013 code
    std::optional<dsl::Date> expires;
    bool revoked = false;
    std::optional<std::string> provider_type;
    std::optional<bool> programme_accredited;
    std::optional<bool> institution_accredited;
    std::optional<bool> in_registry;
    int line = 0;  // where it starts in the input, for messages
    // Facts an officer's `set` override gave, filled by the evaluator (engine/overrides.hpp):
    // fact ("qa") -> how the explanation names it ("set by override o2: N. Beridze, 2026-11-20").
    std::map<std::string, std::string> set_by;
};

// An officer's judgement, recorded in the application (docs/input-format.md, "Overrides"):
// waive one check of the policy for one credential, or set one of its facts.
struct Override {
    std::string id;          // "o1", "o2", ... unless the application names it
    std::string credential;  // the id of a credential of this application
    std::string waive;  // a rule, exclusion or exception, bare or qualified ("georgia.recency")
    std::string fact;   // or, for `set`: one of rules::settable_facts(), such as "qa"
    std::string value;  // the value it sets, checked as the credential field is: "eqar", "6"
    std::string author;
    dsl::Date date;
    std::string reason;
    dsl::SourceSpan span;  // the `waive` or `set` entry in the input, for messages
    std::string pointer;   // its JSON Pointer, such as "/overrides/0/waive"
};

struct Programme {
    std::string id;
    std::optional<std::string> title;
    std::optional<std::string> kind;  // short_cycle | bachelor | master | integrated | doctoral
    std::optional<int> level;         // NQF
    std::optional<double> total_ects;
    std::optional<std::string> field;
    std::optional<std::string> institution;
    bool regulated = false;
    std::optional<std::string> profession;
    std::optional<bool> provides_for_recognition;
    std::optional<double> mc_cap;
};

struct Application {
    std::string id;
    std::string learner_id;
    std::optional<std::string> learner_name;
    std::optional<std::string> jurisdiction;
    dsl::Date date;
    Programme programme;
    // ECTS recognized for this learner in this programme by earlier decisions, by
    // credential kind; they count against the caps before anything in this application.
    std::map<std::string, double> prior_recognized;
    std::vector<Credential> credentials;
    // Read dated parameters on this day instead of the application date (`--as-of`): how a
    // policymaker asks what the rules in force on another day would decide.
    std::optional<dsl::Date> values_as_of;
    std::vector<Override> overrides;  // in input order
};

}  // namespace mcre::engine
