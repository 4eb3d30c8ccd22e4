#include "cli/batch_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <streambuf>
#include <thread>

#include "cli/batch_line.hpp"
#include "cli/batch_pipeline.hpp"
#include "cli/commands.hpp"
#include "cli/decision_log.hpp"
#include "cli/input_limit_options.hpp"
#include "cli/input_map_option.hpp"
#include "cli/policy_loading.hpp"

namespace mcre::cli {

namespace {

constexpr const char* batch_help =
    R"(usage: mcre batch --policy FILE|DIR [-j N] [--format json|summary] [--decision-log FILE]
                  < in.jsonl > out.jsonl

Decides a stream of applications, one JSON object per input line, and writes exactly
one compact JSON record per input line, in input order, as soon as it is ready:
  {"line":N,"ok":true,"decision":{...}}            (plus "request_id" when logging)
  {"line":N,"ok":false,"errors":[{"code","message","line","column","hint"}]}
With --format summary a decided line holds only the outcome, no explanation:
  {"line":N,"ok":true,"id":"...","recognized_ects":N,
   "credentials":[{"id","status","reason_code","recognized_ects"}]}
A bad or blank line becomes an error record and the run goes on (keep-going is the only
mode). A summary goes to stderr. See docs/integration-guide.md.

options:
  --policy FILE|DIR          the policy to apply (required); with several (repeat the
                             option, or name a directory), each line gets the policy of
                             its jurisdiction in force on its date, and a line for which
                             none or several are is an error record (E4006, E4007)
  --jurisdiction XX          choose among the policies of XX for every line
  --policy-id ID             apply the loaded policy with this id to every line
  -j, --jobs N               evaluate on N threads (default: the number of CPUs)
  --format json|summary      json (default): each decided line carries the whole decision;
                             summary: per application its id and recognized ECTS, per
                             credential its id, status, reason code and recognized ECTS
  --decision-log FILE        record every decision in this SQLite log (created if missing)
  --request-id-prefix TEXT   logged request ids are TEXT-<line> (default:
                             batch-<UTC time>-<random>)
  --input-map FILE           the lines are another system's export: FILE says which of
                             its keys holds each field (docs/input-format.md, "Input maps")
  --keep-going               accepted for clarity; it is the default and only mode
  --max-line-bytes N         the longest line read; a longer one is an error record and
                             is never held in memory (default 1048576; E4050)
  --max-credentials N        most credentials in one line (default 1000; E4051)
  --max-depth N              deepest nesting in one line (default 32; E4052)
  --max-nodes N              most values in one line (default 500000; E4053)

exit codes: 0 every line decided, 1 at least one line failed or the policy was rejected,
            2 wrong usage or the decision log cannot be opened, 70 internal error
)";

int usage_error(std::ostream& err, const std::string& message) {
    err << "mcre: " << message << "\n\n" << batch_help;
    return exit_usage;
}

// A line is one application: its limit is the line's, 1 MiB like serve's --max-body.
engine::InputLimits line_limits() {
    engine::InputLimits limits;
    limits.max_bytes = std::size_t{1} << 20U;
    return limits;
}

struct BatchOptions {
    std::vector<std::string> policy_paths;
    std::optional<std::string> jurisdiction;
    std::optional<std::string> policy_id;
    unsigned jobs = 0;
    std::optional<std::string> log_path;
    std::optional<std::string> request_id_prefix;
    BatchFormat format = BatchFormat::Json;
    engine::InputLimits limits = line_limits();
    std::optional<std::string> input_map_path;
};

std::optional<unsigned> parse_jobs(const std::string& text) {
    if (text.empty() || text.size() > 4 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    const unsigned jobs = static_cast<unsigned>(std::stoul(text));
    if (jobs == 0 || jobs > 1024) return std::nullopt;
    return jobs;
}

// Nullopt after printing the usage error, whose exit code is then in `exit_code`.
std::optional<BatchOptions> parse_options(const std::vector<std::string>& args, std::ostream& err,
                                          int& exit_code) {
    BatchOptions options;
    exit_code = exit_usage;
    std::string problem;  // of a limit option
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--policy" || a == "--decision-log" || a == "--request-id-prefix" || a == "-j" ||
            a == "--jobs" || a == "--jurisdiction" || a == "--policy-id" || a == "--format" ||
            a == "--input-map") {
            if (!has_value) {
                (void)usage_error(err, a + " needs a value");
                return std::nullopt;
            }
            const std::string& value = args[++i];
            if (a == "--policy") {
                options.policy_paths.push_back(value);
            } else if (a == "--jurisdiction") {
                options.jurisdiction = value;
            } else if (a == "--policy-id") {
                options.policy_id = value;
            } else if (a == "--decision-log") {
                options.log_path = value;
            } else if (a == "--request-id-prefix") {
                options.request_id_prefix = value;
            } else if (a == "--input-map") {
                options.input_map_path = value;
            } else if (a == "--format") {
                if (value == "json") {
                    options.format = BatchFormat::Json;
                } else if (value == "summary") {
                    options.format = BatchFormat::Summary;
                } else {
                    (void)usage_error(err, "unknown --format '" + value +
                                               "': batch writes json (the default) or summary");
                    return std::nullopt;
                }
            } else if (auto jobs = parse_jobs(value)) {
                options.jobs = *jobs;
            } else {
                (void)usage_error(err, a + " needs a whole number from 1 to 1024");
                return std::nullopt;
            }
        } else if (LimitOption taken = take_limit_option(args, i, options.limits, false, problem);
                   taken != LimitOption::NotOne) {
            if (taken == LimitOption::Bad) {
                (void)usage_error(err, problem);
                return std::nullopt;
            }
        } else if (a == "--max-line-bytes") {
            auto bytes = has_value ? parse_limit(args[++i], std::size_t{1} << 40U) : std::nullopt;
            if (!bytes) {
                (void)usage_error(err, "--max-line-bytes needs a whole number of bytes");
                return std::nullopt;
            }
            options.limits.max_bytes = *bytes;
        } else if (a == "--keep-going") {
            // The default; accepted so scripts can say what they rely on.
        } else {
            (void)usage_error(
                err, "unexpected argument '" + a + "' (applications are read from standard input)");
            return std::nullopt;
        }
    }
    if (options.policy_paths.empty()) {
        (void)usage_error(err, "batch needs --policy FILE");
        return std::nullopt;
    }
    if (options.jobs == 0) options.jobs = std::max(1U, std::thread::hardware_concurrency());
    return options;
}

// Unique across runs, so the same file decided twice into one log gets new ids rather
// than failing on the first run's.
std::string default_request_id_prefix() {
    std::string stamp = utc_now_iso8601();
    stamp.erase(
        std::remove_if(stamp.begin(), stamp.end(), [](char c) { return c == '-' || c == ':'; }),
        stamp.end());
    std::random_device random;
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(random()));
    return "batch-" + stamp + "-" + suffix;
}

// Standard input read with read(2) in 64 KiB blocks. std::cin, kept in step with C's stdio,
// takes one character at a time: a tenth of a summary run went into reading lines.
constexpr std::size_t output_block_bytes = std::size_t{1} << 16;

class StdinBuffer final : public std::streambuf {
  public:
    StdinBuffer() { setg(buffer_.data(), buffer_.data(), buffer_.data()); }

  protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        ssize_t n = 0;
        do {
            n = ::read(STDIN_FILENO, buffer_.data(), buffer_.size());
        } while (n < 0 && errno == EINTR);
        if (n <= 0) return traits_type::eof();
        setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
        return traits_type::to_int_type(*gptr());
    }

  private:
    std::array<char, 1 << 16> buffer_{};
};

struct Summary {
    std::size_t lines = 0;
    std::size_t decided = 0;
    std::vector<std::size_t> failed_lines;
    // By status (NotApplicable is the last), counted as numbers: every credential of every
    // line passes here. Named only when printed.
    std::array<std::size_t, static_cast<std::size_t>(engine::Status::NotApplicable) + 1>
        by_status{};
    bool internal_error = false;

    void add(const LineOutcome& outcome) {
        ++lines;
        if (outcome.internal_error) internal_error = true;
        if (!outcome.ok) {
            failed_lines.push_back(outcome.line);
            return;
        }
        ++decided;
        for (engine::Status status : outcome.statuses)
            ++by_status[static_cast<std::size_t>(status)];
    }

    void print(std::ostream& err) const {
        err << "batch: " << lines << " lines, " << decided << " decided, " << failed_lines.size()
            << " failed";
        if (!failed_lines.empty()) {
            constexpr std::size_t shown = 20;
            err << " (line" << (failed_lines.size() == 1 ? " " : "s ");
            for (std::size_t i = 0; i < failed_lines.size() && i < shown; ++i) {
                err << (i == 0 ? "" : ", ") << failed_lines[i];
            }
            if (failed_lines.size() > shown) err << ", ...";
            err << ")";
        }
        err << "\n";
        std::map<std::string, std::size_t> statuses;  // by name, as they are printed
        for (std::size_t i = 0; i < by_status.size(); ++i) {
            if (by_status[i] != 0) {
                statuses[engine::status_name(static_cast<engine::Status>(i))] = by_status[i];
            }
        }
        if (statuses.empty()) return;
        err << "batch: credentials:";
        bool first = true;
        for (const auto& [status, count] : statuses) {
            err << (first ? " " : ", ") << count << " " << status;
            first = false;
        }
        err << "\n";
    }
};

std::optional<engine::LoadedPolicy> load_policy(const std::string& path, std::ostream& err) {
    auto source = read_source(path, err);
    if (!source) return std::nullopt;
    std::string diagnostics;
    auto loaded = engine::PolicySet::load_text(path, source->text(), diagnostics);
    err << diagnostics;
    return loaded;
}

// One file and nothing to choose by: every line gets that policy, as it always did.
bool chooses(const BatchOptions& options) {
    std::error_code ec;
    return options.policy_paths.size() > 1 ||
           std::filesystem::is_directory(options.policy_paths[0], ec) || options.jurisdiction ||
           options.policy_id;
}

// Every file must load: one left out might be the policy in force for some lines.
std::optional<engine::PolicySet> load_policies(const BatchOptions& options, std::ostream& err) {
    std::vector<engine::PolicyLoadProblem> problems;
    engine::PolicySet set = engine::PolicySet::load(options.policy_paths, problems);
    for (const engine::PolicyLoadProblem& problem : problems) err << problem.rendered;
    if (!problems.empty()) {
        err << "mcre: " << problems.size()
            << " of the policy files could not be loaded; fix them or leave them out\n";
        return std::nullopt;
    }
    if (set.empty()) {
        err << "mcre: no *.policy files found\n";
        return std::nullopt;
    }
    return set;
}

}  // namespace

int run_batch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (std::any_of(args.begin(), args.end(),
                    [](const std::string& a) { return a == "--help" || a == "-h"; })) {
        out << batch_help;
        return exit_ok;
    }
    int exit_code = exit_ok;
    auto options = parse_options(args, err, exit_code);
    if (!options) return exit_code;

    std::optional<engine::LoadedPolicy> policy;
    std::optional<engine::PolicySet> policies;
    const engine::LoadedPolicy* fixed = nullptr;
    if (!chooses(*options)) {
        policy = load_policy(options->policy_paths[0], err);
        if (!policy) return exit_rejected;
        fixed = &*policy;
    } else {
        policies = load_policies(*options, err);
        if (!policies) return exit_rejected;
        if (options->policy_id) {
            fixed = policies->find(*options->policy_id);
            if (fixed == nullptr) {
                err << "mcre: no policy '" << *options->policy_id << "' among the files given\n";
                return exit_rejected;
            }
        }
    }

    std::optional<engine::InputMap> input_map;
    if (options->input_map_path) {
        input_map = read_input_map(*options->input_map_path, err);
        if (!input_map) return exit_rejected;
    }

    std::unique_ptr<DecisionLog> log;
    if (options->log_path) {
        std::string error;
        log = DecisionLog::open(*options->log_path, error);
        if (!log) {
            err << "mcre: " << error << "\n";
            return exit_usage;
        }
    }

    BatchContext context;
    context.policy = fixed;
    context.policies = policies ? &*policies : nullptr;
    context.jurisdiction = options->jurisdiction;
    context.log = log.get();
    context.format = options->format;
    context.input_map = input_map ? &*input_map : nullptr;
    context.limits = options->limits;
    // Only a logged decision has a request id; without a log, no clock or random device.
    if (log) {
        context.request_id_prefix =
            options->request_id_prefix ? *options->request_id_prefix : default_request_id_prefix();
    }

    Summary summary;
    PipelineOptions pipeline;
    pipeline.jobs = options->jobs;
    pipeline.window = 256 * static_cast<std::size_t>(options->jobs);
    pipeline.max_line_bytes = options->limits.max_bytes;
    pipeline.too_long = [limit = options->limits.max_bytes](std::size_t line, std::size_t bytes) {
        return line_too_long(line, bytes, limit);
    };
    StdinBuffer stdin_buffer;
    std::istream in(&stdin_buffer);
    // Records are gathered here and written in blocks: std::cout alone writes every 4 KiB.
    std::string pending;
    const auto write_pending = [&] {
        out.write(pending.data(), static_cast<std::streamsize>(pending.size()));
        out.flush();
        pending.clear();
    };
    run_in_order(
        in, pipeline,
        [&](std::size_t line, std::string text) {
            return decide_line(context, line, std::move(text));
        },
        [&](LineOutcome outcome) {
            pending += outcome.json;
            pending += '\n';
            if (pending.size() >= output_block_bytes) write_pending();
            summary.add(outcome);
        },
        write_pending);
    write_pending();
    summary.print(err);
    if (summary.internal_error) return exit_internal;
    return summary.failed_lines.empty() ? exit_ok : exit_rejected;
}

}  // namespace mcre::cli
