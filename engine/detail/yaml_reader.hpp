#pragma once

// Typed reading of yaml-cpp nodes for the application loader. Every problem becomes a
// Diagnostic pointing at the node; nothing here throws for bad input, and reading goes on
// after an error so one run reports every problem. Internal to engine/: it exposes
// yaml-cpp types, which the engine links privately.

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/date.hpp"
#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"

namespace mcre::engine::detail {

// The fields of one mapping, by name, after unknown and repeated keys were reported.
struct Field {
    YAML::Node key;
    YAML::Node value;
};

struct Fields {
    YAML::Node map;
    std::string what;  // "credential c2", for messages
    std::map<std::string, Field> values;
    bool valid = false;  // false when the node was not a mapping at all

    // The value of a field that is present and not null.
    [[nodiscard]] const YAML::Node* find(const std::string& key) const;
};

class YamlReader {
  public:
    explicit YamlReader(const dsl::SourceFile& source) : source_(source) {}

    [[nodiscard]] std::vector<dsl::Diagnostic> take_diagnostics() {
        return std::move(diagnostics_);
    }
    [[nodiscard]] bool failed() const { return !diagnostics_.empty(); }
    [[nodiscard]] std::size_t error_count() const { return diagnostics_.size(); }

    void error(const char* code, const YAML::Node& at, std::string message, std::string hint = {});
    void error_at(const char* code, dsl::SourceSpan span, std::string message,
                  std::string hint = {});

    // Reports a non-mapping (E4002), keys not in `known` (E4004, with a did-you-mean) and
    // repeated keys (E4001).
    [[nodiscard]] Fields fields(const YAML::Node& node, std::string what,
                                std::span<const std::string_view> known);
    // E4003 when the field is absent or null; the node otherwise.
    [[nodiscard]] const YAML::Node* required(const Fields& fields, const std::string& key);

    // Each returns nothing when the field is absent or null, or after reporting a problem.
    [[nodiscard]] std::optional<std::string> text(const Fields& f, const std::string& key);
    [[nodiscard]] std::optional<std::string> code(const Fields& f, const std::string& key);
    [[nodiscard]] std::optional<std::string> country(const Fields& f, const std::string& key);
    [[nodiscard]] std::optional<std::string> one_of(const Fields& f, const std::string& key,
                                                    std::span<const std::string_view> allowed);
    [[nodiscard]] std::optional<double> non_negative(const Fields& f, const std::string& key);
    [[nodiscard]] std::optional<double> non_negative(const YAML::Node& node,
                                                     const std::string& name);
    [[nodiscard]] std::optional<int> level(const Fields& f, const std::string& key);
    [[nodiscard]] std::optional<bool> boolean(const Fields& f, const std::string& key);
    [[nodiscard]] std::optional<dsl::Date> date(const Fields& f, const std::string& key);
    [[nodiscard]] std::vector<std::string> text_list(const Fields& f, const std::string& key);

    [[nodiscard]] dsl::SourceSpan span_of(const YAML::Node& node) const;

  private:
    // The scalar text of a field, or nothing (absent, null, or not a scalar: E4002).
    [[nodiscard]] std::optional<std::string> scalar(const Fields& f, const std::string& key,
                                                    const char* expected);

    const dsl::SourceFile& source_;
    std::vector<dsl::Diagnostic> diagnostics_;
};

// Whether yaml-cpp read the scalar without quotes (a plain scalar: numbers, booleans).
[[nodiscard]] bool is_plain(const YAML::Node& node);

}  // namespace mcre::engine::detail
