#pragma once

// Evaluation of checked policy expressions against one application, with three-valued
// logic: a fact the application does not state makes a comparison "missing" (neither
// true nor false) and the missing value names the element, so a decision can say what to
// supply. `and` is false as soon as one side is false, `or` true as soon as one is true.

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "engine/facts.hpp"
#include "rules/model.hpp"
#include "rules/value.hpp"

namespace mcre::engine {

[[nodiscard]] rules::Value evaluate_expr(const rules::Expr& expr, const EvalContext& context);
// A condition's truth when the fast path can tell it (numbers, dates, stated text, all
// stated); empty otherwise, and the caller asks evaluate_expr, which also says what is
// missing. No Value is built: a check asks this of every rule for every credential.
[[nodiscard]] std::optional<bool> known_truth(const rules::Expr& expr, const EvalContext& context);
// The same, and whether the answer read a fact of the context's credential. When it did not,
// it holds for every credential of the application: the path taken through the condition
// depended on nothing else.
[[nodiscard]] std::optional<bool> known_truth(const rules::Expr& expr, const EvalContext& context,
                                              bool& read_credential);
// A number's value (a limit, a parameter, a sum of them) when the fast path can tell it;
// empty otherwise, and the caller asks evaluate_expr. Where it answers, evaluate_expr's
// value has that number.
[[nodiscard]] std::optional<double> known_number(const rules::Expr& expr,
                                                 const EvalContext& context);
// The same without the fast path for numbers, dates and stated text: the reference the
// fast path is tested against.
[[nodiscard]] rules::Value evaluate_expr_reference(const rules::Expr& expr,
                                                   const EvalContext& context);

// Dated parameters are read on the application date, or on Application::values_as_of.
[[nodiscard]] dsl::Date values_date(const EvalContext& context);
// A dated parameter's value in force on `date`; missing, naming the gap, when none is.
[[nodiscard]] rules::Value dated_value(const std::string& name, dsl::Date date,
                                       const EvalContext& context);

// The elements whose absence makes `expr` missing, in the order they occur, without repeats.
[[nodiscard]] std::vector<std::string> missing_elements(const rules::Expr& expr,
                                                        const EvalContext& context);

// The expression as a reader would write it, rebuilt from its structure:
// "application.date - recency", "bachelor_share of programme.total_ects", "ects(credential.hours)".
[[nodiscard]] std::string expression_text(const rules::Expr& expr);

// The facts an expression compared, in plain words and deterministic:
// "credential.workload is 35 ECTS, not within 3 ECTS to 30 ECTS (mc_min_ects, mc_max_ects)".
// Parameter names are given so the officer sees which parameter decided.
[[nodiscard]] std::string describe(const rules::Expr& expr, const EvalContext& context);

// How a binary operator is written ("<=", "and", "not in"); null when it is not infix.
[[nodiscard]] const char* infix_text(rules::Op op);

// Which of a dated parameter's values is read on `date`, and why: "in force from 2027-09-01".
[[nodiscard]] std::string in_force_note(const std::string& name, dsl::Date date,
                                        const EvalContext& context);

// A message template with its values filled in.
[[nodiscard]] std::string render_message(const std::vector<rules::MessagePart>& parts,
                                         const EvalContext& context);

// Whether the expression reads a fact of a credential (and so must be evaluated per credential).
[[nodiscard]] bool references_credential(const rules::Expr& expr);

// Numeric comparison tolerant of binary rounding (0.15 * 60 is 9, not 8.999...): -1, 0, 1.
// Inline: every comparison of every rule and cap makes one.
[[nodiscard]] inline int compare_numbers(double a, double b) {
    const double tolerance = 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)});
    if (std::fabs(a - b) <= tolerance) return 0;
    return a < b ? -1 : 1;
}

}  // namespace mcre::engine
