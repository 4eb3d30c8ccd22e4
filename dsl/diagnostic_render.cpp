#include "dsl/diagnostic_render.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mcre::dsl {

namespace {

const char* severity_name(Severity severity) {
    switch (severity) {
        case Severity::Error:
            return "error";
        case Severity::Warning:
            return "warning";
        case Severity::Note:
            return "note";
    }
    return "error";
}

// The quoted source line and a marker line: '^' at the span start, '~' over the rest of
// the span and over extra ranges on the same line.
std::string quote(const SourceFile& source, SourceSpan span, const std::vector<SourceSpan>& extra) {
    int line = source.line_of(span.begin);
    std::string_view text = source.line_text(line);
    if (line < 1) return {};
    std::string gutter = fmt::format("{:>5}", line);
    std::string out = fmt::format("{} | {}\n", gutter, text);

    int width = utf8_length(text);
    std::string marks(static_cast<std::size_t>(width) + 1, ' ');
    auto mark = [&](SourceSpan s, bool caret) {
        if (source.line_of(s.begin) != line) return;
        int from = source.column_of(s.begin) - 1;
        int to = source.line_of(s.end) == line ? source.column_of(s.end) - 1 : width;
        to = std::max(to, from + 1);
        for (int c = from; c < to && c < static_cast<int>(marks.size()); ++c) {
            marks[static_cast<std::size_t>(c)] = (caret && c == from) ? '^' : '~';
        }
    };
    for (SourceSpan s : extra) mark(s, false);
    mark(span, true);
    while (!marks.empty() && marks.back() == ' ') marks.pop_back();
    out += fmt::format("{} | {}\n", std::string(gutter.size(), ' '), marks);
    return out;
}

}  // namespace

std::string render(const Diagnostic& d, const SourceFile& source) {
    Location at = source.location(d.span.begin);
    std::string out = fmt::format("{}:{}:{}: {}: {} [{}]\n", at.file, at.line, at.column,
                                  severity_name(d.severity), d.message, d.code);
    out += quote(source, d.span, d.extra_ranges);
    if (!d.hint.empty()) out += fmt::format("      = hint: {}\n", d.hint);
    for (const DiagnosticNote& note : d.notes) {
        if (note.has_span) {
            Location n = source.location(note.span.begin);
            out += fmt::format("{}:{}:{}: note: {}\n", n.file, n.line, n.column, note.message);
            out += quote(source, note.span, {});
        } else {
            out += fmt::format("      = note: {}\n", note.message);
        }
    }
    return out;
}

std::string render_all(const std::vector<Diagnostic>& diagnostics, const SourceFile& source) {
    std::string out;
    int errors = 0;
    int warnings = 0;
    for (const Diagnostic& d : diagnostics) {
        out += render(d, source);
        if (d.severity == Severity::Error) ++errors;
        if (d.severity == Severity::Warning) ++warnings;
    }
    auto plural = [](int n, const char* word) {
        return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
    };
    if (errors > 0 && warnings > 0) {
        out += fmt::format("{} and {} generated.\n", plural(errors, "error"),
                           plural(warnings, "warning"));
    } else if (errors > 0) {
        out += plural(errors, "error") + " generated.\n";
    } else if (warnings > 0) {
        out += plural(warnings, "warning") + " generated.\n";
    }
    return out;
}

}  // namespace mcre::dsl
