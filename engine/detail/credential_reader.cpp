#include "engine/detail/credential_reader.hpp"

#include <fmt/format.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "rules/schema.hpp"

namespace mcre::engine::detail {

namespace {

constexpr std::array<std::string_view, 4> k_cycles = {"short", "first", "second", "third"};
constexpr std::array<std::string_view, 3> k_provider_types = {"hei", "vet", "non_formal"};

}  // namespace

std::span<const std::string_view> credential_fields() { return k_credential_fields; }

Credential CredentialReader::read(const Fields& f, const YAML::Node& node,
                                  const std::string& what) {
    Credential c;
    c.line = node.Mark().line + 1;
    if (!f.valid) return c;
    // An issued document (`elm:`) gives the facts; the entry's own fields complete or
    // override them, and its id defaults to the document's.
    const YAML::Node* elm = f.find("elm");
    std::optional<ElmReadResult> issued;
    if (elm) issued = read_issued(*elm, what);
    if (elm ? f.find("id") != nullptr : reader_.required(f, "id") != nullptr) {
        c.id = reader_.text(f, "id").value_or("");
    }
    c.kind = reader_.one_of(f, "kind", rules::credential_kinds());
    c.title = reader_.text(f, "title");
    c.learner = reader_.text(f, "learner");
    c.issuer_country = reader_.country(f, "issuer_country");
    c.awarding_body = reader_.text(f, "awarding_body");
    c.issued = reader_.date(f, "issued");
    c.learning_outcomes = reader_.text_list(f, "learning_outcomes");
    c.outcome_codes = reader_.text_list(f, "outcome_codes");
    c.ects = reader_.non_negative(f, "ects");
    c.hours = reader_.non_negative(f, "hours");
    c.nqf_level = reader_.level(f, "nqf_level");
    c.eqf_level = reader_.level(f, "eqf_level");
    c.cycle = reader_.one_of(f, "cycle", k_cycles);
    c.assessment = reader_.text(f, "assessment");
    c.participation = reader_.text(f, "participation");
    c.qa = reader_.text(f, "qa");
    c.field = reader_.code(f, "field");
    c.expires = reader_.date(f, "expires");
    c.revoked = reader_.boolean(f, "revoked").value_or(false);
    c.provider_type = reader_.one_of(f, "provider_type", k_provider_types);
    c.programme_accredited = reader_.boolean(f, "programme_accredited");
    c.institution_accredited = reader_.boolean(f, "institution_accredited");
    c.in_registry = reader_.boolean(f, "in_registry");
    if (issued && issued->credential) complete_from(c, *issued, *elm, what);
    return c;
}

// The credential document an `elm:` entry names, read and mapped (engine/elm_load.hpp).
// Its problems are reported at the entry, naming the place in the document.
std::optional<ElmReadResult> CredentialReader::read_issued(const YAML::Node& node,
                                                           const std::string& what) {
    if (!node.IsScalar()) {
        reader_.error("E4002", node, fmt::format("{}: 'elm' must be a file name", what),
                      "write the path of the .jsonld file, relative to the application");
        return std::nullopt;
    }
    if (!options_.credential_directory) {
        reader_.error("E4008", node, fmt::format("{}: credential files are not read here", what),
                      "state the credential's fields in the entry instead of 'elm'; only "
                      "`mcre evaluate` on a file reads credential documents beside it");
        return std::nullopt;
    }
    const std::filesystem::path path =
        (std::filesystem::path(*options_.credential_directory) / node.Scalar()).lexically_normal();
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    if (!in || in.bad()) {
        reader_.error(
            "E4008", node,
            fmt::format("{}: cannot read the credential document '{}'", what,
                        (std::filesystem::path(source_.name()).parent_path() / node.Scalar())
                            .lexically_normal()
                            .string()),
            "the path is relative to the application file's folder");
        return std::nullopt;
    }
    // Messages name the document as the application is named, "examples/elm/x.jsonld".
    const std::string shown = (std::filesystem::path(source_.name()).parent_path() / node.Scalar())
                                  .lexically_normal()
                                  .string();
    const dsl::SourceFile document(shown, text.str());
    ElmReadResult read = read_elm_credential(document);
    for (const ElmProblem& p : read.problems) {
        reader_.error(
            p.code.c_str(), node,
            fmt::format("{}: {}:{}:{}: {}", what, document.name(), p.line, p.column, p.message),
            p.hint);
    }
    return read;
}

// Fills what the entry left unstated from the document, then notes (N4010) what the
// document lacks among the mandatory elements and what the entry supplied or changed.
void CredentialReader::complete_from(Credential& c, const ElmReadResult& read, const YAML::Node& at,
                                     const std::string& what) {
    const Credential& e = *read.credential;
    if (c.id.empty()) c.id = e.id;
    c.source_id = e.source_id;
    std::vector<std::string> completed;
    std::vector<std::string> overridden;
    auto take = [&](auto& mine, const auto& theirs, const char* name) {
        if (!mine) {
            mine = theirs;
        } else if (!theirs) {
            completed.emplace_back(name);
        } else if (mine != theirs) {
            overridden.emplace_back(name);
        }
    };
    take(c.title, e.title, "title");
    take(c.learner, e.learner, "learner");
    take(c.issuer_country, e.issuer_country, "issuer_country");
    take(c.awarding_body, e.awarding_body, "awarding_body");
    take(c.issued, e.issued, "issued");
    if (c.learning_outcomes.empty()) {
        c.learning_outcomes = e.learning_outcomes;
    } else if (e.learning_outcomes.empty()) {
        completed.emplace_back("learning_outcomes");
    } else if (c.learning_outcomes != e.learning_outcomes) {
        overridden.emplace_back("learning_outcomes");
    }
    take(c.ects, e.ects, "ects");
    take(c.hours, e.hours, "hours");
    take(c.nqf_level, e.nqf_level, "nqf_level");
    take(c.eqf_level, e.eqf_level, "eqf_level");
    take(c.cycle, e.cycle, "cycle");
    take(c.assessment, e.assessment, "assessment");
    take(c.participation, e.participation, "participation");
    take(c.qa, e.qa, "qa");
    take(c.kind, e.kind, "kind");
    take(c.field, e.field, "field");
    take(c.expires, e.expires, "expires");
    take(c.provider_type, e.provider_type, "provider_type");
    take(c.programme_accredited, e.programme_accredited, "programme_accredited");
    take(c.institution_accredited, e.institution_accredited, "institution_accredited");
    take(c.in_registry, e.in_registry, "in_registry");
    c.revoked = c.revoked || e.revoked;

    std::string message = fmt::format("{}: read from {} credential {}", what, read.format,
                                      e.source_id.value_or(e.id));
    dsl::Diagnostic note;
    note.code = "N4010";
    note.severity = dsl::Severity::Note;
    note.span = reader_.span_of(at);
    note.message = read.absent.empty()
                       ? fmt::format("{}; the document states every mandatory element", message)
                       : fmt::format("{}; the document does not state: {}", message,
                                     fmt::join(read.absent, ", "));
    if (!completed.empty()) {
        note.message += fmt::format("; the entry adds: {}", fmt::join(completed, ", "));
    }
    if (!overridden.empty()) {
        note.message += fmt::format("; the entry overrides: {}", fmt::join(overridden, ", "));
    }
    note.hint = fmt::format("{}", fmt::join(read.remarks, "; "));
    notes_.push_back(std::move(note));
}

}  // namespace mcre::engine::detail
