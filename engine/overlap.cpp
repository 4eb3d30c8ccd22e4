#include "engine/overlap.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "engine/expression_eval.hpp"

namespace mcre::engine {

namespace {

// The outcome codes two credentials share, when they are enough for the policy's overlap
// test: at least its share of the smaller credential's codes (all of them by default).
std::vector<std::string> shared_codes(const rules::OverlapTest& test, const Credential& a,
                                      const Credential& b) {
    if (a.outcome_codes.empty() || b.outcome_codes.empty()) return {};
    std::vector<std::string> x = a.outcome_codes;
    std::vector<std::string> y = b.outcome_codes;
    std::sort(x.begin(), x.end());
    x.erase(std::unique(x.begin(), x.end()), x.end());
    std::sort(y.begin(), y.end());
    y.erase(std::unique(y.begin(), y.end()), y.end());
    std::vector<std::string> shared;
    std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(shared));
    const double smaller = static_cast<double>(std::min(x.size(), y.size()));
    const bool identical = x == y;
    const bool enough = test.cite.empty()
                            ? identical
                            : compare_numbers(100.0 * static_cast<double>(shared.size()) / smaller,
                                              test.percent) >= 0;
    if (!enough || shared.empty()) return {};
    return shared;
}

}  // namespace

// Only credentials that passed their checks are `eligible`: an earlier one the checks
// refused does not stand in the way.
std::optional<Overlap> find_overlap(const rules::Policy& policy, const Application& app,
                                    const std::vector<std::size_t>& eligible, std::size_t index) {
    if (app.credentials[index].outcome_codes.empty()) return std::nullopt;
    for (std::size_t j : eligible) {
        auto shared = shared_codes(policy.overlap, app.credentials[j], app.credentials[index]);
        if (!shared.empty()) return Overlap{&app.credentials[j], std::move(shared)};
    }
    return std::nullopt;
}

void mark_overlap(CredentialDecision& cd, const rules::Policy& policy, const Credential& c,
                  const Overlap& overlap) {
    const Credential& earlier = *overlap.earlier;
    const std::vector<std::string>& shared = overlap.shared;
    Reason r;
    r.rule = "overlap";
    r.code = "OVERLAP";
    r.outcome = rules::Outcome::Reject;
    r.message = fmt::format(
        "covers substantially the same learning outcomes as {}; the learning is credited once",
        earlier.id);
    r.facts = fmt::format("{} of its {} outcome codes are also {}'s: {}", shared.size(),
                          c.outcome_codes.size(), earlier.id, fmt::join(shared, ", "));
    if (policy.overlap.cite.empty()) {
        r.cite = "learning is credited once: identical outcome codes (not a policy clause)";
    } else {
        r.facts += fmt::format(" (the policy's test: at least {} % of the smaller credential's)",
                               rules::format_number(policy.overlap.percent));
        r.cite = policy.overlap.cite;
        r.where = policy.overlap.where;
    }
    cd.status = Status::NotRecognized;
    cd.primary_code = r.code;
    cd.overlap_of = earlier.id;
    cd.reasons.push_back(std::move(r));
}

}  // namespace mcre::engine
