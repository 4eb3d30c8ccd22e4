#include "cli/diff_command.hpp"

#include <algorithm>
#include <optional>

#include "cli/commands.hpp"
#include "cli/policy_loading.hpp"
#include "engine/policy_diff.hpp"
#include "engine/policy_diff_render.hpp"

namespace mcre::cli {

namespace {

constexpr const char* diff_help =
    R"(usage: mcre diff OLD NEW [--format text|json] [--max-witnesses N]

Compares two policies by what they decide, not by their text: both decide the same
candidate applications, built on and next to every value either policy compares a fact
with (each parameter, bound and set member, and its neighbours), for every kind of
programme and credential, with earlier decisions and repeated credentials at every cap.
Prints whether NEW recognizes strictly more than OLD, strictly less, or differs both ways,
and for each kind of difference (OLD's deciding code -> NEW's) a witness: an application
on which the two decide differently, with both explanations. A search, not a proof: see
docs/policy-diff.md. The witness applications are for NEW's jurisdiction.

options:
  --format FORMAT      text (default) or json
  --max-witnesses N    show a witness for at most N groups of differences (default 10)

exit codes: 0 no difference found, 1 differences found or a policy was rejected,
            2 wrong usage
)";

int usage_error(std::ostream& err, const std::string& message) {
    err << "mcre: " << message << "\n\n" << diff_help;
    return exit_usage;
}

std::optional<std::size_t> parse_count(const std::string& text) {
    if (text.empty() || text.size() > 6 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(std::stoul(text));
}

}  // namespace

int run_diff(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (std::any_of(args.begin(), args.end(),
                    [](const std::string& a) { return a == "--help" || a == "-h"; })) {
        out << diff_help;
        return exit_ok;
    }
    std::vector<std::string> files;
    std::string format = "text";
    std::size_t max_witnesses = 10;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--format") {
            if (i + 1 >= args.size() || (args[i + 1] != "text" && args[i + 1] != "json"))
                return usage_error(err, "--format is text or json");
            format = args[++i];
        } else if (a == "--max-witnesses") {
            std::optional<std::size_t> n =
                i + 1 < args.size() ? parse_count(args[i + 1]) : std::nullopt;
            if (!n) return usage_error(err, "--max-witnesses needs a number");
            max_witnesses = *n;
            ++i;
        } else if (a.rfind("--", 0) == 0) {
            return usage_error(err, "unknown option '" + a + "'");
        } else {
            files.push_back(a);
        }
    }
    if (files.size() != 2) return usage_error(err, "diff takes two policy files, OLD and NEW");

    auto old_policy = load_policy_file(files[0], err);
    auto new_policy = load_policy_file(files[1], err);
    if (!old_policy || !new_policy) return exit_rejected;

    engine::PolicyDiff diff = engine::diff_policies(*old_policy, *new_policy);
    for (const std::string& w : diff.warnings) err << "mcre: warning: " << w << "\n";
    out << (format == "json" ? engine::render_diff_json(diff, max_witnesses)
                             : engine::render_diff_text(diff, max_witnesses));
    return diff.verdict == engine::DiffVerdict::NoDifference ? exit_ok : exit_rejected;
}

}  // namespace mcre::cli
