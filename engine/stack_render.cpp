#include "engine/stack_render.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "engine/decision_text.hpp"
#include "engine/detail/json_values.hpp"
#include "rules/value.hpp"

namespace mcre::engine {

namespace {

using Json = nlohmann::ordered_json;

std::string ects(double n) { return fmt::format("{} ECTS", rules::format_number(n)); }

const StackDecision* find(const Decision& d, const std::string& name) {
    for (const StackDecision& s : d.stacks) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

std::string headline(const StackDecision& s) {
    std::string line = fmt::format("{} \"{}\": ", s.name, s.title);
    if (s.complete) {
        line += fmt::format("complete, {} -> credential {}", ects(s.total_ects), s.credential);
    } else {
        line += "started, not complete";
    }
    if (!s.used_in.empty()) line += fmt::format(" (a part of stack {})", s.used_in);
    return line;
}

void render_stack(const Decision& d, const StackDecision& s, int indent, std::string& out);

void render_part(const Decision& d, const StackDecision& owner, const StackPart& p, int indent,
                 std::string& out) {
    const std::string pad(static_cast<std::size_t>(indent), ' ');
    if (!p.credential.empty()) {
        const StackDecision* inner = p.stack.empty() ? nullptr : find(d, p.stack);
        if (inner != nullptr && inner->used_in == owner.name) {
            out += fmt::format("{}{}: stack {}\n", pad, p.component, headline(*inner));
            for (const StackPart& q : inner->parts) render_part(d, *inner, q, indent + 2, out);
            return;
        }
        out += fmt::format("{}{}: {} \"{}\" ({}{})\n", pad, p.component, p.credential, p.title,
                           ects(p.ects), p.issued.empty() ? "" : ", " + p.issued);
        return;
    }
    // A complete stack leaves spare components empty: nothing is missing there.
    if (owner.complete) {
        out += fmt::format("{}{}: not needed\n", pad, p.component);
        return;
    }
    out += fmt::format("{}{}: none; needs {}\n", pad, p.component, p.condition);
    for (const std::string& m : p.near_misses) out += fmt::format("{}  - {}\n", pad, m);
}

void render_stack(const Decision& d, const StackDecision& s, int indent, std::string& out) {
    const std::string pad(static_cast<std::size_t>(indent), ' ');
    out += fmt::format("{}{}\n", pad, headline(s));
    for (const StackPart& p : s.parts) render_part(d, s, p, indent + 4, out);
    if (!s.missing.empty()) {
        out += fmt::format("{}    still missing:\n", pad);
        for (const std::string& m : s.missing) out += fmt::format("{}      - {}\n", pad, m);
    }
    std::string where = format_location(s.where);
    out += fmt::format("{}    stack {}{}, cites: {}\n", pad, s.name,
                       where.empty() ? "" : " [" + where + "]", s.cite);
}

using detail::text_or_null;

Json number(double n) { return detail::json_number(n); }

Json part_json(const StackPart& p) {
    Json j;
    j["component"] = p.component;
    j["condition"] = p.condition;
    j["credential"] = text_or_null(p.credential);
    j["title"] = text_or_null(p.title);
    j["issued"] = text_or_null(p.issued);
    j["ects"] = p.credential.empty() ? Json(nullptr) : number(p.ects);
    j["stack"] = text_or_null(p.stack);
    j["near_misses"] = p.near_misses;
    return j;
}

}  // namespace

// Stacks that are parts of another appear inside it; the others at the top.
void render_stacks_text(const Decision& d, std::string& out) {
    if (d.stacks.empty()) return;
    out += "\nstacks\n";
    for (const StackDecision& s : d.stacks) {
        if (s.used_in.empty()) render_stack(d, s, 2, out);
    }
}

void add_stacks_json(const Decision& d, Json& out) {
    if (d.stacks.empty()) return;
    Json list = Json::array();
    for (const StackDecision& s : d.stacks) {
        Json j;
        j["name"] = s.name;
        j["title"] = s.title;
        j["complete"] = s.complete;
        j["credential"] = text_or_null(s.credential);
        j["used_in"] = text_or_null(s.used_in);
        j["total_ects"] = number(s.total_ects);
        j["parts"] = Json::array();
        for (const StackPart& p : s.parts) j["parts"].push_back(part_json(p));
        j["missing"] = s.missing;
        j["cite"] = s.cite;
        j["location"] = text_or_null(format_location(s.where));
        list.push_back(std::move(j));
    }
    out["stacks"] = std::move(list);
}

}  // namespace mcre::engine
