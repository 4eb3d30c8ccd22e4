#include "engine/overrides.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "engine/decision_text.hpp"
#include "engine/expression_eval.hpp"

namespace mcre::engine {

namespace {

// "georgia.recency" -> "recency"; a bare name is itself.
std::string bare(const std::string& name) {
    std::size_t dot = name.find('.');
    return dot == std::string::npos ? name : name.substr(dot + 1);
}

// Whether `written` ("recency", or "georgia.recency" for any policy of the `extends`
// chain) denotes the rule, exclusion or exception called `name`.
bool denotes(const std::string& written, const std::string& name, const rules::Policy& policy) {
    if (bare(written) != name) return false;
    std::size_t dot = written.find('.');
    if (dot == std::string::npos) return true;
    const std::string prefix = written.substr(0, dot);
    return prefix == policy.id ||
           std::find(policy.chain.begin(), policy.chain.end(), prefix) != policy.chain.end();
}

// Whether the policy has a rule, exclusion or exception the waiver names.
bool target_exists(const std::string& written, const rules::Policy& policy) {
    return std::any_of(policy.rules.begin(), policy.rules.end(),
                       [&](const rules::Rule& r) { return denotes(written, r.name, policy); }) ||
           std::any_of(policy.exceptions.begin(), policy.exceptions.end(),
                       [&](const rules::Exception& x) { return denotes(written, x.name, policy); });
}

// Whether a reason came from the check the waiver names: the rule, exclusion or exception
// that gave it, or the rule an exception decided instead of. Engine checks (validity,
// duplicate) are not the policy's and cannot be waived.
bool reason_matches(const Reason& r, const std::string& written, const rules::Policy& policy) {
    if (r.where.file.empty()) return false;
    return denotes(written, bare(r.rule), policy) ||
           (!r.instead_of.empty() && denotes(written, bare(r.instead_of), policy));
}

std::string target_of(const Override& o) {
    return o.waive.empty() ? "credential." + o.fact : o.waive;
}

std::string words(Status status) {
    std::string s = status_name(status);
    std::replace(s.begin(), s.end(), '_', ' ');
    return s;
}

// "recognized, 6 ECTS", "not recognized (WORKLOAD)".
std::string outcome_words(const CredentialDecision& cd) {
    if (cd.status == Status::Recognized || cd.status == Status::PartiallyRecognized) {
        return fmt::format("{}, {} ECTS", words(cd.status),
                           rules::format_number(cd.recognized_ects));
    }
    if (cd.primary_code.empty()) return words(cd.status);
    return fmt::format("{} ({})", words(cd.status), cd.primary_code);
}

const CredentialDecision* decided(const Decision& d, const std::string& id) {
    for (const CredentialDecision& cd : d.credentials) {
        if (cd.id == id) return &cd;
    }
    return nullptr;
}

bool waived_by(const CredentialDecision& cd, const std::string& override_id) {
    return std::any_of(cd.passed.begin(), cd.passed.end(),
                       [&](const Reason& r) { return r.override_id == override_id; });
}

// The value a credential states for a settable fact, as text: what a `set` replaced.
std::string stated(const Credential& c, const std::string& fact) {
    auto text = [](const std::optional<std::string>& v) { return v.value_or(""); };
    auto level = [](const std::optional<int>& v) { return v ? std::to_string(*v) : ""; };
    auto flag = [](const std::optional<bool>& v) {
        return v ? std::string(*v ? "true" : "false") : std::string();
    };
    if (fact == "qa") return text(c.qa);
    if (fact == "field") return text(c.field);
    if (fact == "nqf_level") return level(c.nqf_level);
    if (fact == "eqf_level") return level(c.eqf_level);
    if (fact == "programme_accredited") return flag(c.programme_accredited);
    if (fact == "institution_accredited") return flag(c.institution_accredited);
    if (fact == "in_registry") return flag(c.in_registry);
    return "";
}

void set_fact(Credential& c, const Override& o) {
    const std::string& v = o.value;
    if (o.fact == "qa") c.qa = v;
    if (o.fact == "field") c.field = v;
    // The loader checked the values, so these conversions cannot fail.
    if (o.fact == "nqf_level") c.nqf_level = std::stoi(v);
    if (o.fact == "eqf_level") c.eqf_level = std::stoi(v);
    if (o.fact == "programme_accredited") c.programme_accredited = v == "true";
    if (o.fact == "institution_accredited") c.institution_accredited = v == "true";
    if (o.fact == "in_registry") c.in_registry = v == "true";
    c.set_by[o.fact] =
        fmt::format("set by override {}: {}, {}", o.id, o.author, dsl::format_date(o.date));
}

const Credential* find_credential(const Application& app, const std::string& id) {
    for (const Credential& c : app.credentials) {
        if (c.id == id) return &c;
    }
    return nullptr;
}

std::string ban_place(const rules::OverrideBan& ban) {
    std::string where = format_location(ban.where);
    return where.empty() ? ban.origin : where;
}

}  // namespace

const rules::OverrideBan* forbidding_ban(const rules::Policy& policy, const Override& o) {
    for (const rules::OverrideBan& ban : policy.override_bans) {
        if (!o.waive.empty() && !ban.fact && denotes(o.waive, ban.name, policy)) return &ban;
        if (!o.fact.empty() && ban.fact) {
            bool level = o.fact == "nqf_level" || o.fact == "eqf_level";
            if (ban.name == "credential." + o.fact || (level && ban.name == "credential.level")) {
                return &ban;
            }
        }
    }
    return nullptr;
}

std::vector<dsl::Diagnostic> check_overrides(const rules::Policy& policy, const Application& app) {
    std::vector<dsl::Diagnostic> out;
    for (const Override& o : app.overrides) {
        const rules::OverrideBan* ban = forbidding_ban(policy, o);
        if (ban == nullptr) continue;
        dsl::Diagnostic d;
        d.code = "E4013";
        d.span = o.span;
        d.pointer = o.pointer;
        const std::string action = o.waive.empty() ? fmt::format("sets {} of", ban->name)
                                                   : fmt::format("waives {} for", o.waive);
        d.message =
            fmt::format("override {} {} credential {}, which policy {} forbids overriding ({})",
                        o.id, action, o.credential, policy.id, ban->cite);
        d.hint =
            "remove this override: the policy does not leave this to an officer's judgement, so "
            "nothing was decided";
        d.notes.push_back(
            {fmt::format("forbidden by 'forbid override {}' at {}", ban->name, ban_place(*ban)),
             {},
             false});
        out.push_back(std::move(d));
    }
    return out;
}

Application with_facts_set(const rules::Policy& policy, const Application& app) {
    Application out = app;
    for (const Override& o : app.overrides) {
        if (o.fact.empty() || forbidding_ban(policy, o) != nullptr) continue;
        for (Credential& c : out.credentials) {
            if (c.id == o.credential) set_fact(c, o);
        }
    }
    return out;
}

bool waive_if_overridden(Reason& reason, const EvalContext& ctx) {
    if (ctx.credential == nullptr) return false;
    for (const Override& o : ctx.application.overrides) {
        if (o.waive.empty() || o.credential != ctx.credential->id) continue;
        if (!reason_matches(reason, o.waive, ctx.policy)) continue;
        if (forbidding_ban(ctx.policy, o) != nullptr) continue;
        reason.passed = true;
        reason.override_id = o.id;
        reason.override_by = fmt::format("{}, {}", o.author, dsl::format_date(o.date));
        reason.override_reason = o.reason;
        return true;
    }
    return false;
}

std::vector<OverrideRecord> assess_overrides(
    const rules::Policy& policy, const Application& app, const Decision& decision,
    const std::function<Decision(const Application&)>& decide) {
    std::vector<OverrideRecord> out;
    const std::string policy_name = fmt::format("policy {} version {}", policy.id, policy.version);
    for (std::size_t k = 0; k < app.overrides.size(); ++k) {
        const Override& o = app.overrides[k];
        OverrideRecord rec;
        rec.id = o.id;
        rec.credential = o.credential;
        rec.action = o.waive.empty() ? "set" : "waive";
        rec.target = target_of(o);
        rec.value = o.value;
        rec.author = o.author;
        rec.date = dsl::format_date(o.date);
        rec.reason = o.reason;
        auto finish = [&](OverrideStatus status, std::string note) {
            rec.status = status;
            rec.note = std::move(note);
            out.push_back(std::move(rec));
        };

        if (const rules::OverrideBan* ban = forbidding_ban(policy, o)) {
            finish(OverrideStatus::Forbidden,
                   fmt::format("not applied: {} forbids overriding {} ({}), cites: {}", policy_name,
                               ban->name, ban_place(*ban), ban->cite));
            continue;
        }
        const CredentialDecision* cd = decided(decision, o.credential);
        if (cd == nullptr || cd->duplicate_of) {
            finish(OverrideStatus::NotApplicable,
                   cd == nullptr ? fmt::format("the application has no credential {}", o.credential)
                                 : fmt::format("credential {} repeats {} and is not checked",
                                               o.credential, *cd->duplicate_of));
            continue;
        }
        if (!o.waive.empty()) {
            if (!target_exists(o.waive, policy)) {
                finish(OverrideStatus::NotApplicable,
                       fmt::format("{} has no rule, exclusion or exception called {}", policy_name,
                                   bare(o.waive)));
                continue;
            }
            auto touches = [&](const std::vector<Reason>& reasons) {
                return std::any_of(reasons.begin(), reasons.end(), [&](const Reason& r) {
                    return reason_matches(r, o.waive, policy);
                });
            };
            if (!touches(cd->reasons) && !touches(cd->passed)) {
                finish(OverrideStatus::NotApplicable,
                       fmt::format("{} does not apply to credential {} under {}", bare(o.waive),
                                   o.credential, policy_name));
                continue;
            }
        }

        // The general test: decide again without this one override.
        Application without = app;
        without.overrides.erase(without.overrides.begin() + static_cast<std::ptrdiff_t>(k));
        const Decision other = decide(without);
        const CredentialDecision* before = decided(other, o.credential);
        const bool same = before != nullptr && before->status == cd->status &&
                          compare_numbers(before->recognized_ects, cd->recognized_ects) == 0;
        std::string change;
        if (!o.fact.empty()) {
            const Credential* c = find_credential(app, o.credential);
            std::string was = c != nullptr ? stated(*c, o.fact) : "";
            change = fmt::format("credential.{} set to {} (stated: {})", o.fact, o.value,
                                 was.empty() ? "nothing" : was);
        }
        if (same) {
            std::string what;
            if (!o.waive.empty() && !waived_by(*cd, o.id)) {
                what = fmt::format("{} passes for credential {} under {}; ", bare(o.waive),
                                   o.credential, policy_name);
            } else if (!change.empty()) {
                what = change + "; ";
            }
            finish(OverrideStatus::Unnecessary,
                   fmt::format("{}the credential is decided the same without it: {}", what,
                               outcome_words(*cd)));
            continue;
        }
        std::string what = change.empty() ? fmt::format("waived {}", bare(o.waive)) : change;
        finish(OverrideStatus::Applied,
               fmt::format("{}: {} instead of {}", what, outcome_words(*cd),
                           before != nullptr ? outcome_words(*before) : "no decision"));
    }
    return out;
}

}  // namespace mcre::engine
