#include <fmt/format.h>

#include <set>

#include "rules/analysis/checks.hpp"
#include "rules/analysis/isced_f.hpp"

namespace mcre::rules::analysis {

namespace {

const char* hint =
    "ISCED-F 2013 fields are e.g. \"06\" (broad), \"061\" (narrow), \"0613\" (detailed); see "
    "docs/analysis.md";

bool is_field(const Expr& e) {
    return e.op == Op::Attribute &&
           (e.attribute == Attr::CredentialField || e.attribute == Attr::ProgrammeField);
}

std::vector<std::string> codes_of(const Value& value) {
    if (value.type != Type::Set) return {value.text};
    std::vector<std::string> out;
    for (const Value& item : value.items) out.push_back(item.text);
    return out;
}

}  // namespace

void check_field_codes(const Policy& policy, const dsl::SourceFile& source, Diagnostics& out) {
    std::set<std::string> tables;
    for (const Table& table : policy.tables) {
        tables.insert(table.name);
        if (table.kind != TableKind::Codes) continue;
        for (const auto& [code, label] : table.entries) {
            if (is_isced_f_code(code)) continue;
            out.push_back(warning("W3111", span_at(table.where, source),
                                  fmt::format("table '{}': \"{}\" ({}) is not an ISCED-F 2013 "
                                              "field",
                                              table.name, code, label),
                                  hint));
        }
    }
    // Codes written in place or in parameters, compared with a field of the application.
    std::set<std::pair<std::string, std::string>> reported;
    for (const Expr* e : all_expressions(policy)) {
        bool compares = e->op == Op::In || e->op == Op::NotIn || e->op == Op::Eq || e->op == Op::Ne;
        if (!compares || e->args.size() != 2) continue;
        const Expr& lhs = e->args[0];
        const Expr& rhs = e->args[1];
        const Expr* constant = is_field(lhs) ? &rhs : is_field(rhs) ? &lhs : nullptr;
        if (constant == nullptr || constant->literal.missing) continue;
        if (constant->op != Op::Literal && constant->op != Op::Param) continue;
        if (constant->op == Op::Param && tables.contains(constant->text)) continue;
        for (const std::string& code : codes_of(constant->literal)) {
            if (is_isced_f_code(code)) continue;
            if (!reported.emplace(constant->text, code).second) continue;
            std::string where =
                constant->op == Op::Param ? fmt::format(" (parameter '{}')", constant->text) : "";
            out.push_back(warning("W3111", constant->span,
                                  fmt::format("\"{}\"{} is not an ISCED-F 2013 field", code, where),
                                  hint));
        }
    }
}

}  // namespace mcre::rules::analysis
