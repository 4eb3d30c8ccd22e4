#pragma once

// Builds checked policies and applications in code, so engine tests do not depend on the
// parser and each test states exactly the rules it exercises.

#include <initializer_list>
#include <string>
#include <vector>

#include "dsl/date.hpp"
#include "engine/application.hpp"
#include "rules/model.hpp"

namespace mcre::test {

using rules::Attr;
using rules::Expr;
using rules::Op;
using rules::Type;
using rules::Value;

inline dsl::Date date(const char* text) { return *dsl::parse_date(text); }

inline Expr literal(Value v) {
    Expr e;
    e.op = Op::Literal;
    e.type = v.type;
    e.literal = std::move(v);
    return e;
}

inline Expr ects(double n) { return literal(Value::of_number(Type::Ects, n)); }
inline Expr years(double n) { return literal(Value::of_number(Type::Years, n)); }
inline Expr level(int n) { return literal(Value::of_number(Type::Level, n)); }
inline Expr text(const char* s) { return literal(Value::of_text(Type::Text, s)); }
inline Expr boolean(bool b) { return literal(Value::of_bool(b)); }

inline Value set_value(Type element, std::initializer_list<const char*> items) {
    Value set = Value::of_number(Type::Set, 0);
    for (const char* item : items) set.items.push_back(Value::of_text(element, item));
    return set;
}

inline Expr set(Type element, std::initializer_list<const char*> items) {
    Expr e = literal(set_value(element, items));
    e.element = element;
    return e;
}

inline Expr param(const char* name, Value v) {
    Expr e;
    e.op = Op::Param;
    e.type = v.type;
    e.text = name;
    e.literal = std::move(v);
    return e;
}

inline Expr attr(Attr a) {
    Expr e;
    e.op = Op::Attribute;
    e.attribute = a;
    e.type = rules::info(a).type;
    e.text = std::string(rules::info(a).path);
    return e;
}

inline Expr op(Op o, std::vector<Expr> args, Type type = Type::Bool, std::string text = {}) {
    Expr e;
    e.op = o;
    e.type = type;
    e.args = std::move(args);
    e.text = std::move(text);
    return e;
}

inline Expr between(Expr v, Expr lo, Expr hi) {
    return op(Op::Between, {std::move(v), std::move(lo), std::move(hi)});
}

inline rules::MessagePart say(const char* literal) {
    return rules::MessagePart{literal, std::nullopt};
}
inline rules::MessagePart quote(Expr value) { return rules::MessagePart{"", std::move(value)}; }

inline rules::Rule rule(const char* name, const char* code, Expr condition,
                        rules::Outcome outcome = rules::Outcome::Reject) {
    rules::Rule r;
    r.name = name;
    r.code = code;
    r.condition = std::move(condition);
    r.outcome = outcome;
    r.message = {say(name)};
    r.cite = std::string("clause ") + name;
    r.where = dsl::Location{"test.policy", 1, 1};
    return r;
}

inline rules::Rule exclusion(const char* name, const char* code, Expr condition,
                             rules::Outcome outcome = rules::Outcome::Reject) {
    rules::Rule r = rule(name, code, std::move(condition), outcome);
    r.exclusion = true;
    return r;
}

inline rules::Cap cap(const char* name, Expr limit, std::vector<std::string> kinds = {}) {
    rules::Cap c;
    c.name = name;
    c.limit = std::move(limit);
    c.credential_kinds = std::move(kinds);
    c.cite = std::string("cap clause ") + name;
    c.where = dsl::Location{"test.policy", 2, 3};
    return c;
}

inline rules::Policy policy() {
    rules::Policy p;
    p.id = "test";
    p.title = "Test policy";
    p.jurisdiction = "GE";
    p.version = "1";
    p.file = "test.policy";
    p.content_hash = "0123abcd";
    return p;
}

// Hours convert at 25 per ECTS; credit rounds down to half ECTS (the Georgian draft).
inline void convert_hours(rules::Policy& p) {
    p.conversion.declared = true;
    p.conversion.hours_per_ects = 25;
    p.conversion.hours_per_ects_name = "hours_per_ects";
    p.conversion.rounding = rules::Rounding::Down;
    p.conversion.step = 0.5;
}

// A complete micro-credential: every EU mandatory element stated.
inline engine::Credential credential(const char* id, double ects_value,
                                     const char* issued = "2026-02-20") {
    engine::Credential c;
    c.id = id;
    c.kind = "micro_credential";
    c.title = std::string("Course ") + id;
    c.learner = "L1";
    c.issuer_country = "GE";
    c.awarding_body = "Georgian Technical University";
    c.issued = date(issued);
    c.learning_outcomes = {"outcome"};
    c.ects = ects_value;
    c.nqf_level = 6;
    c.assessment = "exam";
    c.participation = "online";
    c.qa = "accredited_hei";
    c.field = "0612";
    return c;
}

inline engine::Application application(std::vector<engine::Credential> credentials) {
    engine::Application a;
    a.id = "app-1";
    a.learner_id = "L1";
    a.date = date("2026-10-15");
    a.programme.id = "P1";
    a.programme.kind = "bachelor";
    a.programme.level = 6;
    a.programme.total_ects = 240;
    a.programme.field = "0612";
    a.credentials = std::move(credentials);
    return a;
}

}  // namespace mcre::test
