#pragma once

// The individual analyses behind rules::analyze, one file each.

#include <string>
#include <vector>

#include "dsl/diagnostic.hpp"
#include "dsl/source.hpp"
#include "rules/model.hpp"

namespace mcre::rules::analysis {

using Diagnostics = std::vector<dsl::Diagnostic>;

[[nodiscard]] dsl::Diagnostic warning(std::string code, dsl::SourceSpan span, std::string message,
                                      std::string hint = {});
[[nodiscard]] dsl::DiagnosticNote note(std::string message);
[[nodiscard]] dsl::DiagnosticNote note_at(std::string message, dsl::SourceSpan span);
// Declarations keep only a line and column; the span runs to the end of the word there.
[[nodiscard]] dsl::SourceSpan span_at(const dsl::Location& where, const dsl::SourceFile& source);
// Every expression of the policy: conditions, limits and quoted message values.
[[nodiscard]] std::vector<const Expr*> all_expressions(const Policy& policy);

// W3101-W3104: checks that can never fail, never pass, never apply or always apply.
void check_reachability(const Policy& policy, Diagnostics& out);
// W3105: two rules no credential in both their scopes can pass together.
void check_contradictions(const Policy& policy, Diagnostics& out);
// W3106-W3108: caps that cannot bind or exceed a programme; shares above 100 %.
void check_caps(const Policy& policy, Diagnostics& out);
// W3109-W3110: tables and level tables never used.
void check_usage(const Policy& policy, const dsl::SourceFile& source, Diagnostics& out);
// W3111: ISCED-F codes that do not exist.
void check_field_codes(const Policy& policy, const dsl::SourceFile& source, Diagnostics& out);
// W3112-W3113: credential kind x programme kind combinations nothing covers or caps.
void check_coverage(const Policy& policy, const dsl::SourceFile& source, Diagnostics& out);
// W3114-W3115: days of the policy's period with no value of a dated parameter in force,
// and the caps and rules that read it.
void check_over_time(const Policy& policy, const dsl::SourceFile& source, Diagnostics& out);

}  // namespace mcre::rules::analysis
