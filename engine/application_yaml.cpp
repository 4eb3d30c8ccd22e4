#include "engine/application_yaml.hpp"

#include <fmt/format.h>

#include "rules/value.hpp"

namespace mcre::engine {

namespace {

// Every text is quoted: field codes keep their leading zero, and no text can be misread as
// a number, a date or a boolean.
std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

struct Entries {
    std::vector<std::string> items;

    void text(const char* key, const std::optional<std::string>& value) {
        if (value) items.push_back(fmt::format("{}: {}", key, quoted(*value)));
    }
    void number(const char* key, const std::optional<double>& value) {
        if (value) items.push_back(fmt::format("{}: {}", key, rules::format_number(*value)));
    }
    void integer(const char* key, const std::optional<int>& value) {
        if (value) items.push_back(fmt::format("{}: {}", key, *value));
    }
    void boolean(const char* key, const std::optional<bool>& value) {
        if (value) items.push_back(fmt::format("{}: {}", key, *value ? "true" : "false"));
    }
    void date(const char* key, const std::optional<dsl::Date>& value) {
        if (value) items.push_back(fmt::format("{}: {}", key, dsl::format_date(*value)));
    }
};

// "{ a: 1, b: 2 }", continued on lines indented by `indent` when it grows past 96 columns.
std::string flow(const Entries& entries, std::size_t first_column, std::size_t indent) {
    std::string out = "{ ";
    std::size_t column = first_column + 2;
    for (std::size_t i = 0; i < entries.items.size(); ++i) {
        std::string item = entries.items[i] + (i + 1 < entries.items.size() ? "," : "");
        if (i > 0 && column + item.size() + 1 > 96) {
            out += "\n" + std::string(indent, ' ');
            column = indent;
        } else if (i > 0) {
            out += " ";
            ++column;
        }
        out += item;
        column += item.size();
    }
    return out + " }";
}

std::string credential_yaml(const Credential& c) {
    Entries e;
    e.text("id", c.id);
    e.text("kind", c.kind);
    e.text("title", c.title);
    e.text("learner", c.learner);
    e.text("issuer_country", c.issuer_country);
    e.text("awarding_body", c.awarding_body);
    e.date("issued", c.issued);
    if (!c.learning_outcomes.empty()) {
        std::vector<std::string> outcomes;
        for (const std::string& o : c.learning_outcomes) outcomes.push_back(quoted(o));
        e.items.push_back(fmt::format("learning_outcomes: [{}]", fmt::join(outcomes, ", ")));
    }
    if (!c.outcome_codes.empty()) {
        std::vector<std::string> codes;
        for (const std::string& o : c.outcome_codes) codes.push_back(quoted(o));
        e.items.push_back(fmt::format("outcome_codes: [{}]", fmt::join(codes, ", ")));
    }
    e.number("ects", c.ects);
    e.number("hours", c.hours);
    e.integer("nqf_level", c.nqf_level);
    e.integer("eqf_level", c.eqf_level);
    e.text("cycle", c.cycle);
    e.text("assessment", c.assessment);
    e.text("participation", c.participation);
    e.text("qa", c.qa);
    e.text("field", c.field);
    e.date("expires", c.expires);
    if (c.revoked) e.items.emplace_back("revoked: true");
    e.text("provider_type", c.provider_type);
    e.boolean("programme_accredited", c.programme_accredited);
    e.boolean("institution_accredited", c.institution_accredited);
    e.boolean("in_registry", c.in_registry);
    return flow(e, 4, 6);
}

// The value of a `set` as the credential field is written: levels and flags plain, texts
// (and so field codes) quoted.
std::string set_value(const Override& o) {
    bool plain =
        o.fact == "nqf_level" || o.fact == "eqf_level" || o.value == "true" || o.value == "false";
    return plain && o.fact != "qa" && o.fact != "field" ? o.value : quoted(o.value);
}

std::string override_yaml(const Override& o) {
    Entries e;
    e.text("id", o.id);
    e.text("credential", o.credential);
    if (!o.waive.empty()) e.text("waive", o.waive);
    if (!o.fact.empty()) e.items.push_back(fmt::format("set: {{ {}: {} }}", o.fact, set_value(o)));
    e.text("author", o.author);
    e.date("date", o.date);
    e.text("reason", o.reason);
    return flow(e, 4, 6);
}

}  // namespace

std::string application_yaml(const Application& a) {
    std::string out = fmt::format("id: {}\ndate: {}\n", quoted(a.id), dsl::format_date(a.date));
    if (a.jurisdiction) out += fmt::format("jurisdiction: {}\n", quoted(*a.jurisdiction));
    Entries learner;
    learner.text("id", a.learner_id);
    learner.text("name", a.learner_name);
    out += "learner: " + flow(learner, 9, 2) + "\n";

    const Programme& p = a.programme;
    Entries programme;
    programme.text("id", p.id);
    programme.text("title", p.title);
    programme.text("kind", p.kind);
    programme.integer("level", p.level);
    programme.number("total_ects", p.total_ects);
    programme.text("field", p.field);
    programme.text("institution", p.institution);
    programme.boolean("regulated", p.regulated);
    programme.text("profession", p.profession);
    programme.boolean("provides_for_recognition", p.provides_for_recognition);
    programme.number("mc_cap", p.mc_cap);
    out += "programme: " + flow(programme, 11, 2) + "\n";

    if (!a.prior_recognized.empty()) {
        Entries prior;
        for (const auto& [kind, ects] : a.prior_recognized)
            prior.items.push_back(fmt::format("{}: {}", kind, rules::format_number(ects)));
        out += "prior_recognized: " + flow(prior, 18, 2) + "\n";
    }
    out += "credentials:\n";
    for (const Credential& c : a.credentials) out += "  - " + credential_yaml(c) + "\n";
    if (!a.overrides.empty()) out += "overrides:\n";
    for (const Override& o : a.overrides) out += "  - " + override_yaml(o) + "\n";
    return out;
}

}  // namespace mcre::engine
