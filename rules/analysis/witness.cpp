#include "rules/analysis/witness.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "rules/value.hpp"

namespace mcre::rules::analysis {

namespace {

std::string number_text(Attr attr, double number) {
    Type type = info(attr).type;
    if (type == Type::Bool) return number != 0 ? "true" : "false";
    if (type == Type::Level) return format_number(number);
    return format_value(Value::of_number(type, number));
}

std::string pick_text(const TextSet& texts) {
    if (texts.finite) return *texts.values.begin();
    // Any text outside the excluded ones will do; make it visibly made up.
    std::string candidate = "other";
    while (texts.values.contains(candidate)) candidate += "_";
    return candidate;
}

std::string quoted(const std::set<std::string>& values) {
    std::vector<std::string> out;
    for (const std::string& v : values) out.push_back("\"" + v + "\"");
    return "{" + fmt::format("{}", fmt::join(out, ", ")) + "}";
}

std::string bound_text(Attr attr, const Interval& i) {
    std::string path(info(attr).path);
    bool has_lo = std::isfinite(i.lo);
    bool has_hi = std::isfinite(i.hi);
    if (has_lo && has_hi && i.lo == i.hi) return path + " = " + number_text(attr, i.lo);
    if (has_lo && has_hi && !i.lo_open && !i.hi_open) {
        return fmt::format("{} between {} and {}", path, number_text(attr, i.lo),
                           number_text(attr, i.hi));
    }
    std::vector<std::string> parts;
    if (has_lo) {
        parts.push_back(
            fmt::format("{} {} {}", path, i.lo_open ? ">" : ">=", number_text(attr, i.lo)));
    }
    if (has_hi) {
        parts.push_back(
            fmt::format("{} {} {}", path, i.hi_open ? "<" : "<=", number_text(attr, i.hi)));
    }
    if (parts.empty()) return path + " is present";
    return fmt::format("{}", fmt::join(parts, " and "));
}

std::string domain_constraint(Attr attr, const Domain& d) {
    std::string path(info(attr).path);
    if (!d.may_be_present) return path + " is missing";
    std::string present;
    Domain base = base_domain(attr);
    switch (value_kind(attr)) {
        case ValueKind::Number: {
            Interval i = d.numbers;
            // Leave out the bounds every stated value has anyway (ECTS >= 0, levels 1-8).
            if (i.lo == base.numbers.lo && i.lo_open == base.numbers.lo_open) i.lo = -infinity;
            if (i.hi == base.numbers.hi && i.hi_open == base.numbers.hi_open) i.hi = infinity;
            present = bound_text(attr, i);
            break;
        }
        case ValueKind::Text:
            if (d.texts.finite && d.texts.values.size() == 1) {
                present = fmt::format("{} = \"{}\"", path, *d.texts.values.begin());
            } else if (d.texts.finite) {
                present = fmt::format("{} in {}", path, quoted(d.texts.values));
            } else if (d.texts.values.empty()) {
                present = path + " is present";
            } else {
                present = fmt::format("{} not in {}", path, quoted(d.texts.values));
            }
            break;
        case ValueKind::Opaque:
            present = path + " is present";
            break;
    }
    if (d.may_be_missing) return present + " (or missing)";
    return present;
}

}  // namespace

std::string describe_witness(const Region& region, const std::set<Attr>& shown) {
    const Box& box = region.boxes().front();
    auto kind_of = [&](Attr attr, const char* fallback) -> std::string {
        auto it = box.domains.find(attr);
        if (it == box.domains.end() || !it->second.may_be_present) return fallback;
        return pick_text(it->second.texts);
    };
    std::string credential = kind_of(Attr::CredentialKind, "credential");
    std::string programme = kind_of(Attr::ProgrammeKind, "any");
    std::vector<std::string> facts;
    for (const auto& [attr, d] : box.domains) {
        if (attr == Attr::CredentialKind || attr == Attr::ProgrammeKind) continue;
        if (!shown.contains(attr)) continue;
        std::string path(info(attr).path);
        if (!d.may_be_present) {
            facts.push_back(path + " missing");
            continue;
        }
        switch (value_kind(attr)) {
            case ValueKind::Number:
                facts.push_back(path + " = " + number_text(attr, d.numbers.pick()));
                break;
            case ValueKind::Text:
                facts.push_back(fmt::format("{} = \"{}\"", path, pick_text(d.texts)));
                break;
            case ValueKind::Opaque:
                facts.push_back(path + " stated");
                break;
        }
    }
    std::string out = programme == "any"
                          ? fmt::format("a {} in any programme", credential)
                          : fmt::format("a {} in a {} programme", credential, programme);
    if (!facts.empty()) out += " with " + fmt::format("{}", fmt::join(facts, ", "));
    return out;
}

std::string describe_constraints(const Region& region, const std::set<Attr>& shown) {
    std::vector<std::string> alternatives;
    for (const Box& box : region.boxes()) {
        std::vector<std::string> parts;
        for (const auto& [attr, d] : box.domains) {
            if (shown.contains(attr)) parts.push_back(domain_constraint(attr, d));
        }
        if (parts.empty()) continue;
        std::string joined = fmt::format("{}", fmt::join(parts, " and "));
        if (std::find(alternatives.begin(), alternatives.end(), joined) == alternatives.end()) {
            alternatives.push_back(joined);
        }
    }
    if (alternatives.empty()) return "nothing about these facts";
    return fmt::format("{}", fmt::join(alternatives, " or "));
}

}  // namespace mcre::rules::analysis
