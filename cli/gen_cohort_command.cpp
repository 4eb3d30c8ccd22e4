#include "cli/gen_cohort_command.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <optional>

#include "cli/commands.hpp"
#include "engine/cohort.hpp"
#include "engine/cohort_generator.hpp"

namespace mcre::cli {

namespace {

constexpr const char* help =
    R"(usage: mcre gen-cohort --size N --seed S [--jurisdiction GE|AM|both]
                         [--format jsonl|csv] [-o FILE]

Writes a synthetic cohort of N applications for `mcre simulate` and `mcre sweep`: learners
applying to Georgian and Armenian programmes with micro-credentials, vocational, non-formal
and course-unit credentials whose distributions (programme kinds and fields, credentials per
application, ECTS, levels, ages, quality assurance, domestic and foreign providers, missing
elements) are described with their sources in docs/cohorts.md. The same seed gives the same
bytes; application i depends only on the seed and i. The cohort is written one application
at a time, so any size fits in memory.

options:
  --size N           number of applications (required)
  --seed S           seed of the generator, a whole number (required)
  --jurisdiction J   GE, AM or both (default both: 60 % GE, 40 % AM)
  --format F         jsonl (one application per line, the `mcre batch` format) or csv (one
                     row per credential); default: csv when FILE ends in .csv, else jsonl
  -o FILE            write to FILE instead of standard output

exit codes: 0 written, 1 the output could not be written, 2 wrong usage
)";

int usage(std::ostream& err, const std::string& message) {
    err << "mcre: " << message << "\n\n" << help;
    return exit_usage;
}

std::optional<std::uint64_t> whole_number(const std::string& text) {
    std::uint64_t n = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), n);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size()) return std::nullopt;
    return n;
}

}  // namespace

int run_gen_cohort(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (std::any_of(args.begin(), args.end(),
                    [](const std::string& a) { return a == "--help" || a == "-h"; })) {
        out << help;
        return exit_ok;
    }
    engine::CohortSpec spec;
    bool has_size = false;
    bool has_seed = false;
    std::optional<engine::CohortFormat> format;
    std::optional<std::string> output;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a != "--size" && a != "--seed" && a != "--jurisdiction" && a != "--format" &&
            a != "-o") {
            return usage(err, a.rfind("-", 0) == 0 ? "unknown option '" + a + "'"
                                                   : "unexpected argument '" + a + "'");
        }
        if (i + 1 >= args.size()) return usage(err, a + " needs a value");
        const std::string& value = args[++i];
        if (a == "--size" || a == "--seed") {
            const std::optional<std::uint64_t> n = whole_number(value);
            if (!n) return usage(err, a + " needs a whole number, not '" + value + "'");
            (a == "--size" ? spec.size : spec.seed) = *n;
            (a == "--size" ? has_size : has_seed) = true;
        } else if (a == "--jurisdiction") {
            if (value == "GE") {
                spec.jurisdiction = engine::CohortJurisdiction::Georgia;
            } else if (value == "AM") {
                spec.jurisdiction = engine::CohortJurisdiction::Armenia;
            } else if (value == "both") {
                spec.jurisdiction = engine::CohortJurisdiction::Both;
            } else {
                return usage(err, "--jurisdiction is GE, AM or both, not '" + value + "'");
            }
        } else if (a == "--format") {
            if (value != "jsonl" && value != "csv") {
                return usage(err, "--format is jsonl or csv, not '" + value + "'");
            }
            format = value == "csv" ? engine::CohortFormat::Csv : engine::CohortFormat::JsonLines;
        } else {
            output = value;
        }
    }
    if (!has_size) return usage(err, "gen-cohort needs --size N");
    if (!has_seed) return usage(err, "gen-cohort needs --seed S (the same seed, the same cohort)");
    if (!format) format = engine::cohort_format_for(output.value_or("-"));

    std::ofstream file;
    std::ostream* target = &out;
    if (output) {
        file.open(*output, std::ios::binary | std::ios::trunc);
        if (!file) {
            err << "mcre: cannot write " << *output << "\n";
            return exit_rejected;
        }
        target = &file;
    }
    const engine::CohortSummary summary = engine::write_cohort(spec, *format, *target);
    target->flush();
    if (!*target) {
        err << "mcre: writing " << output.value_or("the cohort") << " failed after "
            << summary.applications << " applications\n";
        return exit_rejected;
    }
    err << "gen-cohort: " << summary.applications << " applications, " << summary.credentials
        << " credentials" << (output ? " written to " + *output : std::string()) << "\n";
    return exit_ok;
}

}  // namespace mcre::cli
