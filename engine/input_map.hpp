#pragma once

// An input map (docs/input-format.md, "Input maps"): how another system's export names the
// fields of an application, so that `mcre batch --input-map FILE` reads it without a
// converter. For the application, the programme and each credential it says which key of
// the export holds each mcre field, which fields take a constant or the value of another key,
// and how the values of a field translate. The map is data: nothing in the engine knows any
// particular export.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"

namespace mcre::engine {

// A constant as the map file writes it: plain (a number or a boolean) or quoted text. It is
// read exactly as the same value written in the application would be.
struct InputMapConstant {
    std::string text;
    bool plain = false;
};

// One field a key of the export is read as, with the translation of its values (empty: the
// values are read as they are).
struct InputMapTarget {
    std::string field;
    std::map<std::string, InputMapConstant, std::less<>> translation;
};

// What one key the map names is read as: targets() and translation() worked out once, for
// the JSON reader, which looks up every key of every credential of a batch.
struct InputMapRoute {
    std::string key;
    std::vector<InputMapTarget> targets;  // empty: the key is ignored
};

// One object of the application as the export writes it: the application itself, its
// programme, or one of its credentials.
struct InputMapSection {
    // Export key -> the mcre fields its value holds, in the map's order. A key may feed
    // several fields (an application id that is also the learner's id). In the application
    // section a field may be `learner.id` or `learner.name`.
    std::vector<std::pair<std::string, std::vector<std::string>>> sources;
    // mcre field -> the constant it takes.
    std::vector<std::pair<std::string, InputMapConstant>> constants;
    // mcre field -> (export value -> mcre value, plain or quoted as the map writes it). A
    // value not in the table is read as it is.
    std::map<std::string, std::map<std::string, InputMapConstant, std::less<>>, std::less<>> values;
    // Keys of the export read as nothing.
    std::vector<std::string> ignored;
    // The mcre fields the map gives from elsewhere (a key, a constant): an export key of the
    // same name is not read as that field, it is ignored.
    std::vector<std::string> defined;
    // The fields of this object in mcre's format, which a key of the same name holds unless
    // the map says otherwise.
    std::vector<std::string> fields;

    // What one key of the export object holds: the mcre fields it is read as, in order
    // (itself first, when it names a field the map neither defines nor ignores). Empty: the
    // key is ignored. `scratch` holds the result when it must be built.
    [[nodiscard]] const std::vector<std::string>& targets(std::string_view key,
                                                          std::vector<std::string>& scratch) const;
    // The translation table of a field, or null.
    [[nodiscard]] const std::map<std::string, InputMapConstant, std::less<>>* translation(
        std::string_view field) const;

    // The route of every key the map names (a source, a defined field, an ignored key, a
    // translated field), filled by load_input_map. A key with no route is read as the field
    // of its own name, untranslated.
    std::vector<InputMapRoute> routes;
    // The first bytes of the routes' keys, a bit each: most keys the map does not name are
    // told apart by theirs, without comparing.
    std::array<std::uint64_t, 4> route_first_bytes{};
    [[nodiscard]] const InputMapRoute* route(std::string_view key) const {
        if (!key.empty()) {
            const auto b = static_cast<unsigned char>(key[0]);
            if (((route_first_bytes[b >> 6] >> (b & 63)) & 1) == 0) return nullptr;
        }
        for (const InputMapRoute& r : routes) {
            if (r.key.size() == key.size() && !key.empty() && r.key[0] == key[0] &&
                std::string_view(r.key) == key) {
                return &r;
            }
        }
        return nullptr;
    }
    void resolve_routes();
    [[nodiscard]] bool empty() const {
        return sources.empty() && constants.empty() && values.empty() && ignored.empty();
    }
};

struct InputMap {
    InputMapSection application;
    InputMapSection programme;
    InputMapSection credential;
};

struct InputMapLoad {
    std::optional<InputMap> map;  // present exactly when there is no error
    std::vector<dsl::Diagnostic> diagnostics;
};

// Reads an input map written in YAML (docs/input-format.md, "Input maps"). Never throws for
// bad input: every problem is a diagnostic (E4060-E4063) at its line and column.
[[nodiscard]] InputMapLoad load_input_map(const dsl::SourceFile& source);

}  // namespace mcre::engine
