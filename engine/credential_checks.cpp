#include "engine/credential_checks.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "engine/exception_choice.hpp"
#include "engine/expression_eval.hpp"
#include "engine/overrides.hpp"

namespace mcre::engine {

namespace {

using rules::Outcome;
using rules::Rule;

constexpr const char* k_validity_cite = "the credential's own validity (not a policy clause)";

// A lean decision of an application without overrides needs only the failure that decides
// each credential. An override's record is decided by finding the check it names
// (engine/overrides.cpp), so with overrides every check is made and kept, with its place.
bool lean_without_overrides(const EvalContext& ctx) {
    return !ctx.explain && ctx.application.overrides.empty();
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

void add_unique(std::vector<std::string>& list, const std::string& item) {
    if (!contains(list, item)) list.push_back(item);
}

Reason rule_reason(const Rule& rule, const EvalContext& ctx) {
    Reason r;
    // Concatenated, not formatted: this runs for every failing check of every credential.
    const std::string& origin = rule.origin.empty() ? ctx.policy.id : rule.origin;
    r.rule.reserve(origin.size() + 1 + rule.name.size());
    r.rule.append(origin).append(1, '.').append(rule.name);
    r.code = rule.code;
    r.outcome = rule.outcome;
    if (!lean_without_overrides(ctx)) r.where = rule.where;
    if (!ctx.explain) return r;
    r.message = render_message(rule.message, ctx);
    r.cite = rule.cite;
    return r;
}

// A check that cannot be made for want of a fact. It makes the credential incomplete, except
// for a warning, which never decides a status and so cannot hold one up either.
Reason unknown(const Rule& rule, const EvalContext& ctx, std::vector<std::string> missing,
               std::string facts, CheckResult& out) {
    Reason r = rule_reason(rule, ctx);
    if (rule.outcome != Outcome::Warn) r.outcome = Outcome::Incomplete;
    r.missing = std::move(missing);
    r.facts = std::move(facts);
    if (r.outcome != Outcome::Warn) {
        for (const std::string& element : r.missing)
            add_unique(out.would_change, "supply the " + element);
    }
    return r;
}

std::string kinds_list(const std::vector<std::string>& kinds) {
    return fmt::format("{}", fmt::join(kinds, ", "));
}

std::string qualified(const std::string& origin, const std::string& name, const EvalContext& ctx) {
    return fmt::format("{}.{}", origin.empty() ? ctx.policy.id : origin, name);
}

// The exception decides instead of `rule`, which applies to this credential.
Reason apply_exception(const rules::Exception& x, const ExceptionChoice& choice, const Rule& rule,
                       const EvalContext& ctx, CheckResult& out) {
    Reason r;
    r.rule = qualified(x.origin, x.name, ctx);
    r.cite = x.cite;
    r.where = x.where;
    r.instead_of = qualified(rule.origin, rule.name, ctx);
    r.because = choice.because;
    r.prevailed_over = choice.prevailed_over;
    r.facts = choice.because;
    switch (x.effect) {
        case rules::ExceptionEffect::Exempt:
        case rules::ExceptionEffect::Limit:  // refused by the checker for rules
            r.code = rule.code;
            r.outcome = rule.outcome;
            r.passed = true;
            r.message = fmt::format("{} does not apply: exception {} exempts this credential",
                                    rule.name, x.name);
            return r;
        case rules::ExceptionEffect::Then:
            r.code = x.code;
            r.outcome = x.outcome;
            r.message = render_message(x.message, ctx);
            return r;
        case rules::ExceptionEffect::Require:
            break;
    }
    r.code = x.code;
    r.outcome = x.outcome;
    r.message = render_message(x.message, ctx);
    rules::Value v = evaluate_expr(x.expr, ctx);
    r.facts = describe(x.expr, ctx);
    if (v.missing) {
        if (r.outcome != Outcome::Warn) r.outcome = Outcome::Incomplete;
        r.missing = missing_elements(x.expr, ctx);
        if (r.outcome != Outcome::Warn) {
            for (const std::string& element : r.missing)
                add_unique(out.would_change, "supply the " + element);
        }
        return r;
    }
    r.passed = v.truthy();
    if (r.passed) {
        r.message = fmt::format("{} is replaced here by exception {}, whose requirement holds",
                                rule.name, x.name);
    }
    return r;
}

// The exception that decides instead of `rule` here, if any; a reason when that cannot be
// told for want of a fact.
std::optional<Reason> by_exception(const Rule& rule, const EvalContext& ctx, CheckResult& out) {
    if (ctx.policy.exceptions.empty()) return std::nullopt;
    ExceptionChoice choice = choose_exception(rule.name, ctx);
    if (!choice.missing.empty()) {
        return unknown(rule, ctx, std::move(choice.missing), std::move(choice.undecided), out);
    }
    if (choice.chosen == nullptr) return std::nullopt;
    return apply_exception(*choice.chosen, choice, rule, ctx, out);
}

// Applies one rule or exclusion; nothing when it does not apply to this credential.
std::optional<Reason> apply(const Rule& rule, const EvalContext& ctx, CheckResult& out) {
    const Credential& c = *ctx.credential;
    const Programme& p = ctx.application.programme;
    if (!rule.credential_kinds.empty()) {
        if (!c.kind) {
            return unknown(
                rule, ctx, {std::string(rules::info(rules::Attr::CredentialKind).element)},
                fmt::format("cannot be checked: the credential does not state its kind, and the "
                            "rule is only for {}",
                            kinds_list(rule.credential_kinds)),
                out);
        }
        if (!contains(rule.credential_kinds, *c.kind)) return std::nullopt;
    }
    if (!rule.programme_kinds.empty()) {
        if (!p.kind) {
            return unknown(
                rule, ctx, {std::string(rules::info(rules::Attr::ProgrammeKind).element)},
                fmt::format("cannot be checked: the application does not state the programme "
                            "kind, and the rule is only for {}",
                            kinds_list(rule.programme_kinds)),
                out);
        }
        if (!contains(rule.programme_kinds, *p.kind)) return std::nullopt;
    }
    if (rule.when) {
        std::optional<bool> applies = known_truth(*rule.when, ctx);
        if (!applies) {
            rules::Value v = evaluate_expr(*rule.when, ctx);
            if (v.missing) {
                return unknown(rule, ctx, missing_elements(*rule.when, ctx),
                               ctx.explain ? describe(*rule.when, ctx) : "", out);
            }
            applies = v.truthy();
        }
        if (!*applies) return std::nullopt;
    }
    // A rule's exceptions apply wherever the rule does; an exclusion's only where it
    // would exclude.
    if (!rule.exclusion) {
        if (auto r = by_exception(rule, ctx, out)) return r;
    }
    std::optional<bool> holds = known_truth(rule.condition, ctx);
    if (!holds) {
        rules::Value v = evaluate_expr(rule.condition, ctx);
        if (v.missing) {
            return unknown(rule, ctx, missing_elements(rule.condition, ctx),
                           ctx.explain ? describe(rule.condition, ctx) : "", out);
        }
        holds = v.truthy();
    }
    if (rule.exclusion && *holds) {
        if (auto r = by_exception(rule, ctx, out)) return r;
    }
    // A rule passes when its requirement holds; an exclusion when its condition does not.
    const bool passed = *holds != rule.exclusion;
    if (passed && lean_without_overrides(ctx)) return std::nullopt;
    Reason r = rule_reason(rule, ctx);
    if (ctx.explain) r.facts = describe(rule.condition, ctx);
    r.passed = passed;
    return r;
}

Reason validity(const char* code, std::string message, std::string facts) {
    Reason r;
    r.rule = "validity";
    r.code = code;
    r.outcome = Outcome::Reject;
    r.message = std::move(message);
    r.facts = std::move(facts);
    r.cite = k_validity_cite;
    return r;
}

// Facts about the credential itself, whatever the policy says: a revoked, expired, future
// or someone else's credential proves nothing for this applicant.
void check_validity(const EvalContext& ctx, CheckResult& out) {
    const Credential& c = *ctx.credential;
    const Application& app = ctx.application;
    // Formatted only for a failure's words: most credentials are valid.
    auto applied = [&app] { return dsl::format_date(app.date); };
    std::vector<std::string> held;
    std::size_t before = out.reasons.size();
    if (c.revoked) {
        out.reasons.push_back(validity("REVOKED", "the issuer has revoked this credential",
                                       "credential.revoked is yes"));
    } else if (ctx.explain) {
        held.emplace_back("not revoked");
    }
    if (c.expires && *c.expires < app.date) {
        const std::string expired = dsl::format_date(*c.expires);
        out.reasons.push_back(
            validity("EXPIRED_CREDENTIAL",
                     fmt::format("the credential expired on {}, before the application date {}",
                                 expired, applied()),
                     fmt::format("credential.expires is {}, before application.date {}", expired,
                                 applied())));
    } else if (c.expires && ctx.explain) {
        held.push_back(fmt::format("valid until {}", dsl::format_date(*c.expires)));
    }
    if (c.issued && *c.issued > app.date) {
        const std::string issued = dsl::format_date(*c.issued);
        out.reasons.push_back(validity(
            "ISSUED_AFTER_APPLICATION",
            fmt::format("the credential was issued on {}, after the application date {}", issued,
                        applied()),
            fmt::format("credential.issued is {}, after application.date {}", issued, applied())));
        add_unique(out.would_change, fmt::format("an application dated on or after {}", issued));
    } else if (c.issued && ctx.explain) {
        held.push_back(
            fmt::format("issued {}, before the application", dsl::format_date(*c.issued)));
    }
    if (c.learner && *c.learner != app.learner_id) {
        out.reasons.push_back(
            validity("OTHER_LEARNER",
                     fmt::format("the credential was issued to {}, not to the applicant {}",
                                 *c.learner, app.learner_id),
                     fmt::format("credential.learner is {}, not application.learner {}", *c.learner,
                                 app.learner_id)));
    } else if (c.learner && ctx.explain) {
        held.emplace_back("issued to the applicant");
    }
    if (out.reasons.size() == before && ctx.explain) {
        Reason r = validity("VALIDITY", "the credential is valid",
                            fmt::format("{}", fmt::join(held, "; ")));
        r.passed = true;
        out.passed.push_back(std::move(r));
    }
}

// Applies one check and records its reason; a failed check that an officer's override
// waives counts as passed (engine/overrides.hpp). The reason is moved once, into its list.
void check(const Rule& rule, const EvalContext& ctx, CheckResult& out) {
    std::optional<Reason> reason = apply(rule, ctx, out);
    if (!reason) return;
    if (!reason->passed) waive_if_overridden(*reason, ctx);
    if (reason->passed && lean_without_overrides(ctx)) return;
    if (reason->passed) {
        out.passed.push_back(std::move(*reason));
    } else {
        out.reasons.push_back(std::move(*reason));
    }
}

Status status_for(Outcome outcome) {
    switch (outcome) {
        case Outcome::Refer:
            return Status::Referred;
        case Outcome::Incomplete:
            return Status::Incomplete;
        case Outcome::NotApplicable:
            return Status::NotApplicable;
        case Outcome::Reject:
        case Outcome::Warn:
            break;
    }
    return Status::NotRecognized;
}

}  // namespace

CheckResult check_credential(const EvalContext& ctx) {
    CheckResult out;
    // A lean decision keeps only what decides: the first failure that is not a warning, in
    // the order below. No later check can change the status or its code, so none is made.
    const bool stop_early = lean_without_overrides(ctx);
    auto decided = [&] {
        return stop_early && !out.reasons.empty() && out.reasons.back().outcome != Outcome::Warn;
    };
    for (const Rule& rule : ctx.policy.rules) {
        if (rule.exclusion) check(rule, ctx, out);
        if (decided()) return out;
    }
    check_validity(ctx, out);
    for (const Rule& rule : ctx.policy.rules) {
        if (decided()) return out;
        if (!rule.exclusion) check(rule, ctx, out);
    }
    return out;
}

std::optional<Duplicate> find_duplicate(const Application& app, std::size_t index) {
    const Credential& c = app.credentials[index];
    const bool fingerprinted = c.awarding_body && c.title && c.learner && c.issued;
    for (std::size_t j = 0; j < index; ++j) {
        const Credential& e = app.credentials[j];
        if (e.id == c.id) return Duplicate{j, true};
        if (fingerprinted && e.awarding_body == c.awarding_body && e.title == c.title &&
            e.learner == c.learner && e.issued == c.issued) {
            return Duplicate{j, false};
        }
    }
    return std::nullopt;
}

std::optional<Verdict> first_failure(const std::vector<Reason>& reasons) {
    for (const Reason& r : reasons) {
        if (!r.passed && r.outcome != Outcome::Warn) return Verdict{status_for(r.outcome), r.code};
    }
    return std::nullopt;
}

}  // namespace mcre::engine
