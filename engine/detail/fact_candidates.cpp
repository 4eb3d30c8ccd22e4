#include "engine/detail/fact_candidates.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>

#include "engine/expression_eval.hpp"
#include "rules/schema.hpp"

namespace mcre::engine::detail {

namespace {

using rules::Attr;
using rules::Expr;
using rules::Op;
using rules::Type;
using rules::Value;

std::optional<Fact> fact_of(Attr attr) {
    switch (attr) {
        case Attr::CredentialWorkload:
        case Attr::CredentialEcts:
            return Fact::Ects;
        case Attr::CredentialHours:
            return Fact::Hours;
        case Attr::CredentialLevel:
        case Attr::CredentialNqfLevel:
            return Fact::Level;
        case Attr::CredentialEqfLevel:
            return Fact::EqfLevel;
        case Attr::CredentialCycle:
            return Fact::Cycle;
        case Attr::CredentialIssued:
        case Attr::CredentialAge:
            return Fact::Issued;
        case Attr::CredentialExpires:
            return Fact::Expires;
        case Attr::CredentialRevoked:
            return Fact::Revoked;
        case Attr::CredentialLearner:
            return Fact::Learner;
        case Attr::CredentialQa:
            return Fact::Qa;
        case Attr::CredentialField:
            return Fact::Field;
        case Attr::CredentialProviderType:
            return Fact::ProviderType;
        case Attr::CredentialProgrammeAccredited:
            return Fact::ProgrammeAccredited;
        case Attr::CredentialInstitutionAccredited:
            return Fact::InstitutionAccredited;
        case Attr::CredentialInRegistry:
            return Fact::InRegistry;
        case Attr::CredentialAssessment:
            return Fact::Assessment;
        case Attr::CredentialParticipation:
            return Fact::Participation;
        case Attr::CredentialIssuerCountry:
            return Fact::IssuerCountry;
        case Attr::CredentialTitle:
            return Fact::Title;
        case Attr::CredentialAwardingBody:
            return Fact::AwardingBody;
        case Attr::CredentialLearningOutcomes:
            return Fact::LearningOutcomes;
        default:
            return std::nullopt;
    }
}

}  // namespace

// The stated fact a candidate changes: the issue date for an age.
Attr stated(Attr attr) { return attr == Attr::CredentialAge ? Attr::CredentialIssued : attr; }

namespace {

// How a candidate relates to the threshold it came from, for the words.
enum class Relation { AtLeast, AtMost, MoreThan, LessThan, Equal, NotEqual, OneOf, NotOneOf };

std::string_view element_of(Attr attr) {
    std::string_view element = rules::info(attr).element;
    if (element.rfind("stated ", 0) == 0) element.remove_prefix(7);
    return element;
}

const char* relation_words(Relation r) {
    switch (r) {
        case Relation::AtLeast:
            return "at least ";
        case Relation::AtMost:
            return "at most ";
        case Relation::MoreThan:
            return "more than ";
        case Relation::LessThan:
            return "less than ";
        case Relation::Equal:
            return "";
        case Relation::NotEqual:
            return "not ";
        case Relation::OneOf:
            return "one of ";
        case Relation::NotOneOf:
            return "none of ";
    }
    return "";
}

const char* date_relation(Relation r) {
    switch (r) {
        case Relation::AtLeast:
            return "on or after ";
        case Relation::AtMost:
            return "on or before ";
        case Relation::MoreThan:
            return "after ";
        case Relation::LessThan:
            return "before ";
        case Relation::NotEqual:
            return "on a day other than ";
        default:
            return "on ";
    }
}

// "it carried at least 3 ECTS", "it were issued on or after 2021-10-01".
std::string condition_words(Attr attr, Relation r, const std::string& target) {
    const std::string rel = relation_words(r);
    switch (attr) {
        case Attr::CredentialWorkload:
        case Attr::CredentialEcts:
            return fmt::format("it carried {}{}", rel, target);
        case Attr::CredentialHours:
            return fmt::format("it stated {}{}", rel, target);
        case Attr::CredentialLevel:
        case Attr::CredentialNqfLevel:
        case Attr::CredentialEqfLevel:
            // "level 6" reads "its level were 6".
            return fmt::format("its {} were {}{}", element_of(attr), rel,
                               target.rfind("level ", 0) == 0 ? target.substr(6) : target);
        case Attr::CredentialIssued:
            return fmt::format("it were issued {}{}", date_relation(r), target);
        case Attr::CredentialExpires:
            return fmt::format("it expired {}{}", date_relation(r), target);
        case Attr::CredentialAge:
            return fmt::format("it were {}{} old", rel, target);
        default:
            return fmt::format("its {} were {}{}", element_of(attr), rel, target);
    }
}

std::string bool_words(Attr attr, bool yes) {
    switch (attr) {
        case Attr::CredentialRevoked:
            return yes ? "its issuer had revoked it" : "its issuer had not revoked it";
        case Attr::CredentialProgrammeAccredited:
            return yes ? "its programme were accredited" : "its programme were not accredited";
        case Attr::CredentialInstitutionAccredited:
            return yes ? "its institution were accredited" : "its institution were not accredited";
        case Attr::CredentialInRegistry:
            return yes ? "it were in the national register"
                       : "it were not in the national register";
        default:
            return fmt::format("its {} were {}", element_of(attr), yes ? "yes" : "no");
    }
}

}  // namespace

// "(it carries 2 ECTS)": the fact as the credential states it now.
std::string now_words(Attr attr, const Value& current) {
    if (current.missing) return "(not stated)";
    if (current.type == Type::Bool) return current.truthy() ? "(it is)" : "(it is not)";
    const std::string value = rules::format_value(current);
    switch (attr) {
        case Attr::CredentialWorkload:
        case Attr::CredentialEcts:
            return fmt::format("(it carries {})", value);
        case Attr::CredentialHours:
            return fmt::format("(it states {})", value);
        case Attr::CredentialIssued:
            return fmt::format("(it was issued {})", value);
        case Attr::CredentialExpires:
            return fmt::format("(it expires {})", value);
        case Attr::CredentialAge:
            return fmt::format("(it is {} old)", value);
        case Attr::CredentialLevel:
        case Attr::CredentialNqfLevel:
        case Attr::CredentialEqfLevel:
            return fmt::format("(it is at {})", value);
        default:
            return fmt::format("(it is {})", value);
    }
}

namespace {

// The facts a policy expression reads, as changeable facts and as other attributes.
void facts_read(const Expr& e, std::set<Fact>& facts, std::set<Attr>& others) {
    if (e.op == Op::Attribute) {
        if (auto f = fact_of(e.attribute)) {
            facts.insert(*f);
        } else if (e.attribute != Attr::CredentialId) {
            others.insert(e.attribute);
        }
    }
    for (const Expr& a : e.args) facts_read(a, facts, others);
}

CheckFacts rule_facts(const rules::Policy& policy, const rules::Rule& rule) {
    CheckFacts out;
    if (!rule.credential_kinds.empty()) out.others.insert(Attr::CredentialKind);
    if (!rule.programme_kinds.empty()) out.others.insert(Attr::ProgrammeKind);
    if (rule.when) facts_read(*rule.when, out.facts, out.others);
    facts_read(rule.condition, out.facts, out.others);
    // An exception to the rule (or to one of its exceptions) can decide instead of it.
    for (const rules::Exception& x : policy.exceptions) {
        if (x.root != rule.name) continue;
        if (!x.credential_kinds.empty()) out.others.insert(Attr::CredentialKind);
        if (x.when) facts_read(*x.when, out.facts, out.others);
        if (x.effect == rules::ExceptionEffect::Require) facts_read(x.expr, out.facts, out.others);
    }
    return out;
}

}  // namespace

const rules::Rule* rule_named(const rules::Policy& policy, const std::string& qualified) {
    for (const rules::Rule& r : policy.rules) {
        const std::string& origin = r.origin.empty() ? policy.id : r.origin;
        if (qualified == origin + "." + r.name) return &r;
    }
    return nullptr;
}

// What a failing reason reads: a policy check's facts, or the one fact of a validity check.
CheckFacts reason_facts(const rules::Policy& policy, const Reason& reason) {
    CheckFacts out;
    if (reason.rule == "validity") {
        if (reason.code == "REVOKED") out.facts.insert(Fact::Revoked);
        if (reason.code == "EXPIRED_CREDENTIAL") out.facts.insert(Fact::Expires);
        // Not a fact to change: the remedy is to apply once the credential is issued.
        if (reason.code == "ISSUED_AFTER_APPLICATION") out.others.insert(Attr::ApplicationDate);
        if (reason.code == "OTHER_LEARNER") out.facts.insert(Fact::Learner);
        return out;
    }
    if (reason.rule == "credit") {  // no workload: stating ECTS is what would help
        out.facts.insert(Fact::Ects);
        return out;
    }
    const std::string& name = reason.instead_of.empty() ? reason.rule : reason.instead_of;
    if (const rules::Rule* rule = rule_named(policy, name)) return rule_facts(policy, *rule);
    return out;
}

namespace {

// Collects candidate values from every condition of the policy's checks.
class CandidateCollector {
  public:
    CandidateCollector(const EvalContext& ctx) : ctx_(ctx) {}

    // The failing checks first, so a value is described in the words of the check it
    // would pass; then every other check, whose thresholds a change may also have to meet.
    void collect_policy(const std::vector<const rules::Rule*>& failing) {
        for (const rules::Rule* rule : failing) collect_rule(*rule);
        for (const rules::Rule& rule : ctx_.policy.rules) collect_rule(rule);
        validity_candidates();
    }

    void collect_rule(const rules::Rule& rule) {
        if (rule.when) walk(*rule.when);
        walk(rule.condition);
        for (const rules::Exception& x : ctx_.policy.exceptions) {
            if (x.qualifies_cap || x.root != rule.name) continue;
            if (x.when) walk(*x.when);
            if (x.effect == rules::ExceptionEffect::Require) walk(x.expr);
        }
    }

    // Presence alone is met by any value: an invented one is used only for a fact no other
    // condition gives a value for.
    std::vector<Candidate> take() {
        for (Candidate& p : stated_) {
            const bool valued = std::any_of(out_.begin(), out_.end(),
                                            [&](const Candidate& c) { return c.fact == p.fact; });
            if (!valued) add(std::move(p));
        }
        return std::move(out_);
    }

  private:
    const EvalContext& ctx_;
    std::vector<Candidate> out_;
    std::vector<Candidate> stated_;

    void add(Candidate c) {
        for (const Candidate& e : out_) {
            if (e.fact == c.fact && e.unset == c.unset && e.value.type == c.value.type &&
                e.value.number == c.value.number && e.value.text == c.value.text)
                return;
        }
        out_.push_back(std::move(c));
    }

    void validity_candidates() {
        const Credential& c = *ctx_.credential;
        const Application& app = ctx_.application;
        if (c.revoked) {
            add(Candidate{Fact::Revoked, Attr::CredentialRevoked, Value::of_bool(false), false,
                          bool_words(Attr::CredentialRevoked, false)});
        }
        if (c.expires && *c.expires < app.date) {
            add(Candidate{Fact::Expires, Attr::CredentialExpires,
                          Value::of_number(Type::Date, app.date.days), false,
                          fmt::format("it were still valid on {}", dsl::format_date(app.date))});
        }
        if (c.learner && *c.learner != app.learner_id) {
            add(Candidate{Fact::Learner, Attr::CredentialLearner,
                          Value::of_text(Type::Text, app.learner_id), false,
                          fmt::format("it were issued to the applicant {}", app.learner_id)});
        }
    }

    // The value of the side of a comparison that does not read the credential.
    std::optional<Value> constant(const Expr& e) const {
        if (references_credential(e)) return std::nullopt;
        Value v = evaluate_expr(e, ctx_);
        if (v.missing) return std::nullopt;
        return v;
    }

    // A tested side: a credential attribute, or `ects(credential.hours)`.
    struct Tested {
        Attr attr;
        Fact fact;
        double scale = 1;  // threshold -> fact value (hours per ECTS for converted hours)
    };
    std::optional<Tested> tested(const Expr& e) const {
        if (e.op == Op::Attribute && is_credential_attribute(e.attribute)) {
            if (auto f = fact_of(e.attribute)) return Tested{e.attribute, *f, 1};
        }
        if (e.op == Op::ToEcts && e.args.size() == 1 && e.args[0].op == Op::Attribute &&
            e.args[0].attribute == Attr::CredentialHours && ctx_.policy.conversion.declared) {
            return Tested{Attr::CredentialHours, Fact::Hours,
                          ctx_.policy.conversion.hours_per_ects};
        }
        return std::nullopt;
    }

    // The step past a strict bound: a day, a level, half an ECTS, an hour, a year.
    static double step(Attr attr, Type type) {
        if (attr == Attr::CredentialAge) return 1;
        if (type == Type::Ects) return 0.5;
        return 1;
    }

    void walk(const Expr& e) {
        switch (e.op) {
            case Op::Lt:
            case Op::Le:
            case Op::Gt:
            case Op::Ge:
            case Op::Eq:
            case Op::Ne:
                if (auto t = tested(e.args[0])) {
                    if (auto v = constant(e.args[1])) compare(*t, e.op, *v);
                } else if (auto t2 = tested(e.args[1])) {
                    if (auto v2 = constant(e.args[0])) compare(*t2, rules::mirrored(e.op), *v2);
                }
                break;
            case Op::Between:
                if (auto t = tested(e.args[0])) {
                    if (auto lo = constant(e.args[1])) compare(*t, Op::Ge, *lo);
                    if (auto hi = constant(e.args[2])) compare(*t, Op::Le, *hi);
                }
                break;
            case Op::In:
            case Op::NotIn:
                if (auto t = tested(e.args[0])) {
                    if (auto set = constant(e.args[1])) membership(*t, e, *set);
                }
                break;
            case Op::IsPresent:
            case Op::IsMissing:
                if (auto t = tested(e.args[0])) presence(*t, e.op == Op::IsPresent);
                break;
            case Op::Attribute:
                if (auto t = tested(e); t && rules::info(e.attribute).type == Type::Bool) {
                    for (bool yes : {true, false}) {
                        add(Candidate{t->fact, t->attr, Value::of_bool(yes), false,
                                      bool_words(t->attr, yes)});
                    }
                }
                break;
            default:
                break;
        }
        for (const Expr& a : e.args) walk(a);
    }

    void number(const Tested& t, double value, Relation r, const Value& threshold) {
        Value v = threshold;
        if (t.attr == Attr::CredentialAge) {
            // An age of n years on the application date: issued n years before it.
            const dsl::Date issued = dsl::add_years(values_day(), -static_cast<int>(value));
            std::string years = rules::format_value(Value::of_number(Type::Years, value));
            if (r == Relation::MoreThan || r == Relation::LessThan) {
                years = rules::format_value(threshold);
            }
            add(Candidate{t.fact, t.attr, Value::of_number(Type::Date, issued.days), false,
                          condition_words(t.attr, r, years)});
            return;
        }
        v.number = value * t.scale;
        if (t.fact == Fact::Hours) v.type = Type::Hours;
        const std::string target = (r == Relation::MoreThan || r == Relation::LessThan)
                                       ? rules::format_value(scaled(threshold, t))
                                       : rules::format_value(v);
        add(Candidate{t.fact, t.attr, v, false, condition_words(t.attr, r, target)});
    }

    Value scaled(Value v, const Tested& t) const {
        v.number *= t.scale;
        if (t.fact == Fact::Hours) v.type = Type::Hours;
        return v;
    }

    dsl::Date values_day() const { return ctx_.application.date; }

    void compare(const Tested& t, Op op, const Value& v) {
        if (v.type == Type::Bool) {
            const bool yes = (op == Op::Eq) == v.truthy();
            add(Candidate{t.fact, t.attr, Value::of_bool(yes), false, bool_words(t.attr, yes)});
            return;
        }
        if (v.type == Type::Text || v.type == Type::Code) {
            if (op == Op::Eq) {
                add(Candidate{t.fact, t.attr, v, false,
                              condition_words(t.attr, Relation::Equal, v.text)});
            } else if (op == Op::Ne) {
                other_text(t, {v}, fmt::format("its {} were not {}", element_of(t.attr), v.text));
            }
            return;
        }
        const double d = step(t.attr, v.type);
        switch (op) {
            case Op::Ge:
                number(t, v.number, Relation::AtLeast, v);
                break;
            case Op::Gt:
                // For an age, more than n years old is n + 1 years.
                number(t, v.number + d, Relation::MoreThan, v);
                break;
            case Op::Le:
                number(t, v.number, Relation::AtMost, v);
                break;
            case Op::Lt:
                number(t, v.number - d, Relation::LessThan, v);
                break;
            case Op::Eq:
                number(t, v.number, Relation::Equal, v);
                break;
            case Op::Ne:
                number(t, v.number + d, Relation::NotEqual, v);
                break;
            default:
                break;
        }
    }

    // A text none of `avoid` contains, standing for "any other value".
    void other_text(const Tested& t, const std::vector<Value>& avoid, std::string words) {
        const bool codes = !avoid.empty() && avoid.front().type == Type::Code;
        for (const char* guess : {"99", "00", "9999", "other"}) {
            bool clash = false;
            for (const Value& a : avoid) {
                clash = clash || (codes ? rules::code_contains(a.text, guess) ||
                                              rules::code_contains(guess, a.text)
                                        : a.text == guess);
            }
            if (!clash) {
                Type type = codes ? Type::Code : Type::Text;
                add(Candidate{t.fact, t.attr, Value::of_text(type, guess), false,
                              std::move(words)});
                return;
            }
        }
    }

    void membership(const Tested& t, const Expr& e, const Value& set) {
        const Expr& set_expr = e.args[1];
        const std::string name =
            set_expr.op == Op::Param ? set_expr.text : rules::format_value(set);
        if (e.op == Op::In) {
            // Each member is a candidate, so the search can try the nearest; the words name
            // the set when it is a table or parameter.
            std::size_t n = 0;
            for (const Value& item : set.items) {
                if (++n > 12) break;
                const std::string shown = item.type == Type::Text || item.type == Type::Code
                                              ? item.text
                                              : rules::format_value(item);
                std::string words =
                    set_expr.op == Op::Param
                        ? fmt::format("{}, one of {}",
                                      condition_words(t.attr, Relation::Equal, shown), name)
                        : condition_words(t.attr, Relation::Equal, shown);
                add(Candidate{t.fact, t.attr, item, false, std::move(words)});
            }
        } else {
            other_text(t, set.items,
                       fmt::format("its {} were not in {}", element_of(t.attr), name));
        }
    }

    void presence(const Tested& t, bool present) {
        if (!present) {
            add(Candidate{t.fact, t.attr, Value{}, true,
                          fmt::format("it did not state its {}", element_of(t.attr))});
            return;
        }
        // A stated value: any will do for the presence itself; other conditions on the
        // same fact contribute values that also meet them.
        Value v;
        switch (rules::info(t.attr).type) {
            case Type::Ects:
                v = Value::of_number(Type::Ects, 5);
                break;
            case Type::Hours:
                v = Value::of_number(Type::Hours, 125);
                break;
            case Type::Level:
                v = Value::of_number(Type::Level, 6);
                break;
            case Type::Date:
            case Type::Years:
                v = Value::of_number(Type::Date, ctx_.application.date.days);
                break;
            case Type::Bool:
                v = Value::of_bool(true);
                break;
            default:
                v = Value::of_text(rules::info(t.attr).type, "stated");
                break;
        }
        stated_.push_back(Candidate{t.fact, t.attr, v, false,
                                    fmt::format("it stated its {}", element_of(t.attr))});
    }
};

std::optional<std::string> opt_text(const Value& v) {
    if (v.missing) return std::nullopt;
    return v.text;
}

}  // namespace

// Sets the changeable fact on a copy of the credential.
void apply_candidate(const rules::Policy& policy, const Candidate& cand, Credential& c) {
    const Value& v = cand.value;
    const bool unset = cand.unset;
    auto number = [&]() -> std::optional<double> {
        if (unset) return std::nullopt;
        return v.number;
    };
    auto integer = [&]() -> std::optional<int> {
        if (unset) return std::nullopt;
        return static_cast<int>(std::lround(v.number));
    };
    auto date = [&]() -> std::optional<dsl::Date> {
        if (unset) return std::nullopt;
        return dsl::Date{static_cast<int>(v.number)};
    };
    auto text = [&]() -> std::optional<std::string> {
        if (unset) return std::nullopt;
        return opt_text(v);
    };
    auto boolean = [&]() -> std::optional<bool> {
        if (unset) return std::nullopt;
        return v.truthy();
    };
    switch (cand.fact) {
        case Fact::Ects:
            c.ects = number();
            break;
        case Fact::Hours:
            c.hours = number();
            break;
        case Fact::Level: {
            // A level in the policy's own framework: stated as such for a credential of this
            // country, otherwise as the EQF level that maps onto it.
            const bool own = !c.issuer_country || *c.issuer_country == policy.jurisdiction;
            if (unset || own) {
                c.nqf_level = integer();
                if (unset) c.eqf_level.reset(), c.cycle.reset();
                break;
            }
            const int wanted = *integer();
            for (int eqf = 1; eqf <= 8; ++eqf) {
                c.eqf_level = eqf;
                DerivedFact level = credential_level(policy, c);
                if (!level.value.missing && static_cast<int>(level.value.number) == wanted) return;
            }
            c.eqf_level.reset();
            c.issuer_country.reset();
            c.nqf_level = wanted;
            break;
        }
        case Fact::EqfLevel:
            c.eqf_level = integer();
            break;
        case Fact::Cycle:
            c.cycle = text();
            break;
        case Fact::Issued:
            c.issued = date();
            break;
        case Fact::Expires:
            c.expires = date();
            break;
        case Fact::Revoked:
            c.revoked = !unset && v.truthy();
            break;
        case Fact::Learner:
            c.learner = text();
            break;
        case Fact::Qa:
            c.qa = text();
            break;
        case Fact::Field:
            c.field = text();
            break;
        case Fact::ProviderType:
            c.provider_type = text();
            break;
        case Fact::ProgrammeAccredited:
            c.programme_accredited = boolean();
            break;
        case Fact::InstitutionAccredited:
            c.institution_accredited = boolean();
            break;
        case Fact::InRegistry:
            c.in_registry = boolean();
            break;
        case Fact::Assessment:
            c.assessment = text();
            break;
        case Fact::Participation:
            c.participation = text();
            break;
        case Fact::IssuerCountry:
            c.issuer_country = text();
            break;
        case Fact::Title:
            c.title = text();
            break;
        case Fact::AwardingBody:
            c.awarding_body = text();
            break;
        case Fact::LearningOutcomes:
            if (unset) {
                c.learning_outcomes.clear();
            } else if (c.learning_outcomes.empty()) {
                c.learning_outcomes.push_back(v.text.empty() ? "stated" : v.text);
            }
            break;
    }
}

std::vector<Candidate> collect_candidates(const EvalContext& context,
                                          const std::vector<const rules::Rule*>& failing) {
    CandidateCollector collector(context);
    collector.collect_policy(failing);
    return collector.take();
}

}  // namespace mcre::engine::detail
