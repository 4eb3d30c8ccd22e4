// The distributions below are documented, with their sources and assumptions, in
// docs/cohorts.md ("Generating a cohort"); change both together.

#include "engine/cohort_generator.hpp"

#include <array>
#include <initializer_list>
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

template <typename T>
const T& pick(Rng& rng, std::initializer_list<Weighted<T>> options) {
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
    const char* code;
    const char* name;
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
    const char* code;  // ISCED-F 2013 detailed field
    const char* title;
    const char* profession;  // regulated profession, or null
    // 0: bachelor's and master's only; 1: also integrated (one-cycle); 2: integrated only
    int integrated;
    std::uint32_t weight;  // share of bachelor's and master's students (ASSUMPTION)
};

constexpr std::array<Field, 24> fields{{
    {"0413", "Business Administration", nullptr, 0, 16},
    {"0311", "Economics", nullptr, 0, 6},
    {"0412", "Finance and Banking", nullptr, 0, 5},
    {"0421", "Law", "lawyer", 0, 9},
    {"0612", "Computer Networks and Systems", nullptr, 0, 5},
    {"0613", "Computer Science", nullptr, 0, 9},
    {"0714", "Electronics and Automation", nullptr, 0, 3},
    {"0715", "Mechanical Engineering", nullptr, 0, 3},
    {"0732", "Civil Engineering", nullptr, 0, 4},
    {"0731", "Architecture", "architect", 1, 2},
    {"0313", "Psychology", nullptr, 0, 5},
    {"0312", "International Relations", nullptr, 0, 4},
    {"0232", "English Philology", nullptr, 0, 5},
    {"0222", "History", nullptr, 0, 2},
    {"0541", "Mathematics", nullptr, 0, 2},
    {"0533", "Physics", nullptr, 0, 1},
    {"1015", "Tourism Management", nullptr, 0, 4},
    {"1041", "Maritime Navigation", "ship navigator", 0, 1},
    {"0811", "Agronomy", nullptr, 0, 2},
    {"0913", "Nursing", "general care nurse", 0, 2},
    {"0912", "Medicine", "medical doctor", 2, 7},
    {"0911", "Dentistry", "dentist", 2, 2},
    {"0916", "Pharmacy", "pharmacist", 2, 1},
    {"0114", "Teacher Education", "teacher", 1, 2},
}};

// Broad ISCED-F field (first two digits) -> titles of the micro-credentials offered in it;
// the MICRO-GEAR pilot courses first.
struct Titles {
    const char* broad;
    std::array<const char*, 6> titles;
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

constexpr std::array<const char*, 10> georgian_given{
    {"ნინო", "გიორგი", "მარიამ", "ლევან", "ანა", "დავით", "თამარ", "ლუკა", "ნიკა", "სალომე"}};
constexpr std::array<const char*, 10> georgian_family{
    {"ბერიძე", "მაისურაძე", "კაპანაძე", "გელაშვილი", "ჯაფარიძე", "ლომიძე", "ხარაიშვილი", "ნოზაძე",
     "ტაბატაძე", "ქავთარაძე"}};
constexpr std::array<const char*, 10> armenian_given{
    {"Անի", "Արամ", "Մարիամ", "Դավիթ", "Նարեկ", "Լիլիթ", "Տիգրան", "Գայանե", "Հայկ", "Նունե"}};
constexpr std::array<const char*, 10> armenian_family{
    {"Հովհաննիսյան", "Պետրոսյան", "Սարգսյան", "Գրիգորյան", "Հարությունյան", "Կարապետյան",
     "Խաչատրյան", "Մկրտչյան", "Վարդանյան", "Ավետիսյան"}};

struct Foreign {
    const char* country;
    const char* university;
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

constexpr std::array<const char*, 5> foreign_providers{
    {"Cisco Networking Academy", "Google Career Certificates", "SAP Learning Hub",
     "Deutsche Telekom Training GmbH", "Coursera Inc."}};

struct Country {
    const char* code;
    const Institution* institutions;
    std::size_t institution_count;
    const char* non_formal_provider;
    std::array<const char*, 3> vet_colleges;
    const char* script_title;  // a micro-credential title in the national script
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
const Field& pick_field(Rng& rng, bool integrated) {
    auto weight = [&](const Field& f) {
        return (integrated ? f.integrated > 0 : f.integrated < 2) ? f.weight : 0U;
    };
    std::uint32_t total = 0;
    for (const Field& f : fields) total += weight(f);
    std::uint32_t r = rng.below(total);
    for (const Field& f : fields) {
        const std::uint32_t w = weight(f);
        if (r < w) return f;
        r -= w;
    }
    return fields[0];
}

// Mostly the programme's own field, sometimes a neighbouring or unrelated one.
std::string credential_field(Rng& rng, const std::string& programme_field) {
    const int roll = static_cast<int>(rng.below(100));
    if (roll < 65) return programme_field;
    return pick_field(rng, false).code;
}

std::string title_for(Rng& rng, const std::string& field, const Country& home) {
    if (rng.chance(40)) return home.script_title;
    for (const Titles& t : titles_by_field) {
        if (field.compare(0, 2, t.broad) == 0) return any_of(rng, t.titles);
    }
    return any_of(rng, titles_by_field[static_cast<std::size_t>(rng.below(9))].titles);
}

std::string digits(Rng& rng, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += static_cast<char>('0' + rng.below(10));
    return out;
}

std::string padded(std::uint64_t n, std::size_t width) {
    std::string s = std::to_string(n);
    return s.size() >= width ? s : std::string(width - s.size(), '0') + s;
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

struct Context {
    const Country& home;
    const Application& application;
};

Credential make_credential(Rng& rng, const Context& ctx, int number) {
    const Application& app = ctx.application;
    const bool ge = std::string(ctx.home.code) == "GE";
    Credential c;
    c.id = "c" + std::to_string(number);
    c.kind = ge ? pick<std::string_view>(rng, {{"micro_credential", 72},
                                               {"vocational_l5", 12},
                                               {"non_formal", 8},
                                               {"course_units", 8}})
                : pick<std::string_view>(rng, {{"micro_credential", 80},
                                               {"vocational_l5", 6},
                                               {"non_formal", 9},
                                               {"course_units", 5}});
    const std::string& kind = *c.kind;
    const bool domestic = kind == "vocational_l5" ? !rng.chance(50) : !rng.chance(220);

    // Provider and quality assurance.
    bool hei = true;
    if (kind == "vocational_l5") {
        hei = false;
        c.provider_type = "vet";
        c.awarding_body = any_of(rng, ctx.home.vet_colleges);
    } else if (kind == "non_formal") {
        hei = false;
        c.provider_type = "non_formal";
        c.awarding_body = domestic ? ctx.home.non_formal_provider : any_of(rng, foreign_providers);
    } else if (kind == "micro_credential" && rng.chance(domestic ? 100 : 200)) {
        hei = false;
        c.provider_type = "non_formal";
        c.awarding_body = domestic ? ctx.home.non_formal_provider : any_of(rng, foreign_providers);
    } else {
        c.provider_type = "hei";
    }
    if (domestic) {
        c.issuer_country = ctx.home.code;
        if (hei) {
            c.awarding_body = pick_institution(rng, ctx.home).name;
        }
    } else {
        const bool ge_home = ge;
        const Foreign* f = nullptr;
        std::uint32_t total = 0;
        for (const Foreign& x : foreign_universities) total += x.weight;
        const std::uint32_t neighbour = 12;  // the other MICRO-GEAR country
        std::uint32_t r = rng.below(total + neighbour);
        if (r >= total) {
            c.issuer_country = ge_home ? "AM" : "GE";
            if (hei)
                c.awarding_body =
                    ge_home ? "Yerevan State University" : "Georgian Technical University";
        } else {
            for (const Foreign& x : foreign_universities) {
                if (r < x.weight) {
                    f = &x;
                    break;
                }
                r -= x.weight;
            }
            c.issuer_country = f != nullptr ? f->country : "DE";
            if (hei)
                c.awarding_body = f != nullptr ? f->university : "Technical University of Munich";
        }
    }
    if (hei) {
        c.qa = domestic ? pick<std::string_view>(
                              rng, {{"accredited_hei", 92}, {"none", 2}, {"", 4}, {"registry", 2}})
                        : pick<std::string_view>(rng, {{"accredited_hei", 50},
                                                       {"eqar_agency", 32},
                                                       {"national_agency", 8},
                                                       {"none", 3},
                                                       {"", 7}});
    } else if (kind == "vocational_l5") {
        c.qa = pick<std::string_view>(rng, {{"accredited_hei", 85}, {"none", 5}, {"", 10}});
    } else {
        c.qa = pick<std::string_view>(
            rng, {{"third_party_certification", 60}, {"eqar_agency", 8}, {"none", 16}, {"", 16}});
    }
    if (c.qa->empty()) c.qa.reset();
    if (domestic && kind != "vocational_l5") {
        const std::string_view r =
            hei ? pick<std::string_view>(rng, {{"true", 82}, {"false", 12}, {"", 6}})
                : pick<std::string_view>(rng, {{"false", 60}, {"", 40}});
        if (!r.empty()) c.in_registry = r == "true";
    }
    const std::string_view accredited =
        hei || kind == "vocational_l5"
            ? pick<std::string_view>(rng, {{"true", 80}, {"false", 12}, {"", 8}})
            : pick<std::string_view>(rng, {{"false", 50}, {"", 50}});
    if (!accredited.empty()) c.programme_accredited = accredited == "true";
    const std::string_view institution =
        pick<std::string_view>(rng, {{"true", 94}, {"false", 3}, {"", 3}});
    if (!institution.empty() && (hei || kind == "vocational_l5")) {
        c.institution_accredited = institution == "true";
    }

    // Field, title, outcomes.
    c.field = credential_field(rng, app.programme.field.value_or("0413"));
    if (!rng.chance(10)) c.title = title_for(rng, *c.field, ctx.home);
    if (!rng.chance(30)) {
        const std::string topic = c.title ? *c.title : std::string("the course");
        c.learning_outcomes.push_back("apply the methods of " + topic + " to realistic tasks");
        if (rng.chance(700)) {
            c.learning_outcomes.push_back("evaluate results and explain them to non-specialists");
        }
    }

    // Workload: ECTS, hours, both or neither.
    double ects = 0;
    if (kind == "vocational_l5") {
        ects =
            pick<double>(rng, {{10, 20}, {15, 20}, {20, 20}, {25, 10}, {30, 15}, {40, 8}, {60, 7}});
    } else if (kind == "non_formal") {
        ects = pick<double>(rng, {{1, 15}, {2, 25}, {3, 25}, {4, 15}, {6, 15}, {10, 5}});
    } else if (kind == "course_units") {
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
    const bool hours_only = kind == "non_formal" ? workload < 60 : workload < 18;
    if (workload < (kind == "non_formal" ? 5 : 3)) {
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
    const std::string programme_kind = app.programme.kind.value_or("bachelor");
    int level = 0;
    if (kind == "vocational_l5") {
        level = rng.chance(100) ? 4 : 5;
    } else if (programme_kind == "master" || programme_kind == "doctoral") {
        level = pick<int>(rng, {{7, 60}, {6, 28}, {5, 6}, {8, 6}});
    } else {
        level = pick<int>(rng, {{6, 62}, {7, 18}, {5, 12}, {4, 6}, {8, 2}});
    }
    const int stated = static_cast<int>(rng.below(100));
    if (stated >= 6) {  // 6 % state no level
        const bool home_framework =
            c.issuer_country == ctx.home.code || c.issuer_country == std::string(ge ? "AM" : "GE");
        if (home_framework) {
            c.nqf_level = level;
            if (rng.chance(150))
                c.eqf_level = rng.chance(100) ? (level == 8 ? 7 : level + 1) : level;
        } else if (stated < 12 && level >= 5 && level <= 7) {
            c.cycle = level == 5 ? "short" : level == 6 ? "first" : "second";
        } else {
            c.eqf_level = level;
        }
    }

    // Dates: most credentials are recent; some are older than five years, a few expired,
    // revoked or dated after the application.
    const int age = pick<int>(rng, {{0, 40}, {1, 22}, {2, 13}, {3, 15}, {5, 8}});
    int days = age * 365 + static_cast<int>(rng.below(age == 3 ? 730U : 365U));
    if (rng.chance(5)) days = -1 - static_cast<int>(rng.below(60));
    if (!rng.chance(20)) c.issued = dsl::Date{app.date.days - days};
    if (c.issued && rng.chance(250)) {
        c.expires = dsl::add_years(*c.issued, rng.chance(500) ? 3 : 5);
    }
    c.revoked = rng.chance(3);

    // The other mandatory elements, each missing now and then.
    if (!rng.chance(20)) {
        c.learner =
            rng.chance(5) ? ctx.home.code + std::string("-") + digits(rng, 11) : app.learner_id;
    }
    if (rng.chance(10)) c.awarding_body.reset();
    if (rng.chance(10)) c.issuer_country.reset();
    if (!rng.chance(30)) {
        c.assessment = pick<std::string_view>(rng, {{"written exam", 30},
                                                    {"practical lab exam and project", 20},
                                                    {"project", 20},
                                                    {"online proctored exam", 15},
                                                    {"portfolio", 10},
                                                    {"oral exam", 5}});
    }
    if (!rng.chance(30)) {
        c.participation =
            pick<std::string_view>(rng, {{"online", 40}, {"on site", 35}, {"blended", 25}});
    }
    return c;
}

Application make_application(Rng& rng, const Country& home, std::uint64_t index) {
    const bool ge = std::string(home.code) == "GE";
    Application a;
    a.id = std::string(home.code) + "-" + padded(index + 1, 7);
    a.date = application_date(rng);
    a.jurisdiction = home.code;
    a.learner_id = std::string(home.code) + "-" + digits(rng, ge ? 11 : 10);
    if (rng.chance(500)) {
        a.learner_name =
            ge ? std::string(any_of(rng, georgian_given)) + " " + any_of(rng, georgian_family)
               : std::string(any_of(rng, armenian_given)) + " " + any_of(rng, armenian_family);
    }

    Programme& p = a.programme;
    const std::string_view kind = pick<std::string_view>(
        rng,
        {{"bachelor", 70}, {"master", 19}, {"integrated", 6}, {"short_cycle", 3}, {"doctoral", 2}});
    const Field& field = pick_field(rng, kind == "integrated");
    // Most medical and dental students are at the medical university.
    const bool medical = field.integrated == 2 || std::string(field.code) == "0913";
    const Institution& institution = medical && rng.chance(700)
                                         ? home.institutions[ge ? 5 : 4]  // TSMU, YSMU
                                         : applicant_institution(rng, home);
    p.kind = kind;
    p.field = field.code;
    p.institution = institution.code;
    static constexpr std::array<std::pair<const char*, const char*>, 5> degree{
        {{"bachelor", "BSc"},
         {"master", "MSc"},
         {"integrated", "Int"},
         {"short_cycle", "SC"},
         {"doctoral", "PhD"}}};
    const char* short_name = "BSc";
    for (const auto& [k, s] : degree) {
        if (kind == k) short_name = s;
    }
    p.id = std::string(institution.code) + "-" + short_name + "-" + field.code;
    p.title = std::string(field.title) + " (" + short_name + ")";
    if (kind == "bachelor") {
        p.level = 6;
        p.total_ects = rng.chance(150) ? 180 : 240;
    } else if (kind == "master") {
        p.level = 7;
        p.total_ects = rng.chance(100) ? 90 : 120;
    } else if (kind == "integrated") {
        p.level = 7;
        p.total_ects = std::string(field.code) == "0912" ? 360 : 300;
    } else if (kind == "short_cycle") {
        p.level = 5;
        p.total_ects = 120;
    } else {
        p.level = 8;
        p.total_ects = 180;
    }
    if (rng.chance(10)) p.level.reset();
    if (field.profession != nullptr) {
        p.regulated = true;
        p.profession = field.profession;
    }
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
    const Context ctx{home, a};
    for (int i = 1; i <= count; ++i) {
        // Now and then the same course is submitted twice under another id: a duplicate.
        if (i > 1 && rng.chance(10)) {
            Credential copy = a.credentials.back();
            copy.id = "c" + std::to_string(i);
            a.credentials.push_back(std::move(copy));
            continue;
        }
        a.credentials.push_back(make_credential(rng, ctx, i));
    }
    return a;
}

}  // namespace

Application generate_application(const CohortSpec& spec, std::uint64_t index) {
    // One stream per application, from the seed and the index (splitmix64 of both).
    Rng rng(Rng(spec.seed ^ (index * 0xD1B54A32D192ED03ULL)).next());
    const Country* home = &georgia;
    if (spec.jurisdiction == CohortJurisdiction::Armenia) home = &armenia;
    // Both: in proportion to the countries' higher-education students (about 150,000 in
    // Georgia, about 100,000 in Armenia): 60 % GE, 40 % AM.
    if (spec.jurisdiction == CohortJurisdiction::Both && rng.below(10) >= 6) home = &armenia;
    return make_application(rng, *home, index);
}

CohortSummary write_cohort(const CohortSpec& spec, CohortFormat format, std::ostream& out) {
    CohortSummary summary;
    if (format == CohortFormat::Csv) out << cohort_csv_header();
    std::string text;
    for (std::uint64_t i = 0; i < spec.size && out; ++i) {
        const Application a = generate_application(spec, i);
        text = format == CohortFormat::Csv ? cohort_csv_rows(a) : application_json_line(a) + "\n";
        out << text;
        ++summary.applications;
        summary.credentials += a.credentials.size();
    }
    return summary;
}

}  // namespace mcre::engine
