#include "dsl/diagnostic.hpp"

#include <algorithm>

namespace mcre::dsl {

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

void sort_by_position(std::vector<Diagnostic>& diagnostics) {
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                         if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
                         return a.severity < b.severity;
                     });
}

}  // namespace mcre::dsl
