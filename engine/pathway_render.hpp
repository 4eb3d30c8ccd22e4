#pragma once

// The "pathways" section of a decision in text (engine/decision_text.cpp); its JSON form
// is in engine/detail/pathway_json.hpp, kept private so installed headers need no JSON library.

#include <string>
#include <vector>

#include "engine/decision.hpp"

namespace mcre::engine {

// Per pathway: its title, each unit with the credential covering it or "not covered", the
// ECTS covered and remaining, the recognized credit no unit takes, the cite and location.
// Appends nothing when `pathways` is empty.
void render_pathways_text(const std::vector<PathwayDecision>& pathways, std::string& out);

}  // namespace mcre::engine
