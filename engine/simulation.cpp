#include "engine/simulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "engine/decision_text.hpp"
#include "engine/evaluator.hpp"

namespace mcre::engine {

namespace {

// Credit is compared to a hundredth of an ECTS: 0.1 + 0.2 is 0.3 here.
bool same_credit(double a, double b) { return std::fabs(a - b) < 0.005; }

bool changed(const CredentialDecision& a, const CredentialDecision& b) {
    return a.status != b.status || !same_credit(a.recognized_ects, b.recognized_ects);
}

std::string outcome_key(const CredentialDecision& c) {
    return c.primary_code.empty() ? std::string(status_name(c.status)) : c.primary_code;
}

// ISCED-F broad field: the first two digits of the programme's field code.
std::string broad_field(const Application& app) {
    const std::optional<std::string>& field = app.programme.field;
    if (!field || field->size() < 2) return "(not stated)";
    return field->substr(0, 2);
}

std::string kind_of(const Application& app) { return app.programme.kind.value_or("(not stated)"); }

// The decisions a simulation needs: no search for what would change them.
// Lean: only the few applications kept as most changed are explained, and decided again
// for that (keep_if_most_changed).
Decision decide(const rules::Policy& policy, const Application& app) {
    return evaluate(policy, app, EvaluateOptions{false, false});
}

bool more_changed(const ChangedCase& a, const ChangedCase& b) {
    const double da = std::fabs(a.change());
    const double db = std::fabs(b.change());
    if (!same_credit(da, db)) return da > db;
    if (a.credentials_changed != b.credentials_changed)
        return a.credentials_changed > b.credentials_changed;
    return a.application < b.application;
}

}  // namespace

void Tally::merge(const Tally& o) {
    applications += o.applications;
    credentials += o.credentials;
    applications_changed += o.applications_changed;
    credentials_changed += o.credentials_changed;
    applications_gaining += o.applications_gaining;
    applications_losing += o.applications_losing;
    baseline_ects += o.baseline_ects;
    reform_ects += o.reform_ects;
    gained += o.gained;
    lost += o.lost;
}

void Histogram::add(double value) {
    double position = (value - lower) / width;
    std::size_t bin = position <= 0 ? 0 : static_cast<std::size_t>(std::floor(position + 1e-9));
    if (counts.empty()) counts.resize(1);
    bin = std::min(bin, counts.size() - 1);
    ++counts[bin];
}

std::string Histogram::bin_label(std::size_t i) const {
    const double from = lower + static_cast<double>(i) * width;
    if (i == 0 && counts.size() > 1) return fmt::format("< {}", rules::format_number(from + width));
    if (i + 1 == counts.size()) return fmt::format(">= {}", rules::format_number(from));
    return fmt::format("{} to < {}", rules::format_number(from),
                       rules::format_number(from + width));
}

std::string policy_label(const rules::Policy& policy) {
    return fmt::format("{} {}", policy.id, policy.version);
}

// Calls visit(before, after) for the credentials to compare: the application's own by
// position, then those completed stacks yield, by id; a stack only one policy completes is
// compared with a stand-in "not formed". Without stacks nothing is allocated: this runs for
// every application of a cohort.
template <typename Visit>
void for_each_pair(const Application& app, const Decision& before, const Decision& after,
                   Visit visit) {
    const std::size_t own = app.credentials.size();
    for (std::size_t i = 0;
         i < own && i < before.credentials.size() && i < after.credentials.size(); ++i) {
        visit(before.credentials[i], after.credentials[i]);
    }
    if (before.credentials.size() <= own && after.credentials.size() <= own) return;
    auto not_formed = [](const CredentialDecision& other) {
        CredentialDecision cd;
        cd.id = other.id;
        cd.status = Status::NotRecognized;
        cd.primary_code = "NOT_FORMED";
        return cd;
    };
    auto find = [own](const Decision& d, const std::string& id) -> const CredentialDecision* {
        for (std::size_t i = own; i < d.credentials.size(); ++i) {
            if (d.credentials[i].id == id) return &d.credentials[i];
        }
        return nullptr;
    };
    for (std::size_t i = own; i < before.credentials.size(); ++i) {
        const CredentialDecision& b = before.credentials[i];
        if (const CredentialDecision* a = find(after, b.id)) {
            visit(b, *a);
        } else {
            visit(b, not_formed(b));
        }
    }
    for (std::size_t i = own; i < after.credentials.size(); ++i) {
        const CredentialDecision& a = after.credentials[i];
        if (find(before, a.id) == nullptr) visit(not_formed(a), a);
    }
}

// deciding_rule without a copy: the reason's rule, or the code (empty when recognized).
static const std::string& deciding_rule_of(const CredentialDecision& c) {
    if (c.primary_code.empty()) return c.primary_code;
    for (const Reason& r : c.reasons) {
        if (!r.passed && r.code == c.primary_code) return r.rule;
    }
    return c.primary_code;
}

std::string deciding_rule(const CredentialDecision& c) { return deciding_rule_of(c); }

Simulation::Simulation(const rules::Policy& baseline, const rules::Policy& reform,
                       SimulationOptions options)
    : baseline_(baseline), reform_(reform), options_(options) {
    report_.baseline = policy_label(baseline);
    report_.reform = policy_label(reform);
    // Recognized ECTS per application: 0 to 120 in steps of 10, then "120 or more".
    report_.baseline_distribution = Histogram{0, 10, std::vector<std::size_t>(13)};
    report_.reform_distribution = Histogram{0, 10, std::vector<std::size_t>(13)};
    // Change per application: below -30, then steps of 5 up to +30 and above.
    report_.change_distribution = Histogram{-35, 5, std::vector<std::size_t>(15)};
}

void Simulation::add(const Application& app) {
    add(app, decide(baseline_, app), decide(reform_, app));
}

void Simulation::add(const Application& app, const Decision& before, const Decision& after) {
    Tally t;
    t.applications = 1;
    t.credentials = app.credentials.size();
    t.baseline_ects = before.total_recognized;
    t.reform_ects = after.total_recognized;
    const double change = after.total_recognized - before.total_recognized;
    if (!same_credit(change, 0)) {
        (change > 0 ? t.gained : t.lost) += std::fabs(change);
        (change > 0 ? t.applications_gaining : t.applications_losing) = 1;
    }
    for_each_pair(
        app, before, after, [&](const CredentialDecision& b, const CredentialDecision& a) {
            // By reference: copying each rule's name was 5 % of a whole simulation's CPU.
            for (const auto& [c, under_reform] : {std::pair{&b, false}, std::pair{&a, true}}) {
                const std::string& rule = deciding_rule_of(*c);
                if (rule.empty() || c->primary_code == "NOT_FORMED") continue;
                DecidingCounts& counts = report_.deciding[rule];
                if (counts.code != c->primary_code) counts.code = c->primary_code;
                ++(under_reform ? counts.reform : counts.baseline);
            }
            if (!changed(b, a)) return;
            ++t.credentials_changed;
            FlipCell& cell =
                report_
                    .flips[static_cast<std::size_t>(b.status)][static_cast<std::size_t>(a.status)];
            const std::string cause = outcome_key(b) + " -> " + outcome_key(a);
            if (cell.count == 0) cell.witness = FlipWitness{app.id, b.id};
            ++cell.count;
            if (cell.by_cause[cause]++ == 0)
                cell.witness_by_cause[cause] = FlipWitness{app.id, b.id};
        });
    t.applications_changed = t.credentials_changed > 0 || !same_credit(change, 0) ? 1 : 0;

    report_.total.merge(t);
    report_.by_programme_kind[kind_of(app)].merge(t);
    report_.by_field[broad_field(app)].merge(t);
    report_.baseline_distribution.add(before.total_recognized);
    report_.reform_distribution.add(after.total_recognized);
    report_.change_distribution.add(change);
    if (t.applications_changed != 0) {
        ChangedCase c;
        c.application = app.id;
        c.programme_kind = kind_of(app);
        c.baseline_ects = before.total_recognized;
        c.reform_ects = after.total_recognized;
        c.credentials_changed = t.credentials_changed;
        keep_if_most_changed(std::move(c), app);
    }
}

void Simulation::keep_if_most_changed(ChangedCase candidate, const Application& app) {
    std::vector<ChangedCase>& top = report_.most_changed;
    if (options_.most_changed == 0) return;
    if (top.size() == options_.most_changed && !more_changed(candidate, top.back())) return;
    // Only the few kept are explained, so the explanations cost nothing for the rest.
    const EvaluateOptions explained{false, true};
    candidate.baseline_text = render_text(evaluate(baseline_, app, explained));
    candidate.reform_text = render_text(evaluate(reform_, app, explained));
    top.insert(std::upper_bound(top.begin(), top.end(), candidate, more_changed),
               std::move(candidate));
    if (top.size() > options_.most_changed) top.pop_back();
}

void Simulation::add_bad_record(std::size_t line, const std::string& message) {
    ++report_.bad_records;
    if (report_.bad_examples.size() < options_.bad_examples)
        report_.bad_examples.push_back(fmt::format("line {}: {}", line, message));
}

}  // namespace mcre::engine
