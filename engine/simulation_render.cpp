#include "engine/simulation_render.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "rules/value.hpp"

namespace mcre::engine {

namespace {

using Json = nlohmann::ordered_json;

std::string n(double value) { return rules::format_number(value); }

const char* status_at(std::size_t i) { return status_name(static_cast<Status>(i)); }

std::string tally_line(const Tally& t) {
    return fmt::format(
        "{} applications, {} changed ({} gain, {} lose); {} credentials, {} changed; ECTS {} -> "
        "{} (+{} / -{})",
        t.applications, t.applications_changed, t.applications_gaining, t.applications_losing,
        t.credentials, t.credentials_changed, n(t.baseline_ects), n(t.reform_ects), n(t.gained),
        n(t.lost));
}

Json tally_json(const Tally& t) {
    return Json{{"applications", t.applications},
                {"applications_changed", t.applications_changed},
                {"applications_gaining", t.applications_gaining},
                {"applications_losing", t.applications_losing},
                {"credentials", t.credentials},
                {"credentials_changed", t.credentials_changed},
                {"baseline_ects", t.baseline_ects},
                {"reform_ects", t.reform_ects},
                {"gained_ects", t.gained},
                {"lost_ects", t.lost}};
}

Json histogram_json(const Histogram& h) {
    Json bins = Json::array();
    for (std::size_t i = 0; i < h.counts.size(); ++i)
        bins.push_back(Json{{"bin", h.bin_label(i)}, {"count", h.counts[i]}});
    return bins;
}

Json groups_json(const std::map<std::string, Tally>& groups) {
    Json out = Json::object();
    for (const auto& [name, t] : groups) out[name] = tally_json(t);
    return out;
}

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

void csv_row(std::string& out, const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out += ',';
        out += csv_field(fields[i]);
    }
    out += '\n';
}

void csv_tally(std::string& out, const std::string& section, const std::string& group,
               const Tally& t) {
    const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> rows{
        {"applications", {std::to_string(t.applications), std::to_string(t.applications)}},
        {"recognized_ects", {n(t.baseline_ects), n(t.reform_ects)}},
        {"applications_changed", {"", std::to_string(t.applications_changed)}},
        {"applications_gaining", {"", std::to_string(t.applications_gaining)}},
        {"applications_losing", {"", std::to_string(t.applications_losing)}},
        {"credentials_changed", {"", std::to_string(t.credentials_changed)}},
        {"gained_ects", {"", n(t.gained)}},
        {"lost_ects", {"", n(t.lost)}},
    };
    for (const auto& [measure, values] : rows)
        csv_row(out, {section, group, measure, values.first, values.second});
}

}  // namespace

std::string render_simulation_text(const SimulationReport& r) {
    std::string out;
    out += fmt::format("simulation\n  baseline {}\n  reform   {}\n\n", r.baseline, r.reform);
    out += "total\n  " + tally_line(r.total) + "\n";
    if (r.bad_records > 0) {
        out += fmt::format("  {} records could not be read and were left out:\n", r.bad_records);
        for (const std::string& e : r.bad_examples) out += "    " + e + "\n";
    }
    out += "\nby programme kind\n";
    for (const auto& [kind, t] : r.by_programme_kind)
        out += fmt::format("  {:<14} {}\n", kind, tally_line(t));
    out += "\nby field of the programme (ISCED-F broad field)\n";
    for (const auto& [field, t] : r.by_field)
        out += fmt::format("  {:<14} {}\n", field, tally_line(t));

    out += "\ndecision flips (credentials, baseline status -> reform status)\n";
    bool any_flip = false;
    for (std::size_t from = 0; from < status_count; ++from) {
        for (std::size_t to = 0; to < status_count; ++to) {
            const FlipCell& cell = r.flips[from][to];
            if (cell.count == 0) continue;
            any_flip = true;
            out += fmt::format("  {} -> {}: {}\n", status_at(from), status_at(to), cell.count);
            for (const auto& [cause, count] : cell.by_cause) {
                const FlipWitness& w = cell.witness_by_cause.at(cause);
                out += fmt::format("    {:<48} {:>7}  e.g. {} {}\n", cause, count, w.application,
                                   w.credential);
            }
        }
    }
    if (!any_flip) out += "  none: every credential is decided the same\n";

    out += "\nwhich rule or cap decided (credentials; baseline / reform)\n";
    for (const auto& [rule, c] : r.deciding) {
        out += fmt::format("  {:<44} {:<28} {:>7} {:>7}\n", rule, c.code, c.baseline, c.reform);
    }

    out += "\nrecognized ECTS per application (baseline / reform)\n";
    for (std::size_t i = 0; i < r.baseline_distribution.counts.size(); ++i) {
        out += fmt::format("  {:<12} {:>7} {:>7}\n", r.baseline_distribution.bin_label(i),
                           r.baseline_distribution.counts[i], r.reform_distribution.counts[i]);
    }
    out += "\nchange in recognized ECTS per application\n";
    for (std::size_t i = 0; i < r.change_distribution.counts.size(); ++i) {
        out += fmt::format("  {:<12} {:>7}\n", r.change_distribution.bin_label(i),
                           r.change_distribution.counts[i]);
    }

    out += "\napplications that changed most\n";
    if (r.most_changed.empty()) out += "  none\n";
    for (const ChangedCase& c : r.most_changed) {
        out += fmt::format("  {} ({}): {} -> {} ECTS, {} credentials changed\n", c.application,
                           c.programme_kind, n(c.baseline_ects), n(c.reform_ects),
                           c.credentials_changed);
    }
    for (const ChangedCase& c : r.most_changed) {
        out += fmt::format("\n=== {} under the baseline ({})\n{}", c.application, r.baseline,
                           c.baseline_text);
        out +=
            fmt::format("=== {} under the reform ({})\n{}", c.application, r.reform, c.reform_text);
    }
    return out;
}

namespace {

Json simulation_json(const SimulationReport& r, bool with_cases) {
    Json j;
    j["baseline"] = r.baseline;
    j["reform"] = r.reform;
    j["total"] = tally_json(r.total);
    j["bad_records"] = r.bad_records;
    j["bad_examples"] = r.bad_examples;
    j["by_programme_kind"] = groups_json(r.by_programme_kind);
    j["by_field"] = groups_json(r.by_field);
    Json flips = Json::array();
    for (std::size_t from = 0; from < status_count; ++from) {
        for (std::size_t to = 0; to < status_count; ++to) {
            const FlipCell& cell = r.flips[from][to];
            if (cell.count == 0) continue;
            Json causes = Json::array();
            for (const auto& [cause, count] : cell.by_cause) {
                const FlipWitness& w = cell.witness_by_cause.at(cause);
                causes.push_back(Json{{"cause", cause},
                                      {"count", count},
                                      {"witness", Json{{"application", w.application},
                                                       {"credential", w.credential}}}});
            }
            flips.push_back(Json{{"from", status_at(from)},
                                 {"to", status_at(to)},
                                 {"count", cell.count},
                                 {"by_cause", std::move(causes)}});
        }
    }
    j["flips"] = std::move(flips);
    Json deciding = Json::array();
    for (const auto& [rule, c] : r.deciding) {
        deciding.push_back(
            Json{{"rule", rule}, {"code", c.code}, {"baseline", c.baseline}, {"reform", c.reform}});
    }
    j["deciding"] = std::move(deciding);
    j["baseline_distribution"] = histogram_json(r.baseline_distribution);
    j["reform_distribution"] = histogram_json(r.reform_distribution);
    j["change_distribution"] = histogram_json(r.change_distribution);
    if (with_cases) {
        Json cases = Json::array();
        for (const ChangedCase& c : r.most_changed) {
            cases.push_back(Json{{"application", c.application},
                                 {"programme_kind", c.programme_kind},
                                 {"baseline_ects", c.baseline_ects},
                                 {"reform_ects", c.reform_ects},
                                 {"credentials_changed", c.credentials_changed},
                                 {"baseline_explanation", c.baseline_text},
                                 {"reform_explanation", c.reform_text}});
        }
        j["most_changed"] = std::move(cases);
    }
    return j;
}

}  // namespace

std::string render_simulation_json(const SimulationReport& r) {
    return simulation_json(r, true).dump(2) + "\n";
}

std::string render_simulation_csv(const SimulationReport& r) {
    std::string out;
    csv_row(out, {"section", "group", "measure", "baseline", "reform"});
    csv_row(out, {"policy", "", "policy", r.baseline, r.reform});
    csv_tally(out, "total", "", r.total);
    for (const auto& [kind, t] : r.by_programme_kind) csv_tally(out, "programme_kind", kind, t);
    for (const auto& [field, t] : r.by_field) csv_tally(out, "field", field, t);
    for (const auto& [rule, c] : r.deciding) {
        csv_row(out,
                {"deciding", rule, c.code, std::to_string(c.baseline), std::to_string(c.reform)});
    }
    for (std::size_t i = 0; i < r.baseline_distribution.counts.size(); ++i) {
        csv_row(out, {"distribution", r.baseline_distribution.bin_label(i), "applications",
                      std::to_string(r.baseline_distribution.counts[i]),
                      std::to_string(r.reform_distribution.counts[i])});
    }
    for (std::size_t i = 0; i < r.change_distribution.counts.size(); ++i) {
        csv_row(out, {"change", r.change_distribution.bin_label(i), "applications", "",
                      std::to_string(r.change_distribution.counts[i])});
    }
    for (std::size_t from = 0; from < status_count; ++from) {
        for (std::size_t to = 0; to < status_count; ++to) {
            const FlipCell& cell = r.flips[from][to];
            for (const auto& [cause, count] : cell.by_cause) {
                csv_row(out, {"flip", std::string(status_at(from)) + " -> " + status_at(to), cause,
                              "", std::to_string(count)});
            }
        }
    }
    return out;
}

std::string render_sweep_text(const SweepReport& s) {
    std::string out = fmt::format("sweep of {} against {}\n\n", s.parameter, s.baseline);
    out += fmt::format("  {:<14} {:>12} {:>12} {:>9} {:>9} {:>10} {:>10}  {}\n", "value",
                       "ECTS before", "ECTS after", "changed", "gaining", "gained", "lost",
                       "decides most differently");
    for (const SweepRow& row : s.rows) {
        const Tally& t = row.report.total;
        // The rule or cap whose count moved most: what the value makes bind, or stop binding.
        std::string binding = "-";
        std::size_t most = 0;
        for (const auto& [rule, c] : row.report.deciding) {
            const std::size_t moved =
                c.reform > c.baseline ? c.reform - c.baseline : c.baseline - c.reform;
            if (moved > most) {
                most = moved;
                binding = fmt::format("{} ({} -> {})", rule, c.baseline, c.reform);
            }
        }
        out += fmt::format("  {:<14} {:>12} {:>12} {:>9} {:>9} {:>10} {:>10}  {}\n", row.value,
                           n(t.baseline_ects), n(t.reform_ects), t.applications_changed,
                           t.applications_gaining, n(t.gained), n(t.lost), binding);
    }
    return out;
}

std::string render_sweep_json(const SweepReport& s) {
    Json j;
    j["baseline"] = s.baseline;
    j["parameter"] = s.parameter;
    Json rows = Json::array();
    for (const SweepRow& row : s.rows) {
        Json r = simulation_json(row.report, false);
        rows.push_back(Json{{"value", row.value}, {"report", std::move(r)}});
    }
    j["rows"] = std::move(rows);
    return j.dump(2) + "\n";
}

std::string render_sweep_csv(const SweepReport& s) {
    std::string out;
    csv_row(out, {"parameter", "value", "applications", "baseline_ects", "reform_ects",
                  "applications_changed", "applications_gaining", "applications_losing",
                  "credentials_changed", "gained_ects", "lost_ects"});
    for (const SweepRow& row : s.rows) {
        const Tally& t = row.report.total;
        csv_row(out, {s.parameter, row.value, std::to_string(t.applications), n(t.baseline_ects),
                      n(t.reform_ects), std::to_string(t.applications_changed),
                      std::to_string(t.applications_gaining), std::to_string(t.applications_losing),
                      std::to_string(t.credentials_changed), n(t.gained), n(t.lost)});
    }
    return out;
}

}  // namespace mcre::engine
