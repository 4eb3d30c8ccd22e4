#include "rules/analysis/analyze.hpp"

#include "rules/analysis/checks.hpp"

namespace mcre::rules {

std::vector<dsl::Diagnostic> analyze(const Policy& policy, const dsl::SourceFile& source) {
    analysis::Diagnostics out;
    analysis::check_reachability(policy, out);
    analysis::check_contradictions(policy, out);
    analysis::check_caps(policy, out);
    analysis::check_usage(policy, source, out);
    analysis::check_field_codes(policy, source, out);
    analysis::check_coverage(policy, source, out);
    analysis::check_over_time(policy, source, out);
    dsl::sort_by_position(out);
    return out;
}

}  // namespace mcre::rules
