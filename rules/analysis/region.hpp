#pragma once

// The abstract values the analyses reason with: for each attribute, the values it may take
// (an interval for numbers, dates and booleans; a finite or co-finite set for texts) and
// whether it may be missing. A Box constrains several attributes at once (a conjunction);
// a Region is a union of boxes. Every region over-approximates the credentials it stands
// for, so an empty region is a proof, and a non-empty one proves nothing.

#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "rules/schema.hpp"

namespace mcre::rules::analysis {

inline constexpr double infinity = std::numeric_limits<double>::infinity();

struct Interval {
    double lo = -infinity;
    double hi = infinity;
    bool lo_open = false;
    bool hi_open = false;
    bool integer = false;  // levels, years, booleans: only whole numbers

    [[nodiscard]] bool empty() const;
    [[nodiscard]] Interval intersect(const Interval& other) const;
    [[nodiscard]] double pick() const;  // a member; the interval must not be empty
};

// Exactly `values` when finite, otherwise every text except `values`.
struct TextSet {
    bool finite = false;
    std::set<std::string> values;

    [[nodiscard]] bool empty() const { return finite && values.empty(); }
    [[nodiscard]] TextSet intersect(const TextSet& other) const;
};

enum class ValueKind { Number, Text, Opaque };  // Opaque: only presence is tracked
[[nodiscard]] ValueKind value_kind(Attr attr);

struct Domain {
    bool may_be_missing = true;
    bool may_be_present = true;
    Interval numbers;
    TextSet texts;
};

// The values an attribute can take when it is stated (ECTS >= 0, levels 1-8, known kinds).
[[nodiscard]] Domain base_domain(Attr attr);
[[nodiscard]] bool is_empty(Attr attr, const Domain& domain);

struct Box {
    std::map<Attr, Domain> domains;  // an attribute not listed is unconstrained

    [[nodiscard]] bool empty() const;
};

class Region {
  public:
    [[nodiscard]] static Region everything() { return Region{{Box{}}}; }
    [[nodiscard]] static Region nothing() { return Region{{}}; }
    [[nodiscard]] static Region of(Attr attr, Domain domain);

    [[nodiscard]] bool empty() const { return boxes_.empty(); }
    [[nodiscard]] const std::vector<Box>& boxes() const { return boxes_; }
    [[nodiscard]] Region intersect(const Region& other) const;
    [[nodiscard]] Region unite(const Region& other) const;

  private:
    explicit Region(std::vector<Box> boxes) : boxes_(std::move(boxes)) {}
    std::vector<Box> boxes_;
};

}  // namespace mcre::rules::analysis
