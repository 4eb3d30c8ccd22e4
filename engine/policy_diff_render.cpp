#include "engine/policy_diff_render.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "engine/application_yaml.hpp"
#include "rules/value.hpp"

namespace mcre::engine {

namespace {

// What decided: the reason code, or the status when nothing failed ("recognized").
std::string decided_by(const WitnessSide& side) {
    return side.code.empty() ? status_name(side.status) : side.code;
}

const char* direction_words(Direction d) {
    return d == Direction::NewMore ? "NEW recognizes more" : "NEW recognizes less";
}

std::string group_title(const DifferenceGroup& g) {
    return fmt::format("OLD {} -> NEW {}: {} ({} credential{})", decided_by(g.old_side),
                       decided_by(g.new_side), direction_words(g.direction), g.count,
                       g.count == 1 ? "" : "s");
}

std::string indented(const std::string& text, std::size_t spaces) {
    std::string pad(spaces, ' ');
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        out += pad + text.substr(start, end - start) + "\n";
        start = end + 1;
    }
    return out;
}

std::string summary(const PolicyDiff& diff) {
    if (diff.verdict == DiffVerdict::NoDifference) {
        return fmt::format(
            "no difference found on {} candidate applications: evidence, not proof (the "
            "candidates probe every boundary either policy compares a fact with; see "
            "docs/policy-diff.md)",
            diff.candidates);
    }
    std::string which = diff.verdict == DiffVerdict::NewMore   ? "all in NEW's favour"
                        : diff.verdict == DiffVerdict::NewLess ? "all in OLD's favour"
                                                               : fmt::format(
                                                                     "{} in NEW's favour, {} in "
                                                                     "OLD's",
                                                                     diff.more, diff.less);
    return fmt::format("{}: {} of {} candidate applications are decided differently ({})",
                       verdict_sentence(diff.verdict), diff.differing_candidates, diff.candidates,
                       which);
}

}  // namespace

std::string render_diff_text(const PolicyDiff& diff, std::size_t max_witnesses) {
    std::string out =
        fmt::format("semantic diff\n  OLD {}\n  NEW {}\n", diff.old_label, diff.new_label);
    for (const std::string& w : diff.warnings) out += fmt::format("warning: {}\n", w);
    out += "\n" + summary(diff) + "\n";
    if (diff.groups.empty()) return out;

    out += "\nthey agree except when:\n";
    for (std::size_t i = 0; i < diff.groups.size(); ++i)
        out += fmt::format("  [{}] {}\n", i + 1, group_title(diff.groups[i]));

    std::size_t shown = std::min(max_witnesses, diff.groups.size());
    for (std::size_t i = 0; i < shown; ++i) {
        const DifferenceGroup& g = diff.groups[i];
        out += fmt::format("\n[{}] {}\n", i + 1, group_title(g));
        out += fmt::format("  witness: credential {}; {}\n", g.credential_id, g.variation);
        out += "  application:\n" + indented(application_yaml(g.application), 4);
        out += fmt::format("  OLD decides:\n{}", indented(g.old_side.explanation, 4));
        out += fmt::format("  NEW decides:\n{}", indented(g.new_side.explanation, 4));
    }
    if (shown < diff.groups.size()) {
        out += fmt::format("\n{} more group{} without a witness shown (--max-witnesses {})\n",
                           diff.groups.size() - shown, diff.groups.size() - shown == 1 ? "" : "s",
                           diff.groups.size());
    }
    return out;
}

std::string render_diff_json(const PolicyDiff& diff, std::size_t max_witnesses) {
    using Json = nlohmann::ordered_json;
    auto side_json = [](const WitnessSide& s) {
        Json j;
        j["status"] = status_name(s.status);
        j["recognized_ects"] = s.recognized_ects;
        j["code"] = s.code;
        j["explanation"] = s.explanation;
        return j;
    };
    const char* verdicts[] = {"no_difference", "new_more", "new_less", "both_ways"};
    Json j;
    j["schema"] = "mcre.policy-diff/1";
    j["old"] = diff.old_label;
    j["new"] = diff.new_label;
    j["verdict"] = verdicts[static_cast<int>(diff.verdict)];
    j["summary"] = summary(diff);
    j["candidates"] = diff.candidates;
    j["differing_candidates"] = diff.differing_candidates;
    j["credentials_new_more"] = diff.more;
    j["credentials_new_less"] = diff.less;
    j["warnings"] = diff.warnings;
    j["groups"] = Json::array();
    for (std::size_t i = 0; i < diff.groups.size(); ++i) {
        const DifferenceGroup& g = diff.groups[i];
        Json group;
        group["direction"] = g.direction == Direction::NewMore ? "new_more" : "new_less";
        group["old_decided_by"] = decided_by(g.old_side);
        group["new_decided_by"] = decided_by(g.new_side);
        group["count"] = g.count;
        if (i < max_witnesses) {
            Json witness;
            witness["credential"] = g.credential_id;
            witness["variation"] = g.variation;
            witness["application_yaml"] = application_yaml(g.application);
            witness["old"] = side_json(g.old_side);
            witness["new"] = side_json(g.new_side);
            group["witness"] = std::move(witness);
        }
        j["groups"].push_back(std::move(group));
    }
    return j.dump(2) + "\n";
}

}  // namespace mcre::engine
