#include "engine/policy_variant.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "dsl/content_hash.hpp"
#include "rules/checker.hpp"
#include "rules/scope.hpp"

namespace mcre::engine {

namespace {

constexpr std::string_view cap_prefix = "cap.";

std::string trimmed(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return std::string(text);
}

bool bare_number(const std::string& text) {
    if (text.empty()) return false;
    char* end = nullptr;
    std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size();
}

// A diagnostic about the whole setting, shown against the draft text.
dsl::Diagnostic setting_error(std::string message, std::string hint) {
    dsl::Diagnostic d;
    d.code = "E2901";
    d.message = std::move(message);
    d.hint = std::move(hint);
    return d;
}

const rules::Cap* find_cap(const rules::Policy& policy, const std::string& name) {
    for (const rules::Cap& c : policy.caps) {
        if (c.name == name) return &c;
    }
    return nullptr;
}

// The new limit of a cap as the language writes it: "90", "90 ects" or "90 ECTS" for a
// fixed limit ("90 ects"), "30 %" for a cap written as a share of the programme, which
// keeps its base ("30 % of programme.total_ects").
std::optional<std::string> cap_limit(const rules::Cap& cap, const std::string& value,
                                     std::string& problem) {
    std::string number = trimmed(value);
    bool percent = false;
    std::string lower = number;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower.size() > 4 && lower.substr(lower.size() - 4) == "ects") {
        number = trimmed(number.substr(0, number.size() - 4));
    } else if (!number.empty() && number.back() == '%') {
        number = trimmed(number.substr(0, number.size() - 1));
        percent = true;
    }
    if (!bare_number(number) || std::strtod(number.c_str(), nullptr) < 0) {
        problem = fmt::format(
            "'{}' is not a limit: write a number of ECTS such as 90, or a "
            "share such as 30 %",
            value);
        return std::nullopt;
    }
    const double n = std::strtod(number.c_str(), nullptr);
    if (!percent) return fmt::format("{} ects", rules::format_number(n));
    if (cap.limit.op != rules::Op::PercentOf || cap.limit.args.size() != 2) {
        problem =
            fmt::format("cap {} is not a share of the programme; give its limit in ECTS", cap.name);
        return std::nullopt;
    }
    if (n > 100) {
        problem = fmt::format("{} % is more than the whole programme", number);
        return std::nullopt;
    }
    return fmt::format("{} % of {}", rules::format_number(n), cap.limit.args[1].text);
}

// A text in double quotes, as the policy language reads one back.
std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c == '\n' ? ' ' : c;
    }
    return out + "\"";
}

// A cap with a new limit: the inherited cap written again, its scope, condition and code
// as they were, with `override`.
struct CapSetting {
    const rules::Cap* cap;
    Setting setting;
    std::string limit;  // "90 ects", "30 % of programme.total_ects"
};

std::string cap_text(const CapSetting& c) {
    const rules::Cap& cap = *c.cap;
    std::string text = fmt::format("  override cap {}", cap.name);
    if (!cap.credential_kinds.empty())
        text += fmt::format(" for {}", fmt::join(cap.credential_kinds, ", "));
    if (!cap.programme_kinds.empty())
        text += fmt::format(" in {}", fmt::join(cap.programme_kinds, ", "));
    text += "\n";
    if (cap.when) text += fmt::format("    when {}\n", cap.when->text);
    text += fmt::format("    at most {}\n", c.limit);
    if (!cap.code.empty()) text += fmt::format("    code {}\n", cap.code);
    text += fmt::format("    cite {}\n", quoted(fmt::format("--set {}={} (was: {})", c.setting.name,
                                                            c.setting.value, cap.cite)));
    return text;
}

std::string draft_text(const rules::Policy& base, const std::vector<Setting>& params,
                       const std::vector<CapSetting>& caps, const std::vector<Setting>& all) {
    std::string text = fmt::format("policy {}_set extends {} {{\n", base.id, base.id);
    text += fmt::format("  title {}\n",
                        quoted(fmt::format("{} with {}", base.title, settings_label(all))));
    text += fmt::format("  version \"{}+set\"\n", base.version);
    if (base.in_force_from)
        text += fmt::format("  in force from {}\n", dsl::format_date(*base.in_force_from));
    for (const Setting& s : params) {
        text += fmt::format("  override param {} = {}\n    cite {}\n", s.name, s.value,
                            quoted(fmt::format("--set {}={}", s.name, s.value)));
    }
    for (const CapSetting& c : caps) text += cap_text(c);
    return text + "}\n";
}

}  // namespace

std::optional<Setting> parse_setting(const std::string& text) {
    const auto eq = text.find('=');
    if (eq == std::string::npos) return std::nullopt;
    Setting s{trimmed(std::string_view(text).substr(0, eq)),
              trimmed(std::string_view(text).substr(eq + 1))};
    if (s.name.empty() || s.value.empty()) return std::nullopt;
    return s;
}

std::string settings_label(const std::vector<Setting>& settings) {
    std::vector<std::string> parts;
    for (const Setting& s : settings) parts.push_back(s.name + "=" + s.value);
    return fmt::format("{}", fmt::join(parts, ", "));
}

PolicyVariant policy_with_settings(const rules::Policy& base, const dsl::SourceFile& base_source,
                                   const std::vector<Setting>& settings) {
    std::vector<Setting> params;
    std::vector<CapSetting> caps;
    std::vector<dsl::Diagnostic> problems;
    std::vector<std::string> param_names;
    for (const rules::Parameter& p : base.params) param_names.push_back(p.name);
    std::vector<std::string> cap_names;
    for (const rules::Cap& c : base.caps) cap_names.push_back(std::string(cap_prefix) + c.name);

    for (Setting s : settings) {
        if (s.name.rfind(cap_prefix, 0) == 0) {
            const rules::Cap* cap = find_cap(base, s.name.substr(cap_prefix.size()));
            if (cap == nullptr) {
                auto near = rules::closest(s.name, cap_names);
                problems.push_back(
                    setting_error(fmt::format("--set {}: policy {} has no cap {}", s.name, base.id,
                                              s.name.substr(cap_prefix.size())),
                                  near ? fmt::format("did you mean {}?", *near)
                                       : fmt::format("its caps: {}", fmt::join(cap_names, ", "))));
                continue;
            }
            std::string problem;
            auto limit = cap_limit(*cap, s.value, problem);
            if (!limit) {
                problems.push_back(setting_error(
                    fmt::format("--set {}: {}", s.name, problem),
                    "write --set cap.NAME=90 (ECTS) or --set cap.NAME=30% (a share)"));
                continue;
            }
            caps.push_back(CapSetting{cap, std::move(s), std::move(*limit)});
            continue;
        }
        const rules::Parameter* p = base.find_parameter(s.name);
        if (p == nullptr) {
            auto near = rules::closest(s.name, param_names);
            problems.push_back(setting_error(
                fmt::format("--set {}: policy {} has no parameter {}", s.name, base.id, s.name),
                near ? fmt::format("did you mean {}?", *near)
                     : "write --set NAME=VALUE with a parameter of the policy, or "
                       "--set cap.NAME=LIMIT for a cap"));
            continue;
        }
        // Written as the language writes units: "40 ects", "5 years", "25 %".
        std::string unit = rules::unit_word(p->value.type);
        std::transform(unit.begin(), unit.end(), unit.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (bare_number(s.value) && !unit.empty()) s.value += " " + unit;
        params.push_back(std::move(s));
    }

    PolicyVariant out{
        std::nullopt, {}, dsl::SourceFile("--set", draft_text(base, params, caps, settings))};
    if (!problems.empty()) {
        out.diagnostics = std::move(problems);
        return out;
    }
    rules::PolicyFinder find = [&](const std::string& id) -> std::optional<dsl::SourceFile> {
        if (id == base.id) return base_source;
        return rules::sibling_finder(base.file)(id);
    };
    rules::CheckResult checked = rules::load_policy(out.source, find);
    out.diagnostics = std::move(checked.diagnostics);
    if (!checked.policy) return out;

    rules::Policy policy = std::move(*checked.policy);
    // A cap with a new limit keeps its name in reports (georgia.bachelor_combined, not
    // georgia_set.bachelor_combined), so the baseline and the draft count it on one row.
    for (const CapSetting& c : caps) {
        for (rules::Cap& cap : policy.caps) {
            if (cap.name == c.cap->name) cap.origin = c.cap->origin;
        }
    }
    // The hash names exactly what decided: the chain's text and every setting.
    policy.content_hash = dsl::sha256_hex(policy.content_hash + "\n" + settings_label(settings));
    out.policy = std::move(policy);
    return out;
}

}  // namespace mcre::engine
