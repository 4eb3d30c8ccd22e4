// One self-contained HTML page for a simulation or a sweep: inline CSS, inline SVG charts,
// no script and no font fetched from anywhere, so it opens from a USB stick.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "engine/simulation_render.hpp"
#include "engine/statement.hpp"
#include "rules/value.hpp"

namespace mcre::engine {

namespace {

std::string esc(const std::string& text) { return escape_html(text); }

std::string n(double value) { return rules::format_number(value); }

constexpr const char* style = R"CSS(
body { font-family: "DejaVu Sans", "Noto Sans", "Noto Sans Georgian", "Noto Sans Armenian", sans-serif;
       margin: 2em auto; padding: 0 1.5em; max-width: 70em; color: #1b1b1b; line-height: 1.4; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0; } th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.legend span { display: inline-block; width: 0.9em; height: 0.9em; margin: 0 0.3em 0 1em; vertical-align: middle; }
.base { fill: #8a8a8a; background: #8a8a8a; } .reform { fill: #1f5fa8; background: #1f5fa8; }
.cases { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
pre { white-space: pre-wrap; font-size: 0.75em; background: #f6f6f6; padding: 0.5em; overflow-x: auto; }
svg text { font-size: 11px; fill: #1b1b1b; }
@media print { body { margin: 0; max-width: none; } .cases { display: block; } }
@page { size: A4; margin: 15mm; }
)CSS";

std::string page(const std::string& title, const std::string& body) {
    return fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        esc(title), style, body);
}

std::string legend(const std::string& base, const std::string& reform) {
    return fmt::format(
        "<p class=\"legend\"><span class=\"base\"></span>baseline: {}"
        "<span class=\"reform\"></span>reform: {}</p>\n",
        esc(base), esc(reform));
}

// Pairs of vertical bars, one pair per label.
std::string paired_bars(const std::string& title, const std::vector<std::string>& labels,
                        const std::vector<double>& base, const std::vector<double>& reform) {
    const double top = std::max(1.0, std::max(*std::max_element(base.begin(), base.end()),
                                              *std::max_element(reform.begin(), reform.end())));
    const int height = 180;
    const int slot = 56;
    const int width = 60 + slot * static_cast<int>(labels.size());
    std::string svg = fmt::format(
        "<svg role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\">\n",
        esc(title), width, height + 60, width, height + 60);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const int x = 50 + slot * static_cast<int>(i);
        for (int k = 0; k < 2; ++k) {
            const double v = k == 0 ? base[i] : reform[i];
            const int h = static_cast<int>(std::lround(v / top * height));
            svg += fmt::format(
                "<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"20\" height=\"{}\"><title>{}: {}"
                "</title></rect>\n",
                k == 0 ? "base" : "reform", x + k * 22, 10 + height - h, h, esc(labels[i]), n(v));
            if (v > 0) {
                svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"9\">{}</text>\n",
                                   x + k * 22, 10 + height - h - 2, n(v));
            }
        }
        svg += fmt::format("<text x=\"{}\" y=\"{}\" transform=\"rotate(35 {} {})\">{}</text>\n", x,
                           height + 24, x, height + 24, esc(labels[i]));
    }
    svg += fmt::format("<text x=\"0\" y=\"16\">{}</text>\n", n(top));
    svg += fmt::format("<line x1=\"46\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#888\"/>\n",
                       10 + height, width, 10 + height);
    return svg + "</svg>\n";
}

// One row per label, the baseline's bar above the reform's, each with its count; the
// labels are long (rule names), so the bars run sideways.
std::string sideways_bars(const std::string& title, const std::vector<std::string>& labels,
                          const std::vector<double>& base, const std::vector<double>& reform) {
    double top = 1;
    for (std::size_t i = 0; i < labels.size(); ++i) top = std::max({top, base[i], reform[i]});
    const int label_width = 440;
    const int bar_width = 420;
    const int row = 30;
    const int height = row * static_cast<int>(labels.size()) + 10;
    std::string svg = fmt::format(
        "<svg role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\">\n",
        esc(title), label_width + bar_width + 70, height, label_width + bar_width + 70, height);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const int y = 5 + row * static_cast<int>(i);
        svg += fmt::format("<text x=\"0\" y=\"{}\">{}</text>\n", y + 17, esc(labels[i]));
        for (int k = 0; k < 2; ++k) {
            const double v = k == 0 ? base[i] : reform[i];
            const int w = static_cast<int>(std::lround(v / top * bar_width));
            svg += fmt::format(
                "<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"11\"/>"
                "<text x=\"{}\" y=\"{}\">{}</text>\n",
                k == 0 ? "base" : "reform", label_width, y + k * 12, w, label_width + w + 4,
                y + k * 12 + 10, n(v));
        }
    }
    return svg + "</svg>\n";
}

std::string tally_rows(const std::map<std::string, Tally>& groups) {
    std::string rows;
    for (const auto& [name, t] : groups) {
        rows += fmt::format(
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
            "class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">+{}</td><td "
            "class=\"num\">-{}</td></tr>\n",
            esc(name), t.applications, t.applications_changed, n(t.baseline_ects), n(t.reform_ects),
            n(t.gained), n(t.lost));
    }
    return "<table><tr><th>group</th><th>applications</th><th>changed</th><th>ECTS "
           "baseline</th><th>ECTS reform</th><th>gained</th><th>lost</th></tr>\n" +
           rows + "</table>\n";
}

std::string simulation_body(const SimulationReport& r) {
    std::string b;
    b += fmt::format("<h1>What the reform does to the cohort</h1>\n");
    b += legend(r.baseline, r.reform);
    const Tally& t = r.total;
    b += fmt::format(
        "<p>{} applications, {} credentials. {} applications change ({} gain, {} lose); {} "
        "credentials change. Recognized ECTS: {} under the baseline, {} under the reform "
        "(+{} gained, -{} lost).</p>\n",
        t.applications, t.credentials, t.applications_changed, t.applications_gaining,
        t.applications_losing, t.credentials_changed, n(t.baseline_ects), n(t.reform_ects),
        n(t.gained), n(t.lost));
    if (r.bad_records > 0) {
        b += fmt::format("<p>{} records could not be read and were left out:</p>\n<ul>\n",
                         r.bad_records);
        for (const std::string& e : r.bad_examples) b += "<li>" + esc(e) + "</li>\n";
        b += "</ul>\n";
    }

    b += "<h2>Recognized ECTS per application</h2>\n";
    std::vector<std::string> labels;
    std::vector<double> base;
    std::vector<double> reform;
    for (std::size_t i = 0; i < r.baseline_distribution.counts.size(); ++i) {
        labels.push_back(r.baseline_distribution.bin_label(i));
        base.push_back(static_cast<double>(r.baseline_distribution.counts[i]));
        reform.push_back(static_cast<double>(r.reform_distribution.counts[i]));
    }
    b += paired_bars("applications by recognized ECTS, baseline and reform", labels, base, reform);

    b += "<h2>Which rule or cap decided</h2>\n";
    labels.clear();
    base.clear();
    reform.clear();
    // The rules that changed first, then the busiest; at most 25.
    std::vector<std::pair<std::string, DecidingCounts>> rules(r.deciding.begin(), r.deciding.end());
    std::stable_sort(rules.begin(), rules.end(), [](const auto& x, const auto& y) {
        const bool moved_x = x.second.baseline != x.second.reform;
        const bool moved_y = y.second.baseline != y.second.reform;
        if (moved_x != moved_y) return moved_x;
        return std::max(x.second.baseline, x.second.reform) >
               std::max(y.second.baseline, y.second.reform);
    });
    if (rules.size() > 25) rules.resize(25);
    for (const auto& [rule, c] : rules) {
        labels.push_back(fmt::format("{} ({})", rule, c.code));
        base.push_back(static_cast<double>(c.baseline));
        reform.push_back(static_cast<double>(c.reform));
    }
    if (!labels.empty()) {
        b += "<p>Credentials each rule or cap decided; those whose count changed first.</p>\n";
        b += sideways_bars("credentials decided by each rule or cap", labels, base, reform);
    }

    b += "<h2>Decision flips</h2>\n<table><tr><th>from</th><th>to</th><th>cause (baseline -> "
         "reform)</th><th>credentials</th><th>for example</th></tr>\n";
    for (std::size_t from = 0; from < status_count; ++from) {
        for (std::size_t to = 0; to < status_count; ++to) {
            for (const auto& [cause, count] : r.flips[from][to].by_cause) {
                const FlipWitness& w = r.flips[from][to].witness_by_cause.at(cause);
                b += fmt::format(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{} "
                    "{}</td></tr>\n",
                    status_name(static_cast<Status>(from)), status_name(static_cast<Status>(to)),
                    esc(cause), count, esc(w.application), esc(w.credential));
            }
        }
    }
    b += "</table>\n";

    b += "<h2>By programme kind</h2>\n" + tally_rows(r.by_programme_kind);
    b += "<h2>By field of the programme</h2>\n" + tally_rows(r.by_field);

    b += "<h2>Applications that changed most</h2>\n";
    if (!r.most_changed.empty()) {
        b += "<table><tr><th>application</th><th>programme</th><th>ECTS baseline</th><th>ECTS "
             "reform</th><th>change</th><th>credentials changed</th></tr>\n";
        for (const ChangedCase& c : r.most_changed) {
            b += fmt::format(
                "<tr><td><a href=\"#case-{}\">{}</a></td><td>{}</td><td class=\"num\">{}</td>"
                "<td class=\"num\">{}</td><td class=\"num\">{}{}</td><td class=\"num\">{}</td>"
                "</tr>\n",
                esc(c.application), esc(c.application), esc(c.programme_kind), n(c.baseline_ects),
                n(c.reform_ects), c.change() > 0 ? "+" : "", n(c.change()), c.credentials_changed);
        }
        b += "</table>\n";
    }
    for (const ChangedCase& c : r.most_changed) {
        b += fmt::format(
            "<h3 id=\"case-{}\">{} ({}): {} &rarr; {} ECTS</h3>\n<div class=\"cases\">\n",
            esc(c.application), esc(c.application), esc(c.programme_kind), n(c.baseline_ects),
            n(c.reform_ects));
        b += "<pre>" + esc(c.baseline_text) + "</pre>\n<pre>" + esc(c.reform_text) + "</pre>\n";
        b += "</div>\n";
    }
    if (r.most_changed.empty()) b += "<p>None: every application is decided the same.</p>\n";
    return b;
}

// The sweep curve: recognized ECTS in the cohort for each value, with the baseline level.
std::string sweep_curve(const SweepReport& s) {
    if (s.rows.empty()) return "";
    double top = 1;
    for (const SweepRow& row : s.rows)
        top = std::max({top, row.report.total.reform_ects, row.report.total.baseline_ects});
    const int width = 640;
    const int height = 220;
    const double step = s.rows.size() > 1 ? (width - 80.0) / (s.rows.size() - 1) : 0;
    std::string points;
    std::string marks;
    for (std::size_t i = 0; i < s.rows.size(); ++i) {
        const double x = 60 + step * static_cast<double>(i);
        const double y = 10 + height - s.rows[i].report.total.reform_ects / top * height;
        points += fmt::format("{:.1f},{:.1f} ", x, y);
        marks += fmt::format(
            "<circle class=\"reform\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\"><title>{}: {} "
            "ECTS</title></circle>\n<text x=\"{:.1f}\" y=\"{}\">{}</text>\n",
            x, y, esc(s.rows[i].value), n(s.rows[i].report.total.reform_ects), x - 10, height + 30,
            esc(s.rows[i].value));
    }
    const double base_y = 10 + height - s.rows[0].report.total.baseline_ects / top * height;
    return fmt::format(
        "<svg role=\"img\" aria-label=\"recognized ECTS in the cohort for each value\" "
        "width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\">\n"
        "<line class=\"base\" x1=\"60\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#8a8a8a\" "
        "stroke-dasharray=\"4 3\"/>\n<polyline points=\"{}\" fill=\"none\" stroke=\"#1f5fa8\" "
        "stroke-width=\"2\"/>\n{}<text x=\"0\" y=\"16\">{}</text>\n</svg>\n",
        width, height + 50, width, height + 50, base_y, width - 20, base_y, points, marks, n(top));
}

}  // namespace

std::string render_simulation_html(const SimulationReport& r) {
    return page("Simulation: " + r.reform + " against " + r.baseline, simulation_body(r));
}

std::string render_sweep_html(const SweepReport& s) {
    std::string b =
        fmt::format("<h1>Sweep of {} against {}</h1>\n", esc(s.parameter), esc(s.baseline));
    b += "<p class=\"legend\"><span class=\"base\"></span>the policy as it is"
         "<span class=\"reform\"></span>with the value</p>\n";
    b += "<h2>Recognized ECTS in the cohort, by value</h2>\n" + sweep_curve(s);
    b += "<h2>Figures by value</h2>\n<table><tr><th>value</th><th>applications</th><th>ECTS "
         "as is</th><th>ECTS with the value</th><th>applications changed</th><th>gaining</th>"
         "<th>losing</th><th>gained</th><th>lost</th></tr>\n";
    for (const SweepRow& row : s.rows) {
        const Tally& t = row.report.total;
        b += fmt::format(
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
            "class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
            "class=\"num\">{}</td><td class=\"num\">+{}</td><td class=\"num\">-{}</td></tr>\n",
            esc(row.value), t.applications, n(t.baseline_ects), n(t.reform_ects),
            t.applications_changed, t.applications_gaining, t.applications_losing, n(t.gained),
            n(t.lost));
    }
    b += "</table>\n";
    return page("Sweep of " + s.parameter, b);
}

}  // namespace mcre::engine
