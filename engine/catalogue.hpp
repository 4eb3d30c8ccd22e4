#pragma once

// A catalogue of offered micro-credentials, which `mcre plan` chooses from (docs/planning.md).
// Each offer is written exactly as an application's credential (docs/input-format.md), so
// the policy judges it as it will judge the credential once the learner holds it; an offer
// names no learner (the planner gives it to the applicant) and may name its provider and a
// web page.

#include <optional>
#include <string>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"
#include "engine/application.hpp"
#include "engine/application_load.hpp"

namespace mcre::engine {

struct Offer {
    Credential credential;  // `learner` empty; `issued` empty unless the offer states it
    std::optional<std::string> provider;  // who runs the course, when not the awarding body
    std::optional<std::string> url;
};

struct Catalogue {
    std::string id;
    std::string title;
    std::vector<Offer> offers;  // in the file's order, which breaks ties between plans
};

struct CatalogueLoadResult {
    std::optional<Catalogue> catalogue;  // present exactly when there is no error
    std::vector<dsl::Diagnostic> diagnostics;
};

// Reads a catalogue written in YAML or JSON. Never throws for bad input: every problem comes
// back as a diagnostic pointing at the offending node, all of them in one run, sorted by
// position: the application codes E4001-E4009 for the credential fields, and E4040 (an offer
// id used twice), E4041 (an offer names a learner), E4042 (no offers).
[[nodiscard]] CatalogueLoadResult load_catalogue(const dsl::SourceFile& source,
                                                 const LoadOptions& options = {});

}  // namespace mcre::engine
