#include "engine/input_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "engine/detail/credential_reader.hpp"
#include "engine/detail/input_map_yaml.hpp"
#include "engine/detail/yaml_reader.hpp"

namespace mcre::engine {

namespace {

using detail::Fields;
using detail::YamlReader;

// The fields a map may define in each section: the application's own, and its learner's as
// learner.id and learner.name.
constexpr std::array<std::string_view, 9> k_application_targets = {
    "id",        "date",        "jurisdiction", "learner.id", "learner.name",
    "programme", "credentials", "learner",      "ignore"};
constexpr std::array<std::string_view, 12> k_programme_targets = {
    "id",     "title",       "kind",      "level",      "total_ects",
    "field",  "institution", "regulated", "profession", "provides_for_recognition",
    "mc_cap", "ignore"};
constexpr std::array<std::string_view, 3> k_sections = {"application", "programme", "credential"};
constexpr std::array<std::string_view, 3> k_spec_keys = {"from", "constant", "values"};
// Fields whose value is a mapping or a list: they can be renamed, not given a constant or
// translated.
constexpr std::array<std::string_view, 5> k_containers = {"learner", "programme", "credentials",
                                                          "learning_outcomes", "outcome_codes"};

bool is_container(std::string_view field) {
    return std::find(k_containers.begin(), k_containers.end(), field) != k_containers.end();
}

template <typename List>
bool contains(const List& list, std::string_view name) {
    return std::find(list.begin(), list.end(), name) != list.end();
}

class MapReader {
  public:
    explicit MapReader(const dsl::SourceFile& source) : reader_(source) {}

    YamlReader& reader() { return reader_; }

    void read(const YAML::Node& root, InputMap& map) {
        if (!root.IsDefined() || root.IsNull()) {
            reader_.error_at("E4003", dsl::SourceSpan{0, 0}, "the input map is empty",
                             "write at least one of application:, programme:, credential:");
            return;
        }
        Fields f = reader_.fields(root, "the input map", k_sections);
        if (!f.valid) return;
        if (const YAML::Node* n = f.find("application")) {
            section(*n, "application", k_application_targets, map.application);
        }
        if (const YAML::Node* n = f.find("programme")) {
            section(*n, "programme", k_programme_targets, map.programme);
        }
        if (const YAML::Node* n = f.find("credential")) {
            credential_targets_.assign(detail::credential_fields().begin(),
                                       detail::credential_fields().end());
            credential_targets_.emplace_back("ignore");
            section(*n, "credential", credential_targets_, map.credential);
        }
    }

  private:
    void section(const YAML::Node& node, const std::string& name,
                 std::span<const std::string_view> targets, InputMapSection& out) {
        const std::string what = fmt::format("section '{}' of the input map", name);
        for (std::string_view field : targets) {
            if (field != "ignore" && field.find('.') == std::string_view::npos) {
                out.fields.emplace_back(field);
            }
        }
        Fields f = reader_.fields(node, what, targets);
        if (!f.valid) return;
        // In the map's order, so that messages and copies follow the file.
        // (Pointers: assigning a YAML::Node, as sorting does, would rewrite the document.)
        std::vector<std::pair<const std::string*, const YAML::Node*>> entries;
        for (const auto& [field, value] : f.values) entries.emplace_back(&field, &value.value);
        std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
            return a.second->Mark().pos < b.second->Mark().pos;
        });
        for (const auto& [field, value] : entries) {
            if (*field == "ignore") {
                out.ignored = reader_.text_list(f, "ignore");
                continue;
            }
            spec(*field, *value, name, out);
        }
        for (const std::string& key : out.ignored) {
            auto read = std::find_if(out.sources.begin(), out.sources.end(),
                                     [&](const auto& s) { return s.first == key; });
            if (read != out.sources.end()) {
                reader_.error("E4060", *f.find("ignore"),
                              fmt::format("key '{}' is both read (as '{}') and ignored in {}", key,
                                          read->second.front(), what),
                              "remove it from 'ignore'");
            }
        }
    }

    // One field's entry: `date: application_date`, or `{ from: KEY, constant: VALUE,
    // values: { EXPORT: MCRE } }`.
    void spec(const std::string& field, const YAML::Node& node, const std::string& section,
              InputMapSection& out) {
        const std::string what = fmt::format("'{}' in section '{}'", field, section);
        std::optional<std::string> from;
        Fields f;  // `constant` and `values` point into it: it lives as long as they do
        const YAML::Node* constant = nullptr;
        const YAML::Node* values = nullptr;
        if (node.IsScalar()) {
            from = node.Scalar();
        } else if (node.IsMap()) {
            f = reader_.fields(node, what, k_spec_keys);
            if (!f.valid) return;
            from = reader_.text(f, "from");
            constant = f.find("constant");
            values = f.find("values");
            if (from && constant != nullptr) {
                reader_.error(
                    "E4060", *constant,
                    fmt::format("{} is read both from key '{}' and from a constant", what, *from),
                    "keep 'from' or 'constant', not both");
                return;
            }
            if (!from && constant == nullptr && values == nullptr) {
                reader_.error("E4060", node, fmt::format("{} says nothing", what),
                              "write 'from: KEY', 'constant: VALUE' or 'values: { ... }'");
                return;
            }
        } else {
            reader_.error("E4002", node,
                          fmt::format("{} must be the export's key, or a mapping with from, "
                                      "constant or values",
                                      what),
                          fmt::format("for example: {}: their_name", field));
            return;
        }
        if (is_container(field) && (constant != nullptr || values != nullptr)) {
            reader_.error("E4060", constant != nullptr ? *constant : *values,
                          fmt::format("{} holds a {} and can only be renamed", what,
                                      field == "credentials" || field == "learning_outcomes" ||
                                              field == "outcome_codes"
                                          ? "list"
                                          : "mapping"),
                          fmt::format("write {}: THEIR_KEY", field));
            return;
        }
        if (from && from->find('.') != std::string::npos) {
            reader_.error("E4060", node, fmt::format("{}: '{}' is not a key", what, *from),
                          "a map reads keys of the same object; nested keys are not supported");
            return;
        }
        if (from && (field == "learner" || field == "programme" || field == "credentials") &&
            std::any_of(out.sources.begin(), out.sources.end(),
                        [&](const auto& s) { return s.first == *from; })) {
            reader_.error("E4060", node,
                          fmt::format("{}: key '{}' already feeds another field", what, *from),
                          "a mapping or a list can be read as one field only");
            return;
        }
        if (constant != nullptr) {
            if (!constant->IsScalar()) {
                reader_.error("E4002", *constant,
                              fmt::format("the constant of {} must be a single value", what));
                return;
            }
            out.constants.emplace_back(
                field, InputMapConstant{constant->Scalar(), detail::is_plain(*constant)});
        }
        if (from) {
            auto source = std::find_if(out.sources.begin(), out.sources.end(),
                                       [&](const auto& s) { return s.first == *from; });
            if (source == out.sources.end()) {
                out.sources.emplace_back(*from, std::vector<std::string>{});
                source = std::prev(out.sources.end());
            }
            source->second.push_back(field);
        }
        if (constant != nullptr || (from && *from != field)) out.defined.push_back(field);
        if (values != nullptr) translations(*values, what, out.values[field]);
    }

    void translations(const YAML::Node& node, const std::string& what,
                      std::map<std::string, InputMapConstant, std::less<>>& out) {
        if (!node.IsMap()) {
            reader_.error("E4002", node,
                          fmt::format("'values' of {} must be a mapping of the export's value "
                                      "to mcre's",
                                      what),
                          "for example: values: { micro: micro_credential }");
            return;
        }
        for (const auto& entry : node) {
            if (!entry.first.IsScalar() || !entry.second.IsScalar()) {
                reader_.error("E4002", entry.first.IsScalar() ? entry.second : entry.first,
                              fmt::format("each of the 'values' of {} must be one value", what));
                continue;
            }
            const std::string& key = entry.first.Scalar();
            if (out.count(key) != 0) {
                reader_.error(
                    "E4001", entry.first,
                    fmt::format("value '{}' appears twice in the 'values' of {}", key, what),
                    "keep one of them");
                continue;
            }
            out.emplace(key,
                        InputMapConstant{entry.second.Scalar(), detail::is_plain(entry.second)});
        }
    }

    YamlReader reader_;
    std::vector<std::string_view> credential_targets_;
};

}  // namespace

const std::vector<std::string>& InputMapSection::targets(std::string_view key,
                                                         std::vector<std::string>& scratch) const {
    static const std::vector<std::string> none;
    const std::vector<std::string>* from = nullptr;
    for (const auto& [source, mapped] : sources) {
        if (source == key) {
            from = &mapped;
            break;
        }
    }
    // A key the map does not mention is read as itself, even when unknown: the loader says so.
    const bool self = !contains(defined, key) && !contains(ignored, key) &&
                      (from == nullptr || contains(fields, key));
    if (from == nullptr) {
        if (!self) return none;
        scratch.assign(1, std::string(key));
        return scratch;
    }
    if (!self || contains(*from, key)) return *from;
    scratch.assign(1, std::string(key));
    scratch.insert(scratch.end(), from->begin(), from->end());
    return scratch;
}

const std::map<std::string, InputMapConstant, std::less<>>* InputMapSection::translation(
    std::string_view field) const {
    if (values.empty()) return nullptr;
    auto it = values.find(field);
    return it == values.end() ? nullptr : &it->second;
}

void InputMapSection::resolve_routes() {
    routes.clear();
    route_first_bytes = {};
    auto add = [&](std::string_view key) {
        if (route(key) != nullptr) return;
        if (!key.empty()) {
            const auto b = static_cast<unsigned char>(key[0]);
            route_first_bytes[b >> 6] |= std::uint64_t{1} << (b & 63);
        }
        InputMapRoute r{std::string(key), {}};
        std::vector<std::string> scratch;
        for (const std::string& field : targets(key, scratch)) {
            const auto* table = translation(field);
            r.targets.push_back(
                {field, table != nullptr ? *table : decltype(values)::mapped_type{}});
        }
        routes.push_back(std::move(r));
    };
    for (const auto& source : sources) add(source.first);
    for (const std::string& key : defined) add(key);
    for (const std::string& key : ignored) add(key);
    for (const auto& value : values) add(value.first);
}

InputMapLoad load_input_map(const dsl::SourceFile& source) {
    MapReader reader(source);
    InputMap map;
    InputMapLoad result;
    try {
        reader.read(YAML::Load(source.text()), map);
    } catch (const YAML::Exception& e) {
        const auto size = static_cast<std::uint32_t>(source.text().size());
        const auto begin = std::min(static_cast<std::uint32_t>(std::max(e.mark.pos, 0)), size);
        reader.reader().error_at("E4001", dsl::SourceSpan{begin, std::min(begin + 1, size)},
                                 fmt::format("the input map is not valid YAML: {}", e.msg));
    }
    result.diagnostics = reader.reader().take_diagnostics();
    dsl::sort_by_position(result.diagnostics);
    if (!dsl::has_errors(result.diagnostics)) {
        for (InputMapSection* section : {&map.application, &map.programme, &map.credential}) {
            section->resolve_routes();
        }
        result.map = std::move(map);
    }
    return result;
}

namespace detail {

namespace {

// A value of the export under its mcre name: translated in place when it is the key's own
// value, as a new node when it is a copy, so the key's other fields keep the export's value.
const InputMapConstant* translation_of(const InputMapSection& section, const std::string& field,
                                       const YAML::Node& value) {
    const auto* table = section.translation(field);
    if (table == nullptr || !value.IsScalar()) return nullptr;
    auto it = table->find(value.Scalar());
    return it == table->end() ? nullptr : &it->second;
}

// A scalar of the same text and kind (plain or quoted), not tied to the document's node.
YAML::Node scalar_copy(const std::string& text, bool plain) {
    YAML::Node node(text);
    node.SetTag(plain ? "?" : "!");
    return node;
}

YAML::Node translated(const InputMapSection& section, const std::string& field, YAML::Node value,
                      bool own, bool copy) {
    const InputMapConstant* to = translation_of(section, field, value);
    if (to == nullptr) return copy ? scalar_copy(value.Scalar(), is_plain(value)) : value;
    if (!own) return scalar_copy(to->text, to->plain);
    value = to->text;
    value.SetTag(to->plain ? "?" : "!");
    return value;
}

YAML::Node constant_node(const InputMapConstant& c) { return scalar_copy(c.text, c.plain); }

void remove_key(YAML::Node& map, const std::string& key) {
    std::vector<YAML::Node> keys;
    for (const auto& entry : map) {
        if (entry.first.IsScalar() && entry.first.Scalar() == key) keys.push_back(entry.first);
    }
    for (const YAML::Node& k : keys) map.remove(k);
}

void apply_section(const InputMapSection& section, YAML::Node node,
                   std::vector<std::pair<std::string, YAML::Node>>* learner) {
    if (!node.IsMap()) return;
    std::vector<std::pair<YAML::Node, YAML::Node>> entries;
    for (auto it = node.begin(); it != node.end(); ++it)
        entries.emplace_back(it->first, it->second);
    std::vector<std::string> scratch;
    for (auto& [key, value] : entries) {
        if (!key.IsScalar()) continue;  // the loader reports it
        const std::string name = key.Scalar();
        const std::vector<std::string> targets = section.targets(name, scratch);
        bool kept = false;
        // The first field takes the key itself, renamed where it is; when its value is
        // translated in place, the other fields take copies of the export's value.
        const bool copies =
            !targets.empty() && translation_of(section, targets[0], value) != nullptr;
        for (std::size_t i = targets.size(); i-- > 0;) {
            const std::string& target = targets[i];
            const bool own = i == 0;
            YAML::Node v = translated(section, target, value, own, !own && copies);
            if (target.starts_with("learner.") && learner != nullptr) {
                learner->emplace_back(target.substr(8), v);
            } else if (own) {
                if (target != name) key = target;
                kept = true;
            } else {
                node.force_insert(YAML::Node(target), v);
            }
        }
        if (!kept) node.remove(key);
    }
    for (const auto& [target, constant] : section.constants) {
        if (target.starts_with("learner.") && learner != nullptr) {
            learner->emplace_back(target.substr(8), constant_node(constant));
        } else {
            node.force_insert(YAML::Node(target), constant_node(constant));
        }
    }
}

}  // namespace

void apply_input_map(const InputMap& map, YAML::Node& root) {
    if (!root.IsMap()) return;
    std::vector<std::pair<std::string, YAML::Node>> learner;
    apply_section(map.application, root, &learner);
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (!it->first.IsScalar()) continue;
        const std::string& key = it->first.Scalar();
        if (key == "programme") {
            apply_section(map.programme, it->second, nullptr);
        } else if (key == "credentials" && it->second.IsSequence()) {
            // Held by name: iterating a member of the iterator's temporary pair outlives it.
            YAML::Node credentials = it->second;
            for (YAML::Node item : credentials) apply_section(map.credential, item, nullptr);
        }
    }
    if (learner.empty()) return;
    // The map's learner fields stand for the learner's own keys of the same names.
    YAML::Node target;
    bool found = false;
    for (auto it = root.begin(); it != root.end() && !found; ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == "learner") {
            target = it->second;
            found = true;
        }
    }
    if (!found) {
        target = YAML::Node(YAML::NodeType::Map);
        root.force_insert(YAML::Node("learner"), target);
    }
    if (!target.IsMap()) return;  // the loader reports it
    for (auto& [field, value] : learner) {
        remove_key(target, field);
        target.force_insert(YAML::Node(field), value);
    }
}

}  // namespace detail

}  // namespace mcre::engine
