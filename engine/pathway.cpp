#include "engine/pathway.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "engine/expression_eval.hpp"
#include "rules/value.hpp"

namespace mcre::engine {

namespace {

// A credential with recognized ECTS, as the placement sees it.
struct Supply {
    std::size_t credential = 0;  // index into the application and the decision
    double ects = 0;             // recognized
};

// Which supplies may cover each unit (in credential order), and how much each supplies.
struct Table {
    std::vector<double> unit_ects;
    std::vector<std::vector<std::size_t>> candidates;  // per unit: indices into `supply`
    std::vector<double> supply_ects;
};

bool fits(double left, double needed) { return compare_numbers(left, needed) >= 0; }

// Covered ECTS first, then covered units.
struct Score {
    double ects = -1;  // below any placement: the first one found is better
    std::size_t units = 0;
};

bool better(const Score& a, const Score& b) {
    int by_ects = compare_numbers(a.ects, b.ects);
    return by_ects > 0 || (by_ects == 0 && a.units > b.units);
}

// Depth-first over the units in the pathway's order, each unit trying its candidates in
// credential order before staying uncovered: placements are met in the order of preference
// among equals, so the first one of the best score is kept. A branch is cut when even
// covering every unit still coverable could not beat the best so far.
class Search {
  public:
    Search(const Table& table, std::size_t limit)
        : table_(table),
          limit_(limit),
          left_(table.supply_ects),
          reach_(left_.size(), 0),
          current_(table.unit_ects.size(), none),
          best_(current_) {}

    static constexpr std::size_t none = static_cast<std::size_t>(-1);

    void run() { visit(0); }
    [[nodiscard]] const std::vector<std::size_t>& best() const { return best_; }
    [[nodiscard]] bool stopped() const { return stopped_; }

  private:
    // What the units from `unit` on could add at most: the units a credential could still
    // cover, and no more ECTS than each credential has left or could place on them.
    [[nodiscard]] Score bound(std::size_t unit) {
        Score add{0, 0};
        std::fill(reach_.begin(), reach_.end(), 0.0);
        for (std::size_t u = unit; u < table_.unit_ects.size(); ++u) {
            bool coverable = false;
            for (std::size_t s : table_.candidates[u]) {
                if (!fits(left_[s], table_.unit_ects[u])) continue;
                reach_[s] += table_.unit_ects[u];
                coverable = true;
            }
            if (!coverable) continue;
            add.ects += table_.unit_ects[u];
            ++add.units;
        }
        double supply = 0;
        for (std::size_t s = 0; s < left_.size(); ++s) supply += std::min(left_[s], reach_[s]);
        return Score{score_.ects + std::min(add.ects, supply), score_.units + add.units};
    }

    void visit(std::size_t unit) {
        if (stopped_) return;
        if (++nodes_ > limit_) {
            stopped_ = true;
            return;
        }
        if (unit == table_.unit_ects.size()) {
            if (better(score_, best_score_)) {
                best_score_ = score_;
                best_ = current_;
            }
            return;
        }
        if (!better(bound(unit), best_score_)) return;
        const double ects = table_.unit_ects[unit];
        for (std::size_t s : table_.candidates[unit]) {
            if (!fits(left_[s], ects)) continue;
            left_[s] -= ects;
            current_[unit] = s;
            score_.ects += ects;
            ++score_.units;
            visit(unit + 1);
            --score_.units;
            score_.ects -= ects;
            current_[unit] = none;
            left_[s] += ects;
        }
        visit(unit + 1);
    }

    const Table& table_;
    std::size_t limit_;
    std::size_t nodes_ = 0;
    bool stopped_ = false;
    std::vector<double> left_;
    std::vector<double> reach_;  // scratch for bound(): ECTS a credential could still place
    std::vector<std::size_t> current_;
    std::vector<std::size_t> best_;
    Score score_{0, 0};
    Score best_score_;
};

bool holds(const rules::Expr& expr, const EvalContext& context) {
    return evaluate_expr(expr, context).truthy();  // a missing fact: does not hold
}

PathwayDecision place(const rules::Policy& policy, const Application& app, const Decision& d,
                      const rules::Pathway& pathway, std::size_t limit) {
    PathwayDecision out;
    out.name = pathway.name;
    out.title = pathway.title;
    out.cite = pathway.cite;
    out.where = pathway.where;

    std::vector<Supply> supply;
    for (std::size_t i = 0; i < app.credentials.size() && i < d.credentials.size(); ++i) {
        if (compare_numbers(d.credentials[i].recognized_ects, 0) > 0)
            supply.push_back(Supply{i, d.credentials[i].recognized_ects});
    }
    Table table;
    for (const Supply& s : supply) table.supply_ects.push_back(s.ects);
    for (const rules::PathwayUnit& unit : pathway.units) {
        table.unit_ects.push_back(unit.ects);
        std::vector<std::size_t>& candidates = table.candidates.emplace_back();
        for (std::size_t s = 0; s < supply.size(); ++s) {
            if (!fits(supply[s].ects, unit.ects)) continue;
            if (holds(unit.when, EvalContext{policy, app, &app.credentials[supply[s].credential]}))
                candidates.push_back(s);
        }
    }

    Search search(table, limit);
    search.run();
    std::vector<double> placed(supply.size(), 0);
    for (std::size_t u = 0; u < pathway.units.size(); ++u) {
        const rules::PathwayUnit& unit = pathway.units[u];
        UnitCoverage coverage{unit.code, unit.title, unit.ects, ""};
        if (std::size_t s = search.best()[u]; s != Search::none) {
            coverage.credential = d.credentials[supply[s].credential].id;
            placed[s] += unit.ects;
            out.covered_ects += unit.ects;
        } else {
            out.remaining_ects += unit.ects;
        }
        out.units.push_back(std::move(coverage));
    }
    for (std::size_t s = 0; s < supply.size(); ++s) {
        double left = supply[s].ects - placed[s];
        if (compare_numbers(left, 0) > 0)
            out.unplaced[d.credentials[supply[s].credential].id] = left;
    }
    if (search.stopped()) {
        out.note = fmt::format(
            "the search for the placement covering the most ECTS stopped after {} steps; this is "
            "the best placement found, not proven the best",
            limit);
    }
    return out;
}

}  // namespace

std::vector<PathwayDecision> place_on_pathways(const rules::Policy& policy,
                                               const Application& application,
                                               const Decision& decision) {
    return place_on_pathways(policy, application, decision, placement_search_limit);
}

std::vector<PathwayDecision> place_on_pathways(const rules::Policy& policy,
                                               const Application& application,
                                               const Decision& decision, std::size_t search_limit) {
    std::vector<PathwayDecision> out;
    for (const rules::Pathway& pathway : policy.pathways) {
        if (pathway.applies && !holds(*pathway.applies, EvalContext{policy, application, nullptr}))
            continue;
        out.push_back(place(policy, application, decision, pathway, search_limit));
    }
    return out;
}

}  // namespace mcre::engine
