#include <cctype>

#include "rules/analysis/checks.hpp"

namespace mcre::rules::analysis {

namespace {

void collect(const Expr& e, std::vector<const Expr*>& out) {
    out.push_back(&e);
    for (const Expr& a : e.args) collect(a, out);
}

}  // namespace

dsl::Diagnostic warning(std::string code, dsl::SourceSpan span, std::string message,
                        std::string hint) {
    dsl::Diagnostic d;
    d.code = std::move(code);
    d.severity = dsl::Severity::Warning;
    d.span = span;
    d.message = std::move(message);
    d.hint = std::move(hint);
    return d;
}

dsl::DiagnosticNote note(std::string message) {
    dsl::DiagnosticNote n;
    n.message = std::move(message);
    return n;
}

dsl::DiagnosticNote note_at(std::string message, dsl::SourceSpan span) {
    dsl::DiagnosticNote n;
    n.message = std::move(message);
    n.span = span;
    n.has_span = true;
    return n;
}

dsl::SourceSpan span_at(const dsl::Location& where, const dsl::SourceFile& source) {
    std::string_view line = source.line_text(where.line);
    if (line.empty()) return {};
    auto begin = static_cast<std::size_t>(line.data() - source.text().data());
    // Columns count UTF-8 characters: skip continuation bytes while walking to it.
    std::size_t at = 0;
    for (int column = 1; column < where.column && at < line.size(); ++column) {
        ++at;
        while (at < line.size() && (static_cast<unsigned char>(line[at]) & 0xC0) == 0x80) ++at;
    }
    std::size_t end = at;
    while (end < line.size() && !std::isspace(static_cast<unsigned char>(line[end]))) ++end;
    if (end == at) end = at + 1;
    return {static_cast<std::uint32_t>(begin + at), static_cast<std::uint32_t>(begin + end)};
}

std::vector<const Expr*> all_expressions(const Policy& policy) {
    std::vector<const Expr*> out;
    auto messages = [&](const std::vector<MessagePart>& parts) {
        for (const MessagePart& p : parts) {
            if (p.value) collect(*p.value, out);
        }
    };
    for (const Rule& r : policy.rules) {
        if (r.when) collect(*r.when, out);
        collect(r.condition, out);
        messages(r.message);
    }
    for (const Cap& c : policy.caps) {
        if (c.when) collect(*c.when, out);
        collect(c.limit, out);
    }
    for (const Exception& x : policy.exceptions) {
        if (x.when) collect(*x.when, out);
        if (x.effect == ExceptionEffect::Limit || x.effect == ExceptionEffect::Require)
            collect(x.expr, out);
        messages(x.message);
    }
    return out;
}

}  // namespace mcre::rules::analysis
