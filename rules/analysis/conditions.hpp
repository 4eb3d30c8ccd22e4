#pragma once

// From a checked condition to the regions where it is true and where it is false. A
// condition on a missing fact is neither (the check becomes incomplete), so the two are
// computed separately, as the engine's three-valued `and`/`or` do. A sub-expression the
// analysis does not understand (two attributes, date arithmetic in years, ISCED-F codes)
// may be anything: its regions are "everything", which keeps every conclusion sound.

#include <set>
#include <string>
#include <vector>

#include "rules/analysis/region.hpp"
#include "rules/model.hpp"

namespace mcre::rules::analysis {

class ConditionAnalyzer {
  public:
    explicit ConditionAnalyzer(const Policy& policy) : policy_(policy) {}

    [[nodiscard]] Region holds(const Expr& condition) const;
    [[nodiscard]] Region fails(const Expr& condition) const;

    // The credentials and programmes a check or cap with these `for`/`in` lists applies to.
    [[nodiscard]] static Region scope(const std::vector<std::string>& credential_kinds,
                                      const std::vector<std::string>& programme_kinds);

  private:
    [[nodiscard]] Region evaluate(const Expr& e, bool want_true) const;
    [[nodiscard]] Region compare(const Expr& e, bool want_true) const;
    [[nodiscard]] Region membership(const Expr& e, bool want_true) const;

    const Policy& policy_;
};

// Every attribute a condition reads.
[[nodiscard]] std::set<Attr> attributes_of(const Expr& e);

}  // namespace mcre::rules::analysis
