#include "engine/witness_space.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "engine/application_yaml.hpp"
#include "engine/evaluator.hpp"
#include "engine/expression_eval.hpp"
#include "rules/schema.hpp"

namespace mcre::engine {

namespace {

using rules::Attr;
using rules::Expr;
using rules::Op;
using rules::Type;
using rules::Value;

// The constants one attribute is compared with, before neighbours are added.
struct Probes {
    std::vector<Value> values;
    bool outside = false;  // a text or code that no set of the policies holds
};
using Boundaries = std::map<Attr, Probes>;

// One fact of a candidate: a value, or nothing (the application leaves the fact out).
struct Setting {
    Attr attr = Attr::CredentialId;
    std::optional<Value> value;
};

// The attribute a comparison is about, and the factor from the compared constant to the
// attribute's own unit: `ects(credential.hours) >= 3 ects` is about 75 hours at 25 per ECTS.
struct Subject {
    Attr attr = Attr::CredentialId;
    double scale = 1;
};

std::optional<Subject> subject_of(const Expr& e, const rules::Policy& policy) {
    if (e.op == Op::Attribute) return Subject{e.attribute, 1};
    if (e.op == Op::ToEcts && e.args.size() == 1 && e.args[0].op == Op::Attribute &&
        policy.conversion.hours_per_ects > 0) {
        return Subject{e.args[0].attribute, policy.conversion.hours_per_ects};
    }
    return std::nullopt;
}

void record(const Expr& subject, const Expr& other, const EvalContext& context, Boundaries& out) {
    std::optional<Subject> s = subject_of(subject, context.policy);
    if (!s) return;
    Probes& probes = out[s->attr];
    Value v = evaluate_expr(other, context);
    if (v.missing) return;
    auto add = [&](Value item) {
        if (s->scale != 1)
            item = Value::of_number(rules::info(s->attr).type, item.number * s->scale);
        probes.values.push_back(std::move(item));
    };
    if (v.type == Type::Set) {
        for (const Value& item : v.items) add(item);
        probes.outside = true;
    } else {
        add(v);
    }
}

// Every constant an attribute is compared with, however deep in `and`/`or`/`not`. The other
// side is evaluated on the typical application, so relative bounds ("application.date -
// recency") become the date they stand for there.
void collect(const Expr& e, const EvalContext& context, Boundaries& out) {
    switch (e.op) {
        case Op::Eq:
        case Op::Ne:
        case Op::Lt:
        case Op::Le:
        case Op::Gt:
        case Op::Ge:
            if (e.args.size() == 2) {
                record(e.args[0], e.args[1], context, out);
                record(e.args[1], e.args[0], context, out);
            }
            break;
        case Op::Between:
            if (e.args.size() == 3) {
                record(e.args[0], e.args[1], context, out);
                record(e.args[0], e.args[2], context, out);
            }
            break;
        case Op::In:
        case Op::NotIn:
            if (e.args.size() == 2) record(e.args[0], e.args[1], context, out);
            break;
        default:
            if (auto s = subject_of(e, context.policy)) out[s->attr];  // read: probe its absence
            break;
    }
    for (const Expr& arg : e.args) collect(arg, context, out);
}

void collect_policy(const rules::Policy& policy, const Application& typical, Boundaries& out) {
    EvalContext context{policy, typical, &typical.credentials.front()};
    for (const rules::Rule& rule : policy.rules) {
        if (rule.when) collect(*rule.when, context, out);
        collect(rule.condition, context, out);
    }
    for (const rules::Cap& cap : policy.caps) {
        if (cap.when) collect(*cap.when, context, out);
        collect(cap.limit, context, out);
    }
    for (const rules::Exception& x : policy.exceptions) {
        if (x.when) collect(*x.when, context, out);
        if (x.effect == rules::ExceptionEffect::Limit ||
            x.effect == rules::ExceptionEffect::Require)
            collect(x.expr, context, out);
    }
}

// Candidates for kinds come from the kind pairs, and ids only name things.
bool varied_one_at_a_time(Attr attr) {
    switch (attr) {
        case Attr::CredentialKind:
        case Attr::ProgrammeKind:
        case Attr::CredentialId:
        case Attr::ProgrammeId:
        case Attr::ApplicationId:
        case Attr::ApplicationLearner:
            return false;
        default:
            return true;
    }
}

// Facts the input format cannot leave out (or that are derived from one that can).
bool can_be_missing(Attr attr) {
    switch (attr) {
        case Attr::CredentialRevoked:
        case Attr::CredentialAge:
        case Attr::ProgrammeRegulated:
        case Attr::ApplicationDate:
            return false;
        default:
            return varied_one_at_a_time(attr);
    }
}

double step_of(Type type) {
    switch (type) {
        case Type::Ects:
            return 0.5;
        default:
            return 1;  // hours, levels, plain numbers, days of a date
    }
}

bool same_value(const Value& a, const Value& b) {
    return a.type == b.type && compare_numbers(a.number, b.number) == 0 && a.text == b.text;
}

bool value_less(const Value& a, const Value& b) {
    if (compare_numbers(a.number, b.number) != 0) return a.number < b.number;
    return a.text < b.text;
}

void add_unique(std::vector<Value>& values, Value v) {
    for (const Value& existing : values)
        if (same_value(existing, v)) return;
    values.push_back(std::move(v));
}

std::string outside_text(Attr attr) {
    if (attr == Attr::CredentialIssuerCountry || attr == Attr::ApplicationJurisdiction) return "XX";
    if (rules::info(attr).type == Type::Code) return "9999";
    return "other";
}

// The values an attribute is probed with: each boundary and its neighbours, both truth
// values, each set member and one value outside, and the fact left out.
std::vector<Setting> settings_for(Attr attr, const Probes& probes, const Application& typical) {
    const Type type = rules::info(attr).type;
    std::vector<Setting> out;
    if (attr == Attr::CredentialAge) {
        // Ages are whole years from the issue date: probe the issue dates either side of
        // each anniversary.
        std::vector<Value> dates;
        for (const Value& v : probes.values) {
            int years = static_cast<int>(std::lround(v.number));
            for (int y : {years, years + 1}) {
                dsl::Date anniversary = dsl::add_years(typical.date, -y);
                for (int d : {-1, 0, 1})
                    add_unique(dates, Value::of_number(Type::Date, anniversary.days + d));
            }
        }
        std::sort(dates.begin(), dates.end(), value_less);
        for (Value& d : dates) out.push_back(Setting{Attr::CredentialIssued, std::move(d)});
        return out;
    }
    std::vector<Value> values;
    switch (type) {
        case Type::Bool:
            values = {Value::of_bool(false), Value::of_bool(true)};
            break;
        case Type::Text:
        case Type::Code:
            for (const Value& v : probes.values) add_unique(values, Value::of_text(type, v.text));
            if (probes.outside) add_unique(values, Value::of_text(type, outside_text(attr)));
            break;
        case Type::Set:
            break;  // learning outcomes: only whether there are any
        default: {
            const double step = step_of(type);
            for (const Value& v : probes.values) {
                for (double n : {v.number - step, v.number, v.number + step}) {
                    if (n < 0) continue;
                    if (type == Type::Level && (n < 1 || n > 8)) continue;
                    add_unique(values, Value::of_number(type, n));
                }
            }
            break;
        }
    }
    std::sort(values.begin(), values.end(), value_less);
    for (Value& v : values) out.push_back(Setting{attr, std::move(v)});
    if (can_be_missing(attr)) out.push_back(Setting{attr, std::nullopt});
    return out;
}

std::optional<std::string> text_of(const std::optional<Value>& v) {
    if (!v) return std::nullopt;
    return v->text;
}
std::optional<double> number_of(const std::optional<Value>& v) {
    if (!v) return std::nullopt;
    return v->number;
}
std::optional<int> level_of(const std::optional<Value>& v) {
    if (!v) return std::nullopt;
    return static_cast<int>(std::lround(v->number));
}
std::optional<bool> bool_of(const std::optional<Value>& v) {
    if (!v) return std::nullopt;
    return v->number != 0;
}
std::optional<dsl::Date> date_of(const std::optional<Value>& v) {
    if (!v) return std::nullopt;
    return dsl::Date{static_cast<int>(std::lround(v->number))};
}

void apply_to_credential(Credential& c, const Setting& s) {
    const std::optional<Value>& v = s.value;
    switch (s.attr) {
        case Attr::CredentialLearner:
            c.learner = text_of(v);
            break;
        case Attr::CredentialTitle:
            c.title = text_of(v);
            break;
        case Attr::CredentialIssuerCountry:
            c.issuer_country = text_of(v);
            break;
        case Attr::CredentialAwardingBody:
            c.awarding_body = text_of(v);
            break;
        case Attr::CredentialIssued:
            c.issued = date_of(v);
            break;
        case Attr::CredentialLearningOutcomes:
            if (!v) c.learning_outcomes.clear();
            break;
        case Attr::CredentialWorkload:
            c.ects = number_of(v);
            if (!v) c.hours.reset();
            break;
        case Attr::CredentialLevel:
            // Stated in both frameworks alike, so every policy reads the same level.
            c.nqf_level = level_of(v);
            c.eqf_level = level_of(v);
            if (!v) c.cycle.reset();
            break;
        case Attr::CredentialAssessment:
            c.assessment = text_of(v);
            break;
        case Attr::CredentialParticipation:
            c.participation = text_of(v);
            break;
        case Attr::CredentialQa:
            c.qa = text_of(v);
            break;
        case Attr::CredentialEcts:
            c.ects = number_of(v);
            break;
        case Attr::CredentialHours:
            c.hours = number_of(v);
            break;
        case Attr::CredentialNqfLevel:
            c.nqf_level = level_of(v);
            break;
        case Attr::CredentialEqfLevel:
            c.eqf_level = level_of(v);
            break;
        case Attr::CredentialCycle:
            c.cycle = text_of(v);
            break;
        case Attr::CredentialField:
            c.field = text_of(v);
            break;
        case Attr::CredentialExpires:
            c.expires = date_of(v);
            break;
        case Attr::CredentialRevoked:
            c.revoked = v && v->number != 0;
            break;
        case Attr::CredentialProviderType:
            c.provider_type = text_of(v);
            break;
        case Attr::CredentialProgrammeAccredited:
            c.programme_accredited = bool_of(v);
            break;
        case Attr::CredentialInstitutionAccredited:
            c.institution_accredited = bool_of(v);
            break;
        case Attr::CredentialInRegistry:
            c.in_registry = bool_of(v);
            break;
        default:
            break;
    }
}

void apply(Application& a, const Setting& s) {
    const std::optional<Value>& v = s.value;
    Programme& p = a.programme;
    switch (s.attr) {
        case Attr::ProgrammeTitle:
            p.title = text_of(v);
            return;
        case Attr::ProgrammeLevel:
            p.level = level_of(v);
            return;
        case Attr::ProgrammeTotalEcts:
            p.total_ects = number_of(v);
            return;
        case Attr::ProgrammeField:
            p.field = text_of(v);
            return;
        case Attr::ProgrammeInstitution:
            p.institution = text_of(v);
            return;
        case Attr::ProgrammeRegulated:
            p.regulated = v && v->number != 0;
            return;
        case Attr::ProgrammeProfession:
            p.profession = text_of(v);
            return;
        case Attr::ProgrammeProvidesForRecognition:
            p.provides_for_recognition = bool_of(v);
            return;
        case Attr::ProgrammeMcCap:
            p.mc_cap = number_of(v);
            return;
        case Attr::ApplicationDate:
            if (auto d = date_of(v)) a.date = *d;
            return;
        case Attr::ApplicationJurisdiction:
            a.jurisdiction = text_of(v);
            return;
        default:
            for (Credential& c : a.credentials) apply_to_credential(c, s);
            return;
    }
}

std::string describe_setting(const Setting& s) {
    std::string path(rules::info(s.attr).path);
    if (!s.value) return path + " left out";
    return fmt::format("{} = {}", path, rules::format_value(*s.value));
}

// A typical application: a complete, recent micro-credential from the jurisdiction of NEW,
// into a bachelor's programme, applied for shortly after both policies came into force.
Application typical_application(const rules::Policy& old_policy, const rules::Policy& new_policy) {
    dsl::Date start = *dsl::parse_date("2026-09-01");
    for (const rules::Policy* p : {&old_policy, &new_policy}) {
        if (p->in_force_from && *p->in_force_from > start) start = *p->in_force_from;
    }
    Application a;
    a.id = "diff-witness";
    a.learner_id = "L-0001";
    a.jurisdiction = new_policy.jurisdiction;
    a.date = dsl::Date{start.days + 44};
    a.programme.id = "P-1";
    a.programme.title = "Programme";
    a.programme.kind = "bachelor";
    a.programme.level = 6;
    a.programme.total_ects = 240;
    a.programme.field = "0612";
    a.programme.institution = "HEI-1";
    a.programme.provides_for_recognition = true;
    a.programme.mc_cap = 30;
    Credential c;
    c.id = "c1";
    c.kind = "micro_credential";
    c.title = "Course 1";
    c.learner = a.learner_id;
    c.issuer_country = new_policy.jurisdiction;
    c.awarding_body = "Awarding body 1";
    c.issued = dsl::Date{a.date.days - 120};
    c.learning_outcomes = {"outcome 1"};
    c.ects = 6;
    c.nqf_level = 6;
    c.eqf_level = 6;
    c.assessment = "exam";
    c.participation = "online";
    c.qa = "accredited_hei";
    c.field = "0612";
    c.provider_type = "hei";
    c.programme_accredited = true;
    c.institution_accredited = true;
    c.in_registry = true;
    a.credentials.push_back(std::move(c));
    return a;
}

// How far both policies get with the application's single credential: the status, and
// fewer failed checks as a tie-break so that fixing one of two failures counts as progress.
int score(const rules::Policy& old_policy, const rules::Policy& new_policy, const Application& a) {
    int total = 0;
    for (const rules::Policy* p : {&old_policy, &new_policy}) {
        // Kept by value: a reference into the temporary decision would dangle (ASan).
        const Decision decision = evaluate(*p, a);
        const CredentialDecision& cd = decision.credentials.front();
        int failures = 0;
        for (const Reason& r : cd.reasons)
            if (r.outcome != rules::Outcome::Warn) ++failures;
        total += status_rank(cd.status) * 100 - failures;
    }
    return total;
}

using SettingList = std::vector<std::pair<Attr, std::vector<Setting>>>;

// Changes one fact at a time to whichever probe value both policies like best, until no
// single change helps: a baseline the checks pass where they can, so that varying one fact
// from it reaches each check on its own.
Application derive_baseline(const rules::Policy& old_policy, const rules::Policy& new_policy,
                            Application start, const SettingList& settings) {
    int best = score(old_policy, new_policy, start);
    for (int pass = 0; pass < 3; ++pass) {
        bool improved = false;
        for (const auto& [attr, list] : settings) {
            for (const Setting& s : list) {
                Application trial = start;
                apply(trial, s);
                int value = score(old_policy, new_policy, trial);
                if (value > best) {
                    best = value;
                    start = std::move(trial);
                    improved = true;
                }
            }
        }
        if (!improved) break;
    }
    return start;
}

// Programme attributes that only cap limits read (a share of the programme, its own cap)
// have no comparison to take boundaries from: probe typical sizes.
void add_cap_inputs(Boundaries& boundaries) {
    if (auto it = boundaries.find(Attr::ProgrammeTotalEcts); it != boundaries.end()) {
        for (double n : {120.0, 180.0, 240.0, 300.0, 360.0})
            it->second.values.push_back(Value::of_number(Type::Ects, n));
    }
    if (auto it = boundaries.find(Attr::ProgrammeMcCap); it != boundaries.end()) {
        for (double n : {10.0, 20.0, 30.0, 60.0})
            it->second.values.push_back(Value::of_number(Type::Ects, n));
    }
}

class CandidateList {
  public:
    void add(Application a, std::string variation) {
        std::string key = application_yaml(a);
        if (!seen_.insert(std::move(key)).second) return;
        list_.push_back(Candidate{std::move(a), std::move(variation)});
    }
    std::vector<Candidate> take() { return std::move(list_); }

  private:
    std::set<std::string> seen_;
    std::vector<Candidate> list_;
};

// Copies of the credential that differ only in id and title (so they are not duplicates).
Application with_copies(const Application& base, int copies) {
    Application a = base;
    a.credentials.clear();
    for (int i = 1; i <= copies; ++i) {
        Credential c = base.credentials.front();
        c.id = fmt::format("c{:02}", i);
        c.title = fmt::format("Course {}", i);
        a.credentials.push_back(std::move(c));
    }
    return a;
}

// Applications that meet each cap: earlier decisions just below, at and above the room the
// credential needs, and enough copies of the credential to run past the cap.
void add_cap_probes(const rules::Policy& old_policy, const rules::Policy& new_policy,
                    const Application& base, const std::string& pair, CandidateList& out) {
    const Credential& c = base.credentials.front();
    if (!c.ects || *c.ects <= 0 || !c.kind) return;
    const double w = *c.ects;
    std::vector<double> limits;
    for (const rules::Policy* p : {&old_policy, &new_policy}) {
        EvalContext context{*p, base, nullptr};
        for (const rules::Cap& cap : p->caps) {
            Value limit = evaluate_expr(cap.limit, context);
            if (limit.missing) continue;
            bool known = std::any_of(limits.begin(), limits.end(), [&](double l) {
                return compare_numbers(l, limit.number) == 0;
            });
            if (!known) limits.push_back(limit.number);
        }
    }
    std::sort(limits.begin(), limits.end());
    for (double limit : limits) {
        std::string cap_words = fmt::format("cap {} ECTS", rules::format_number(limit));
        for (double prior : {limit - w - 0.5, limit - w, limit - w + 0.5, limit - 0.5, limit}) {
            if (prior < 0) continue;
            Application a = base;
            a.prior_recognized[*c.kind] = prior;
            out.add(std::move(a), fmt::format("prior_recognized.{} = {} ECTS ({}; {})", *c.kind,
                                              rules::format_number(prior), cap_words, pair));
        }
        int copies = std::min(40, static_cast<int>(std::floor(limit / w)) + 1);
        if (copies >= 2) {
            out.add(with_copies(base, copies),
                    fmt::format("{} copies of the credential ({}; {})", copies, cap_words, pair));
        }
    }
}

// A credential that states only hours, at each workload probe: the conversion and the
// rounding of credit come into play.
void add_hours_only(const rules::Policy& old_policy, const rules::Policy& new_policy,
                    const Application& base, const std::vector<Setting>& workloads,
                    const std::string& pair, CandidateList& out) {
    std::vector<double> rates;
    for (const rules::Policy* p : {&old_policy, &new_policy}) {
        double rate = p->conversion.hours_per_ects;
        if (p->conversion.declared && rate > 0 &&
            std::find(rates.begin(), rates.end(), rate) == rates.end())
            rates.push_back(rate);
    }
    for (double rate : rates) {
        for (const Setting& s : workloads) {
            if (!s.value) continue;
            Application a = base;
            Credential& c = a.credentials.front();
            c.ects.reset();
            c.hours = s.value->number * rate;
            out.add(std::move(a), fmt::format("credential.hours = {} hours, no ECTS stated ({})",
                                              rules::format_number(*c.hours), pair));
        }
    }
}

}  // namespace

std::vector<Candidate> build_candidates(const rules::Policy& old_policy,
                                        const rules::Policy& new_policy) {
    const Application typical = typical_application(old_policy, new_policy);
    Boundaries boundaries;
    collect_policy(old_policy, typical, boundaries);
    collect_policy(new_policy, typical, boundaries);
    // The workload is what recognition is about: always probe it, at the typical size too.
    boundaries[Attr::CredentialWorkload].values.push_back(Value::of_number(Type::Ects, 6));
    add_cap_inputs(boundaries);

    SettingList settings;
    std::vector<Setting> workloads;
    for (const auto& [attr, probes] : boundaries) {
        if (!varied_one_at_a_time(attr)) continue;
        std::vector<Setting> list = settings_for(attr, probes, typical);
        if (attr == Attr::CredentialWorkload || attr == Attr::CredentialEcts)
            workloads.insert(workloads.end(), list.begin(), list.end());
        if (!list.empty()) settings.emplace_back(attr, std::move(list));
    }

    // The typical kinds first, so the simplest witnesses come from them.
    std::vector<std::string> programme_kinds{"bachelor"};
    for (std::string_view k : rules::programme_kinds())
        if (k != "bachelor") programme_kinds.emplace_back(k);
    std::vector<std::string> credential_kinds{"micro_credential"};
    for (std::string_view k : rules::credential_kinds())
        if (k != "micro_credential") credential_kinds.emplace_back(k);

    CandidateList out;
    for (const std::string& programme_kind : programme_kinds) {
        for (const std::string& credential_kind : credential_kinds) {
            Application start = typical;
            start.programme.kind = programme_kind;
            start.credentials.front().kind = credential_kind;
            Application base = derive_baseline(old_policy, new_policy, start, settings);
            std::string pair = fmt::format("{} in {}", credential_kind, programme_kind);
            out.add(base, "baseline: " + pair);
            for (const auto& [attr, list] : settings) {
                for (const Setting& s : list) {
                    Application a = base;
                    apply(a, s);
                    out.add(std::move(a), fmt::format("{} ({})", describe_setting(s), pair));
                }
            }
            add_hours_only(old_policy, new_policy, base, workloads, pair, out);
            add_cap_probes(old_policy, new_policy, base, pair, out);
        }
    }
    return out.take();
}

}  // namespace mcre::engine
