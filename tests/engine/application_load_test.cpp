#include "engine/application_load.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "dsl/diagnostic_render.hpp"

namespace mcre::engine {
namespace {

const char* const k_yaml = R"(id: app-2026-0001
date: 2026-10-15
jurisdiction: GE
learner: { id: GE-01001012345, name: "ნინო ბერიძე" }
programme:
  id: GTU-BSc-CS
  title: "Computer Science"
  kind: bachelor
  level: 6
  total_ects: 240
  field: "0612"
  institution: GTU
  regulated: false
  profession: null
  provides_for_recognition: true
prior_recognized: { micro_credential: 6 }
credentials:
  - id: c1
    kind: micro_credential
    title: "Computer Network Administration for SMEs"
    learner: GE-01001012345
    issuer_country: GE
    awarding_body: "Georgian Technical University"
    issued: 2026-02-20
    learning_outcomes: ["Configure routers", "Secure a small network"]
    hours: 150
    nqf_level: 6
    assessment: "written exam and practical project"
    participation: blended
    qa: accredited_hei
    field: "0612"
    expires: 2031-02-20
    provider_type: hei
    institution_accredited: true
    in_registry: true
  - id: c2
    kind: vocational_l5
    ects: 7.5
    eqf_level: 5
    cycle: short
    revoked: true
)";

const char* const k_json = R"({
  "id": "app-2026-0001",
  "date": "2026-10-15",
  "jurisdiction": "GE",
  "learner": {"id": "GE-01001012345", "name": "ნინო ბერიძე"},
  "programme": {
    "id": "GTU-BSc-CS", "title": "Computer Science", "kind": "bachelor", "level": 6,
    "total_ects": 240, "field": "0612", "institution": "GTU", "regulated": false,
    "profession": null, "provides_for_recognition": true
  },
  "prior_recognized": {"micro_credential": 6},
  "credentials": [
    {
      "id": "c1", "kind": "micro_credential",
      "title": "Computer Network Administration for SMEs",
      "learner": "GE-01001012345", "issuer_country": "GE",
      "awarding_body": "Georgian Technical University", "issued": "2026-02-20",
      "learning_outcomes": ["Configure routers", "Secure a small network"],
      "hours": 150, "nqf_level": 6, "assessment": "written exam and practical project",
      "participation": "blended", "qa": "accredited_hei", "field": "0612",
      "expires": "2031-02-20", "provider_type": "hei", "institution_accredited": true,
      "in_registry": true
    },
    {"id": "c2", "kind": "vocational_l5", "ects": 7.5, "eqf_level": 5, "cycle": "short", "revoked": true}
  ]
}
)";

template <typename T>
std::string opt(const std::optional<T>& v) {
    if (!v) return "-";
    if constexpr (std::is_same_v<T, dsl::Date>) {
        return dsl::format_date(*v);
    } else {
        return fmt::format("{}", *v);
    }
}

// Every field except the line a credential starts on, which differs between layouts.
std::string dump(const Application& a) {
    std::string out = fmt::format("{}|{}|{}|{}|{}|", a.id, a.learner_id, opt(a.learner_name),
                                  opt(a.jurisdiction), dsl::format_date(a.date));
    const Programme& p = a.programme;
    out +=
        fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|", p.id, opt(p.title), opt(p.kind),
                    opt(p.level), opt(p.total_ects), opt(p.field), opt(p.institution), p.regulated,
                    opt(p.profession), opt(p.provides_for_recognition), opt(p.mc_cap));
    for (const auto& [kind, n] : a.prior_recognized) out += fmt::format("{}={}|", kind, n);
    for (const Credential& c : a.credentials) {
        out += fmt::format("\n{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|", c.id, opt(c.kind),
                           opt(c.title), opt(c.learner), opt(c.issuer_country),
                           opt(c.awarding_body), opt(c.issued), fmt::join(c.learning_outcomes, ";"),
                           opt(c.ects), opt(c.hours), opt(c.nqf_level), opt(c.eqf_level),
                           opt(c.cycle), opt(c.assessment));
        out += fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}", opt(c.participation), opt(c.qa),
                           opt(c.field), opt(c.expires), c.revoked, opt(c.provider_type),
                           opt(c.programme_accredited), opt(c.institution_accredited),
                           opt(c.in_registry));
    }
    return out;
}

LoadResult load(const std::string& text) {
    return load_application(dsl::SourceFile("app.yaml", text));
}

std::string rendered(const LoadResult& r, const std::string& text) {
    return dsl::render_all(r.diagnostics, dsl::SourceFile("app.yaml", text));
}

TEST_CASE("the same application in YAML and in JSON loads to the same facts", "[engine][load]") {
    LoadResult yaml = load(k_yaml);
    LoadResult json = load(k_json);
    INFO(rendered(yaml, k_yaml) << rendered(json, k_json));
    REQUIRE(yaml.application);
    REQUIRE(json.application);
    CHECK(dump(*yaml.application) == dump(*json.application));

    const Application& a = *yaml.application;
    CHECK(a.learner_name == "ნინო ბერიძე");
    CHECK(a.programme.field == "0612");
    CHECK_FALSE(a.programme.profession);
    CHECK(a.prior_recognized.at("micro_credential") == 6);
    REQUIRE(a.credentials.size() == 2);
    CHECK(a.credentials[0].hours == 150);
    CHECK_FALSE(a.credentials[0].ects);
    CHECK(a.credentials[0].learning_outcomes.size() == 2);
    CHECK(a.credentials[1].ects == 7.5);
    CHECK(a.credentials[1].revoked);
    CHECK_FALSE(a.credentials[0].revoked);
}

TEST_CASE("each credential remembers the line it starts on", "[engine][load]") {
    LoadResult r = load(k_yaml);
    REQUIRE(r.application);
    CHECK(r.application->credentials[0].line == 18);
    CHECK(r.application->credentials[1].line == 36);
}

TEST_CASE("a misspelt field is an error with a did-you-mean, not a silently missing element",
          "[engine][load]") {
    const std::string text =
        "id: a\ndate: 2026-10-15\nlearner: { id: L1 }\nprogramme: { id: P1 }\ncredentials:\n"
        "  - id: c1\n    ectss: 6\n";
    LoadResult r = load(text);
    CHECK_FALSE(r.application);
    REQUIRE(r.diagnostics.size() == 1);
    const dsl::Diagnostic& d = r.diagnostics[0];
    CHECK(d.code == "E4004");
    CHECK(d.message == "unknown field 'ectss' in credential c1");
    CHECK(d.hint == "did you mean 'ects'?");
    dsl::SourceFile source("app.yaml", text);
    CHECK(source.location(d.span).line == 7);
    CHECK(source.location(d.span).column == 5);
    CHECK(rendered(r, text).find(
              "app.yaml:7:5: error: unknown field 'ectss' in credential c1 [E4004]") !=
          std::string::npos);
}

TEST_CASE("an unknown field far from every name lists the fields instead", "[engine][load]") {
    LoadResult r = load(
        "id: a\ndate: 2026-10-15\nlearner: { id: L1, passport: X }\nprogramme: { id: P1 "
        "}\ncredentials: []\n");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "E4004");
    CHECK(r.diagnostics[0].hint == "the fields of the learner are: id, name");
}

TEST_CASE("an invalid date is E4005 pointing at the value", "[engine][load]") {
    const std::string text =
        "id: a\ndate: 2026-10-15\nlearner: { id: L1 }\nprogramme: { id: P1 }\ncredentials:\n"
        "  - id: c1\n    issued: 2026-02-30\n";
    LoadResult r = load(text);
    REQUIRE(r.diagnostics.size() == 1);
    const dsl::Diagnostic& d = r.diagnostics[0];
    CHECK(d.code == "E4005");
    CHECK(d.message == "'issued' of credential c1 is not a valid date: '2026-02-30'");
    dsl::SourceFile source("app.yaml", text);
    CHECK(source.location(d.span).line == 7);
    CHECK(source.location(d.span).column == 13);
    CHECK(d.span.end - d.span.begin == 10);
}

TEST_CASE("every problem in a document is reported in one run, in order", "[engine][load]") {
    const std::string text =
        "id: a\n"
        "date: 2026-13-45\n"
        "learner: { name: X }\n"
        "programme: { id: P1, kind: bachelr, field: 0612 }\n"
        "credentials:\n"
        "  - id: c1\n"
        "    titel: A typo\n"
        "    ects: \"6\"\n"
        "    hours: -3\n"
        "    nqf_level: 9\n"
        "    revoked: yes\n"
        "  - kind: micro_credential\n";
    LoadResult r = load(text);
    CHECK_FALSE(r.application);
    std::vector<std::string> codes;
    for (const auto& d : r.diagnostics) codes.push_back(d.code);
    CHECK(codes == std::vector<std::string>{"E4005", "E4003", "E4005", "E4002", "E4004", "E4002",
                                            "E4005", "E4005", "E4002", "E4003"});
    CHECK(r.diagnostics[3].hint == "write it in quotes, \"0612\", so leading zeros are kept");
    CHECK(r.diagnostics[2].hint == "did you mean 'bachelor'?");
    CHECK(r.diagnostics[5].hint == "remove the quotes");
}

TEST_CASE("a syntax error is E4001 at the place the parser stopped", "[engine][load]") {
    const std::string text = "id: a\ncredentials: [1,\n";
    LoadResult r = load(text);
    CHECK_FALSE(r.application);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "E4001");
    CHECK(r.diagnostics[0].message.find("not valid YAML or JSON") != std::string::npos);
    CHECK(dsl::SourceFile("a", text).location(r.diagnostics[0].span).line >= 2);
}

TEST_CASE("a repeated key is reported rather than one value silently winning", "[engine][load]") {
    LoadResult r = load(
        "id: a\nid: b\ndate: 2026-10-15\nlearner: { id: L1 }\nprogramme: { id: P1 }\ncredentials: "
        "[]\n");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "E4001");
    CHECK(r.diagnostics[0].message == "field 'id' appears twice in the application");
}

TEST_CASE("an empty document and a missing credentials list are E4003", "[engine][load]") {
    CHECK(load("").diagnostics.at(0).code == "E4003");
    LoadResult r = load("id: a\ndate: 2026-10-15\nlearner: { id: L1 }\nprogramme: { id: P1 }\n");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "E4003");
    CHECK(r.diagnostics[0].message == "the application has no 'credentials'");
}

TEST_CASE("duplicate credential ids load; the evaluator reports them", "[engine][load]") {
    LoadResult r = load(
        "id: a\ndate: 2026-10-15\nlearner: { id: L1 }\nprogramme: { id: P1 }\n"
        "credentials: [{ id: c1 }, { id: c1 }]\n");
    REQUIRE(r.application);
    CHECK(r.application->credentials.size() == 2);
}

}  // namespace
}  // namespace mcre::engine

namespace mcre::engine {
namespace {

nlohmann::json application_schema() {
    std::ifstream in(std::string(MCRE_SOURCE_DIR) + "/schema/application.schema.json");
    REQUIRE(in);
    return nlohmann::json::parse(in);
}

std::vector<std::string> unknown_field_messages(const std::string& text) {
    std::vector<std::string> out;
    for (const auto& d : load(text).diagnostics) {
        if (d.code == "E4004") out.push_back(d.message);
    }
    return out;
}

TEST_CASE("every field the JSON schema documents is one the loader accepts", "[engine][load]") {
    nlohmann::json schema = application_schema();
    const std::string base =
        "id: a\ndate: 2026-10-15\nlearner: { id: L1 }\nprogramme: { id: P1 }\n";
    for (const auto& [key, _] : schema["properties"].items()) {
        if (key == "id" || key == "date" || key == "learner" || key == "programme") continue;
        INFO("application." << key);
        CHECK(unknown_field_messages(base + key + ": null\ncredentials: []\n").empty());
    }
    for (const auto& [key, _] : schema["properties"]["learner"]["properties"].items()) {
        INFO("learner." << key);
        CHECK(unknown_field_messages("id: a\ndate: 2026-10-15\nlearner: { id: L1, " + key +
                                     ": null }\nprogramme: { id: P1 }\ncredentials: []\n")
                  .empty());
    }
    for (const auto& [key, _] : schema["$defs"]["programme"]["properties"].items()) {
        INFO("programme." << key);
        CHECK(unknown_field_messages(
                  "id: a\ndate: 2026-10-15\nlearner: { id: L1 }\nprogramme: { id: P1, " + key +
                  ": null }\ncredentials: []\n")
                  .empty());
    }
    std::size_t credential_fields = 0;
    for (const auto& [key, _] : schema["$defs"]["credential"]["properties"].items()) {
        ++credential_fields;
        INFO("credential." << key);
        CHECK(unknown_field_messages(base + "credentials:\n  - { id: c1, " + key + ": null }\n")
                  .empty());
    }
    // and no more: the loader knows exactly the 25 credential fields the schema lists
    CHECK(credential_fields == 25);
    CHECK(unknown_field_messages(base + "credentials:\n  - { id: c1, grade: A }\n").size() == 1);
}

// Officers' overrides (docs/input-format.md, "Overrides").
const std::string k_with_credential =
    "id: a\ndate: 2026-10-15\nlearner: { id: L1 }\nprogramme: { id: P1 }\ncredentials:\n"
    "  - { id: c1, ects: 6 }\noverrides:\n";

TEST_CASE("overrides load with their ids, author, date and reason", "[engine][load][overrides]") {
    const std::string text = k_with_credential +
                             "  - { credential: c1, waive: recency, author: \"N. B.\", date: "
                             "2026-11-20, reason: \"r1\" }\n"
                             "  - { id: qa-1, credential: c1, set: { qa: eqar_agency }, author: "
                             "\"N. B.\", date: 2026-11-21, reason: \"r2\" }\n"
                             "  - { credential: c1, set: { field: \"0612\" }, author: \"N. B.\", "
                             "date: 2026-11-21, reason: \"r3\" }\n";
    LoadResult r = load(text);
    INFO(rendered(r, text));
    REQUIRE(r.application);
    const std::vector<Override>& o = r.application->overrides;
    REQUIRE(o.size() == 3);
    CHECK(o[0].id == "o1");
    CHECK(o[0].credential == "c1");
    CHECK(o[0].waive == "recency");
    CHECK(o[0].author == "N. B.");
    CHECK(dsl::format_date(o[0].date) == "2026-11-20");
    CHECK(o[0].pointer == "/overrides/0/waive");
    CHECK(o[1].id == "qa-1");
    CHECK(o[1].fact == "qa");
    CHECK(o[1].value == "eqar_agency");
    CHECK(o[2].id == "o3");
    CHECK(o[2].value == "0612");
}

struct OverrideCase {
    const char* entry;
    const char* code;
    const char* message;
    int line;
    int column;
};

TEST_CASE("a bad override is a load error at its place, saying how to fix it",
          "[engine][load][overrides]") {
    auto c = GENERATE(values<OverrideCase>({
        {"  - credential: c2\n    waive: recency\n    author: A\n    date: 2026-11-20\n"
         "    reason: r\n",
         "E4011", "override o1 names credential 'c2', which is not in this application", 8, 17},
        {"  - credential: c1\n    waive: recency\n    date: 2026-11-20\n    reason: r\n", "E4003",
         "override o1 does not say its author", 8, 5},
        {"  - credential: c1\n    waive: recency\n    set: { qa: x }\n    author: A\n"
         "    date: 2026-11-20\n    reason: r\n",
         "E4012", "override o1 both waives a check and sets a fact", 10, 10},
        {"  - credential: c1\n    author: A\n    date: 2026-11-20\n    reason: r\n", "E4012",
         "override o1 neither waives a check nor sets a fact", 8, 5},
        {"  - credential: c1\n    set: { nqf_level: 9 }\n    author: A\n    date: 2026-11-20\n"
         "    reason: r\n",
         "E4005", "'nqf_level' of override o1 'set' must be a whole level from 1 to 8", 9, 23},
        {"  - credential: c1\n    set: { field: 612 }\n    author: A\n    date: 2026-11-20\n"
         "    reason: r\n",
         "E4002", "'field' of override o1 'set' must be a quoted code, not a number", 9, 19},
        {"  - credential: c1\n    set: { levl: 6 }\n    author: A\n    date: 2026-11-20\n"
         "    reason: r\n",
         "E4004", "unknown field 'levl' in override o1 'set'", 9, 12},
        {"  - credential: c1\n    set: { qa: a, field: \"06\" }\n    author: A\n"
         "    date: 2026-11-20\n    reason: r\n",
         "E4012", "override o1 must set exactly one fact, not 2", 9, 10},
        {"  - credential: c1\n    waive: recency\n    author: A\n    date: 2026-13-20\n"
         "    reason: r\n",
         "E4005", "'date' of override o1 is not a valid date: '2026-13-20'", 11, 11},
        {"  - credential: c1\n    waive: \"the recency rule\"\n    author: A\n"
         "    date: 2026-11-20\n    reason: r\n",
         "E4005",
         "override o1: 'the recency rule' is not the name of a rule, exclusion or exception", 9,
         12},
    }));
    const std::string text = k_with_credential + c.entry;
    LoadResult r = load(text);
    INFO(rendered(r, text));
    CHECK_FALSE(r.application);
    REQUIRE(r.diagnostics.size() == 1);
    const dsl::Diagnostic& d = r.diagnostics[0];
    CHECK(d.code == c.code);
    CHECK(d.message == c.message);
    // The errors particular to overrides say how to fix them; the others are the loader's own.
    if (std::string(c.code) == "E4011" || std::string(c.code) == "E4012" ||
        std::string(c.code) == "E4003") {
        CHECK_FALSE(d.hint.empty());
    }
    dsl::SourceFile source("app.yaml", text);
    CHECK(source.location(d.span).line == c.line);
    CHECK(source.location(d.span).column == c.column);
}

TEST_CASE("an unknown credential in an override suggests the nearest id",
          "[engine][load][overrides]") {
    LoadResult r = load(k_with_credential +
                        "  - { credential: c1, waive: r, author: A, date: 2026-11-20, reason: x "
                        "}\n  - { id: o1, credential: c1, waive: r, author: A, date: 2026-11-20, "
                        "reason: x }\n  - { credential: c11, waive: r, author: A, date: "
                        "2026-11-20, reason: x }\n");
    REQUIRE(r.diagnostics.size() == 2);
    // The second one's id repeats the first's default id.
    CHECK(r.diagnostics[0].code == "E4012");
    CHECK(r.diagnostics[0].message == "override id 'o1' is used twice");
    CHECK(r.diagnostics[1].code == "E4011");
    CHECK(r.diagnostics[1].hint == "did you mean 'c1'?");
}

// The JSON limit scan skips strings to their closing quote: an escaped quote or a backslash at
// a string's end must neither end it early nor let it run on.
TEST_CASE("JSON limits count credentials past strings with escaped quotes and backslashes") {
    const std::string tricky =
        R"({"id":"a","title":"say \"credentials\": [","path":"C:\\","credentials":[)";
    LoadOptions options;
    options.limits.max_credentials = 2;
    auto with = [&](int credentials) {
        std::string text = tricky;
        for (int i = 0; i < credentials; ++i) {
            text += fmt::format(R"({}{{"id":"c{}","title":"\"{}\\"}})", i == 0 ? "" : ",", i, i);
        }
        return load_application(dsl::SourceFile("app.json", text + "]}"), options);
    };
    auto codes = [](const LoadResult& r) {
        std::vector<std::string> out;
        for (const auto& d : r.diagnostics) out.push_back(d.code);
        return out;
    };
    CHECK_THAT(codes(with(2)), !Catch::VectorContains(std::string("E4051")));
    const LoadResult three = with(3);
    REQUIRE(codes(three) == std::vector<std::string>{"E4051"});
    CHECK(three.diagnostics[0].pointer == "/credentials/2");
}

}  // namespace
}  // namespace mcre::engine
