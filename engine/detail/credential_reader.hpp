#pragma once

// Reading one credential entry (docs/input-format.md, "Credentials"), shared by the
// application loader and the catalogue loader (engine/catalogue.hpp), whose offers are
// written exactly as an application's credentials. Internal to engine/: it exposes yaml-cpp.

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"
#include "engine/application.hpp"
#include "engine/application_load.hpp"
#include "engine/detail/yaml_reader.hpp"
#include "engine/elm_load.hpp"

namespace mcre::engine::detail {

// The keys a credential entry may have. The schema is strict: an unknown key is an error, so
// a typo such as "ectss" cannot silently turn into a missing element that the policy then
// judges.
inline constexpr std::array<std::string_view, 25> k_credential_fields = {"id",
                                                                         "elm",
                                                                         "kind",
                                                                         "title",
                                                                         "learner",
                                                                         "issuer_country",
                                                                         "awarding_body",
                                                                         "issued",
                                                                         "learning_outcomes",
                                                                         "outcome_codes",
                                                                         "ects",
                                                                         "hours",
                                                                         "nqf_level",
                                                                         "eqf_level",
                                                                         "cycle",
                                                                         "assessment",
                                                                         "participation",
                                                                         "qa",
                                                                         "field",
                                                                         "expires",
                                                                         "revoked",
                                                                         "provider_type",
                                                                         "programme_accredited",
                                                                         "institution_accredited",
                                                                         "in_registry"};
[[nodiscard]] std::span<const std::string_view> credential_fields();

// The position of a credential key in k_credential_fields, for a `case` label.
consteval std::size_t credential_field(std::string_view name) {
    for (std::size_t i = 0; i < k_credential_fields.size(); ++i) {
        if (k_credential_fields[i] == name) return i;
    }
    throw "not a credential field";  // a compile-time error
}

class CredentialReader {
  public:
    CredentialReader(YamlReader& reader, const dsl::SourceFile& source, const LoadOptions& options)
        : reader_(reader), source_(source), options_(options) {}

    // The credential an entry describes, its fields already checked against the known keys
    // (`f`); `what` names it in messages ("credential c2"). An `elm:` entry is completed from
    // the document it names, with a note (N4010) kept for take_notes().
    [[nodiscard]] Credential read(const Fields& f, const YAML::Node& node, const std::string& what);

    [[nodiscard]] std::vector<dsl::Diagnostic> take_notes() { return std::move(notes_); }

  private:
    std::optional<ElmReadResult> read_issued(const YAML::Node& node, const std::string& what);
    void complete_from(Credential& c, const ElmReadResult& read, const YAML::Node& at,
                       const std::string& what);

    YamlReader& reader_;
    const dsl::SourceFile& source_;
    const LoadOptions& options_;
    std::vector<dsl::Diagnostic> notes_;
};

}  // namespace mcre::engine::detail
