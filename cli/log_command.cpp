#include "cli/log_command.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/decision_log.hpp"
#include "cli/log_verify.hpp"

namespace mcre::cli {

namespace {

constexpr const char* log_help = R"(usage: mcre log show ID --decision-log FILE [--input]
       mcre log verify --decision-log FILE [--id ID]

Reads the decision log that `mcre serve` and `mcre batch` write with --decision-log.

  show ID    prints the logged decision JSON exactly as it was returned (with --input:
             the application as it was received); the request id, time, policy and
             hashes go to stderr
  verify     re-evaluates every logged decision (or only --id ID) from the policy source
             and input stored with it, and names each one that would now differ, whose
             stored text no longer matches its hash, or that can no longer be evaluated

exit codes: show: 0 found, 1 no such request id
            verify: 0 every decision reproduces, 1 at least one does not
            2 wrong usage or the log cannot be opened
)";

int usage_error(std::ostream& err, const std::string& message) {
    err << "mcre: " << message << "\n\n" << log_help;
    return exit_usage;
}

struct LogOptions {
    std::string action;
    std::optional<std::string> id;
    std::optional<std::string> log_path;
    bool input = false;
};

std::optional<LogOptions> parse_options(const std::vector<std::string>& args, std::ostream& err) {
    LogOptions options;
    std::vector<std::string> positional;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--decision-log" || a == "--id") {
            if (i + 1 >= args.size()) {
                (void)usage_error(err, a + " needs a value");
                return std::nullopt;
            }
            (a == "--id" ? options.id : options.log_path) = args[++i];
        } else if (a == "--input") {
            options.input = true;
        } else if (a.rfind("--", 0) == 0) {
            (void)usage_error(err, "unknown option '" + a + "'");
            return std::nullopt;
        } else {
            positional.push_back(a);
        }
    }
    if (positional.empty()) {
        (void)usage_error(err, "log needs 'show ID' or 'verify'");
        return std::nullopt;
    }
    options.action = positional[0];
    if (options.action == "show") {
        if (positional.size() != 2 || options.id) {
            (void)usage_error(err, "log show takes exactly one request id");
            return std::nullopt;
        }
        options.id = positional[1];
    } else if (options.action == "verify") {
        if (positional.size() != 1 || options.input) {
            (void)usage_error(err, "log verify takes no arguments besides its options");
            return std::nullopt;
        }
    } else {
        (void)usage_error(err, "unknown log action '" + options.action + "'");
        return std::nullopt;
    }
    if (!options.log_path) {
        (void)usage_error(err, "log " + options.action + " needs --decision-log FILE");
        return std::nullopt;
    }
    return options;
}

// Opening creates a missing file, which here would only hide a mistyped path.
std::unique_ptr<DecisionLog> open_existing(const std::string& path, std::ostream& err) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        err << "mcre: no decision log at '" << path << "'\n";
        return nullptr;
    }
    std::string error;
    auto log = DecisionLog::open(path, error);
    if (!log) err << "mcre: " << error << "\n";
    return log;
}

int show(DecisionLog& log, const LogOptions& options, std::ostream& out, std::ostream& err) {
    std::string error;
    auto record = log.find(*options.id, error);
    if (!record) {
        if (!error.empty()) {
            err << "mcre: cannot read the decision log: " << error << "\n";
            return exit_usage;
        }
        err << "mcre: no decision with request id '" << *options.id << "' in " << *options.log_path
            << "\n";
        return exit_rejected;
    }
    err << "request " << record->request_id << " decided " << record->decided_at << "\npolicy "
        << record->policy_id << " version " << record->policy_version << " sha256 "
        << record->policy_sha256 << "\n";
    if (!record->policy_bases.empty()) {
        err << "extends (stored, root first):";
        for (const LoggedSource& base : record->policy_bases) err << " " << base.file;
        err << "\n";
    }
    err << "input sha256 " << record->input_sha256 << "\n";
    const std::string& text = options.input ? record->input_text : record->decision_json;
    out << text;
    if (!text.empty() && text.back() != '\n') out << '\n';
    return exit_ok;
}

const char* outcome_name(VerifyOutcome outcome) {
    switch (outcome) {
        case VerifyOutcome::Same:
            return "same";
        case VerifyOutcome::Differs:
            return "differs";
        case VerifyOutcome::CannotEvaluate:
            return "cannot be re-evaluated";
        case VerifyOutcome::HashMismatch:
            return "altered";
    }
    return "unknown";
}

int verify(DecisionLog& log, const LogOptions& options, std::ostream& out, std::ostream& err) {
    std::size_t total = 0;
    std::size_t same = 0;
    std::size_t differ = 0;
    std::size_t cannot = 0;
    std::size_t altered = 0;
    Verifier verifier;
    auto check = [&](const DecisionRecord& record) {
        ++total;
        const VerifyResult result = verifier.verify(record);
        switch (result.outcome) {
            case VerifyOutcome::Same:
                ++same;
                return true;
            case VerifyOutcome::Differs:
                ++differ;
                break;
            case VerifyOutcome::CannotEvaluate:
                ++cannot;
                break;
            case VerifyOutcome::HashMismatch:
                ++altered;
                break;
        }
        out << record.request_id << ": " << outcome_name(result.outcome) << ": " << result.detail
            << "\n";
        return true;
    };
    std::string error;
    if (options.id) {
        auto record = log.find(*options.id, error);
        if (record) (void)check(*record);
        if (!record && error.empty()) {
            err << "mcre: no decision with request id '" << *options.id << "'\n";
            return exit_rejected;
        }
    } else {
        (void)log.for_each(check, error);
    }
    if (!error.empty()) {
        err << "mcre: cannot read the decision log: " << error << "\n";
        return exit_usage;
    }
    out << "log verify: " << total << " decisions, " << same << " same, " << differ << " differ, "
        << cannot << " cannot be re-evaluated, " << altered << " altered\n";
    return same == total ? exit_ok : exit_rejected;
}

}  // namespace

int run_log(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (std::any_of(args.begin(), args.end(),
                    [](const std::string& a) { return a == "--help" || a == "-h"; })) {
        out << log_help;
        return exit_ok;
    }
    auto options = parse_options(args, err);
    if (!options) return exit_usage;
    auto log = open_existing(*options->log_path, err);
    if (!log) return exit_usage;
    return options->action == "show" ? show(*log, *options, out, err)
                                     : verify(*log, *options, out, err);
}

}  // namespace mcre::cli
