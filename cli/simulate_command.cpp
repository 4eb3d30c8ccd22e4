#include "cli/simulate_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <thread>

#include "cli/cohort_pipeline.hpp"
#include "cli/commands.hpp"
#include "cli/policy_loading.hpp"
#include "dsl/diagnostic_render.hpp"
#include "engine/cohort.hpp"
#include "engine/evaluator.hpp"
#include "engine/policy_variant.hpp"
#include "engine/simulation.hpp"
#include "engine/simulation_render.hpp"

namespace mcre::cli {

namespace {

constexpr const char* simulate_help =
    R"(usage: mcre simulate --baseline POLICY [--reform POLICY] [--set NAME=VALUE]... [options] COHORT

Decides every application of COHORT under the baseline and under the reform and reports
what changes: learners and credentials whose outcome changed, ECTS gained and lost in total,
per application and per programme kind and field; how often each rule and cap decided
under each policy; the decision-flip matrix (status to status, by the rule or cap
responsible, with a witness each); and the applications that changed most, with both
explanations. Two jurisdictions (Georgia against Armenia) compare the same way.
COHORT is JSON Lines (one application per line) or CSV (one row per credential, .csv);
"-" reads JSON Lines from standard input. See docs/simulate.md and docs/cohorts.md.

options:
  --baseline POLICY     the policy in force (a .policy file)
  --reform POLICY       the draft; without it, the baseline with the --set values
  --set NAME=VALUE      change a parameter (--set mc_max_ects=40) or a cap's limit
                        (--set cap.bachelor_combined=90, --set cap.bachelor_share=30%)
                        of the reform, checked like policy text; repeatable
  --format FORMAT       text (default), json, csv or html (one self-contained page)
  -o, --output FILE     write the report there instead of standard output
  --most-changed N      how many of the most changed applications to show (default 10)
  -j, --jobs N          decide on N threads (default: the number of CPUs); the report
                        is the same whatever N

A progress line with throughput and the time left goes to standard error when it is a
terminal and the run takes longer than a second.

exit codes: 0 every record read, 1 a policy was rejected or some records could not be
            read (the report leaves them out and lists them), 2 wrong usage
)";

constexpr const char* sweep_help =
    R"(usage: mcre sweep --policy POLICY --param NAME=FROM..TO:STEP [--set NAME=VALUE]... [options] COHORT

Decides COHORT under the policy as it is and under the policy with NAME set to each value
from FROM to TO in steps of STEP, and prints one row per value with the same figures as
`mcre simulate` (ECTS as is and with the value, applications changed, gaining, losing, ECTS
gained and lost, the rule or cap deciding most differently): the curve a ministry reads before a
number becomes law. NAME is a parameter or cap.NAME as for --set; a trailing unit applies
to every value (--param cap.bachelor_share=20..40:5%).

options:
  --policy POLICY       the policy in force (a .policy file)
  --param NAME=FROM..TO:STEP
                        the number to sweep (at most 200 values)
  --set NAME=VALUE      further changes, applied at every value; repeatable
  --format FORMAT       text (default), json, csv or html (with the curve)
  -o, --output FILE     write the report there instead of standard output
  -j, --jobs N          decide on N threads (default: the number of CPUs)

exit codes: 0 every record read, 1 a policy was rejected or some records could not be
            read, 2 wrong usage
)";

int usage(std::ostream& err, const std::string& message, const char* help) {
    err << "mcre: " << message << "\n\n" << help;
    return exit_usage;
}

struct Options {
    std::string baseline;
    std::string reform;
    std::vector<engine::Setting> settings;
    std::string param;
    std::string format = "text";
    std::string output;
    std::size_t most_changed = 10;
    unsigned jobs = std::max(1U, std::thread::hardware_concurrency());
    std::string cohort;
};

// Parses the options both commands share; an error message when they are wrong.
std::optional<std::string> parse(const std::vector<std::string>& args, bool sweep, Options& o) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](std::string& into) -> bool {
            if (i + 1 >= args.size()) return false;
            into = args[++i];
            return true;
        };
        std::string v;
        if ((a == "--baseline" && !sweep) || (a == "--policy" && sweep)) {
            if (!value(o.baseline)) return a + " needs a policy file";
        } else if (a == "--reform" && !sweep) {
            if (!value(o.reform)) return "--reform needs a policy file";
        } else if (a == "--param" && sweep) {
            if (!value(o.param)) return "--param needs NAME=FROM..TO:STEP";
        } else if (a == "--set") {
            if (!value(v)) return "--set needs NAME=VALUE";
            auto s = engine::parse_setting(v);
            if (!s) return "--set " + v + ": write NAME=VALUE, such as --set mc_max_ects=40";
            o.settings.push_back(*s);
        } else if (a == "--format") {
            if (!value(o.format)) return "--format needs text, json, csv or html";
            if (o.format != "text" && o.format != "json" && o.format != "csv" && o.format != "html")
                return "unknown format '" + o.format + "': use text, json, csv or html";
        } else if (a == "-o" || a == "--output") {
            if (!value(o.output)) return a + " needs a file name";
        } else if (a == "-j" || a == "--jobs") {
            if (!value(v) || v.empty() || v.size() > 4 ||
                v.find_first_not_of("0123456789") != std::string::npos || std::stoul(v) == 0 ||
                std::stoul(v) > 1024)
                return a + " needs a number of threads from 1 to 1024";
            o.jobs = static_cast<unsigned>(std::stoul(v));
        } else if (a == "--most-changed" && !sweep) {
            if (!value(v) || v.empty() || v.size() > 4 ||
                v.find_first_not_of("0123456789") != std::string::npos)
                return "--most-changed needs a number from 0 to 9999";
            o.most_changed = std::stoul(v);
        } else if (!a.empty() && a[0] == '-' && a != "-") {
            return "unknown option '" + a + "'";
        } else if (o.cohort.empty()) {
            o.cohort = a;
        } else {
            return "one cohort only: '" + o.cohort + "' and '" + a + "'";
        }
    }
    if (o.baseline.empty()) return sweep ? "--policy is required" : "--baseline is required";
    if (sweep && o.param.empty()) return "--param is required";
    if (!sweep && o.reform.empty() && o.settings.empty())
        return "give --reform POLICY, or --set NAME=VALUE to change the baseline";
    if (o.cohort.empty()) return "no cohort given (a .jsonl or .csv file, or - for stdin)";
    return std::nullopt;
}

// A loaded policy with the text it came from (a variant needs both).
struct Loaded {
    rules::Policy policy;
    dsl::SourceFile source;
};

std::optional<Loaded> load(const std::string& path, std::ostream& err) {
    auto source = read_source(path, err);
    if (!source) return std::nullopt;
    auto policy = load_policy_file(path, err);
    if (!policy) return std::nullopt;
    return Loaded{std::move(*policy), std::move(*source)};
}

std::optional<rules::Policy> variant(const Loaded& base,
                                     const std::vector<engine::Setting>& settings,
                                     std::ostream& err) {
    engine::PolicyVariant v = engine::policy_with_settings(base.policy, base.source, settings);
    if (!v.diagnostics.empty()) err << dsl::render_all(v.diagnostics, v.source);
    return std::move(v.policy);
}

// "[#####.....]  45%  12,000 applications  23,512/s  ETA 3 s" on a terminal, redrawn at
// most ten times a second, shown only once the run has taken a second.
class Progress {
  public:
    explicit Progress(std::ostream& err, bool is_file)
        : err_(err), enabled_(is_file && isatty(STDERR_FILENO) != 0) {}
    ~Progress() {
        if (!shown_) return;
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        err_ << fmt::format("\r[{}] 100%  {} applications  {:.0f}/s  done in {:.0f} s    \n",
                            std::string(30, '#'), done_, static_cast<double>(done_) / elapsed,
                            elapsed);
    }
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    [[nodiscard]] bool enabled() const { return enabled_; }

    // `fraction`: how much of the cohort file has been read.
    void tick(std::size_t done, double fraction) {
        done_ = done;
        if (!enabled_) return;
        using clock = std::chrono::steady_clock;
        const auto now = clock::now();
        const double elapsed = std::chrono::duration<double>(now - start_).count();
        if (elapsed < 1.0 || std::chrono::duration<double>(now - last_).count() < 0.1) return;
        last_ = now;
        shown_ = true;
        const double rate = static_cast<double>(done) / elapsed;
        const double left = fraction > 0 ? elapsed / fraction - elapsed : 0;
        const int filled = static_cast<int>(fraction * 30);
        err_ << fmt::format("\r[{}{}] {:3.0f}%  {} applications  {:.0f}/s  ETA {:.0f} s  ",
                            std::string(filled, '#'), std::string(30 - filled, '.'), fraction * 100,
                            done, rate, left)
             << std::flush;
    }

  private:
    std::ostream& err_;
    bool enabled_;
    bool shown_ = false;
    std::size_t done_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_ = start_;
};

// Reads the cohort once as a stream, a chunk at a time (cli/cohort_pipeline.hpp): memory
// holds a few chunks and the report, never the cohort.
int read_cohort(const std::string& path, std::ostream& err, unsigned jobs, const DecideInto& decide,
                const FoldDecisions& fold, const FoldBadRecord& bad) {
    std::ifstream file;
    std::istream* in = &std::cin;
    if (path != "-") {
        file.open(path, std::ios::binary);
        if (!file) {
            err << "mcre: cannot read the cohort " << path << "\n";
            return exit_rejected;
        }
        in = &file;
    }
    // The records are parsed on the deciding threads.
    auto reader = engine::open_cohort(*in, path == "-" ? "<stdin>" : path,
                                      engine::cohort_format_for(path), true);
    Progress progress(err, path != "-");
    std::function<double()> share_read;
    if (progress.enabled()) {
        in->seekg(0, std::ios::end);
        const auto size = static_cast<double>(in->tellg());
        in->seekg(0);
        share_read = [in, size] {
            const auto at = in->tellg();
            return size > 0 && at >= 0 ? static_cast<double>(at) / size : 0.0;
        };
    }
    CohortPipeline pipeline{jobs, decide, fold, bad, [&](std::size_t folded, double share) {
                                progress.tick(folded, share);
                            }};
    run_cohort(*reader, share_read, pipeline);
    return exit_ok;
}

std::string first_error(const engine::CohortRecord& record) {
    if (record.errors.empty()) return "unreadable record";
    const dsl::Diagnostic& e = record.errors.front();
    const dsl::Location at = engine::error_location(record, e);
    return fmt::format("{}:{}:{}: {} [{}]", at.file, at.line, at.column, e.message, e.code);
}

int write(const Options& o, const std::string& text, std::ostream& out, std::ostream& err) {
    if (o.output.empty()) {
        out << text;
        return exit_ok;
    }
    std::ofstream file(o.output, std::ios::binary);
    file << text;
    if (!file) {
        err << "mcre: cannot write " << o.output << "\n";
        return exit_rejected;
    }
    return exit_ok;
}

std::string render(const engine::SimulationReport& r, const std::string& format) {
    if (format == "json") return engine::render_simulation_json(r);
    if (format == "csv") return engine::render_simulation_csv(r);
    if (format == "html") return engine::render_simulation_html(r);
    return engine::render_simulation_text(r);
}

std::string render(const engine::SweepReport& s, const std::string& format) {
    if (format == "json") return engine::render_sweep_json(s);
    if (format == "csv") return engine::render_sweep_csv(s);
    if (format == "html") return engine::render_sweep_html(s);
    return engine::render_sweep_text(s);
}

// NAME=FROM..TO:STEP[UNIT] as one setting per value; an error message when malformed.
std::optional<std::string> sweep_values(const std::string& spec,
                                        std::vector<engine::Setting>& values) {
    auto setting = engine::parse_setting(spec);
    const std::string shape = "write --param NAME=FROM..TO:STEP, such as mc_max_ects=20..60:10";
    if (!setting) return "--param " + spec + ": " + shape;
    const std::string& range = setting->value;
    const auto dots = range.find("..");
    const auto colon = range.find(':');
    if (dots == std::string::npos || colon == std::string::npos || colon < dots)
        return "--param " + spec + ": " + shape;
    char* end = nullptr;
    const std::string from_text = range.substr(0, dots);
    const std::string to_text = range.substr(dots + 2, colon - dots - 2);
    const std::string step_text = range.substr(colon + 1);
    const double from = std::strtod(from_text.c_str(), &end);
    if (end != from_text.c_str() + from_text.size()) return "--param " + spec + ": " + shape;
    const double to = std::strtod(to_text.c_str(), &end);
    if (end != to_text.c_str() + to_text.size()) return "--param " + spec + ": " + shape;
    const double step = std::strtod(step_text.c_str(), &end);
    const std::string unit = end;  // "%", " ects", or nothing
    if (!(step > 0) || to < from) {
        return "--param " + spec + ": the step must be positive and FROM at most TO";
    }
    if ((to - from) / step > 199) return "--param " + spec + ": more than 200 values";
    for (double v = from; v <= to + step * 1e-9; v += step) {
        const double rounded = std::round(v * 1e6) / 1e6;
        values.push_back(engine::Setting{setting->name, rules::format_number(rounded) + unit});
    }
    return std::nullopt;
}

}  // namespace

int run_simulate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    for (const std::string& a : args) {
        if (a == "--help" || a == "-h") {
            out << simulate_help;
            return exit_ok;
        }
    }
    Options o;
    if (auto problem = parse(args, false, o)) return usage(err, *problem, simulate_help);
    auto baseline = load(o.baseline, err);
    if (!baseline) return exit_rejected;
    std::optional<Loaded> reform_file;
    if (!o.reform.empty()) {
        reform_file = load(o.reform, err);
        if (!reform_file) return exit_rejected;
    }
    const Loaded& reform_base = reform_file ? *reform_file : *baseline;
    std::optional<rules::Policy> reform = reform_base.policy;
    if (!o.settings.empty()) reform = variant(reform_base, o.settings, err);
    if (!reform) return exit_rejected;

    engine::Simulation simulation(baseline->policy, *reform,
                                  engine::SimulationOptions{o.most_changed, 10});
    const engine::EvaluateOptions plain{false, false};  // lean: no words
    const int read = read_cohort(
        o.cohort, err, o.jobs,
        [&](const engine::Application& app, std::vector<engine::Decision>& d) {
            // Into the decisions this thread kept from its last application: their memory
            // is reused (engine/evaluator.hpp).
            d.resize(2);
            engine::evaluate(baseline->policy, app, plain, d[0]);
            engine::evaluate(*reform, app, plain, d[1]);
        },
        [&](const engine::Application& app, const std::vector<engine::Decision>& d) {
            simulation.add(app, d[0], d[1]);
        },
        [&](const engine::CohortRecord& bad) {
            simulation.add_bad_record(bad.line, first_error(bad));
        });
    if (read != exit_ok) return read;
    const engine::SimulationReport& report = simulation.report();
    err << fmt::format("simulate: {} applications, {} changed, {} records left out\n",
                       report.total.applications, report.total.applications_changed,
                       report.bad_records);
    const int written = write(o, render(report, o.format), out, err);
    if (written != exit_ok) return written;
    return report.bad_records > 0 ? exit_rejected : exit_ok;
}

int run_sweep(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    for (const std::string& a : args) {
        if (a == "--help" || a == "-h") {
            out << sweep_help;
            return exit_ok;
        }
    }
    Options o;
    if (auto problem = parse(args, true, o)) return usage(err, *problem, sweep_help);
    std::vector<engine::Setting> values;
    if (auto problem = sweep_values(o.param, values)) return usage(err, *problem, sweep_help);
    auto base = load(o.baseline, err);
    if (!base) return exit_rejected;

    // Every value is checked before the cohort is read: a bad value costs nothing.
    std::vector<rules::Policy> variants;
    variants.reserve(values.size());
    for (const engine::Setting& value : values) {
        std::vector<engine::Setting> settings = o.settings;
        settings.push_back(value);
        auto v = variant(*base, settings, err);
        if (!v) return exit_rejected;
        variants.push_back(std::move(*v));
    }
    std::vector<std::unique_ptr<engine::Simulation>> simulations;
    for (const rules::Policy& v : variants) {
        simulations.push_back(std::make_unique<engine::Simulation>(
            base->policy, v, engine::SimulationOptions{0, 10}));
    }
    const engine::EvaluateOptions plain{false, false};  // lean: no words
    const int read = read_cohort(
        o.cohort, err, o.jobs,
        [&](const engine::Application& app, std::vector<engine::Decision>& d) {
            // The policy as it is decides once; each value decides against it.
            d.resize(variants.size() + 1);
            engine::evaluate(base->policy, app, plain, d[0]);
            for (std::size_t i = 0; i < variants.size(); ++i)
                engine::evaluate(variants[i], app, plain, d[i + 1]);
        },
        [&](const engine::Application& app, const std::vector<engine::Decision>& d) {
            for (std::size_t i = 0; i < variants.size(); ++i)
                simulations[i]->add(app, d[0], d[i + 1]);
        },
        [&](const engine::CohortRecord& bad) {
            for (auto& s : simulations) s->add_bad_record(bad.line, first_error(bad));
        });
    if (read != exit_ok) return read;

    engine::SweepReport sweep;
    sweep.baseline = engine::policy_label(base->policy);
    sweep.parameter = values.front().name;
    for (std::size_t i = 0; i < values.size(); ++i)
        sweep.rows.push_back(engine::SweepRow{values[i].value, simulations[i]->report()});
    const std::size_t bad = simulations.front()->report().bad_records;
    err << fmt::format("sweep: {} values, {} applications, {} records left out\n", values.size(),
                       simulations.front()->report().total.applications, bad);
    const int written = write(o, render(sweep, o.format), out, err);
    if (written != exit_ok) return written;
    return bad > 0 ? exit_rejected : exit_ok;
}

}  // namespace mcre::cli
