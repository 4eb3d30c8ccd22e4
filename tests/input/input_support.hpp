#pragma once

// Helpers of the input tests: everything a reader gives, as text to compare, and YAML
// documents written as JSON.

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "engine/application_load.hpp"

namespace mcre::test {

template <typename T>
std::string opt(const std::optional<T>& v) {
    if (!v) return "-";
    if constexpr (std::is_same_v<T, dsl::Date>) {
        return dsl::format_date(*v);
    } else {
        return fmt::format("{}", *v);
    }
}

// Every field of the application, numbers at full precision, credential lines included.
inline std::string dump(const engine::Application& a) {
    std::string out =
        fmt::format("id={} learner={}/{} jurisdiction={} date={}\n", a.id, a.learner_id,
                    opt(a.learner_name), opt(a.jurisdiction), dsl::format_date(a.date));
    const engine::Programme& p = a.programme;
    out +=
        fmt::format("programme {} {} {} {} {} {} {} {} {} {} {}\n", p.id, opt(p.title), opt(p.kind),
                    opt(p.level), opt(p.total_ects), opt(p.field), opt(p.institution), p.regulated,
                    opt(p.profession), opt(p.provides_for_recognition), opt(p.mc_cap));
    for (const auto& [kind, ects] : a.prior_recognized)
        out += fmt::format("prior {} {}\n", kind, ects);
    for (const engine::Credential& c : a.credentials) {
        out += fmt::format(
            "credential line={} {} {} {} {} {} {} {} [{}] [{}] {} {} {} {} {} {} {} {} {} {} {} {} "
            "{} {} {} {}\n",
            c.line, c.id, opt(c.source_id), opt(c.title), opt(c.learner), opt(c.issuer_country),
            opt(c.awarding_body), opt(c.issued), fmt::join(c.learning_outcomes, "|"),
            fmt::join(c.outcome_codes, "|"), opt(c.ects), opt(c.hours), opt(c.nqf_level),
            opt(c.eqf_level), opt(c.cycle), opt(c.assessment), opt(c.participation), opt(c.qa),
            opt(c.kind), opt(c.field), opt(c.expires), c.revoked, opt(c.provider_type),
            opt(c.programme_accredited), opt(c.institution_accredited), opt(c.in_registry));
    }
    for (const engine::Override& o : a.overrides) {
        out +=
            fmt::format("override {} {} {} {} {} {} {} {} {}\n", o.id, o.credential, o.waive,
                        o.fact, o.value, o.author, dsl::format_date(o.date), o.reason, o.pointer);
    }
    return out;
}

// The whole outcome of a load: the application, or every diagnostic exactly.
inline std::string dump(const engine::LoadResult& r) {
    std::string out = r.application ? dump(*r.application) : "no application\n";
    for (const dsl::Diagnostic& d : r.diagnostics) {
        out += fmt::format("{} {}-{} {} | {} | {}\n", d.code, d.span.begin, d.span.end, d.message,
                           d.hint, d.pointer);
    }
    return out;
}

inline engine::LoadResult load(const std::string& text, bool json_reader,
                               const engine::InputMap* map = nullptr) {
    engine::LoadOptions options;
    options.json_reader = json_reader;
    options.input_map = map;
    return engine::load_application(dsl::SourceFile("doc.json", text), options);
}

// A YAML document as JSON: plain numbers and booleans stay plain, everything else is a
// string. `pretty` puts each value on its own line; `ascii` escapes every non-ASCII character.
inline void write_json(const YAML::Node& n, std::string& out, bool pretty, bool ascii, int depth) {
    const std::string newline = pretty ? "\n" + std::string(2 * depth + 2, ' ') : "";
    const std::string close = pretty ? "\n" + std::string(2 * depth, ' ') : "";
    auto quote = [&](const std::string& s) { return nlohmann::json(s).dump(-1, ' ', ascii); };
    if (n.IsMap()) {
        out += '{';
        bool first = true;
        for (const auto& kv : n) {
            out += first ? newline : "," + newline;
            first = false;
            out += quote(kv.first.Scalar()) + (pretty ? ": " : ":");
            write_json(kv.second, out, pretty, ascii, depth + 1);
        }
        out += close + '}';
    } else if (n.IsSequence()) {
        out += '[';
        bool first = true;
        for (const auto& item : n) {
            out += first ? newline : "," + newline;
            first = false;
            write_json(item, out, pretty, ascii, depth + 1);
        }
        out += close + ']';
    } else if (n.IsNull()) {
        out += "null";
    } else {
        static const std::regex number(R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)");
        const std::string& s = n.Scalar();
        const bool plain = n.Tag() == "?";
        if (plain && (s == "true" || s == "false" || std::regex_match(s, number))) {
            out += s;
        } else {
            out += quote(s);
        }
    }
}

inline std::string yaml_to_json(const std::string& yaml, bool pretty, bool ascii) {
    std::string out;
    write_json(YAML::Load(yaml), out, pretty, ascii, 0);
    return out;
}

}  // namespace mcre::test
