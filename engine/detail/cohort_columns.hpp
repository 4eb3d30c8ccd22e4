#pragma once

// The columns of a CSV cohort (docs/cohorts.md, "CSV"): one table read by the CSV reader
// and written by the CSV writer, so the two cannot disagree.

#include <span>
#include <string_view>

namespace mcre::engine::detail {

// How a cell is read: the loader validates dates, codes, countries and kinds itself; the
// CSV reader checks what a CSV cell cannot say by itself (number, whole number, yes/no).
enum class CellType { Text, Number, Level, Bool, Date, List };

// Application columns repeat on every row of the application; credential columns describe
// the row's credential.
enum class ColumnScope { Application, Credential };

struct CsvColumn {
    std::string_view name;  // the header
    ColumnScope scope;
    CellType type;
    std::string_view pointer;  // where it goes in the application document (JSON Pointer,
                               // relative to the credential for credential columns)
};

inline constexpr CsvColumn cohort_column_table[] = {
    {"application_id", ColumnScope::Application, CellType::Text, "/id"},
    {"date", ColumnScope::Application, CellType::Date, "/date"},
    {"jurisdiction", ColumnScope::Application, CellType::Text, "/jurisdiction"},
    {"learner_id", ColumnScope::Application, CellType::Text, "/learner/id"},
    {"learner_name", ColumnScope::Application, CellType::Text, "/learner/name"},
    {"programme_id", ColumnScope::Application, CellType::Text, "/programme/id"},
    {"programme_title", ColumnScope::Application, CellType::Text, "/programme/title"},
    {"programme_kind", ColumnScope::Application, CellType::Text, "/programme/kind"},
    {"programme_level", ColumnScope::Application, CellType::Level, "/programme/level"},
    {"programme_total_ects", ColumnScope::Application, CellType::Number, "/programme/total_ects"},
    {"programme_field", ColumnScope::Application, CellType::Text, "/programme/field"},
    {"programme_institution", ColumnScope::Application, CellType::Text, "/programme/institution"},
    {"programme_regulated", ColumnScope::Application, CellType::Bool, "/programme/regulated"},
    {"programme_profession", ColumnScope::Application, CellType::Text, "/programme/profession"},
    {"programme_provides_for_recognition", ColumnScope::Application, CellType::Bool,
     "/programme/provides_for_recognition"},
    {"programme_mc_cap", ColumnScope::Application, CellType::Number, "/programme/mc_cap"},
    {"prior_micro_credential", ColumnScope::Application, CellType::Number,
     "/prior_recognized/micro_credential"},
    {"prior_vocational_l5", ColumnScope::Application, CellType::Number,
     "/prior_recognized/vocational_l5"},
    {"prior_non_formal", ColumnScope::Application, CellType::Number,
     "/prior_recognized/non_formal"},
    {"prior_course_units", ColumnScope::Application, CellType::Number,
     "/prior_recognized/course_units"},
    {"credential_id", ColumnScope::Credential, CellType::Text, "/id"},
    {"kind", ColumnScope::Credential, CellType::Text, "/kind"},
    {"title", ColumnScope::Credential, CellType::Text, "/title"},
    {"credential_learner", ColumnScope::Credential, CellType::Text, "/learner"},
    {"issuer_country", ColumnScope::Credential, CellType::Text, "/issuer_country"},
    {"awarding_body", ColumnScope::Credential, CellType::Text, "/awarding_body"},
    {"issued", ColumnScope::Credential, CellType::Date, "/issued"},
    {"learning_outcomes", ColumnScope::Credential, CellType::List, "/learning_outcomes"},
    {"outcome_codes", ColumnScope::Credential, CellType::List, "/outcome_codes"},
    {"ects", ColumnScope::Credential, CellType::Number, "/ects"},
    {"hours", ColumnScope::Credential, CellType::Number, "/hours"},
    {"nqf_level", ColumnScope::Credential, CellType::Level, "/nqf_level"},
    {"eqf_level", ColumnScope::Credential, CellType::Level, "/eqf_level"},
    {"cycle", ColumnScope::Credential, CellType::Text, "/cycle"},
    {"assessment", ColumnScope::Credential, CellType::Text, "/assessment"},
    {"participation", ColumnScope::Credential, CellType::Text, "/participation"},
    {"qa", ColumnScope::Credential, CellType::Text, "/qa"},
    {"field", ColumnScope::Credential, CellType::Text, "/field"},
    {"expires", ColumnScope::Credential, CellType::Date, "/expires"},
    {"revoked", ColumnScope::Credential, CellType::Bool, "/revoked"},
    {"provider_type", ColumnScope::Credential, CellType::Text, "/provider_type"},
    {"programme_accredited", ColumnScope::Credential, CellType::Bool, "/programme_accredited"},
    {"institution_accredited", ColumnScope::Credential, CellType::Bool, "/institution_accredited"},
    {"in_registry", ColumnScope::Credential, CellType::Bool, "/in_registry"},
};

// In header order: the order the CSV writer uses; a reader accepts any order.
inline constexpr std::span<const CsvColumn> cohort_columns{cohort_column_table};

// Learning outcomes in one cell are separated by this character (spaces around it trimmed).
inline constexpr char outcome_separator = '|';

}  // namespace mcre::engine::detail
