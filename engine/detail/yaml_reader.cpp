#include "engine/detail/yaml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "engine/input_limits.hpp"
#include "rules/scope.hpp"

namespace mcre::engine::detail {

namespace {

const char* node_kind(const YAML::Node& node) {
    if (node.IsMap()) return "a mapping";
    if (node.IsSequence()) return "a list";
    if (node.IsNull()) return "empty";
    return is_plain(node) ? "a plain value" : "quoted text";
}

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

enum class Shape { Scalar, Map, Sequence, Other };

Shape shape_of(const YAML::Node& node) {
    if (node.IsMap()) return Shape::Map;
    if (node.IsSequence()) return Shape::Sequence;
    if (node.IsScalar()) return Shape::Scalar;
    return Shape::Other;
}

// A node of the document by where it starts, with its JSON Pointer. A block mapping starts
// where its first key does, so the shape tells the two apart.
struct PlacedNode {
    int pos = 0;
    Shape shape = Shape::Other;
    std::string pointer;
};

std::string pointer_token(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

void place_nodes(const YAML::Node& node, const std::string& pointer, std::vector<PlacedNode>& out) {
    out.push_back({node.Mark().pos, shape_of(node), pointer});
    if (node.IsMap()) {
        for (const auto& entry : node) {
            if (!entry.first.IsScalar()) continue;
            std::string child = pointer + "/" + pointer_token(entry.first.Scalar());
            out.push_back({entry.first.Mark().pos, Shape::Scalar, child});
            place_nodes(entry.second, child, out);
        }
    } else if (node.IsSequence()) {
        std::size_t index = 0;
        for (const auto& item : node) {
            place_nodes(item, pointer + "/" + std::to_string(index++), out);
        }
    }
}

// yaml-cpp nodes do not know their parents, so the document is read once more, on the
// first error of a reader only; later errors of the same reader reuse the table.
std::string pointer_of(const void* reader, bool first_error, const std::string& text,
                       const YAML::Node& at) {
    thread_local const void* cached_reader = nullptr;
    thread_local std::vector<PlacedNode> placed;
    if (first_error || cached_reader != reader) {
        cached_reader = reader;
        placed.clear();
        try {
            place_nodes(YAML::Load(text), "", placed);
        } catch (const YAML::Exception&) {
            placed.clear();
        }
    }
    const int pos = at.Mark().pos;
    const Shape shape = shape_of(at);
    for (const PlacedNode& p : placed) {
        if (p.pos == pos && p.shape == shape) return p.pointer;
    }
    return {};
}

}  // namespace

bool is_plain(const YAML::Node& node) { return node.IsScalar() && node.Tag() == "?"; }

const YAML::Node* Fields::find(const std::string& key) const {
    auto it = values.find(key);
    if (it == values.end() || it->second.value.IsNull()) return nullptr;
    return &it->second.value;
}

dsl::SourceSpan YamlReader::span_of(const YAML::Node& node) const {
    const auto size = static_cast<std::uint32_t>(source_.text().size());
    const int pos = node.Mark().pos;
    std::uint32_t begin = pos < 0 ? 0 : std::min(static_cast<std::uint32_t>(pos), size);
    std::uint32_t length = 1;
    if (node.IsScalar()) {
        length = static_cast<std::uint32_t>(node.Scalar().size()) + (is_plain(node) ? 0 : 2);
    }
    return dsl::SourceSpan{begin, std::min(begin + std::max<std::uint32_t>(length, 1), size)};
}

void YamlReader::error(const char* code, const YAML::Node& at, std::string message,
                       std::string hint) {
    std::string pointer = pointer_of(this, diagnostics_.empty(), source_.text(), at);
    error_at(code, span_of(at), std::move(message), std::move(hint));
    diagnostics_.back().pointer = std::move(pointer);
}

void YamlReader::error_at(const char* code, dsl::SourceSpan span, std::string message,
                          std::string hint) {
    dsl::Diagnostic d;
    d.code = code;
    d.span = span;
    d.message = std::move(message);
    d.hint = std::move(hint);
    diagnostics_.push_back(std::move(d));
}

Fields YamlReader::fields(const YAML::Node& node, std::string what,
                          std::span<const std::string_view> known) {
    Fields f;
    f.map = node;
    f.what = std::move(what);
    if (!node.IsMap()) {
        error("E4002", node,
              fmt::format("{} must be a mapping of fields, not {}", f.what, node_kind(node)));
        return f;
    }
    f.valid = true;
    for (const auto& entry : node) {
        const YAML::Node& key = entry.first;
        if (!key.IsScalar()) {
            error("E4002", key, fmt::format("a field name in {} must be text", f.what));
            continue;
        }
        const std::string& name = key.Scalar();
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            std::string hint;
            if (auto guess = rules::closest(name, known)) {
                hint = fmt::format("did you mean '{}'?", *guess);
            } else {
                hint = fmt::format("the fields of {} are: {}", f.what, rules::join_names(known));
            }
            error("E4004", key, fmt::format("unknown field '{}' in {}", name, f.what),
                  std::move(hint));
            continue;
        }
        if (f.values.count(name) != 0) {
            error("E4001", key, fmt::format("field '{}' appears twice in {}", name, f.what),
                  "keep one of them");
            continue;
        }
        f.values.emplace(name, Field{key, entry.second});
    }
    return f;
}

const YAML::Node* YamlReader::required(const Fields& f, const std::string& key) {
    if (!f.valid) return nullptr;
    if (const YAML::Node* value = f.find(key)) return value;
    auto it = f.values.find(key);
    if (it != f.values.end()) {
        error("E4003", it->second.key, fmt::format("'{}' of {} is empty", key, f.what),
              "the field is required");
    } else {
        error("E4003", f.map, fmt::format("{} has no '{}'", f.what, key), "the field is required");
        // Point at the field that should be there, not at its whole parent.
        diagnostics_.back().pointer += "/" + pointer_token(key);
    }
    return nullptr;
}

std::optional<std::string> YamlReader::scalar(const Fields& f, const std::string& key,
                                              const char* expected) {
    const YAML::Node* node = f.find(key);
    if (node == nullptr) return std::nullopt;
    if (!node->IsScalar()) {
        error(
            "E4002", *node,
            fmt::format("'{}' of {} must be {}, not {}", key, f.what, expected, node_kind(*node)));
        return std::nullopt;
    }
    return node->Scalar();
}

std::optional<std::string> YamlReader::text(const Fields& f, const std::string& key) {
    return scalar(f, key, "text");
}

std::optional<std::string> YamlReader::code(const Fields& f, const std::string& key) {
    auto value = scalar(f, key, "an ISCED-F code");
    if (!value) return std::nullopt;
    const YAML::Node& node = *f.find(key);
    // Unquoted, 0612 is a number to most YAML and JSON tools and loses its leading zero.
    if (is_plain(node)) {
        error("E4002", node,
              fmt::format("'{}' of {} must be a quoted code, not a number", key, f.what),
              fmt::format("write it in quotes, \"{}\", so leading zeros are kept", *value));
        return std::nullopt;
    }
    if (!all_digits(*value) || value->size() < 2 || value->size() > 4) {
        error(
            "E4005", node, fmt::format("'{}' is not an ISCED-F code", *value),
            "an ISCED-F 2013 field code has 2, 3 or 4 digits, such as \"06\", \"061\" or \"0612\"");
        return std::nullopt;
    }
    return value;
}

std::optional<std::string> YamlReader::country(const Fields& f, const std::string& key) {
    auto value = scalar(f, key, "a country code");
    if (!value) return std::nullopt;
    bool ok = value->size() == 2 && std::all_of(value->begin(), value->end(),
                                                [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!ok) {
        error("E4005", *f.find(key), fmt::format("'{}' is not a country code", *value),
              "write the ISO 3166-1 alpha-2 code in capitals, such as GE or AM");
        return std::nullopt;
    }
    return value;
}

std::optional<std::string> YamlReader::one_of(const Fields& f, const std::string& key,
                                              std::span<const std::string_view> allowed) {
    auto value = scalar(f, key, "text");
    if (!value) return std::nullopt;
    if (std::find(allowed.begin(), allowed.end(), *value) != allowed.end()) return value;
    std::string hint;
    if (auto guess = rules::closest(*value, allowed)) {
        hint = fmt::format("did you mean '{}'?", *guess);
    } else {
        hint = fmt::format("'{}' is one of: {}", key, rules::join_names(allowed));
    }
    error("E4005", *f.find(key), fmt::format("unknown {} '{}' in {}", key, *value, f.what),
          std::move(hint));
    return std::nullopt;
}

std::optional<double> YamlReader::non_negative(const Fields& f, const std::string& key) {
    const YAML::Node* node = f.find(key);
    if (node == nullptr) return std::nullopt;
    return non_negative(*node, fmt::format("'{}' of {}", key, f.what));
}

std::optional<double> YamlReader::non_negative(const YAML::Node& node, const std::string& name) {
    if (!is_plain(node)) {
        std::string hint = node.IsScalar() ? "remove the quotes" : "";
        error("E4002", node, fmt::format("{} must be a number, not {}", name, node_kind(node)),
              std::move(hint));
        return std::nullopt;
    }
    const std::string& s = node.Scalar();
    double value = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    const bool whole = ptr == s.data() + s.size();
    // 1e400 overflows a double; 1e20 does not, but no amount in an application is that
    // large, and beyond 2^53 neighbouring whole numbers can no longer be told apart.
    const bool tiny = s.find("e-") != std::string::npos || s.find("E-") != std::string::npos;
    if ((ec == std::errc::result_out_of_range && whole && !tiny) ||
        (ec == std::errc() && whole && std::isfinite(value) && value > k_max_number)) {
        error("E4005", node, fmt::format("{} is too large: '{}'", name, s),
              fmt::format("an amount in an application is at most {}; check the unit (ects "
                          "counts ECTS credits, hours counts hours)",
                          static_cast<long long>(k_max_number)));
        return std::nullopt;
    }
    if (ec != std::errc() || !whole || !std::isfinite(value)) {
        error("E4002", node, fmt::format("{} must be a number, not '{}'", name, s),
              "write a plain number, such as 6 or 7.5 (NaN and infinity are not amounts)");
        return std::nullopt;
    }
    if (value < 0) {
        error("E4005", node, fmt::format("{} must not be negative", name),
              "write the amount without a sign; 0 when there is none");
        return std::nullopt;
    }
    return value;
}

std::optional<int> YamlReader::level(const Fields& f, const std::string& key) {
    const YAML::Node* node = f.find(key);
    if (node == nullptr) return std::nullopt;
    auto value = non_negative(*node, fmt::format("'{}' of {}", key, f.what));
    if (!value) return std::nullopt;
    if (*value != std::floor(*value) || *value < 1 || *value > 8) {
        error("E4005", *node,
              fmt::format("'{}' of {} must be a whole level from 1 to 8", key, f.what));
        return std::nullopt;
    }
    return static_cast<int>(*value);
}

std::optional<bool> YamlReader::boolean(const Fields& f, const std::string& key) {
    const YAML::Node* node = f.find(key);
    if (node == nullptr) return std::nullopt;
    if (is_plain(*node)) {
        const std::string& s = node->Scalar();
        if (s == "true" || s == "True" || s == "TRUE") return true;
        if (s == "false" || s == "False" || s == "FALSE") return false;
    }
    error("E4002", *node, fmt::format("'{}' of {} must be true or false", key, f.what));
    return std::nullopt;
}

std::optional<dsl::Date> YamlReader::date(const Fields& f, const std::string& key) {
    auto value = scalar(f, key, "a date");
    if (!value) return std::nullopt;
    if (auto parsed = dsl::parse_date(*value)) return parsed;
    error("E4005", *f.find(key),
          fmt::format("'{}' of {} is not a valid date: '{}'", key, f.what, *value),
          "write a calendar date as YYYY-MM-DD, such as 2026-02-20");
    return std::nullopt;
}

std::vector<std::string> YamlReader::text_list(const Fields& f, const std::string& key) {
    std::vector<std::string> out;
    const YAML::Node* node = f.find(key);
    if (node == nullptr) return out;
    if (!node->IsSequence()) {
        error("E4002", *node,
              fmt::format("'{}' of {} must be a list, not {}", key, f.what, node_kind(*node)),
              "write one item per line, each starting with '- '");
        return out;
    }
    for (const YAML::Node& item : *node) {
        if (!item.IsScalar()) {
            error("E4002", item,
                  fmt::format("each item of '{}' must be text, not {}", key, node_kind(item)));
            continue;
        }
        out.push_back(item.Scalar());
    }
    return out;
}

}  // namespace mcre::engine::detail
