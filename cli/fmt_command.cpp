#include "cli/fmt_command.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include "cli/commands.hpp"
#include "cli/policy_loading.hpp"
#include "dsl/diagnostic_render.hpp"
#include "dsl/format/formatter.hpp"
#include "engine/policy_set.hpp"

namespace mcre::cli {

namespace {

constexpr const char* fmt_help = R"(usage: mcre fmt [--check | --stdout] FILE|DIR...

Rewrites each policy file in the canonical layout (docs/language.md, "Formatting"):
the same statements, tokens and comments, one layout. A directory means every *.policy
file in it. A file that does not parse is reported and left as it is.

options:
  --check    change nothing; list each file that is not formatted with its first
             differing line (exit 1 if there is one)
  --stdout   print the formatted policy instead of rewriting the file

exit codes: 0 done (with --check: every file is formatted), 1 a file is not formatted
(--check) or does not parse or cannot be written, 2 wrong usage
)";

enum class Mode { Rewrite, Check, Print };

struct Options {
    Mode mode = Mode::Rewrite;
    std::vector<std::string> files;
};

std::optional<std::string> parse_options(const std::vector<std::string>& args, Options& options) {
    bool check = false;
    bool print = false;
    for (const std::string& a : args) {
        if (a == "--check") {
            check = true;
        } else if (a == "--stdout") {
            print = true;
        } else if (a.rfind("--", 0) == 0) {
            return "unknown option '" + a + "'";
        } else {
            options.files.push_back(a);
        }
    }
    if (check && print) return "--check and --stdout cannot be combined";
    if (options.files.empty()) return "fmt needs at least one policy file";
    options.mode = check ? Mode::Check : print ? Mode::Print : Mode::Rewrite;
    return std::nullopt;
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        std::size_t end = text.find('\n');
        lines.push_back(text.substr(0, end));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

std::string shown(const std::vector<std::string_view>& lines, std::size_t i) {
    if (i >= lines.size()) return "(end of file)";
    std::string line(lines[i]);
    if (!line.empty() && line.back() == '\r') line.replace(line.size() - 1, 1, "\\r");
    return line;
}

// "FILE:LINE: not formatted" with the line as it is and as it would be.
void report_difference(const std::string& path, std::string_view was, std::string_view wanted,
                       std::ostream& out) {
    std::vector<std::string_view> a = split_lines(was);
    std::vector<std::string_view> b = split_lines(wanted);
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    if (i == a.size() && i == b.size()) {
        out << path << ":" << a.size() << ": not formatted: the file ends with one line break\n";
        return;
    }
    out << path << ":" << i + 1 << ": not formatted\n";
    out << "  - " << shown(a, i) << "\n";
    out << "  + " << shown(b, i) << "\n";
}

// Written next to the original and renamed over it, so a crash leaves either the old
// file or the new one, never half of one. A symlink is followed, not replaced.
bool replace_file(const std::string& path, const std::string& text, std::ostream& err) {
    std::error_code ec;
    std::filesystem::path target = std::filesystem::canonical(path, ec);
    if (ec) target = path;
    std::string temp = target.string() + ".fmt-XXXXXX";
    int fd = ::mkstemp(temp.data());
    if (fd < 0) {
        err << "mcre: cannot write next to '" << path << "': " << std::strerror(errno) << "\n";
        return false;
    }
    struct stat original {};
    bool ok = true;
    if (::stat(target.c_str(), &original) == 0) ok = ::fchmod(fd, original.st_mode & 07777) == 0;
    std::size_t written = 0;
    while (ok && written < text.size()) {
        ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) written += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    int saved = errno;
    ok = (::close(fd) == 0) && ok;
    ok = ok && ::rename(temp.c_str(), target.c_str()) == 0;
    if (!ok) {
        if (saved == 0) saved = errno;
        ::unlink(temp.c_str());
        err << "mcre: cannot rewrite '" << path << "': " << std::strerror(saved) << "\n";
    }
    return ok;
}

// True when the file is formatted (or now is).
bool format_file(const std::string& path, Mode mode, std::ostream& out, std::ostream& err) {
    auto source = read_source(path, err);
    if (!source) return false;
    dsl::FormatResult result = dsl::format_policy(*source);
    if (!result.text) {
        err << dsl::render_all(result.diagnostics, *source);
        return false;
    }
    const std::string& text = *result.text;
    switch (mode) {
        case Mode::Print:
            out << text;
            return true;
        case Mode::Check:
            if (text == source->text()) return true;
            report_difference(path, source->text(), text, out);
            return false;
        case Mode::Rewrite:
            return text == source->text() || replace_file(path, text, err);
    }
    return false;
}

}  // namespace

int run_fmt(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (std::any_of(args.begin(), args.end(),
                    [](const std::string& a) { return a == "--help" || a == "-h"; })) {
        out << fmt_help;
        return exit_ok;
    }
    Options options;
    if (auto problem = parse_options(args, options)) {
        err << "mcre: " << *problem << "\n\n" << fmt_help;
        return exit_usage;
    }
    std::vector<std::string> files = engine::policy_files(options.files);
    if (files.empty()) {
        err << "mcre: no *.policy files found\n\n" << fmt_help;
        return exit_usage;
    }
    int failed = 0;
    for (const std::string& file : files) {
        if (!format_file(file, options.mode, out, err)) ++failed;
    }
    if (failed > 0 && options.mode == Mode::Check) {
        err << "mcre: " << failed << " of " << files.size()
            << " files not formatted or not readable; `mcre fmt FILE...` rewrites them\n";
    }
    return failed == 0 ? exit_ok : exit_rejected;
}

}  // namespace mcre::cli
