#include "engine/expression_eval.hpp"

#include <catch2/catch.hpp>

#include "tests/engine/policy_builder.hpp"

namespace mcre::engine {
namespace {

using namespace mcre::test;

struct Fixture {
    rules::Policy p = policy();
    Application app = application({credential("c1", 6)});
    EvalContext ctx() const { return EvalContext{p, app, &app.credentials[0]}; }
    rules::Value eval(const Expr& e) const { return evaluate_expr(e, ctx()); }
};

Expr missing_fact() { return attr(Attr::CredentialInRegistry); }  // not stated by credential()

TEST_CASE("three-valued logic: a missing fact is neither true nor false", "[engine][expr]") {
    Fixture f;
    Expr t = boolean(true);
    Expr no = boolean(false);
    CHECK(f.eval(op(Op::And, {no, missing_fact()})).number == 0);
    CHECK_FALSE(f.eval(op(Op::And, {no, missing_fact()})).missing);
    CHECK(f.eval(op(Op::And, {missing_fact(), t})).missing);
    CHECK(f.eval(op(Op::And, {missing_fact(), t})).text == "registry entry");
    CHECK(f.eval(op(Op::Or, {missing_fact(), t})).truthy());
    CHECK(f.eval(op(Op::Or, {missing_fact(), no})).missing);
    CHECK(f.eval(op(Op::Not, {missing_fact()})).missing);
    CHECK(f.eval(op(Op::Le, {attr(Attr::CredentialHours), ects(3)})).missing);
    CHECK(f.eval(op(Op::IsMissing, {missing_fact()})).truthy());
    CHECK_FALSE(f.eval(op(Op::IsPresent, {missing_fact()})).truthy());
}

// A rule's condition that reads no fact of a credential is asked once per application and
// its answer shared by the credentials (engine/credential_checks.cpp): known_truth says
// whether its answer read one.
TEST_CASE("known_truth says whether its answer read a fact of the credential", "[engine][expr]") {
    Fixture f;
    bool read = true;
    const Expr bachelor = op(Op::Eq, {attr(Attr::ProgrammeKind), text("bachelor")});
    CHECK(known_truth(bachelor, f.ctx(), read) == std::optional<bool>(true));
    CHECK_FALSE(read);
    // Decided by the programme before the credential is looked at.
    const Expr titled = op(Op::IsPresent, {attr(Attr::CredentialTitle)});
    CHECK(known_truth(op(Op::Or, {bachelor, titled}), f.ctx(), read) == std::optional<bool>(true));
    CHECK_FALSE(read);
    CHECK(known_truth(op(Op::And, {bachelor, titled}), f.ctx(), read) == std::optional<bool>(true));
    CHECK(read);
    CHECK(known_truth(op(Op::Ge, {attr(Attr::CredentialWorkload), ects(3)}), f.ctx(), read) ==
          std::optional<bool>(true));
    CHECK(read);
    const Expr domestic = op(Op::Eq, {attr(Attr::CredentialIssuerCountry), text("GE")});
    CHECK(known_truth(domestic, f.ctx(), read) == std::optional<bool>(true));
    CHECK(read);
    // Not told on the fast path (a missing fact): the general path says what is missing.
    CHECK_FALSE(known_truth(op(Op::Not, {missing_fact()}), f.ctx(), read).has_value());
}

TEST_CASE("between is inclusive at both ends", "[engine][expr]") {
    Fixture f;
    auto check = [&](double value) {
        return f.eval(between(ects(value), ects(3), ects(30))).truthy();
    };
    CHECK(check(3));
    CHECK(check(30));
    CHECK_FALSE(check(2.99));
    CHECK_FALSE(check(30.01));
}

TEST_CASE("ISCED-F codes match by hierarchy inside `in`", "[engine][expr]") {
    Fixture f;
    Expr regulated = param("regulated_sectoral", set_value(Type::Code, {"0911", "0912", "0841"}));
    f.app.programme.field = "0912";
    CHECK(f.eval(op(Op::In, {attr(Attr::ProgrammeField), regulated})).truthy());
    f.app.programme.field = "0913";
    CHECK_FALSE(f.eval(op(Op::In, {attr(Attr::ProgrammeField), regulated})).truthy());
    // A broad field contains its narrow and detailed fields, never the other way round.
    Expr broad = set(Type::Text, {"04", "06", "07"});
    CHECK(f.eval(op(Op::In, {attr(Attr::ProgrammeField), broad})).number == 0);
    f.app.programme.field = "0612";
    CHECK(f.eval(op(Op::In, {attr(Attr::ProgrammeField), broad})).truthy());
    f.app.programme.field = "06";
    CHECK_FALSE(
        f.eval(op(Op::In, {attr(Attr::ProgrammeField), set(Type::Code, {"0612"})})).truthy());
    CHECK(f.eval(op(Op::NotIn, {attr(Attr::ProgrammeField), set(Type::Code, {"0612"})})).truthy());
}

TEST_CASE("text in a set matches exactly", "[engine][expr]") {
    Fixture f;
    Expr qa = set(Type::Text, {"accredited_hei", "eqar_agency"});
    CHECK(f.eval(op(Op::In, {attr(Attr::CredentialQa), qa})).truthy());
    f.app.credentials[0].qa = "accredited";
    CHECK_FALSE(f.eval(op(Op::In, {attr(Attr::CredentialQa), qa})).truthy());
}

TEST_CASE("date arithmetic is calendar arithmetic", "[engine][expr]") {
    Fixture f;
    auto shifted = [&](const char* from, Op o, Expr period) {
        rules::Value d =
            f.eval(op(o, {literal(rules::Value::of_number(Type::Date, date(from).days)), period},
                      Type::Date));
        return dsl::format_date(dsl::Date{static_cast<int>(d.number)});
    };
    CHECK(shifted("2024-02-29", Op::Add, years(1)) == "2025-02-28");
    CHECK(shifted("2026-10-15", Op::Sub, years(5)) == "2021-10-15");
    CHECK(shifted("2026-01-31", Op::Add, literal(rules::Value::of_number(Type::Months, 1))) ==
          "2026-02-28");
    CHECK(shifted("2026-12-31", Op::Add, literal(rules::Value::of_number(Type::Days, 1))) ==
          "2027-01-01");
}

TEST_CASE("recency window: issued on the boundary day passes, the day before fails",
          "[engine][expr]") {
    Fixture f;
    Expr window = op(Op::Ge, {attr(Attr::CredentialIssued),
                              op(Op::Sub,
                                 {attr(Attr::ApplicationDate),
                                  param("recency", rules::Value::of_number(Type::Years, 5))},
                                 Type::Date, "application.date - recency")});
    f.app.credentials[0].issued = date("2021-10-15");
    CHECK(f.eval(window).truthy());
    f.app.credentials[0].issued = date("2021-10-14");
    CHECK_FALSE(f.eval(window).truthy());
    CHECK(describe(window, f.ctx()) ==
          "credential.issued is 2021-10-14, not at least 2021-10-15 (application.date - recency)");
}

TEST_CASE("percent-of, hours-to-ECTS, min and max", "[engine][expr]") {
    Fixture f;
    convert_hours(f.p);
    CHECK(f.eval(op(Op::PercentOf,
                    {literal(rules::Value::of_number(Type::Percent, 25)),
                     attr(Attr::ProgrammeTotalEcts)},
                    Type::Ects))
              .number == 60);
    CHECK(f.eval(op(Op::PercentOf, {literal(rules::Value::of_number(Type::Percent, 15)), ects(60)},
                    Type::Ects))
              .number == Approx(9));
    // 15 % of 60 is 9 even after binary rounding: a 9 ECTS credential is within it.
    CHECK(f.eval(op(Op::Le,
                    {ects(9), op(Op::PercentOf,
                                 {literal(rules::Value::of_number(Type::Percent, 15)), ects(60)},
                                 Type::Ects)}))
              .truthy());
    CHECK(f.eval(op(Op::ToEcts, {literal(rules::Value::of_number(Type::Hours, 80))}, Type::Ects))
              .number == Approx(3.2));
    CHECK(f.eval(op(Op::Min, {ects(10), ects(24)}, Type::Ects)).number == 10);
    CHECK(f.eval(op(Op::Max, {ects(10), ects(24)}, Type::Ects)).number == 24);
}

TEST_CASE("describe states the facts compared and names the parameters", "[engine][expr]") {
    Fixture f;
    Expr workload = between(attr(Attr::CredentialWorkload),
                            param("mc_min_ects", rules::Value::of_number(Type::Ects, 3)),
                            param("mc_max_ects", rules::Value::of_number(Type::Ects, 30)));
    CHECK(describe(workload, f.ctx()) ==
          "credential.workload is 6 ECTS, within 3 ECTS to 30 ECTS (mc_min_ects, mc_max_ects)");
    f.app.credentials[0].ects = 35;
    CHECK(
        describe(workload, f.ctx()) ==
        "credential.workload is 35 ECTS, not within 3 ECTS to 30 ECTS (mc_min_ects, mc_max_ects)");

    Expr at_most = op(Op::Le, {attr(Attr::CredentialWorkload),
                               param("mc_max_ects", rules::Value::of_number(Type::Ects, 30))});
    CHECK(describe(at_most, f.ctx()) ==
          "credential.workload is 35 ECTS, not at most 30 ECTS (mc_max_ects)");

    f.app.programme.field = "0912";
    Expr regulated = op(Op::In, {attr(Attr::ProgrammeField),
                                 param("regulated_sectoral", set_value(Type::Code, {"0912"}))});
    CHECK(describe(regulated, f.ctx()) == "programme.field is 0912, in regulated_sectoral");
    Expr not_regulated = op(Op::NotIn, regulated.args);
    CHECK(describe(not_regulated, f.ctx()) == "programme.field is 0912, in regulated_sectoral");

    Expr both = op(Op::And, {at_most, regulated});
    CHECK(describe(both, f.ctx()) ==
          "credential.workload is 35 ECTS, not at most 30 ECTS (mc_max_ects); programme.field is "
          "0912, in "
          "regulated_sectoral");
}

TEST_CASE("describe shows how a derived fact was obtained", "[engine][expr]") {
    Fixture f;
    convert_hours(f.p);
    f.app.credentials[0].ects.reset();
    f.app.credentials[0].hours = 74;
    Expr workload = between(attr(Attr::CredentialWorkload), ects(3), ects(30));
    CHECK(describe(workload, f.ctx()) ==
          "credential.workload is 2.96 ECTS (74 hours / 25 hours per ECTS), not within 3 ECTS to "
          "30 ECTS");
}

TEST_CASE("describe says which element is missing", "[engine][expr]") {
    Fixture f;
    f.app.credentials[0].nqf_level.reset();
    Expr lvl = op(Op::In, {attr(Attr::CredentialLevel), literal([] {
                               rules::Value s = rules::Value::of_number(Type::Set, 0);
                               s.items = {rules::Value::of_number(Type::Level, 6),
                                          rules::Value::of_number(Type::Level, 7)};
                               return s;
                           }())});
    CHECK(f.eval(lvl).missing);
    CHECK(missing_elements(lvl, f.ctx()) == std::vector<std::string>{"level"});
    CHECK(describe(lvl, f.ctx()) == "cannot be checked: the credential does not state its level");

    Expr two = op(Op::And, {lvl, op(Op::Eq, {attr(Attr::CredentialInRegistry), boolean(true)})});
    CHECK(missing_elements(two, f.ctx()) == std::vector<std::string>{"level", "registry entry"});
}

TEST_CASE("message templates are filled with formatted values", "[engine][expr]") {
    Fixture f;
    std::vector<rules::MessagePart> parts = {
        say("a micro-credential carries "),
        quote(param("mc_min_ects", rules::Value::of_number(Type::Ects, 3))),
        say("-"),
        quote(param("mc_max_ects", rules::Value::of_number(Type::Ects, 30))),
        say("; this one carries "),
        quote(attr(Attr::CredentialWorkload))};
    CHECK(render_message(parts, f.ctx()) ==
          "a micro-credential carries 3 ECTS-30 ECTS; this one carries 6 ECTS");
}

}  // namespace
}  // namespace mcre::engine

namespace mcre::engine {
namespace {

TEST_CASE("expressions are shown as a reader would write them", "[engine][expr]") {
    using namespace mcre::test;
    Expr window =
        op(Op::Ge,
           {attr(Attr::CredentialIssued),
            op(Op::Sub,
               {attr(Attr::ApplicationDate), param("recency", Value::of_number(Type::Years, 5))},
               Type::Date, "-")});
    CHECK(expression_text(window) == "credential.issued >= (application.date - recency)");
    Expr share = op(Op::PercentOf,
                    {param("bachelor_share", Value::of_number(Type::Percent, 25)),
                     attr(Attr::ProgrammeTotalEcts)},
                    Type::Ects, "of");
    CHECK(expression_text(share) == "bachelor_share of programme.total_ects");
    CHECK(expression_text(op(Op::ToEcts, {attr(Attr::CredentialHours)}, Type::Ects, "ects")) ==
          "ects(credential.hours)");
    CHECK(expression_text(between(attr(Attr::CredentialWorkload), ects(3), ects(30))) ==
          "credential.workload between 3 ECTS and 30 ECTS");
}

}  // namespace
}  // namespace mcre::engine
