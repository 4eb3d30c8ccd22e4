#include "rules/analysis/region.hpp"

#include <algorithm>
#include <cmath>

namespace mcre::rules::analysis {

namespace {

// Beyond this many boxes a region is widened to "everything": still sound, never slow.
constexpr std::size_t max_boxes = 512;

bool is_integer_type(Type type) {
    return type == Type::Level || type == Type::Bool || type == Type::Years ||
           type == Type::Months || type == Type::Days || type == Type::Date;
}

}  // namespace

bool Interval::empty() const {
    if (lo > hi) return true;
    if (lo == hi && (lo_open || hi_open)) return true;
    if (!integer) return false;
    double first = lo_open ? std::floor(lo) + 1 : std::ceil(lo);
    double last = hi_open ? std::ceil(hi) - 1 : std::floor(hi);
    return first > last;
}

Interval Interval::intersect(const Interval& other) const {
    Interval out = *this;
    if (other.lo > out.lo || (other.lo == out.lo && other.lo_open)) {
        out.lo = other.lo;
        out.lo_open = other.lo_open;
    }
    if (other.hi < out.hi || (other.hi == out.hi && other.hi_open)) {
        out.hi = other.hi;
        out.hi_open = other.hi_open;
    }
    out.integer = integer || other.integer;
    return out;
}

double Interval::pick() const {
    if (integer) {
        double first = lo_open ? std::floor(lo) + 1 : std::ceil(lo);
        if (std::isfinite(first)) return first;
        double last = hi_open ? std::ceil(hi) - 1 : std::floor(hi);
        return std::isfinite(last) ? last : 0;
    }
    if (std::isfinite(lo) && !lo_open) return lo;
    if (std::isfinite(hi) && !hi_open && !std::isfinite(lo)) return hi;
    if (std::isfinite(lo) && std::isfinite(hi)) return (lo + hi) / 2;
    if (std::isfinite(lo)) return lo + 1;
    if (std::isfinite(hi)) return hi - 1;
    return 0;
}

TextSet TextSet::intersect(const TextSet& other) const {
    TextSet out;
    if (finite && other.finite) {
        out.finite = true;
        std::set_intersection(values.begin(), values.end(), other.values.begin(),
                              other.values.end(), std::inserter(out.values, out.values.end()));
    } else if (finite || other.finite) {
        const TextSet& included = finite ? *this : other;
        const TextSet& excluded = finite ? other : *this;
        out.finite = true;
        for (const std::string& v : included.values) {
            if (!excluded.values.contains(v)) out.values.insert(v);
        }
    } else {
        out.values = values;
        out.values.insert(other.values.begin(), other.values.end());
    }
    return out;
}

ValueKind value_kind(Attr attr) {
    switch (info(attr).type) {
        case Type::Text:
            return ValueKind::Text;
        case Type::Code:
        case Type::Set:
        case Type::Invalid:
            return ValueKind::Opaque;
        default:
            return ValueKind::Number;
    }
}

Domain base_domain(Attr attr) {
    Domain d;
    d.may_be_missing = false;
    Type type = info(attr).type;
    d.numbers.integer = is_integer_type(type);
    if (type == Type::Ects || type == Type::Hours || type == Type::Years || type == Type::Percent ||
        type == Type::Number) {
        d.numbers.lo = 0;
    }
    if (type == Type::Level) {
        d.numbers.lo = 1;
        d.numbers.hi = 8;
    }
    if (type == Type::Bool) {
        d.numbers.lo = 0;
        d.numbers.hi = 1;
    }
    // Applications are refused unless their kinds are known ones, so the universe is finite.
    auto kinds = attr == Attr::CredentialKind  ? credential_kinds()
                 : attr == Attr::ProgrammeKind ? programme_kinds()
                                               : std::span<const std::string_view>{};
    if (!kinds.empty()) {
        d.texts.finite = true;
        for (std::string_view k : kinds) d.texts.values.emplace(k);
    }
    return d;
}

bool is_empty(Attr attr, const Domain& domain) {
    if (domain.may_be_missing) return false;
    if (!domain.may_be_present) return true;
    switch (value_kind(attr)) {
        case ValueKind::Number:
            return domain.numbers.empty();
        case ValueKind::Text:
            return domain.texts.empty();
        case ValueKind::Opaque:
            return false;
    }
    return false;
}

bool Box::empty() const {
    return std::any_of(domains.begin(), domains.end(),
                       [](const auto& entry) { return is_empty(entry.first, entry.second); });
}

Region Region::of(Attr attr, Domain domain) {
    Box box;
    box.domains.emplace(attr, std::move(domain));
    if (box.empty()) return nothing();
    return Region{{std::move(box)}};
}

Region Region::intersect(const Region& other) const {
    std::vector<Box> out;
    for (const Box& a : boxes_) {
        for (const Box& b : other.boxes_) {
            Box box = a;
            for (const auto& [attr, domain] : b.domains) {
                auto [it, inserted] = box.domains.emplace(attr, domain);
                if (inserted) continue;
                Domain& d = it->second;
                d.may_be_missing = d.may_be_missing && domain.may_be_missing;
                d.may_be_present = d.may_be_present && domain.may_be_present;
                d.numbers = d.numbers.intersect(domain.numbers);
                d.texts = d.texts.intersect(domain.texts);
            }
            if (box.empty()) continue;
            out.push_back(std::move(box));
            if (out.size() > max_boxes) return everything();
        }
    }
    return Region{std::move(out)};
}

Region Region::unite(const Region& other) const {
    std::vector<Box> out = boxes_;
    out.insert(out.end(), other.boxes_.begin(), other.boxes_.end());
    if (out.size() > max_boxes) return everything();
    return Region{std::move(out)};
}

}  // namespace mcre::rules::analysis
