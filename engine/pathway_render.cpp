#include "engine/pathway_render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine/decision_text.hpp"
#include "engine/detail/json_values.hpp"
#include "engine/detail/pathway_json.hpp"
#include "rules/value.hpp"

namespace mcre::engine {

namespace {

std::string ects(double n) { return fmt::format("{} ECTS", rules::format_number(n)); }

// Titles may be UTF-8 (Georgian, accents): columns are counted in code points, not bytes.
std::size_t code_points(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string padded(const std::string& s, std::size_t width) {
    return s + std::string(width - std::min(width, code_points(s)), ' ');
}

void render_pathway(const PathwayDecision& p, std::string& out) {
    out += fmt::format("  {}: {}\n", p.name, p.title);
    std::size_t code_width = 0;
    std::size_t title_width = 0;
    std::size_t ects_width = 0;
    for (const UnitCoverage& u : p.units) {
        code_width = std::max(code_width, code_points(u.code));
        title_width = std::max(title_width, code_points(u.title));
        ects_width = std::max(ects_width, ects(u.ects).size());
    }
    for (const UnitCoverage& u : p.units) {
        out += fmt::format("    {}  {}  {:>{}}  {}\n", padded(u.code, code_width),
                           padded(u.title, title_width), ects(u.ects), ects_width,
                           u.credential.empty() ? "not covered" : "covered by " + u.credential);
    }
    out +=
        fmt::format("    covered {}, remaining {}\n", ects(p.covered_ects), ects(p.remaining_ects));
    std::vector<std::string> unplaced;
    for (const auto& [id, n] : p.unplaced) unplaced.push_back(fmt::format("{} {}", id, ects(n)));
    out += fmt::format("    unplaced: {}\n",
                       unplaced.empty() ? "none" : fmt::format("{}", fmt::join(unplaced, ", ")));
    if (!p.note.empty()) out += fmt::format("    note: {}\n", p.note);
    std::string line;
    if (std::string where = format_location(p.where); !where.empty())
        line += fmt::format("[{}]", where);
    if (!p.cite.empty()) line += fmt::format("{}cites: {}", line.empty() ? "" : " ", p.cite);
    if (!line.empty()) out += fmt::format("    {}\n", line);
}

using Json = nlohmann::ordered_json;

using detail::json_number;

Json pathway_json(const PathwayDecision& p) {
    Json j;
    j["name"] = p.name;
    j["title"] = p.title;
    j["cite"] = p.cite;
    std::string where = format_location(p.where);
    j["location"] = where.empty() ? Json(nullptr) : Json(where);
    j["units"] = Json::array();
    for (const UnitCoverage& u : p.units) {
        j["units"].push_back(
            Json{{"code", u.code},
                 {"title", u.title},
                 {"ects", json_number(u.ects)},
                 {"credential", u.credential.empty() ? Json(nullptr) : Json(u.credential)}});
    }
    j["covered_ects"] = json_number(p.covered_ects);
    j["remaining_ects"] = json_number(p.remaining_ects);
    j["unplaced"] = Json::object();
    for (const auto& [id, n] : p.unplaced) j["unplaced"][id] = json_number(n);
    if (!p.note.empty()) j["note"] = p.note;  // only when the search stopped at its limit
    return j;
}

}  // namespace

void render_pathways_text(const std::vector<PathwayDecision>& pathways, std::string& out) {
    if (pathways.empty()) return;
    out += "\npathways\n";
    for (const PathwayDecision& p : pathways) render_pathway(p, out);
}

namespace detail {

Json pathways_json(const std::vector<PathwayDecision>& pathways) {
    Json out = Json::array();
    for (const PathwayDecision& p : pathways) out.push_back(pathway_json(p));
    return out;
}

}  // namespace detail

}  // namespace mcre::engine
