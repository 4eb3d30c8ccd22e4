#include <fmt/format.h>

#include <set>

#include "rules/analysis/checks.hpp"

namespace mcre::rules::analysis {

// Unused parameters are the checker's (W3002); names used but never defined are errors.
void check_usage(const Policy& policy, const dsl::SourceFile& source, Diagnostics& out) {
    std::set<std::string> names;
    bool reads_level = false;
    for (const Expr* e : all_expressions(policy)) {
        if (e->op == Op::Param) names.insert(e->text);
        if (e->op == Op::Attribute && e->attribute == Attr::CredentialLevel) reads_level = true;
    }
    for (const Table& table : policy.tables) {
        if (names.contains(table.name)) continue;
        out.push_back(warning("W3109", span_at(table.where, source),
                              fmt::format("table '{}' is never used", table.name),
                              "remove it, or use it in a check or cap"));
    }
    // Level tables feed credential.level only, so they matter only if something reads it.
    if (reads_level) return;
    for (const LevelMap& map : policy.level_maps) {
        dsl::Diagnostic d =
            warning("W3110", span_at(map.where, source),
                    fmt::format("level table '{}' is never used: no check reads credential.level",
                                map.name),
                    "remove it, or add the level rule it was meant for");
        out.push_back(std::move(d));
    }
}

}  // namespace mcre::rules::analysis
