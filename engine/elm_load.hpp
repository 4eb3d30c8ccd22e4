#pragma once

// Reading a credential issued as a European Learning Model document (Europass digital
// credential, ELM 3.x JSON-LD) or as an Open Badges 3.0 credential, and mapping it onto
// engine::Credential (docs/input-format.md, "Europass (ELM) and Open Badges 3.0
// credentials"). What the document does not state stays absent: the policy judges the
// missing mandatory elements, the reader only lists them.

#include <optional>
#include <string>
#include <vector>

#include "dsl/source.hpp"
#include "engine/application.hpp"

namespace mcre::engine {

// One problem in the credential document, positioned in that document.
struct ElmProblem {
    std::string code;  // E4008: not valid JSON; E4009: not a credential we can read
    int line = 0;
    int column = 0;
    std::string message;
    std::string hint;
};

struct ElmReadResult {
    // Present exactly when there is no problem. Its `id` and `source_id` are the
    // document's own identifier (`id`, e.g. "urn:epass:..."); `line` is 0.
    std::optional<Credential> credential;
    std::string format;  // "ELM" or "Open Badges 3.0", once the type is known
    std::vector<ElmProblem> problems;
    // The mandatory elements (rules/schema.hpp) the document does not state, by the
    // names the docs use: "learning outcomes", "level", ...
    std::vector<std::string> absent;
    // Assumptions the mapping made that an officer should know of.
    std::vector<std::string> remarks;
};

// `document.name()` is used in messages only; the text is JSON(-LD).
[[nodiscard]] ElmReadResult read_elm_credential(const dsl::SourceFile& document);

}  // namespace mcre::engine
