#pragma once

#include <string>
#include <vector>

#include "dsl/source.hpp"

namespace mcre::dsl {

enum class Severity { Error, Warning, Note };

// A secondary place that explains the primary one ("did you mean", "first defined here").
struct DiagnosticNote {
    std::string message;
    SourceSpan span;
    bool has_span = false;
};

// One problem found in a policy or an application. Codes are stable: E1xxx syntax,
// E2xxx meaning (names, types, units, values), W3xxx warnings, E4xxx application input.
struct Diagnostic {
    std::string code;
    Severity severity = Severity::Error;
    SourceSpan span;
    std::string message;
    std::string hint;
    std::vector<DiagnosticNote> notes;
    std::vector<SourceSpan>
        extra_ranges;  // underlined with ~ on the same line, e.g. the other operand
    // For application input (E4xxx): the offending node as a JSON Pointer (RFC 6901), such
    // as "/credentials/0/issued", so an HTTP client can find it without line numbers.
    // Empty for the whole document and for policy diagnostics.
    std::string pointer = {};
};

[[nodiscard]] bool has_errors(const std::vector<Diagnostic>& diagnostics);
void sort_by_position(std::vector<Diagnostic>& diagnostics);

}  // namespace mcre::dsl
