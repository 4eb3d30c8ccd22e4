// libFuzzer target: decisions on arbitrary well-typed applications (docs/robustness.md).
// A small structured decoder turns the fuzz bytes into an Application that the loader
// would accept (valid dates, known enumerations, non-negative numbers), with values drawn
// from what the shipped policies test, so most inputs reach deep into the checks. It is
// decided under one of the shipped policies, explained and lean, and every decision must
// keep the invariants: recognized ECTS never above the credential's own, totals equal to
// the sum of their parts, no cap exceeded, and explaining changes no outcome.

#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dsl/date.hpp"
#include "engine/decision_json.hpp"
#include "engine/decision_text.hpp"
#include "engine/evaluator.hpp"
#include "fuzz/fuzz_support.hpp"
#include "rules/checker.hpp"

namespace {

using namespace mcre;

const std::vector<rules::Policy>& policies() {
    static const std::vector<rules::Policy> loaded = [] {
        std::vector<rules::Policy> out;
        for (const char* file :
             {"policies/georgia.policy", "policies/armenia.policy", "policies/eu-baseline.policy",
              "policies/spain-rd822.policy", "policies/italy-l240.policy",
              "examples/stacking/pilot-stacks.policy", "examples/docs/exceptions.policy"}) {
            dsl::SourceFile source(std::string(MCRE_SOURCE_DIR) + "/" + file,
                                   fuzz::read_source_file(file));
            rules::CheckResult checked = rules::load_policy(source);
            if (!checked.policy) fuzz::fail(std::string(file) + " does not check");
            out.push_back(std::move(*checked.policy));
        }
        return out;
    }();
    return loaded;
}

template <std::size_t N>
std::string pick(FuzzedDataProvider& in, const std::array<const char*, N>& pool) {
    return pool[in.ConsumeIntegralInRange<std::size_t>(0, N - 1)];
}

template <std::size_t N>
std::optional<std::string> maybe(FuzzedDataProvider& in, const std::array<const char*, N>& pool) {
    if (!in.ConsumeBool()) return std::nullopt;
    return pick(in, pool);
}

dsl::Date date(FuzzedDataProvider& in, int first_year, int last_year) {
    dsl::CivilDate c;
    c.year = in.ConsumeIntegralInRange(first_year, last_year);
    c.month = in.ConsumeIntegralInRange(1, 12);
    c.day = in.ConsumeIntegralInRange(1, 28);
    if (in.ConsumeBool()) {  // the ends of months, where off-by-one errors live
        c.day = 31;
        while (!dsl::is_valid_civil(c)) --c.day;
    }
    return dsl::from_civil(c);
}

// Whole and half credits mostly, sometimes any non-negative number.
double amount(FuzzedDataProvider& in, double most) {
    switch (in.ConsumeIntegralInRange(0, 3)) {
        case 0:
            return in.ConsumeIntegralInRange(0, static_cast<int>(most));
        case 1:
            return in.ConsumeIntegralInRange(0, static_cast<int>(most) * 2) / 2.0;
        case 2:
            return in.ConsumeFloatingPointInRange(0.0, most);
        default:
            return in.ConsumeFloatingPointInRange(0.0, 1e9);
    }
}

constexpr std::array kIds = {"c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c1"};
constexpr std::array kCountries = {"GE", "AM", "ES", "IT", "DE", "FR", "UA", "US"};
constexpr std::array kCredentialKinds = {"micro_credential", "vocational_l5", "non_formal",
                                         "course_units"};
constexpr std::array kProgrammeKinds = {"short_cycle", "bachelor", "master", "integrated",
                                        "doctoral"};
constexpr std::array kFields = {"0612", "0613", "0421", "0911", "0912", "0731", "0714", "011",
                                "04",   "06",   "07",   "0011", "9999", "0841", "0716"};
constexpr std::array kQa = {"accredited_hei", "eqar_agency", "third_party_certification", "none",
                            "national_agency"};
constexpr std::array kCycles = {"short", "first", "second", "third"};
constexpr std::array kProviders = {"hei", "vet", "non_formal"};
constexpr std::array kTexts = {"Network administration",
                               "GIS for tourism",
                               "Python for data analysis in medicine",
                               "საქართველოს ტექნიკური უნივერსიტეტი",
                               "Երևանի պետական համալսարան",
                               "practical exam, graded",
                               "online",
                               "blended",
                               "in person",
                               ""};
constexpr std::array kOutcomes = {"plan and configure a small network",
                                  "analyse clinical data with Python", "design a GIS map", "x"};
constexpr std::array kInstitutions = {"GTU", "YSU", "UG", "TSMU", "UCM", "UNIBO"};
constexpr std::array kJurisdictions = {"GE", "AM", "ES", "IT", "EU", "FR"};

engine::Credential credential(FuzzedDataProvider& in, int line) {
    engine::Credential c;
    c.id = pick(in, kIds);
    c.line = line;
    if (in.ConsumeBool()) c.source_id = pick(in, kIds);
    c.title = maybe(in, kTexts);
    if (in.ConsumeBool()) c.learner = "GE-01001012345";
    c.issuer_country = maybe(in, kCountries);
    c.awarding_body = maybe(in, kTexts);
    if (in.ConsumeBool()) c.issued = date(in, 2015, 2030);
    for (int n = in.ConsumeIntegralInRange(0, 3); n > 0; --n) {
        c.learning_outcomes.push_back(pick(in, kOutcomes));
    }
    if (in.ConsumeBool()) c.ects = amount(in, 70);
    if (in.ConsumeBool()) c.hours = amount(in, 2000);
    if (in.ConsumeBool()) c.nqf_level = in.ConsumeIntegralInRange(1, 8);
    if (in.ConsumeBool()) c.eqf_level = in.ConsumeIntegralInRange(1, 8);
    c.cycle = maybe(in, kCycles);
    c.assessment = maybe(in, kTexts);
    c.participation = maybe(in, kTexts);
    c.qa = maybe(in, kQa);
    c.kind = maybe(in, kCredentialKinds);
    c.field = maybe(in, kFields);
    if (in.ConsumeBool()) c.expires = date(in, 2015, 2035);
    c.revoked = in.ConsumeIntegralInRange(0, 7) == 0;
    c.provider_type = maybe(in, kProviders);
    if (in.ConsumeBool()) c.programme_accredited = in.ConsumeBool();
    if (in.ConsumeBool()) c.institution_accredited = in.ConsumeBool();
    if (in.ConsumeBool()) c.in_registry = in.ConsumeBool();
    return c;
}

engine::Application application(FuzzedDataProvider& in) {
    engine::Application app;
    app.id = "app-fuzz";
    app.learner_id = "GE-01001012345";
    if (in.ConsumeBool()) app.learner_name = "ნინო ბერიძე";
    app.jurisdiction = maybe(in, kJurisdictions);
    app.date = date(in, 2020, 2032);
    if (in.ConsumeIntegralInRange(0, 7) == 0) app.values_as_of = date(in, 2020, 2032);
    engine::Programme& p = app.programme;
    p.id = "PROG-1";
    if (in.ConsumeBool()) p.title = "Computer Networks and Systems (BSc)";
    p.kind = maybe(in, kProgrammeKinds);
    if (in.ConsumeBool()) p.level = in.ConsumeIntegralInRange(1, 8);
    if (in.ConsumeBool()) p.total_ects = amount(in, 360);
    p.field = maybe(in, kFields);
    p.institution = maybe(in, kInstitutions);
    p.regulated = in.ConsumeIntegralInRange(0, 5) == 0;
    if (p.regulated && in.ConsumeBool()) p.profession = "physician";
    if (in.ConsumeBool()) p.provides_for_recognition = in.ConsumeBool();
    if (in.ConsumeIntegralInRange(0, 3) == 0) p.mc_cap = amount(in, 120);
    for (int n = in.ConsumeIntegralInRange(0, 2); n > 0; --n) {
        app.prior_recognized[pick(in, kCredentialKinds)] = amount(in, 120);
    }
    const int count = in.ConsumeIntegralInRange(0, 10);
    for (int i = 0; i < count && in.remaining_bytes() > 0; ++i) {
        app.credentials.push_back(credential(in, 20 + 25 * i));
    }
    return app;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)policies();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const rules::Policy& policy =
        policies()[in.ConsumeIntegralInRange<std::size_t>(0, policies().size() - 1)];
    const engine::Application app = application(in);

    engine::EvaluateOptions lean;
    lean.explain = false;
    lean.what_would_change = false;
    const engine::Decision quick = engine::evaluate(policy, app, lean);
    const engine::Decision full = engine::evaluate(policy, app);
    fuzz::check_decision(full);
    fuzz::check_decision(quick);
    fuzz::check_own_ects(full);
    fuzz::check_same_outcome(full, quick);
    MCRE_FUZZ_EXPECT(full.credentials.size() >= app.credentials.size(),
                     "every credential is decided");

    // Rendering works on anything the evaluator decides.
    (void)engine::render_json(full);
    (void)engine::render_text(full);
    return 0;
}
