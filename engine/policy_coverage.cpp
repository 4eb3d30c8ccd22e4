#include "engine/policy_coverage.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "engine/expression_eval.hpp"
#include "engine/facts.hpp"
#include "rules/value.hpp"

namespace mcre::engine {

namespace {

using rules::Expr;
using rules::Op;

// A rule, exclusion or exception seen the same way: its name as decisions give it, where
// it applies, and the conditions whose comparisons are thresholds.
struct CheckView {
    std::string kind;
    std::string name;
    const std::vector<std::string>* credential_kinds = nullptr;
    const std::vector<std::string>* programme_kinds = nullptr;
    const Expr* when = nullptr;
    const Expr* condition = nullptr;  // null for an exception without a requirement
    bool two_sided = true;            // it can both pass and fail
    // For an exception: the rule, exclusion or cap it qualifies, as decisions name it; its
    // `when` is read on the credentials that one reaches.
    std::string root;
    bool limit = false;  // an exception's own limit for a cap: measured as a cap
};

std::string qualified(const rules::Policy& policy, const std::string& origin,
                      const std::string& name) {
    return fmt::format("{}.{}", origin.empty() ? policy.id : origin, name);
}

std::string root_name(const rules::Policy& policy, const rules::Exception& x) {
    for (const rules::Rule& r : policy.rules) {
        if (r.name == x.root) return qualified(policy, r.origin, r.name);
    }
    for (const rules::Cap& c : policy.caps) {
        if (c.name == x.root) return qualified(policy, c.origin, c.name);
    }
    return qualified(policy, "", x.root);
}

std::vector<CheckView> checks_of(const rules::Policy& policy) {
    std::vector<CheckView> views;
    for (const rules::Rule& r : policy.rules) {
        views.push_back({r.exclusion ? "exclude" : "rule", qualified(policy, r.origin, r.name),
                         &r.credential_kinds, &r.programme_kinds, r.when ? &*r.when : nullptr,
                         &r.condition, true, "", false});
    }
    for (const rules::Exception& x : policy.exceptions) {
        // `require` can pass or fail; `then` always decides against, `exempt` always for;
        // a limit is charged and binds like a cap.
        const bool require = x.effect == rules::ExceptionEffect::Require;
        views.push_back({"exception", qualified(policy, x.origin, x.name), &x.credential_kinds,
                         &x.programme_kinds, x.when ? &*x.when : nullptr,
                         require ? &x.expr : nullptr, require, root_name(policy, x),
                         x.effect == rules::ExceptionEffect::Limit});
    }
    return views;
}

bool of_application(rules::Attr a) {
    return a == rules::Attr::ApplicationId || a == rules::Attr::ApplicationDate ||
           a == rules::Attr::ApplicationJurisdiction || a == rules::Attr::ApplicationLearner;
}

// Whether the expression reads a fact of the credential or the programme. The facts of the
// application as a whole (its date) may sit on the edge's side: `credential.issued >=
// application.date - recency` has its edge five years before each application.
bool reads_facts(const Expr& e) {
    if (e.op == Op::Attribute) return !of_application(e.attribute);
    return std::any_of(e.args.begin(), e.args.end(), [](const Expr& a) { return reads_facts(a); });
}

bool numeric(rules::Type t) {
    return t != rules::Type::Text && t != rules::Type::Code && t != rules::Type::Set &&
           t != rules::Type::Bool && t != rules::Type::Invalid;
}

// One comparison of a fact with an edge: `value op edge`.
struct Site {
    std::size_t check = 0;  // index into the CheckViews
    bool in_when = false;
    const Expr* value = nullptr;
    const Expr* edge = nullptr;
    Op op = Op::Le;
    ThresholdCoverage coverage;
};

void collect(const Expr& e, std::size_t check, bool in_when, const std::string& name,
             std::vector<Site>& out) {
    auto add = [&](const Expr& value, Op op, const Expr& edge) {
        if (!reads_facts(value) || reads_facts(edge) || !numeric(value.type)) return;
        Site site{check, in_when, &value, &edge, op, {}};
        site.coverage.check = name;
        site.coverage.text =
            fmt::format("{} {} {}", expression_text(value), infix_text(op), expression_text(edge));
        out.push_back(std::move(site));
    };
    switch (e.op) {
        case Op::Lt:
        case Op::Le:
        case Op::Gt:
        case Op::Ge:
            if (reads_facts(e.args[0])) {
                add(e.args[0], e.op, e.args[1]);
            } else {
                add(e.args[1], rules::mirrored(e.op), e.args[0]);
            }
            return;
        case Op::Between:
            add(e.args[0], Op::Ge, e.args[1]);
            add(e.args[0], Op::Le, e.args[2]);
            return;
        default:
            break;
    }
    for (const Expr& arg : e.args) collect(arg, check, in_when, name, out);
}

std::vector<Site> sites_of(const std::vector<CheckView>& checks) {
    std::vector<Site> sites;
    for (std::size_t i = 0; i < checks.size(); ++i) {
        if (checks[i].when) collect(*checks[i].when, i, true, checks[i].name, sites);
        if (checks[i].condition) collect(*checks[i].condition, i, false, checks[i].name, sites);
    }
    return sites;
}

bool listed(const std::vector<std::string>* kinds, const std::optional<std::string>& kind) {
    if (kinds == nullptr || kinds->empty()) return true;
    return kind && std::find(kinds->begin(), kinds->end(), *kind) != kinds->end();
}

// Whether the decision shows the check was made on the credential.
bool checked(const CredentialDecision& cd, const std::string& name) {
    auto named = [&](const Reason& r) { return r.rule == name || r.instead_of == name; };
    return std::any_of(cd.passed.begin(), cd.passed.end(), named) ||
           std::any_of(cd.reasons.begin(), cd.reasons.end(), named);
}

// Whether the credential reached the cap or rule called `qualified_name` (`name` alone in
// cap charges).
bool reached(const CredentialDecision& cd, const std::string& qualified_name) {
    if (checked(cd, qualified_name)) return true;
    std::string name = qualified_name.substr(qualified_name.find('.') + 1);
    return std::any_of(cd.caps.begin(), cd.caps.end(),
                       [&](const CapCharge& c) { return c.cap == name; });
}

void measure(Site& site, const CheckView& check, const rules::Policy& policy,
             const Application& app, const Credential& c, const CredentialDecision& cd) {
    if (cd.duplicate_of) return;
    if (site.in_when) {
        // The `when` is read on every credential the check's scope covers; an exception's,
        // on those that reach what it qualifies.
        if (!listed(check.credential_kinds, c.kind) ||
            !listed(check.programme_kinds, app.programme.kind)) {
            return;
        }
        if (!check.root.empty() && !reached(cd, check.root) && !checked(cd, check.name)) return;
    } else if (!checked(cd, check.name)) {
        return;
    }
    const EvalContext ctx{policy, app, &c};
    rules::Value value = evaluate_expr(*site.value, ctx);
    rules::Value edge = evaluate_expr(*site.edge, ctx);
    if (value.missing || edge.missing) return;
    ThresholdCoverage& t = site.coverage;
    std::string edge_text = rules::format_value(edge);
    if (t.edge.empty()) t.edge = edge_text;
    t.edge_varies = t.edge_varies || edge_text != t.edge;
    const int c_ = compare_numbers(value.number, edge.number);
    (c_ < 0 ? t.below : c_ == 0 ? t.at : t.above) += 1;
    bool holds = false;
    switch (site.op) {
        case Op::Lt:
            holds = c_ < 0;
            break;
        case Op::Le:
            holds = c_ <= 0;
            break;
        case Op::Gt:
            holds = c_ > 0;
            break;
        default:
            holds = c_ >= 0;
            break;
    }
    (holds ? t.held : t.failed) = true;
}

// " (30 ECTS)", or the first value and that others were met (dated values, dates).
std::string edge_note(const ThresholdCoverage& t) {
    if (t.edge.empty()) return "";
    return fmt::format(" ({}{})", t.edge, t.edge_varies ? " and others" : "");
}

std::string count(int n) { return n == 0 ? "-" : std::to_string(n); }

std::string percent(int covered, int total) {
    if (total == 0) return "nothing to cover";
    return fmt::format("{} of {} items ({} %)", covered, total, covered * 100 / total);
}

}  // namespace

int PolicyCoverage::covered() const {
    int n = 0;
    for (const CheckCoverage& c : checks) {
        n += c.two_sided ? (c.passed > 0) + (c.failed > 0) : (c.passed + c.failed > 0);
    }
    for (const CapCoverage& c : caps) n += (c.charged > 0) + (c.bound > 0);
    for (const ThresholdCoverage& t : thresholds) n += (t.held && t.failed) + (t.at > 0);
    return n;
}

int PolicyCoverage::total() const {
    int n = static_cast<int>(2 * (caps.size() + thresholds.size()));
    for (const CheckCoverage& c : checks) n += c.two_sided ? 2 : 1;
    return n;
}

std::vector<ThresholdCoverage> thresholds_of(const rules::Policy& policy) {
    std::vector<ThresholdCoverage> out;
    for (Site& site : sites_of(checks_of(policy))) out.push_back(std::move(site.coverage));
    return out;
}

PolicyCoverage measure_coverage(const rules::Policy& policy,
                                const std::vector<TestResult>& results) {
    PolicyCoverage out;
    out.policy = policy.id;
    out.file = policy.file;
    std::vector<CheckView> checks = checks_of(policy);
    std::vector<Site> sites = sites_of(checks);
    std::map<std::string, std::size_t> check_index;
    // Caps, and exceptions' limits that stand in for them, by the name charges give them.
    struct CapSite {
        std::string name;  // as charges give it: the cap's or exception's own name
        std::string qualified;
        std::string code;  // the reason code it gives when it cuts
    };
    std::vector<CapSite> cap_sites;
    for (const rules::Cap& cap : policy.caps) {
        cap_sites.push_back({cap.name, qualified(policy, cap.origin, cap.name), cap.reason_code()});
        out.caps.push_back({"cap", cap_sites.back().qualified, 0, 0});
    }
    for (const CheckView& c : checks) {
        if (c.limit) {
            std::string name = c.name.substr(c.name.find('.') + 1);
            cap_sites.push_back({name, c.name, rules::cap_code(name)});
            out.caps.push_back({"exception", c.name, 0, 0});
            continue;
        }
        check_index.emplace(c.name, out.checks.size());
        out.checks.push_back({c.kind, c.name, 0, 0, c.two_sided});
    }

    for (const TestResult& r : results) {
        if (!r.decision || !r.application) continue;
        ++out.tests;
        const Decision& d = *r.decision;
        const Application& app = *r.application;
        for (std::size_t i = 0; i < d.credentials.size() && i < app.credentials.size(); ++i) {
            const CredentialDecision& cd = d.credentials[i];
            ++out.credentials;
            for (const Reason& reason : cd.passed) {
                if (auto it = check_index.find(reason.rule); it != check_index.end()) {
                    ++out.checks[it->second].passed;
                }
            }
            for (const Reason& reason : cd.reasons) {
                // A check that could not be made for want of a fact neither passed nor failed.
                if (!reason.missing.empty()) continue;
                if (auto it = check_index.find(reason.rule); it != check_index.end()) {
                    ++out.checks[it->second].failed;
                }
            }
            for (std::size_t k = 0; k < cap_sites.size(); ++k) {
                const CapSite& cap = cap_sites[k];
                const std::string& code = cap.code;
                out.caps[k].charged += static_cast<int>(
                    std::count_if(cd.caps.begin(), cd.caps.end(),
                                  [&](const CapCharge& charge) { return charge.cap == cap.name; }));
                bool bound =
                    std::any_of(cd.reasons.begin(), cd.reasons.end(), [&](const Reason& x) {
                        return x.rule == cap.qualified && x.code == code && x.missing.empty() &&
                               x.outcome != rules::Outcome::Incomplete;
                    });
                if (bound) ++out.caps[k].bound;
            }
            for (Site& site : sites) {
                measure(site, checks[site.check], policy, app, app.credentials[i], cd);
            }
        }
    }
    for (Site& site : sites) out.thresholds.push_back(std::move(site.coverage));
    return out;
}

std::string render_coverage(const PolicyCoverage& c) {
    std::string out =
        fmt::format("coverage of policy {} ({}) by {} test{}, {} credential{}\n", c.policy, c.file,
                    c.tests, c.tests == 1 ? "" : "s", c.credentials, c.credentials == 1 ? "" : "s");
    std::size_t width = 0;
    for (const CheckCoverage& x : c.checks)
        width = std::max(width, x.kind.size() + 1 + x.name.size());
    for (const CapCoverage& x : c.caps) width = std::max(width, x.kind.size() + 1 + x.name.size());
    width = std::max<std::size_t>(width, 24);

    int checks_done = 0;
    int checks_total = 0;
    out += fmt::format("\n  {:<{}}  {:>7}  {:>7}\n", "checks", width, "passed", "failed");
    for (const CheckCoverage& x : c.checks) {
        std::string gap;
        if (x.passed == 0 && x.failed == 0) {
            gap = x.two_sided ? "never checked" : "never applied";
        } else if (x.two_sided && x.passed == 0) {
            gap = "never passed";
        } else if (x.two_sided && x.failed == 0) {
            gap = "never failed";
        }
        checks_done +=
            x.two_sided ? (x.passed > 0) + (x.failed > 0) : (x.passed + x.failed > 0 ? 1 : 0);
        checks_total += x.two_sided ? 2 : 1;
        std::string line = fmt::format("  {:<{}}  {:>7}  {:>7}", x.kind + " " + x.name, width,
                                       count(x.passed), count(x.failed));
        if (!gap.empty()) line += "  " + gap;
        out += line + "\n";
    }

    int caps_done = 0;
    if (!c.caps.empty()) {
        out += fmt::format("\n  {:<{}}  {:>7}  {:>7}\n", "caps", width, "charged", "bound");
        for (const CapCoverage& x : c.caps) {
            std::string gap = x.charged == 0 ? "never charged" : x.bound == 0 ? "never bound" : "";
            caps_done += (x.charged > 0) + (x.bound > 0);
            std::string line = fmt::format("  {:<{}}  {:>7}  {:>7}", x.kind + " " + x.name, width,
                                           count(x.charged), count(x.bound));
            if (!gap.empty()) line += "  " + gap;
            out += line + "\n";
        }
    }

    int thresholds_done = 0;
    if (!c.thresholds.empty()) {
        std::size_t twidth = 10;
        for (const ThresholdCoverage& t : c.thresholds) {
            std::string edge = edge_note(t);
            twidth = std::max(twidth, t.check.size() + 2 + t.text.size() + edge.size());
        }
        out += fmt::format("\n  {:<{}}  {:>5}  {:>5}  {:>5}\n", "thresholds", twidth, "below", "at",
                           "above");
        for (const ThresholdCoverage& t : c.thresholds) {
            std::string edge = edge_note(t);
            std::vector<std::string> gaps;
            if (!(t.held && t.failed)) gaps.emplace_back("one side only");
            if (t.at == 0) gaps.emplace_back("never at the edge");
            if (t.below + t.at + t.above == 0) gaps = {"never tested"};
            thresholds_done += (t.held && t.failed) + (t.at > 0);
            std::string line =
                fmt::format("  {:<{}}  {:>5}  {:>5}  {:>5}", t.check + "  " + t.text + edge, twidth,
                            count(t.below), count(t.at), count(t.above));
            if (!gaps.empty()) line += fmt::format("  {}", fmt::join(gaps, ", "));
            out += line + "\n";
        }
    }

    out += fmt::format(
        "\n  coverage of {}: {}; checks {}/{} (passed and failed), caps {}/{} (charged and "
        "bound), thresholds {}/{} (both sides and at the edge)\n",
        c.policy, percent(c.covered(), c.total()), checks_done, checks_total, caps_done,
        2 * c.caps.size(), thresholds_done, 2 * c.thresholds.size());
    return out;
}

std::string render_coverage_total(const std::vector<PolicyCoverage>& coverages) {
    int covered = 0;
    int total = 0;
    for (const PolicyCoverage& c : coverages) {
        covered += c.covered();
        total += c.total();
    }
    return fmt::format("coverage of {} polic{}: {}\n", coverages.size(),
                       coverages.size() == 1 ? "y" : "ies", percent(covered, total));
}

}  // namespace mcre::engine
