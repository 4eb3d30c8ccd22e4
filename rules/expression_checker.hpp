#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/diagnostic.hpp"
#include "rules/model.hpp"
#include "rules/scope.hpp"

namespace mcre::rules {

// Binds the names in one expression and checks its types and units. Problems are
// appended to `diagnostics`; the result is empty when the expression is unusable.
class ExpressionChecker {
  public:
    ExpressionChecker(Scope& scope, std::vector<dsl::Diagnostic>& diagnostics,
                      std::string_view source_text)
        : scope_(scope), diagnostics_(diagnostics), source_text_(source_text) {}

    [[nodiscard]] std::optional<Expr> check(const dsl::ast::Expr& expr);
    // Checks and also requires the result to be yes/no (a condition).
    [[nodiscard]] std::optional<Expr> check_condition(const dsl::ast::Expr& expr, const char* what);

  private:
    std::optional<Expr> check_name(const dsl::ast::Expr& expr);
    std::optional<Expr> check_call(const dsl::ast::Expr& expr);
    std::optional<Expr> check_set(const dsl::ast::Expr& expr);
    std::optional<Expr> check_binary(const dsl::ast::Expr& expr);
    std::optional<Expr> check_comparison(const dsl::ast::Expr& expr, Op op);
    std::optional<Expr> check_between(const dsl::ast::Expr& expr);
    std::optional<Expr> check_membership(const dsl::ast::Expr& expr, Op op);
    std::optional<Expr> check_arithmetic(const dsl::ast::Expr& expr, Op op);
    std::optional<Expr> check_as_of(const dsl::ast::Expr& expr);
    bool comparable(const Expr& a, const Expr& b, const dsl::ast::Expr& at);
    void error(const char* code, dsl::SourceSpan span, std::string message, std::string hint = {});

    // Compound expressions keep the text as written, for explanations.
    Expr node(Op op, Type type, const dsl::ast::Expr& from, std::vector<Expr> args = {}) const;

    Scope& scope_;
    std::vector<dsl::Diagnostic>& diagnostics_;
    std::string_view source_text_;
};

// True when two types may be compared: the same type, a level with a bare number, or
// text with an ISCED-F code.
[[nodiscard]] bool compatible(Type a, Type b);

// The value of `lhs op rhs` for + - and 'of' on constants; dates move by calendar.
[[nodiscard]] Value fold_arithmetic(Op op, const Value& lhs, const Value& rhs, Type result);

}  // namespace mcre::rules
