#include "engine/credential_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>

#include "engine/exception_choice.hpp"
#include "engine/expression_eval.hpp"
#include "engine/overrides.hpp"

namespace mcre::engine {

namespace {

using rules::Outcome;
using rules::Rule;

// Where a credential's checks write: a CheckResult's lists, or a decision's own (evaluate
// into a reused Decision keeps their memory).
struct Lists {
    std::vector<Reason>& reasons;
    std::vector<Reason>& passed;
    std::vector<std::string>& would_change;
    SharedTruths* shared = nullptr;
};

// The entries of SharedTruths::state and ::kinds.
enum : std::uint8_t { NotAsked = 0, PerCredential, False, True };

// Entry `part` of rule `index` in SharedTruths::state (0 its `when`, 1 its condition, 2 its
// programme kinds); null when nothing is shared for it.
std::uint8_t* shared_entry(const Lists& out, std::size_t index, std::size_t part) {
    if (out.shared == nullptr) return nullptr;
    const std::size_t slot = index * 3 + part;
    return slot < out.shared->state.size() ? &out.shared->state[slot] : nullptr;
}

// A rule's `when` or condition when the fast path can tell it, shared through `state`
// between an application's credentials when the answer read no fact of a credential.
std::optional<bool> rule_truth(const rules::Expr& expr, std::uint8_t* state,
                               const EvalContext& ctx) {
    if (state == nullptr) return known_truth(expr, ctx);
    switch (*state) {
        case True:
            return true;
        case False:
            return false;
        case PerCredential:
            return known_truth(expr, ctx);
        default:
            break;
    }
    bool read_credential = false;
    std::optional<bool> truth = known_truth(expr, ctx, read_credential);
    if (!truth || read_credential) {
        *state = PerCredential;
    } else {
        *state = *truth ? True : False;
    }
    return truth;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

// Whether a rule's list of kinds holds `kind`, shared through `state` when given.
bool for_kind(const std::vector<std::string>& kinds, const std::string& kind, std::uint8_t* state) {
    if (state != nullptr && *state != NotAsked) return *state == True;
    const bool found = contains(kinds, kind);
    if (state != nullptr) *state = found ? True : False;
    return found;
}

// Rule `index` leaves nothing for any credential of the application (SharedTruths::inert).
void mark_inert(Lists& out, std::size_t index) {
    if (out.shared != nullptr && index < 64) out.shared->inert |= std::uint64_t{1} << index;
}

// Whether the answer `state` points to is shared by the application's credentials.
bool shared_answer(const std::uint8_t* state) {
    return state != nullptr && (*state == True || *state == False);
}

// The kinds' entries of SharedTruths hold for the context's credential from here on.
void share_kind(const EvalContext& ctx, Lists& out) {
    if (out.shared == nullptr || !ctx.credential->kind) return;
    SharedTruths& shared = *out.shared;
    const std::string& kind = *ctx.credential->kind;
    if (shared.kind != nullptr && *shared.kind == kind) return;
    std::fill(shared.kinds.begin(), shared.kinds.end(), NotAsked);
    shared.kind = &kind;
}

constexpr const char* k_validity_cite = "the credential's own validity (not a policy clause)";

// A lean decision of an application without overrides needs only the failure that decides
// each credential. An override's record is decided by finding the check it names
// (engine/overrides.cpp), so with overrides every check is made and kept, with its place.
bool lean_without_overrides(const EvalContext& ctx) {
    return !ctx.explain && ctx.application.overrides.empty();
}

void add_unique(std::vector<std::string>& list, const std::string& item) {
    if (!contains(list, item)) list.push_back(item);
}

// A rule's reason, appended to the credential's reasons and written there: a check's
// reason is built in its place in the list, not moved into it.
Reason& rule_reason(const Rule& rule, const EvalContext& ctx, Lists& out) {
    Reason& r = out.reasons.emplace_back();
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
Reason& unknown(const Rule& rule, const EvalContext& ctx, std::vector<std::string> missing,
                std::string facts, Lists& out) {
    Reason& r = rule_reason(rule, ctx, out);
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

// The exception decides instead of `rule`, which applies to this credential; its reason is
// appended to the credential's reasons.
Reason& apply_exception(const rules::Exception& x, const ExceptionChoice& choice, const Rule& rule,
                        const EvalContext& ctx, Lists& out) {
    Reason& r = out.reasons.emplace_back();
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
// told for want of a fact. The reason is appended to the credential's reasons.
Reason* by_exception(const Rule& rule, const EvalContext& ctx, Lists& out) {
    ExceptionChoice choice = choose_exception(rule.name, ctx);
    if (!choice.missing.empty()) {
        return &unknown(rule, ctx, std::move(choice.missing), std::move(choice.undecided), out);
    }
    if (choice.chosen == nullptr) return nullptr;
    return &apply_exception(*choice.chosen, choice, rule, ctx, out);
}

// The rule is for some kinds of credential or programme, and the application does not say
// which kind it is: the check cannot be made. Apart, so that apply() stays small.
[[gnu::noinline]] Reason& kind_unknown(const Rule& rule, const EvalContext& ctx, Lists& out,
                                       bool programme) {
    if (programme) {
        return unknown(rule, ctx, {std::string(rules::info(rules::Attr::ProgrammeKind).element)},
                       fmt::format("cannot be checked: the application does not state the "
                                   "programme kind, and the rule is only for {}",
                                   kinds_list(rule.programme_kinds)),
                       out);
    }
    return unknown(rule, ctx, {std::string(rules::info(rules::Attr::CredentialKind).element)},
                   fmt::format("cannot be checked: the credential does not state its kind, and "
                               "the rule is only for {}",
                               kinds_list(rule.credential_kinds)),
                   out);
}

// A condition the fast path cannot tell: the general path, which also says what is missing.
[[gnu::noinline]] std::optional<bool> general_truth(const Rule& rule, const rules::Expr& expr,
                                                    const EvalContext& ctx, Lists& out,
                                                    Reason*& unknown_reason) {
    rules::Value v = evaluate_expr(expr, ctx);
    if (v.missing) {
        unknown_reason = &unknown(rule, ctx, missing_elements(expr, ctx),
                                  ctx.explain ? describe(expr, ctx) : "", out);
        return std::nullopt;
    }
    return v.truthy();
}

// Applies rule `index` of the policy (a rule or an exclusion) and appends its reason to the
// credential's reasons, passed or not; null when it does not apply to this credential, or
// when it passed and a lean decision without overrides keeps no passed checks.
Reason* apply(const Rule& rule, std::size_t index, const EvalContext& ctx, Lists& out) {
    const Credential& c = *ctx.credential;
    const Programme& p = ctx.application.programme;
    if (!rule.credential_kinds.empty()) {
        if (!c.kind) return &kind_unknown(rule, ctx, out, false);
        std::uint8_t* shared = out.shared != nullptr && index < out.shared->kinds.size()
                                   ? &out.shared->kinds[index]
                                   : nullptr;
        if (!for_kind(rule.credential_kinds, *c.kind, shared)) return nullptr;
    }
    // What holds for every credential, past a rule for some kinds of credential: a
    // credential that does not state its kind is told so.
    const bool any_credential = rule.credential_kinds.empty();
    if (!rule.programme_kinds.empty()) {
        if (!p.kind) return &kind_unknown(rule, ctx, out, true);
        if (!for_kind(rule.programme_kinds, *p.kind, shared_entry(out, index, 2))) {
            if (any_credential) mark_inert(out, index);
            return nullptr;
        }
    }
    std::uint8_t* when_state = shared_entry(out, index, 0);
    if (rule.when) {
        std::optional<bool> applies = rule_truth(*rule.when, when_state, ctx);
        if (!applies) {
            Reason* missing = nullptr;
            applies = general_truth(rule, *rule.when, ctx, out, missing);
            if (!applies) return missing;
        }
        if (!*applies) {
            if (any_credential && shared_answer(when_state)) mark_inert(out, index);
            return nullptr;
        }
    }
    const bool exceptions = !ctx.policy.exceptions.empty();
    // A rule's exceptions apply wherever the rule does; an exclusion's only where it
    // would exclude.
    if (!rule.exclusion && exceptions) {
        if (Reason* r = by_exception(rule, ctx, out)) return r;
    }
    std::uint8_t* condition_state = shared_entry(out, index, 1);
    std::optional<bool> holds = rule_truth(rule.condition, condition_state, ctx);
    if (!holds) {
        Reason* missing = nullptr;
        holds = general_truth(rule, rule.condition, ctx, out, missing);
        if (!holds) return missing;
    }
    if (rule.exclusion && *holds && exceptions) {
        if (Reason* r = by_exception(rule, ctx, out)) return r;
    }
    // A rule passes when its requirement holds; an exclusion when its condition does not.
    const bool passed = *holds != rule.exclusion;
    if (passed && lean_without_overrides(ctx)) {
        // Passed on what every credential shares, with no exception asked per credential.
        if (any_credential && (!rule.when || shared_answer(when_state)) &&
            shared_answer(condition_state) && (rule.exclusion || !exceptions))
            mark_inert(out, index);
        return nullptr;
    }
    Reason& r = rule_reason(rule, ctx, out);
    if (ctx.explain) r.facts = describe(rule.condition, ctx);
    r.passed = passed;
    return &r;
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
void check_validity(const EvalContext& ctx, Lists& out) {
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
// waives counts as passed (engine/overrides.hpp). The reason is written in place at the end
// of the reasons, and moved to the passed checks when it passed. Returns whether it left a
// reason at the end of the reasons.
bool check(const Rule& rule, std::size_t index, const EvalContext& ctx, Lists& out) {
    Reason* reason = apply(rule, index, ctx, out);
    if (reason == nullptr) return false;
    // Only an application's overrides waive; most have none.
    if (!reason->passed && !ctx.application.overrides.empty()) waive_if_overridden(*reason, ctx);
    if (!reason->passed) return true;
    if (!lean_without_overrides(ctx)) out.passed.push_back(std::move(*reason));
    out.reasons.pop_back();
    return false;
}

// check_all's order for an application's credentials, passing over the rules SharedTruths
// found inert: the rules are bits, taken lowest first, so in policy order.
template <typename Decided>
void check_planned(const EvalContext& ctx, Lists& out, const Decided& decided) {
    const std::vector<Rule>& rules = ctx.policy.rules;
    SharedTruths& shared = *out.shared;
    if (!shared.planned) {
        for (std::size_t i = 0; i < rules.size(); ++i) {
            if (rules[i].exclusion) shared.exclusions |= std::uint64_t{1} << i;
        }
        shared.planned = true;
    }
    const std::uint64_t all =
        rules.size() == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << rules.size()) - 1;
    for (std::uint64_t left = shared.exclusions & ~shared.inert; left != 0; left &= left - 1) {
        const auto i = static_cast<std::size_t>(std::countr_zero(left));
        if (check(rules[i], i, ctx, out) && decided()) return;
    }
    const std::size_t before = out.reasons.size();
    check_validity(ctx, out);
    if (out.reasons.size() != before && decided()) return;
    // Read again: the exclusions may have found more.
    for (std::uint64_t left = all & ~shared.exclusions & ~shared.inert; left != 0;
         left &= left - 1) {
        const auto i = static_cast<std::size_t>(std::countr_zero(left));
        if (check(rules[i], i, ctx, out) && decided()) return;
    }
}

void check_all(const EvalContext& ctx, Lists& out) {
    // A lean decision keeps only what decides: the first failure that is not a warning, in
    // the order below. No later check can change the status or its code, so none is made.
    // Whether it is decided changes only when a check leaves a reason.
    const bool stop_early = lean_without_overrides(ctx);
    auto decided = [&] { return stop_early && out.reasons.back().outcome != Outcome::Warn; };
    share_kind(ctx, out);
    const std::vector<Rule>& rules = ctx.policy.rules;
    if (out.shared != nullptr && rules.size() <= 64) {
        check_planned(ctx, out, decided);
        return;
    }
    for (std::size_t i = 0; i < rules.size(); ++i) {
        if (rules[i].exclusion && check(rules[i], i, ctx, out) && decided()) return;
    }
    const std::size_t before = out.reasons.size();
    check_validity(ctx, out);
    if (out.reasons.size() != before && decided()) return;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        if (!rules[i].exclusion && check(rules[i], i, ctx, out) && decided()) return;
    }
}

}  // namespace

CheckResult check_credential(const EvalContext& ctx) {
    CheckResult result;
    Lists out{result.reasons, result.passed, result.would_change};
    check_all(ctx, out);
    return result;
}

void check_credential(const EvalContext& ctx, std::vector<Reason>& reasons,
                      std::vector<Reason>& passed, std::vector<std::string>& would_change,
                      SharedTruths& shared) {
    Lists out{reasons, passed, would_change, &shared};
    check_all(ctx, out);
}

namespace {

// Whether two ids are the same, compared by hand from the end (where "c1" and "c2" differ)
// rather than through a call to memcmp: ids are a few characters, and every credential's
// is compared with every earlier one's.
bool same_id(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = a.size(); i > 0; --i) {
        if (a[i - 1] != b[i - 1]) return false;
    }
    return true;
}

}  // namespace

std::optional<Duplicate> find_duplicate(const Application& app, std::size_t index) {
    const Credential& c = app.credentials[index];
    const bool fingerprinted = c.awarding_body && c.title && c.learner && c.issued;
    for (std::size_t j = 0; j < index; ++j) {
        const Credential& e = app.credentials[j];
        if (same_id(e.id, c.id)) return Duplicate{j, true};
        // The issue date first: it tells most credentials apart without comparing texts.
        if (fingerprinted && e.issued == c.issued && e.learner == c.learner && e.title == c.title &&
            e.awarding_body == c.awarding_body) {
            return Duplicate{j, false};
        }
    }
    return std::nullopt;
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

const Reason* deciding_failure(const std::vector<Reason>& reasons) {
    for (const Reason& r : reasons) {
        if (!r.passed && r.outcome != Outcome::Warn) return &r;
    }
    return nullptr;
}

std::optional<Verdict> first_failure(const std::vector<Reason>& reasons) {
    if (const Reason* r = deciding_failure(reasons))
        return Verdict{status_for(r->outcome), r->code};
    return std::nullopt;
}

}  // namespace mcre::engine
