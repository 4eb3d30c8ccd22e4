#include "engine/application_load.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "engine/detail/application_json.hpp"
#include "engine/detail/credential_reader.hpp"
#include "engine/detail/input_map_yaml.hpp"
#include "engine/detail/yaml_reader.hpp"
#include "rules/model.hpp"
#include "rules/schema.hpp"
#include "rules/scope.hpp"

namespace mcre::engine {

namespace {

using detail::Fields;
using detail::YamlReader;

// The schema is strict: an unknown key is an error, so a typo such as "ectss" cannot
// silently turn into a missing element that the policy then judges.
constexpr std::array<std::string_view, 9> k_application_fields = {
    "id",          "date",      "jurisdiction", "learner", "programme", "prior_recognized",
    "credentials", "overrides", "$schema"};  // $schema lets editors validate against
                                             // schema/application.schema.json
constexpr std::array<std::string_view, 7> k_override_fields = {
    "id", "credential", "waive", "set", "author", "date", "reason"};
constexpr std::array<std::string_view, 2> k_learner_fields = {"id", "name"};
constexpr std::array<std::string_view, 11> k_programme_fields = {
    "id",    "title",       "kind",      "level",      "total_ects",
    "field", "institution", "regulated", "profession", "provides_for_recognition",
    "mc_cap"};
class ApplicationLoader {
  public:
    ApplicationLoader(const dsl::SourceFile& source, const LoadOptions& options)
        : reader_(source), credentials_(reader_, source, options) {}

    LoadResult load(const YAML::Node& root) {
        Application app;
        read_application(root, app);
        LoadResult result;
        result.diagnostics = reader_.take_diagnostics();
        for (dsl::Diagnostic& note : credentials_.take_notes()) {
            result.diagnostics.push_back(std::move(note));
        }
        dsl::sort_by_position(result.diagnostics);
        if (!dsl::has_errors(result.diagnostics)) result.application = std::move(app);
        return result;
    }

    YamlReader& reader() { return reader_; }

  private:
    void read_application(const YAML::Node& root, Application& app) {
        if (!root.IsDefined() || root.IsNull()) {
            reader_.error_at(
                "E4003", dsl::SourceSpan{0, 0}, "the document is empty",
                "an application needs at least id, date, learner, programme and credentials");
            return;
        }
        Fields f = reader_.fields(root, "the application", k_application_fields);
        if (!f.valid) return;
        if (reader_.required(f, "id")) app.id = reader_.text(f, "id").value_or("");
        if (reader_.required(f, "date")) {
            if (auto date = reader_.date(f, "date")) app.date = *date;
        }
        app.jurisdiction = reader_.country(f, "jurisdiction");
        if (const YAML::Node* learner = reader_.required(f, "learner")) read_learner(*learner, app);
        if (const YAML::Node* programme = reader_.required(f, "programme")) {
            read_programme(*programme, app.programme);
        }
        if (const YAML::Node* prior = f.find("prior_recognized")) read_prior(*prior, app);
        if (const YAML::Node* credentials = reader_.required(f, "credentials")) {
            read_credentials(*credentials, app);
        }
        // After the credentials: an override names one of them.
        if (const YAML::Node* overrides = f.find("overrides")) read_overrides(*overrides, app);
    }

    // An officer's judgement (docs/input-format.md, "Overrides"); engine/overrides.hpp
    // applies it and checks it against the policy.
    void read_overrides(const YAML::Node& node, Application& app) {
        if (!node.IsSequence()) {
            reader_.error("E4002", node, "'overrides' must be a list of overrides",
                          "write each override as a list item starting with '- '");
            return;
        }
        std::size_t index = 0;
        for (const YAML::Node& item : node) {
            if (auto o = read_override(item, index++, app)) {
                auto same = std::find_if(app.overrides.begin(), app.overrides.end(),
                                         [&](const Override& x) { return x.id == o->id; });
                if (same != app.overrides.end()) {
                    reader_.error("E4012", item,
                                  fmt::format("override id '{}' is used twice", o->id),
                                  "give each override its own id, or leave 'id' out to number "
                                  "them o1, o2, ...");
                    continue;
                }
                app.overrides.push_back(std::move(*o));
            }
        }
    }

    std::optional<Override> read_override(const YAML::Node& node, std::size_t index,
                                          const Application& app) {
        Override o;
        o.id = fmt::format("o{}", index + 1);
        if (node.IsMap() && node["id"] && node["id"].IsScalar()) o.id = node["id"].Scalar();
        const std::string what = fmt::format("override {}", o.id);
        const std::string at = fmt::format("/overrides/{}", index);
        Fields f = reader_.fields(node, what, k_override_fields);
        if (!f.valid) return std::nullopt;
        const std::size_t errors_before = reader_.error_count();
        if (const YAML::Node* credential = reader_.required(f, "credential")) {
            o.credential = reader_.text(f, "credential").value_or("");
            if (!o.credential.empty()) check_credential_id(o.credential, *credential, app, what);
        }
        const YAML::Node* waive = f.find("waive");
        const YAML::Node* set = f.find("set");
        if (waive != nullptr && set != nullptr) {
            reader_.error("E4012", *set,
                          fmt::format("{} both waives a check and sets a fact", what),
                          "one override records one judgement: split it into two overrides");
        } else if (waive == nullptr && set == nullptr) {
            reader_.error("E4012", node,
                          fmt::format("{} neither waives a check nor sets a fact", what),
                          "add 'waive: RULE' (a rule, exclusion or exception of the policy) or "
                          "'set: { qa: eqar }' (one credential fact)");
        } else if (waive != nullptr) {
            o.waive = reader_.text(f, "waive").value_or("");
            o.span = reader_.span_of(*waive);
            o.pointer = at + "/waive";
            if (!o.waive.empty() && !is_check_name(o.waive)) {
                reader_.error("E4005", *waive,
                              fmt::format("{}: '{}' is not the name of a rule, exclusion or "
                                          "exception",
                                          what, o.waive),
                              "write the name as the policy does, such as recency or "
                              "georgia.recency");
            }
        } else {
            read_set(*set, what, o);
            o.pointer = at + "/set";
        }
        for (const char* key : {"author", "date", "reason"}) {
            if (f.find(key) != nullptr) continue;
            reader_.error("E4003", node, fmt::format("{} does not say its {}", what, key),
                          "an override records who decided, when and why: add author, date "
                          "(YYYY-MM-DD) and reason");
        }
        o.author = reader_.text(f, "author").value_or("");
        if (auto date = reader_.date(f, "date")) o.date = *date;
        o.reason = reader_.text(f, "reason").value_or("");
        if (reader_.error_count() != errors_before) return std::nullopt;
        return o;
    }

    // `set: { FACT: VALUE }`: one settable fact, its value read as the credential field is.
    void read_set(const YAML::Node& node, const std::string& what, Override& o) {
        o.span = reader_.span_of(node);
        const std::size_t errors_before = reader_.error_count();
        Fields f = reader_.fields(node, what + " 'set'", rules::settable_facts());
        if (!f.valid || reader_.error_count() != errors_before) return;
        if (f.values.size() != 1) {
            reader_.error(
                "E4012", node,
                fmt::format("{} must set exactly one fact, not {}", what, f.values.size()),
                fmt::format("write one override per fact; the facts are: {}",
                            rules::join_names(rules::settable_facts())));
            return;
        }
        o.fact = f.values.begin()->first;
        if (reader_.required(f, o.fact) == nullptr) return;
        if (o.fact == "qa") {
            o.value = reader_.text(f, o.fact).value_or("");
        } else if (o.fact == "field") {
            o.value = reader_.code(f, o.fact).value_or("");
        } else if (o.fact == "nqf_level" || o.fact == "eqf_level") {
            if (auto level = reader_.level(f, o.fact)) o.value = std::to_string(*level);
        } else if (auto flag = reader_.boolean(f, o.fact)) {
            o.value = *flag ? "true" : "false";
        }
    }

    void check_credential_id(const std::string& id, const YAML::Node& at, const Application& app,
                             const std::string& what) {
        std::vector<std::string> ids;
        for (const Credential& c : app.credentials) ids.push_back(c.id);
        if (std::find(ids.begin(), ids.end(), id) != ids.end()) return;
        std::string hint =
            fmt::format("the credentials of this application are: {}", fmt::join(ids, ", "));
        if (auto guess = rules::closest(id, ids)) hint = fmt::format("did you mean '{}'?", *guess);
        reader_.error(
            "E4011", at,
            fmt::format("{} names credential '{}', which is not in this application", what, id),
            std::move(hint));
    }

    // "recency" or "georgia.recency": a policy name, optionally qualified by a policy id.
    static bool is_check_name(const std::string& name) {
        auto word = [](std::string_view w) {
            return !w.empty() && (std::isalpha(static_cast<unsigned char>(w[0])) || w[0] == '_') &&
                   std::all_of(w.begin(), w.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                   });
        };
        std::string_view n = name;
        std::size_t dot = n.find('.');
        if (dot == std::string_view::npos) return word(n);
        return word(n.substr(0, dot)) && word(n.substr(dot + 1));
    }

    void read_learner(const YAML::Node& node, Application& app) {
        Fields f = reader_.fields(node, "the learner", k_learner_fields);
        if (reader_.required(f, "id")) app.learner_id = reader_.text(f, "id").value_or("");
        app.learner_name = reader_.text(f, "name");
    }

    void read_programme(const YAML::Node& node, Programme& p) {
        Fields f = reader_.fields(node, "the programme", k_programme_fields);
        if (reader_.required(f, "id")) p.id = reader_.text(f, "id").value_or("");
        p.title = reader_.text(f, "title");
        p.kind = reader_.one_of(f, "kind", rules::programme_kinds());
        p.level = reader_.level(f, "level");
        p.total_ects = reader_.non_negative(f, "total_ects");
        p.field = reader_.code(f, "field");
        p.institution = reader_.text(f, "institution");
        p.regulated = reader_.boolean(f, "regulated").value_or(false);
        p.profession = reader_.text(f, "profession");
        p.provides_for_recognition = reader_.boolean(f, "provides_for_recognition");
        p.mc_cap = reader_.non_negative(f, "mc_cap");
    }

    void read_prior(const YAML::Node& node, Application& app) {
        if (!node.IsMap()) {
            reader_.error("E4002", node,
                          "'prior_recognized' must be a mapping of credential kind to ECTS",
                          "for example: prior_recognized: { micro_credential: 6 }");
            return;
        }
        // The keys are credential kinds, so the known names are the kinds.
        Fields f = reader_.fields(node, "prior_recognized", rules::credential_kinds());
        for (const auto& [kind, field] : f.values) {
            if (field.value.IsNull()) continue;
            if (auto ects =
                    reader_.non_negative(field.value, fmt::format("prior_recognized '{}'", kind))) {
                app.prior_recognized[kind] = *ects;
            }
        }
    }

    void read_credentials(const YAML::Node& node, Application& app) {
        if (!node.IsSequence()) {
            reader_.error("E4002", node, "'credentials' must be a list of credentials",
                          "write each credential as a list item starting with '- '");
            return;
        }
        int index = 0;
        for (const YAML::Node& item : node) {
            ++index;
            app.credentials.push_back(read_credential(item, index));
        }
    }

    Credential read_credential(const YAML::Node& node, int index) {
        // Name it by its id when it has one: that is how the author finds it.
        std::string what = fmt::format("credential {}", index);
        if (node.IsMap() && node["id"] && node["id"].IsScalar()) {
            what = fmt::format("credential {}", node["id"].Scalar());
        }
        Fields f = reader_.fields(node, what, detail::credential_fields());
        return credentials_.read(f, node, what);
    }

    YamlReader reader_;
    detail::CredentialReader credentials_;
};

// What usually causes yaml-cpp's syntax error `what` at byte `at`, as a hint; "" if unsure.
std::string syntax_hint(const std::string& text, std::size_t at, const std::string& what) {
    const std::size_t start = text.rfind('\n', at == 0 ? 0 : at - 1);
    const std::size_t begin = start == std::string::npos || at == 0 ? 0 : start + 1;
    const std::size_t indent_end = text.find_first_not_of(" \t", begin);
    const std::string_view indent(
        text.data() + begin, (indent_end == std::string::npos ? text.size() : indent_end) - begin);
    if (indent.find('\t') != std::string_view::npos) {
        return "YAML does not allow tabs for indentation: indent this line with spaces";
    }
    if (what.find("flow not found") != std::string::npos) {
        return "a '{' or '[' is not closed: the file may be cut off, or a ',' or closing "
               "bracket is missing";
    }
    if (what.find("not found") != std::string::npos) {
        return "check this line's indentation against the lines above it";
    }
    return {};
}

dsl::SourceSpan mark_span(const YAML::Mark& mark, std::size_t size) {
    auto begin = static_cast<std::uint32_t>(mark.pos < 0 ? 0 : mark.pos);
    begin = std::min(begin, static_cast<std::uint32_t>(size));
    return dsl::SourceSpan{begin, std::min(begin + 1, static_cast<std::uint32_t>(size))};
}

}  // namespace

LoadResult load_application(const dsl::SourceFile& source) {
    return load_application(source, LoadOptions{});
}

LoadResult load_application(const dsl::SourceFile& source, const LoadOptions& options) {
    // One result, returned on every path, so that it is built where the caller keeps it: an
    // application with its credentials is a few kilobytes to move.
    LoadResult result;
    // The limits, before anything is built (docs/robustness.md, "Limits"). A document that
    // starts like JSON gets the cheap byte scan; when the JSON reader then does not take it,
    // the full scan of its YAML parse events runs before the YAML reader builds it.
    const std::size_t first = source.text().find_first_not_of(" \t\r\n");
    const bool looks_json =
        options.strict_json || (first != std::string::npos && source.text()[first] == '{');
    result.diagnostics = looks_json ? check_json_limits(source, options.limits)
                                    : check_limits(source, options.limits);
    if (!result.diagnostics.empty()) return result;
    if (options.json_reader &&
        detail::read_application_json(source.text(), options.input_map, result.application)) {
        result.read_as_json = true;
        return result;
    }
    if (looks_json && !options.strict_json) {
        result.diagnostics = check_limits(source, options.limits);
        if (!result.diagnostics.empty()) return result;
    }
    ApplicationLoader loader(source, options);
    try {
        YAML::Node root = YAML::Load(source.text());
        if (options.input_map != nullptr) detail::apply_input_map(*options.input_map, root);
        result = loader.load(root);
    } catch (const YAML::Exception& e) {
        // A syntax error ends the document: nothing after it can be read reliably.
        const dsl::SourceSpan at = mark_span(e.mark, source.text().size());
        loader.reader().error_at("E4001", at,
                                 fmt::format("the document is not valid YAML or JSON: {}", e.msg),
                                 syntax_hint(source.text(), at.begin, e.msg));
        result = LoadResult{};
        result.diagnostics = loader.reader().take_diagnostics();
    }
    return result;
}

}  // namespace mcre::engine
