// The distributions below are documented, with their sources and assumptions, in
// docs/cohorts.md ("Generating a cohort"); change both together.

#include "engine/cohort_generator.hpp"

#include <array>
#include <charconv>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/date.hpp"
#include "engine/cohort_write.hpp"

namespace mcre::engine {

namespace {

// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and the same numbers everywhere.
class Rng {
  public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // 0 .. n-1 (n < 2^32), by multiply-shift: no division, no library distribution.
    std::uint32_t below(std::uint32_t n) {
        return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32);
    }
    // True with probability per_mille / 1000.
    bool chance(std::uint32_t per_mille) { return below(1000) < per_mille; }

  private:
    std::uint64_t state_;
};

template <typename T>
struct Weighted {
    T value;
    std::uint32_t weight;
};

// Inlined, so that the compiler sums the weights of each call's constant list.
template <typename T>
[[gnu::always_inline]] inline const T& pick(Rng& rng, std::initializer_list<Weighted<T>> options) {
    std::uint32_t total = 0;
    for (const auto& o : options) total += o.weight;
    std::uint32_t r = rng.below(total);
    for (const auto& o : options) {
        if (r < o.weight) return o.value;
        r -= o.weight;
    }
    return options.begin()->value;
}

template <typename T, std::size_t N>
const T& any_of(Rng& rng, const std::array<T, N>& items) {
    return items[rng.below(static_cast<std::uint32_t>(N))];
}

struct Institution {
    std::string_view code;
    std::string_view name;
    std::uint32_t weight;  // share of the country's students, roughly
};

// Georgia: the largest universities by enrolment (NCEQE register, EMIS; rounded,
// ASSUMPTION). GTU and UG are the two pilot institutions of policies/georgia.policy.
constexpr std::array<Institution, 11> georgian_institutions{{
    {"TSU", "Ivane Javakhishvili Tbilisi State University", 22},
    {"GTU", "Georgian Technical University", 15},
    {"UG", "Georgian University", 8},
    {"ISU", "Ilia State University", 10},
    {"SEU", "Georgian National University SEU", 10},
    {"TSMU", "Tbilisi State Medical University", 7},
    {"BSU", "Batumi Shota Rustaveli State University", 8},
    {"ATSU", "Akaki Tsereteli State University", 7},
    {"BTU", "Business and Technology University", 4},
    {"CU", "Caucasus University", 4},
    {"AGRUNI", "Agricultural University of Georgia", 5},
}};

constexpr std::array<Institution, 10> armenian_institutions{{
    {"YSU", "Yerevan State University", 25},
    {"NPUA", "National Polytechnic University of Armenia", 15},
    {"ASUE", "Armenian State University of Economics", 12},
    {"ASPU", "Khachatur Abovian Armenian State Pedagogical University", 12},
    {"YSMU", "Yerevan State Medical University", 8},
    {"RAU", "Russian-Armenian University", 8},
    {"ANAU", "Armenian National Agrarian University", 7},
    {"AUA", "American University of Armenia", 5},
    {"NUACA", "National University of Architecture and Construction of Armenia", 5},
    {"BRUSOV", "Brusov State University", 3},
}};

struct Field {
    std::string_view code;  // ISCED-F 2013 detailed field
    std::string_view title;
    std::string_view profession;  // regulated profession, or empty
    // 0: bachelor's and master's only; 1: also integrated (one-cycle); 2: integrated only
    int integrated;
    std::uint32_t weight;  // share of bachelor's and master's students (ASSUMPTION)
};

constexpr std::array<Field, 24> fields{{
    {"0413", "Business Administration", {}, 0, 16},
    {"0311", "Economics", {}, 0, 6},
    {"0412", "Finance and Banking", {}, 0, 5},
    {"0421", "Law", "lawyer", 0, 9},
    {"0612", "Computer Networks and Systems", {}, 0, 5},
    {"0613", "Computer Science", {}, 0, 9},
    {"0714", "Electronics and Automation", {}, 0, 3},
    {"0715", "Mechanical Engineering", {}, 0, 3},
    {"0732", "Civil Engineering", {}, 0, 4},
    {"0731", "Architecture", "architect", 1, 2},
    {"0313", "Psychology", {}, 0, 5},
    {"0312", "International Relations", {}, 0, 4},
    {"0232", "English Philology", {}, 0, 5},
    {"0222", "History", {}, 0, 2},
    {"0541", "Mathematics", {}, 0, 2},
    {"0533", "Physics", {}, 0, 1},
    {"1015", "Tourism Management", {}, 0, 4},
    {"1041", "Maritime Navigation", "ship navigator", 0, 1},
    {"0811", "Agronomy", {}, 0, 2},
    {"0913", "Nursing", "general care nurse", 0, 2},
    {"0912", "Medicine", "medical doctor", 2, 7},
    {"0911", "Dentistry", "dentist", 2, 2},
    {"0916", "Pharmacy", "pharmacist", 2, 1},
    {"0114", "Teacher Education", "teacher", 1, 2},
}};

// Broad ISCED-F field (first two digits) -> titles of the micro-credentials offered in it;
// the MICRO-GEAR pilot courses first.
struct Titles {
    std::string_view broad;
    std::array<std::string_view, 6> titles;
};

constexpr std::array<Titles, 9> titles_by_field{{
    {"04",
     {"Digital Marketing for SMEs", "Financial Accounting with IFRS",
      "Project Management Fundamentals", "Entrepreneurship and Start-up Finance",
      "Tourism Business Management", "Contract Law for Managers"}},
    {"06",
     {"Computer Network Administration for SMEs", "Data Analysis with Python and R",
      "Cybersecurity Essentials", "Cloud Computing Fundamentals", "Web Application Development",
      "Machine Learning Basics"}},
    {"07",
     {"Microcontroller Programming for Drone Applications", "Internet of Things Basics",
      "Renewable Energy Systems", "CAD for Mechanical Design", "Building Information Modelling",
      "GIS for Urban Planning"}},
    {"03",
     {"Research Methods in Social Sciences", "Applied Psychology in the Workplace",
      "EU Integration Policy", "Behavioural Economics", "Public Policy Analysis",
      "Data Literacy for Journalists"}},
    {"02",
     {"Academic Writing in English", "Translation and Localisation", "Digital Humanities",
      "Cultural Heritage Management", "Intercultural Communication", "Creative Writing"}},
    {"05",
     {"Applied Statistics", "Mathematical Modelling", "Environmental Monitoring",
      "Laboratory Data Management", "Optimisation Methods", "Scientific Computing"}},
    {"09",
     {"Public Health Data Literacy", "First Aid and Emergency Care", "Clinical Communication",
      "Healthcare Quality Management", "Medical English", "Infection Prevention"}},
    {"01",
     {"Inclusive Education Practice", "Digital Tools for Teachers", "Classroom Assessment",
      "STEM Teaching Methods", "School Leadership", "Early Literacy"}},
    {"10",
     {"Hospitality Operations", "Tour Guiding", "Event Management", "Maritime English",
      "Port Logistics", "Wine Tourism"}},
}};

constexpr std::array<std::string_view, 10> georgian_given{
    {"ნინო", "გიორგი", "მარიამ", "ლევან", "ანა", "დავით", "თამარ", "ლუკა", "ნიკა", "სალომე"}};
constexpr std::array<std::string_view, 10> georgian_family{
    {"ბერიძე", "მაისურაძე", "კაპანაძე", "გელაშვილი", "ჯაფარიძე", "ლომიძე", "ხარაიშვილი", "ნოზაძე",
     "ტაბატაძე", "ქავთარაძე"}};
constexpr std::array<std::string_view, 10> armenian_given{
    {"Անի", "Արամ", "Մարիամ", "Դավիթ", "Նարեկ", "Լիլիթ", "Տիգրան", "Գայանե", "Հայկ", "Նունե"}};
constexpr std::array<std::string_view, 10> armenian_family{
    {"Հովհաննիսյան", "Պետրոսյան", "Սարգսյան", "Գրիգորյան", "Հարությունյան", "Կարապետյան",
     "Խաչատրյան", "Մկրտչյան", "Վարդանյան", "Ավետիսյան"}};

struct Foreign {
    std::string_view country;
    std::string_view university;
    std::uint32_t weight;
};

constexpr std::array<Foreign, 12> foreign_universities{{
    {"DE", "Technical University of Munich", 10},
    {"IT", "Politecnico di Milano", 8},
    {"PL", "Warsaw University of Technology", 7},
    {"LT", "Vilnius University", 7},
    {"EE", "University of Tartu", 7},
    {"NL", "Delft University of Technology", 7},
    {"FR", "Université Paris-Saclay", 7},
    {"ES", "Universitat Politècnica de València", 5},
    {"UA", "Taras Shevchenko National University of Kyiv", 6},
    {"TR", "Middle East Technical University", 7},
    {"US", "Arizona State University", 8},
    {"RU", "Lomonosov Moscow State University", 10},
}};

constexpr std::array<std::string_view, 5> foreign_providers{
    {"Cisco Networking Academy", "Google Career Certificates", "SAP Learning Hub",
     "Deutsche Telekom Training GmbH", "Coursera Inc."}};

struct Country {
    std::string_view code;
    const Institution* institutions;
    std::size_t institution_count;
    std::string_view non_formal_provider;
    std::array<std::string_view, 3> vet_colleges;
    std::string_view script_title;  // a micro-credential title in the national script
};

const Country georgia{
    "GE",
    georgian_institutions.data(),
    georgian_institutions.size(),
    "GRENA (Georgian Research and Educational Networking Association)",
    {"Community College Spektri", "College Iberia", "Tbilisi State College of Economics"},
    "კომპიუტერული ქსელების ადმინისტრირება მცირე ბიზნესისთვის"};
const Country armenia{
    "AM",
    armenian_institutions.data(),
    armenian_institutions.size(),
    "Tumo Center for Creative Technologies",
    {"Yerevan State College of Informatics", "Yerevan Industrial and Technological College",
     "Yerevan Humanitarian College"},
    "Տվյալների վերլուծություն Python-ով"};

const Institution& pick_institution(Rng& rng, const Country& country) {
    std::uint32_t total = 0;
    for (std::size_t i = 0; i < country.institution_count; ++i) {
        total += country.institutions[i].weight;
    }
    std::uint32_t r = rng.below(total);
    for (std::size_t i = 0; i < country.institution_count; ++i) {
        if (r < country.institutions[i].weight) return country.institutions[i];
        r -= country.institutions[i].weight;
    }
    return country.institutions[0];
}

// Applications for recognition concentrate where micro-credentials are offered: in Georgia,
// 45 % come from the two first-stage pilot universities (GTU, UG), the rest in proportion to
// enrolment (ASSUMPTION).
const Institution& applicant_institution(Rng& rng, const Country& country) {
    if (std::string(country.code) == "GE" && rng.chance(450)) {
        return rng.below(23) < 15 ? country.institutions[1] : country.institutions[2];
    }
    return pick_institution(rng, country);
}

// A field a programme of that kind is offered in.
constexpr std::uint32_t field_weight(const Field& f, bool integrated) {
    return (integrated ? f.integrated > 0 : f.integrated < 2) ? f.weight : 0U;
}

constexpr std::uint32_t field_total(bool integrated) {
    std::uint32_t total = 0;
    for (const Field& f : fields) total += field_weight(f, integrated);
    return total;
}

const Field& pick_field(Rng& rng, bool integrated) {
    constexpr std::uint32_t totals[2] = {field_total(false), field_total(true)};
    std::uint32_t r = rng.below(totals[integrated ? 1 : 0]);
    for (const Field& f : fields) {
        const std::uint32_t w = field_weight(f, integrated);
        if (r < w) return f;
        r -= w;
    }
    return fields[0];
}

// Sets an optional text, reusing the memory of the string it holds, if any.
void set(std::optional<std::string>& field, std::string_view value) {
    if (field) {
        field->clear();  // then append: cheaper than assign, which allows for overlap
        field->append(value);
    } else {
        field.emplace(value);
    }
}

// The optional's string, made empty (its memory kept when it held one), to append to.
std::string& emptied(std::optional<std::string>& field) {
    if (!field) return field.emplace();
    field->clear();
    return *field;
}

// Mostly the programme's own field, sometimes a neighbouring or unrelated one.
std::string_view credential_field(Rng& rng, std::string_view programme_field) {
    const int roll = static_cast<int>(rng.below(100));
    if (roll < 65) return programme_field;
    return pick_field(rng, false).code;
}

std::string_view title_for(Rng& rng, std::string_view field, const Country& home) {
    if (rng.chance(40)) return home.script_title;
    for (const Titles& t : titles_by_field) {
        if (field.substr(0, 2) == t.broad) return any_of(rng, t.titles);
    }
    return any_of(rng, titles_by_field[static_cast<std::size_t>(rng.below(9))].titles);
}

void append_digits(Rng& rng, std::string& out, int n) {
    const std::size_t at = out.size();
    out.resize(at + static_cast<std::size_t>(n));
    for (std::size_t i = at; i < out.size(); ++i) out[i] = static_cast<char>('0' + rng.below(10));
}

void append_number(std::string& out, std::uint64_t n, std::size_t width = 0) {
    char buffer[24];
    const auto r = std::to_chars(buffer, buffer + sizeof buffer, n);
    const auto size = static_cast<std::size_t>(r.ptr - buffer);
    if (size < width) out.append(width - size, '0');
    out.append(buffer, size);
}

// Application dates over the first academic year of both policies (in force from
// 2026-09-01), with the admission peaks of September-October and February-March.
dsl::Date application_date(Rng& rng) {
    static constexpr std::array<std::uint32_t, 12> month_weight{25, 15, 5, 3, 5, 17,
                                                                10, 5,  5, 5, 3, 2};
    std::uint32_t r = rng.below(100);
    int month_index = 0;
    while (r >= month_weight[static_cast<std::size_t>(month_index)]) {
        r -= month_weight[static_cast<std::size_t>(month_index)];
        ++month_index;
    }
    const int month = (8 + month_index) % 12 + 1;  // September first
    const int year = month >= 9 ? 2026 : 2027;
    return dsl::from_civil({year, month, 1 + static_cast<int>(rng.below(28))});
}

enum class Kind { MicroCredential, VocationalL5, NonFormal, CourseUnits };

std::string_view kind_name(Kind kind) {
    switch (kind) {
        case Kind::MicroCredential:
            return "micro_credential";
        case Kind::VocationalL5:
            return "vocational_l5";
        case Kind::NonFormal:
            return "non_formal";
        case Kind::CourseUnits:
            return "course_units";
    }
    return "micro_credential";
}

struct Context {
    const Country& home;
    bool ge;
    const Application& application;
};

// Fills `c`, which may hold a credential of an earlier application: every field is assigned
// or reset, and the strings keep their memory.
void make_credential(Rng& rng, const Context& ctx, int number, Credential& c) {
    const Application& app = ctx.application;
    const bool ge = ctx.ge;
    c.id.assign("c");
    append_number(c.id, static_cast<std::uint64_t>(number));
    c.source_id.reset();
    c.outcome_codes.clear();
    c.line = 0;
    c.set_by.clear();
    const Kind kind = ge ? pick<Kind>(rng, {{Kind::MicroCredential, 72},
                                            {Kind::VocationalL5, 12},
                                            {Kind::NonFormal, 8},
                                            {Kind::CourseUnits, 8}})
                         : pick<Kind>(rng, {{Kind::MicroCredential, 80},
                                            {Kind::VocationalL5, 6},
                                            {Kind::NonFormal, 9},
                                            {Kind::CourseUnits, 5}});
    set(c.kind, kind_name(kind));
    const bool vocational = kind == Kind::VocationalL5;
    const bool domestic = vocational ? !rng.chance(50) : !rng.chance(220);

    // Provider and quality assurance. The awarding body is set on every path (reset below
    // now and then).
    bool hei = true;
    if (vocational) {
        hei = false;
        set(c.provider_type, "vet");
        set(c.awarding_body, any_of(rng, ctx.home.vet_colleges));
    } else if (kind == Kind::NonFormal ||
               (kind == Kind::MicroCredential && rng.chance(domestic ? 100 : 200))) {
        hei = false;
        set(c.provider_type, "non_formal");
        set(c.awarding_body,
            domestic ? ctx.home.non_formal_provider : any_of(rng, foreign_providers));
    } else {
        set(c.provider_type, "hei");
    }
    if (domestic) {
        set(c.issuer_country, ctx.home.code);
        if (hei) set(c.awarding_body, pick_institution(rng, ctx.home).name);
    } else {
        std::uint32_t total = 0;
        for (const Foreign& x : foreign_universities) total += x.weight;
        const std::uint32_t neighbour = 12;  // the other MICRO-GEAR country
        std::uint32_t r = rng.below(total + neighbour);
        if (r >= total) {
            set(c.issuer_country, ge ? "AM" : "GE");
            if (hei) {
                set(c.awarding_body,
                    ge ? "Yerevan State University" : "Georgian Technical University");
            }
        } else {
            const Foreign* f = nullptr;
            for (const Foreign& x : foreign_universities) {
                if (r < x.weight) {
                    f = &x;
                    break;
                }
                r -= x.weight;
            }
            set(c.issuer_country, f != nullptr ? f->country : "DE");
            if (hei) {
                set(c.awarding_body,
                    f != nullptr ? f->university : "Technical University of Munich");
            }
        }
    }
    std::string_view qa;
    if (hei) {
        qa = domestic ? pick<std::string_view>(
                            rng, {{"accredited_hei", 92}, {"none", 2}, {"", 4}, {"registry", 2}})
                      : pick<std::string_view>(rng, {{"accredited_hei", 50},
                                                     {"eqar_agency", 32},
                                                     {"national_agency", 8},
                                                     {"none", 3},
                                                     {"", 7}});
    } else if (vocational) {
        qa = pick<std::string_view>(rng, {{"accredited_hei", 85}, {"none", 5}, {"", 10}});
    } else {
        qa = pick<std::string_view>(
            rng, {{"third_party_certification", 60}, {"eqar_agency", 8}, {"none", 16}, {"", 16}});
    }
    if (qa.empty()) {
        c.qa.reset();
    } else {
        set(c.qa, qa);
    }
    c.in_registry.reset();
    if (domestic && !vocational) {
        const std::string_view r =
            hei ? pick<std::string_view>(rng, {{"true", 82}, {"false", 12}, {"", 6}})
                : pick<std::string_view>(rng, {{"false", 60}, {"", 40}});
        if (!r.empty()) c.in_registry = r == "true";
    }
    const std::string_view accredited =
        hei || vocational ? pick<std::string_view>(rng, {{"true", 80}, {"false", 12}, {"", 8}})
                          : pick<std::string_view>(rng, {{"false", 50}, {"", 50}});
    c.programme_accredited.reset();
    if (!accredited.empty()) c.programme_accredited = accredited == "true";
    const std::string_view institution =
        pick<std::string_view>(rng, {{"true", 94}, {"false", 3}, {"", 3}});
    c.institution_accredited.reset();
    if (!institution.empty() && (hei || vocational)) {
        c.institution_accredited = institution == "true";
    }

    // Field, title, outcomes.
    set(c.field, credential_field(rng, app.programme.field ? std::string_view(*app.programme.field)
                                                           : std::string_view("0413")));
    if (!rng.chance(10)) {
        set(c.title, title_for(rng, *c.field, ctx.home));
    } else {
        c.title.reset();
    }
    if (!rng.chance(30)) {
        const std::string_view topic = c.title ? std::string_view(*c.title) : "the course";
        const bool second = rng.chance(700);
        c.learning_outcomes.resize(second ? 2 : 1);
        c.learning_outcomes[0]
            .assign("apply the methods of ")
            .append(topic)
            .append(" to realistic tasks");
        if (second) {
            c.learning_outcomes[1].assign("evaluate results and explain them to non-specialists");
        }
    } else {
        c.learning_outcomes.clear();
    }

    // Workload: ECTS, hours, both or neither.
    double ects = 0;
    if (vocational) {
        ects =
            pick<double>(rng, {{10, 20}, {15, 20}, {20, 20}, {25, 10}, {30, 15}, {40, 8}, {60, 7}});
    } else if (kind == Kind::NonFormal) {
        ects = pick<double>(rng, {{1, 15}, {2, 25}, {3, 25}, {4, 15}, {6, 15}, {10, 5}});
    } else if (kind == Kind::CourseUnits) {
        ects = pick<double>(rng, {{3, 20}, {4, 15}, {5, 30}, {6, 25}, {8, 5}, {10, 5}});
    } else {
        ects = pick<double>(rng, {{1, 20},
                                  {2, 50},
                                  {2.5, 20},
                                  {3, 140},
                                  {4, 100},
                                  {5, 180},
                                  {6, 220},
                                  {7.5, 30},
                                  {8, 50},
                                  {10, 100},
                                  {12, 30},
                                  {15, 40},
                                  {20, 10},
                                  {30, 5},
                                  {35, 3},
                                  {40, 2}});
    }
    const double per_ects = ge ? 25 : 30;
    const int workload = static_cast<int>(rng.below(100));
    const bool hours_only = kind == Kind::NonFormal ? workload < 60 : workload < 18;
    c.ects.reset();
    c.hours.reset();
    if (workload < (kind == Kind::NonFormal ? 5 : 3)) {
        // neither: a missing mandatory element
    } else if (hours_only) {
        c.hours = ects * per_ects + (rng.chance(300) ? static_cast<double>(rng.below(11)) : 0);
    } else {
        c.ects = ects;
        if (rng.chance(180)) {
            const double factor =
                rng.chance(100) ? pick<double>(rng, {{15, 1}, {40, 1}}) : per_ects;
            c.hours = ects * factor;
        }
    }

    // Level: NQF for a domestic credential, EQF (or a QF-EHEA cycle) for a foreign one.
    const std::string_view programme_kind =
        app.programme.kind ? std::string_view(*app.programme.kind) : "bachelor";
    int level = 0;
    if (vocational) {
        level = rng.chance(100) ? 4 : 5;
    } else if (programme_kind == "master" || programme_kind == "doctoral") {
        level = pick<int>(rng, {{7, 60}, {6, 28}, {5, 6}, {8, 6}});
    } else {
        level = pick<int>(rng, {{6, 62}, {7, 18}, {5, 12}, {4, 6}, {8, 2}});
    }
    c.nqf_level.reset();
    c.eqf_level.reset();
    c.cycle.reset();
    const int stated = static_cast<int>(rng.below(100));
    if (stated >= 6) {  // 6 % state no level
        // The issuer country is set on every path above (reset only below).
        const bool home_framework = c.issuer_country && (*c.issuer_country == ctx.home.code ||
                                                         *c.issuer_country == (ge ? "AM" : "GE"));
        if (home_framework) {
            c.nqf_level = level;
            if (rng.chance(150))
                c.eqf_level = rng.chance(100) ? (level == 8 ? 7 : level + 1) : level;
        } else if (stated < 12 && level >= 5 && level <= 7) {
            set(c.cycle, level == 5 ? "short" : level == 6 ? "first" : "second");
        } else {
            c.eqf_level = level;
        }
    }

    // Dates: most credentials are recent; some are older than five years, a few expired,
    // revoked or dated after the application.
    const int age = pick<int>(rng, {{0, 40}, {1, 22}, {2, 13}, {3, 15}, {5, 8}});
    int days = age * 365 + static_cast<int>(rng.below(age == 3 ? 730U : 365U));
    if (rng.chance(5)) days = -1 - static_cast<int>(rng.below(60));
    if (!rng.chance(20)) {
        c.issued = dsl::Date{app.date.days - days};
    } else {
        c.issued.reset();
    }
    c.expires.reset();
    if (c.issued && rng.chance(250)) {
        c.expires = dsl::add_years(*c.issued, rng.chance(500) ? 3 : 5);
    }
    c.revoked = rng.chance(3);

    // The other mandatory elements, each missing now and then.
    if (!rng.chance(20)) {
        if (rng.chance(5)) {
            std::string& learner = emptied(c.learner);
            learner.append(ctx.home.code).append("-");
            append_digits(rng, learner, 11);
        } else {
            set(c.learner, app.learner_id);
        }
    } else {
        c.learner.reset();
    }
    if (rng.chance(10)) c.awarding_body.reset();
    if (rng.chance(10)) c.issuer_country.reset();
    if (!rng.chance(30)) {
        set(c.assessment, pick<std::string_view>(rng, {{"written exam", 30},
                                                       {"practical lab exam and project", 20},
                                                       {"project", 20},
                                                       {"online proctored exam", 15},
                                                       {"portfolio", 10},
                                                       {"oral exam", 5}}));
    } else {
        c.assessment.reset();
    }
    if (!rng.chance(30)) {
        set(c.participation,
            pick<std::string_view>(rng, {{"online", 40}, {"on site", 35}, {"blended", 25}}));
    } else {
        c.participation.reset();
    }
}

// Credentials a reused application gives up when it shrinks are kept, a few per thread, for
// the next one that grows: their strings keep their memory (a fifth of generation's
// allocations otherwise).
void resize_credentials(std::vector<Credential>& credentials, std::size_t count) {
    thread_local std::vector<Credential> spare;
    constexpr std::size_t spare_limit = 32;
    credentials.reserve(count);
    while (credentials.size() > count) {
        if (spare.size() < spare_limit) spare.push_back(std::move(credentials.back()));
        credentials.pop_back();
    }
    while (credentials.size() < count) {
        if (spare.empty()) {
            credentials.emplace_back();
        } else {
            credentials.push_back(std::move(spare.back()));
            spare.pop_back();
        }
    }
}

// Fills `a`, which may hold an earlier application: every field is assigned or reset, and
// strings and vectors keep their memory.
void make_application(Rng& rng, const Country& home, std::uint64_t index, Application& a) {
    const bool ge = &home == &georgia;
    a.id.assign(home.code).append("-");
    append_number(a.id, index + 1, 7);
    a.date = application_date(rng);
    set(a.jurisdiction, home.code);
    a.learner_id.assign(home.code).append("-");
    append_digits(rng, a.learner_id, ge ? 11 : 10);
    if (rng.chance(500)) {
        // The family name is drawn first, the given name second (as ever: the same bytes).
        const std::string_view family =
            ge ? any_of(rng, georgian_family) : any_of(rng, armenian_family);
        const std::string_view given =
            ge ? any_of(rng, georgian_given) : any_of(rng, armenian_given);
        emptied(a.learner_name).append(given).append(" ").append(family);
    } else {
        a.learner_name.reset();
    }
    a.values_as_of.reset();
    a.overrides.clear();

    Programme& p = a.programme;
    const std::string_view kind = pick<std::string_view>(
        rng,
        {{"bachelor", 70}, {"master", 19}, {"integrated", 6}, {"short_cycle", 3}, {"doctoral", 2}});
    const Field& field = pick_field(rng, kind == "integrated");
    // Most medical and dental students are at the medical university.
    const bool medical = field.integrated == 2 || std::string_view(field.code) == "0913";
    const Institution& institution = medical && rng.chance(700)
                                         ? home.institutions[ge ? 5 : 4]  // TSMU, YSMU
                                         : applicant_institution(rng, home);
    set(p.kind, kind);
    set(p.field, field.code);
    set(p.institution, institution.code);
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> degree{
        {{"bachelor", "BSc"},
         {"master", "MSc"},
         {"integrated", "Int"},
         {"short_cycle", "SC"},
         {"doctoral", "PhD"}}};
    std::string_view short_name = "BSc";
    for (const auto& [k, s] : degree) {
        if (kind == k) short_name = s;
    }
    p.id.assign(institution.code).append("-").append(short_name).append("-").append(field.code);
    emptied(p.title).append(field.title).append(" (").append(short_name).append(")");
    if (kind == "bachelor") {
        p.level = 6;
        p.total_ects = rng.chance(150) ? 180 : 240;
    } else if (kind == "master") {
        p.level = 7;
        p.total_ects = rng.chance(100) ? 90 : 120;
    } else if (kind == "integrated") {
        p.level = 7;
        p.total_ects = std::string_view(field.code) == "0912" ? 360 : 300;
    } else if (kind == "short_cycle") {
        p.level = 5;
        p.total_ects = 120;
    } else {
        p.level = 8;
        p.total_ects = 180;
    }
    if (rng.chance(10)) p.level.reset();
    p.regulated = !field.profession.empty();
    if (!field.profession.empty()) {
        set(p.profession, field.profession);
    } else {
        p.profession.reset();
    }
    p.provides_for_recognition.reset();
    p.mc_cap.reset();
    if (ge) {
        if (!rng.chance(300)) p.provides_for_recognition = true;
    } else {
        const int r = static_cast<int>(rng.below(100));
        if (r < 65) {
            p.provides_for_recognition = true;
            if (!rng.chance(60)) {
                p.mc_cap =
                    pick<double>(rng, {{6, 10}, {10, 15}, {12, 20}, {15, 25}, {20, 15}, {30, 15}});
            }
        } else if (r < 90) {
            p.provides_for_recognition = false;
        }
    }

    // Earlier decisions in the same programme count against the caps first.
    a.prior_recognized.clear();
    if (rng.chance(200)) {
        a.prior_recognized["micro_credential"] =
            kind == "master"
                ? pick<double>(rng, {{5, 1}, {6, 2}, {10, 2}, {12, 1}, {15, 1}, {18, 2}, {20, 1}})
                : pick<double>(rng, {{3, 1},
                                     {5, 1},
                                     {6, 2},
                                     {10, 2},
                                     {12, 1},
                                     {15, 1},
                                     {20, 1},
                                     {24, 1},
                                     {30, 1},
                                     {40, 1},
                                     {45, 1},
                                     {50, 1},
                                     {54, 2},
                                     {58, 1}});
    }
    if (rng.chance(40)) {
        a.prior_recognized["vocational_l5"] =
            pick<double>(rng, {{5, 1}, {10, 1}, {15, 1}, {20, 1}, {25, 1}, {30, 1}});
    }

    const int count = pick<int>(rng, {{1, 340},
                                      {2, 240},
                                      {3, 160},
                                      {4, 100},
                                      {5, 70},
                                      {6, 40},
                                      {7, 20},
                                      {8, 15},
                                      {9, 8},
                                      {10, 7}});
    resize_credentials(a.credentials, static_cast<std::size_t>(count));
    const Context ctx{home, ge, a};
    for (int i = 1; i <= count; ++i) {
        Credential& c = a.credentials[static_cast<std::size_t>(i - 1)];
        // Now and then the same course is submitted twice under another id: a duplicate.
        if (i > 1 && rng.chance(10)) {
            c = a.credentials[static_cast<std::size_t>(i - 2)];
            c.id.assign("c");
            append_number(c.id, static_cast<std::uint64_t>(i));
            continue;
        }
        make_credential(rng, ctx, i, c);
    }
}

}  // namespace

void generate_application(const CohortSpec& spec, std::uint64_t index, Application& out) {
    // One stream per application, from the seed and the index (splitmix64 of both).
    Rng rng(Rng(spec.seed ^ (index * 0xD1B54A32D192ED03ULL)).next());
    const Country* home = &georgia;
    if (spec.jurisdiction == CohortJurisdiction::Armenia) home = &armenia;
    // Both: in proportion to the countries' higher-education students (about 150,000 in
    // Georgia, about 100,000 in Armenia): 60 % GE, 40 % AM.
    if (spec.jurisdiction == CohortJurisdiction::Both && rng.below(10) >= 6) home = &armenia;
    make_application(rng, *home, index, out);
}

Application generate_application(const CohortSpec& spec, std::uint64_t index) {
    Application a;
    generate_application(spec, index, a);
    return a;
}

CohortSummary write_cohort(const CohortSpec& spec, CohortFormat format, std::ostream& out) {
    CohortSummary summary;
    if (format == CohortFormat::Csv) out << cohort_csv_header();
    Application a;  // one application at a time, its memory reused
    for (std::uint64_t i = 0; i < spec.size && out; ++i) {
        generate_application(spec, i, a);
        if (format == CohortFormat::Csv) {
            out << cohort_csv_rows(a);
        } else {
            out << application_json_line(a) << '\n';
        }
        ++summary.applications;
        summary.credentials += a.credentials.size();
    }
    return summary;
}

}  // namespace mcre::engine
