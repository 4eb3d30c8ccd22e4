#include "engine/cohort_write.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "engine/detail/cohort_columns.hpp"

namespace mcre::engine {

namespace {

using Json = nlohmann::ordered_json;

Json number(double value) {
    if (std::trunc(value) == value && std::fabs(value) < 1e15) {
        return Json(static_cast<long long>(value));
    }
    return Json(value);
}

// Shortest text that reads back to the same double ("7.5", "2.96"), whole numbers without
// a fraction ("6").
std::string number_text(double value) {
    if (std::trunc(value) == value && std::fabs(value) < 1e15) {
        return std::to_string(static_cast<long long>(value));
    }
    char buffer[32];
    const auto r = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, r.ptr);
}

template <typename T>
void put(Json& object, const char* key, const std::optional<T>& value) {
    if (value) object[key] = *value;
}

void put_number(Json& object, const char* key, const std::optional<double>& value) {
    if (value) object[key] = number(*value);
}

void put_date(Json& object, const char* key, const std::optional<dsl::Date>& value) {
    if (value) object[key] = dsl::format_date(*value);
}

Json credential_json(const Credential& c) {
    Json j = Json::object();
    j["id"] = c.id;
    put(j, "kind", c.kind);
    put(j, "title", c.title);
    put(j, "learner", c.learner);
    put(j, "issuer_country", c.issuer_country);
    put(j, "awarding_body", c.awarding_body);
    put_date(j, "issued", c.issued);
    if (!c.learning_outcomes.empty()) j["learning_outcomes"] = c.learning_outcomes;
    if (!c.outcome_codes.empty()) j["outcome_codes"] = c.outcome_codes;
    put_number(j, "ects", c.ects);
    put_number(j, "hours", c.hours);
    put(j, "nqf_level", c.nqf_level);
    put(j, "eqf_level", c.eqf_level);
    put(j, "cycle", c.cycle);
    put(j, "assessment", c.assessment);
    put(j, "participation", c.participation);
    put(j, "qa", c.qa);
    put(j, "field", c.field);
    put_date(j, "expires", c.expires);
    if (c.revoked) j["revoked"] = true;
    put(j, "provider_type", c.provider_type);
    put(j, "programme_accredited", c.programme_accredited);
    put(j, "institution_accredited", c.institution_accredited);
    put(j, "in_registry", c.in_registry);
    return j;
}

// RFC 4180: quoted when it holds a comma, a quote or a line end (or starts or ends with a
// space, which a reader that trims would lose); quotes inside doubled.
std::string csv_cell(std::string_view text) {
    const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos ||
                       (!text.empty() && (text.front() == ' ' || text.back() == ' '));
    if (!quote) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

// A list in one cell, its items separated by " | " (the reader splits on '|').
std::string list_cell(const std::vector<std::string>& items) {
    std::string joined;
    for (const std::string& item : items) {
        if (!joined.empty()) joined += " | ";
        joined += item;
    }
    return joined;
}

std::string text_of(const std::optional<std::string>& v) { return v ? *v : std::string(); }
std::string text_of(const std::optional<double>& v) { return v ? number_text(*v) : std::string(); }
std::string text_of(const std::optional<int>& v) { return v ? std::to_string(*v) : std::string(); }
std::string text_of(const std::optional<bool>& v) {
    return v ? (*v ? "true" : "false") : std::string();
}
std::string text_of(const std::optional<dsl::Date>& v) {
    return v ? dsl::format_date(*v) : std::string();
}

std::string prior(const Application& a, const char* kind) {
    const auto it = a.prior_recognized.find(kind);
    return it == a.prior_recognized.end() ? std::string() : number_text(it->second);
}

// The cell of one column for the application and (for credential columns) one credential.
std::string cell(std::string_view column, const Application& a, const Credential* c) {
    const Programme& p = a.programme;
    if (column == "application_id") return a.id;
    if (column == "date") return dsl::format_date(a.date);
    if (column == "jurisdiction") return text_of(a.jurisdiction);
    if (column == "learner_id") return a.learner_id;
    if (column == "learner_name") return text_of(a.learner_name);
    if (column == "programme_id") return p.id;
    if (column == "programme_title") return text_of(p.title);
    if (column == "programme_kind") return text_of(p.kind);
    if (column == "programme_level") return text_of(p.level);
    if (column == "programme_total_ects") return text_of(p.total_ects);
    if (column == "programme_field") return text_of(p.field);
    if (column == "programme_institution") return text_of(p.institution);
    if (column == "programme_regulated") return p.regulated ? "true" : "false";
    if (column == "programme_profession") return text_of(p.profession);
    if (column == "programme_provides_for_recognition") return text_of(p.provides_for_recognition);
    if (column == "programme_mc_cap") return text_of(p.mc_cap);
    if (column == "prior_micro_credential") return prior(a, "micro_credential");
    if (column == "prior_vocational_l5") return prior(a, "vocational_l5");
    if (column == "prior_non_formal") return prior(a, "non_formal");
    if (column == "prior_course_units") return prior(a, "course_units");
    if (c == nullptr) return {};
    if (column == "credential_id") return c->id;
    if (column == "kind") return text_of(c->kind);
    if (column == "title") return text_of(c->title);
    if (column == "credential_learner") return text_of(c->learner);
    if (column == "issuer_country") return text_of(c->issuer_country);
    if (column == "awarding_body") return text_of(c->awarding_body);
    if (column == "issued") return text_of(c->issued);
    if (column == "learning_outcomes") return list_cell(c->learning_outcomes);
    if (column == "outcome_codes") return list_cell(c->outcome_codes);
    if (column == "ects") return text_of(c->ects);
    if (column == "hours") return text_of(c->hours);
    if (column == "nqf_level") return text_of(c->nqf_level);
    if (column == "eqf_level") return text_of(c->eqf_level);
    if (column == "cycle") return text_of(c->cycle);
    if (column == "assessment") return text_of(c->assessment);
    if (column == "participation") return text_of(c->participation);
    if (column == "qa") return text_of(c->qa);
    if (column == "field") return text_of(c->field);
    if (column == "expires") return text_of(c->expires);
    if (column == "revoked") return c->revoked ? "true" : "";
    if (column == "provider_type") return text_of(c->provider_type);
    if (column == "programme_accredited") return text_of(c->programme_accredited);
    if (column == "institution_accredited") return text_of(c->institution_accredited);
    if (column == "in_registry") return text_of(c->in_registry);
    return {};
}

void append_row(std::string& out, const Application& a, const Credential* c) {
    bool first = true;
    for (const detail::CsvColumn& column : detail::cohort_columns) {
        if (!first) out += ',';
        first = false;
        out += csv_cell(cell(column.name, a, c));
    }
    out += '\n';
}

}  // namespace

std::string application_json_line(const Application& a) {
    Json j = Json::object();
    j["id"] = a.id;
    j["date"] = dsl::format_date(a.date);
    put(j, "jurisdiction", a.jurisdiction);
    Json learner = Json::object();
    learner["id"] = a.learner_id;
    put(learner, "name", a.learner_name);
    j["learner"] = std::move(learner);
    const Programme& p = a.programme;
    Json programme = Json::object();
    programme["id"] = p.id;
    put(programme, "title", p.title);
    put(programme, "kind", p.kind);
    put(programme, "level", p.level);
    put_number(programme, "total_ects", p.total_ects);
    put(programme, "field", p.field);
    put(programme, "institution", p.institution);
    programme["regulated"] = p.regulated;
    put(programme, "profession", p.profession);
    put(programme, "provides_for_recognition", p.provides_for_recognition);
    put_number(programme, "mc_cap", p.mc_cap);
    j["programme"] = std::move(programme);
    if (!a.prior_recognized.empty()) {
        Json prior_json = Json::object();
        for (const auto& [kind, ects] : a.prior_recognized) prior_json[kind] = number(ects);
        j["prior_recognized"] = std::move(prior_json);
    }
    Json credentials = Json::array();
    for (const Credential& c : a.credentials) credentials.push_back(credential_json(c));
    j["credentials"] = std::move(credentials);
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string cohort_csv_header() {
    std::string out;
    for (const detail::CsvColumn& column : detail::cohort_columns) {
        if (!out.empty()) out += ',';
        out += column.name;
    }
    return out + "\n";
}

std::string cohort_csv_rows(const Application& application) {
    std::string out;
    if (application.credentials.empty()) append_row(out, application, nullptr);
    for (const Credential& c : application.credentials) append_row(out, application, &c);
    return out;
}

}  // namespace mcre::engine
