#include "engine/elm_load.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "dsl/date.hpp"
#include "dsl/diagnostic_render.hpp"
#include "engine/application_load.hpp"

namespace mcre::engine {
namespace {

std::string read_example(const std::string& relative) {
    std::ifstream in(std::string(MCRE_SOURCE_DIR) + "/" + relative, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

ElmReadResult read_example_credential(const std::string& relative) {
    return read_elm_credential(dsl::SourceFile(relative, read_example(relative)));
}

bool lists(const std::vector<std::string>& all, const std::string& one) {
    return std::find(all.begin(), all.end(), one) != all.end();
}

TEST_CASE("An ELM micro-credential from GTU maps field by field") {
    ElmReadResult r = read_example_credential("examples/elm/gtu-network-security.jsonld");
    INFO((r.problems.empty() ? std::string() : r.problems.front().message));
    REQUIRE(r.credential);
    const Credential& c = *r.credential;
    CHECK(r.format == "ELM");
    CHECK(c.source_id == "urn:epass:certificate:4f2b9c1e-7a35-4d8e-9b61-2c0e5a7d3f18");
    CHECK(c.id == *c.source_id);
    CHECK(c.title == "Network Security for SMEs");  // English of the language map
    CHECK(c.learner == "GE-01024056789");           // nationalID, not the urn
    CHECK(c.awarding_body == "Georgian Technical University");
    CHECK(c.issuer_country == "GE");  // .../country/GEO
    REQUIRE(c.issued);
    CHECK(dsl::format_date(*c.issued) == "2026-02-27");  // awardingDate before issuanceDate
    CHECK(c.ects == 6.0);
    CHECK(c.hours == 150.0);  // PT150H
    CHECK(c.eqf_level == 6);
    CHECK(c.nqf_level == 6);
    CHECK(c.field == "0612");
    CHECK(c.participation == "blended");
    CHECK(c.assessment == "Practical lab exam and incident-response project (grade: 91/100)");
    REQUIRE(c.learning_outcomes.size() == 3);
    CHECK(c.learning_outcomes[0] == "assess the security risks of a small business network");
    CHECK(c.institution_accredited == true);
    CHECK(c.qa == "accredited");
    CHECK(c.kind == "micro_credential");  // the Micro-credential profile
    CHECK_FALSE(c.expires);
    CHECK(r.absent.empty());
}

TEST_CASE("An ELM credential without level and learning outcomes leaves them absent") {
    ElmReadResult r = read_example_credential("examples/elm/gtu-iot-basics.jsonld");
    REQUIRE(r.credential);
    const Credential& c = *r.credential;
    CHECK_FALSE(c.eqf_level);
    CHECK_FALSE(c.nqf_level);
    CHECK(c.learning_outcomes.empty());
    CHECK(c.ects == 4.0);
    CHECK(dsl::format_date(*c.issued) == "2026-06-10");
    CHECK(lists(r.absent, "level"));
    CHECK(lists(r.absent, "learning outcomes"));
    CHECK(lists(r.absent, "quality assurance"));
    CHECK_FALSE(lists(r.absent, "workload"));
    CHECK_FALSE(lists(r.absent, "title"));
}

TEST_CASE("An Open Badges 3.0 credential maps where it carries the same facts") {
    ElmReadResult r = read_example_credential("examples/elm/ug-data-visualisation.ob3.jsonld");
    REQUIRE(r.credential);
    const Credential& c = *r.credential;
    CHECK(r.format == "Open Badges 3.0");
    CHECK(c.source_id == "urn:uuid:3c9e6f0a-58d2-4b1e-a7c4-0f21d8b96e57");
    CHECK(c.title == "Data Visualisation with Python");
    CHECK(c.awarding_body == "University of Georgia (UG)");
    CHECK(c.issuer_country == "GE");
    CHECK(c.learner == "GE-01024056789");
    CHECK(dsl::format_date(*c.issued) == "2026-05-15");  // awardedDate
    CHECK(c.ects == 5.0);
    CHECK(c.eqf_level == 6);
    CHECK(c.field == "0542");
    CHECK(c.kind == "micro_credential");
    CHECK(c.assessment == "Portfolio of five dashboards and a final project, graded");
    CHECK(c.learning_outcomes ==
          std::vector<std::string>{"design dashboards that present data to decision makers",
                                   "build interactive charts with pandas and Plotly"});
    CHECK(lists(r.absent, "form of participation"));
    CHECK(lists(r.absent, "quality assurance"));
    CHECK_FALSE(r.remarks.empty());  // creditsAvailable read as ECTS
}

TEST_CASE("Bad credential documents give positioned errors") {
    SECTION("not JSON") {
        ElmReadResult r = read_elm_credential(
            dsl::SourceFile("bad.jsonld", "{\n  \"id\": \"urn:x\",\n  \"type\": [\"A\"\n}\n"));
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].code == "E4008");
        CHECK(r.problems[0].line == 4);
        CHECK_FALSE(r.credential);
    }
    SECTION("neither ELM nor Open Badges") {
        ElmReadResult r = read_elm_credential(dsl::SourceFile(
            "x.jsonld", "{\n  \"id\": \"urn:x\",\n  \"type\": [\"VerifiableCredential\"]\n}\n"));
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].code == "E4009");
        CHECK(r.problems[0].line == 3);
        CHECK(r.problems[0].column == 11);
        CHECK(r.problems[0].hint.find("EuropeanDigitalCredential") != std::string::npos);
    }
    SECTION("a workload that is no duration in hours, and an EQF level out of range") {
        const std::string text = R"({
  "id": "urn:x",
  "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
  "credentialSubject": {
    "hasClaim": {
      "title": "T",
      "specifiedBy": {
        "volumeOfLearning": "six weeks",
        "eqfLevel": { "id": "http://data.europa.eu/snb/eqf/9" }
      }
    }
  }
}
)";
        ElmReadResult r = read_elm_credential(dsl::SourceFile("x.jsonld", text));
        REQUIRE(r.problems.size() == 2);
        CHECK(r.problems[0].line == 8);  // the workload is read first
        CHECK(r.problems[0].column == 29);
        CHECK(r.problems[0].hint.find("PT150H") != std::string::npos);
        CHECK(r.problems[1].line == 9);
        CHECK(r.problems[1].column == 21);
        CHECK(r.problems[1].message.find("not 1-8") != std::string::npos);
        CHECK_FALSE(r.credential);
    }
}

const char* const k_application = R"(id: app-elm-1
date: 2026-10-20
learner: { id: GE-01024056789 }
programme: { id: P }
credentials:
  - elm: elm/gtu-iot-basics.jsonld
    qa: accredited_hei
    ects: 5
)";

LoadOptions from_examples() {
    LoadOptions options;
    options.credential_directory = std::string(MCRE_SOURCE_DIR) + "/examples";
    return options;
}

TEST_CASE("An application entry names the document; its own fields complete or override it") {
    const dsl::SourceFile source("app.yaml", k_application);
    LoadResult loaded = load_application(source, from_examples());
    REQUIRE(loaded.application);
    const Credential& c = loaded.application->credentials.at(0);
    CHECK(c.id ==
          "urn:epass:certificate:a81c0d44-2e9b-47f3-8c15-96b7e3d20a5c");  // no id: the document's
    CHECK(c.source_id == c.id);
    CHECK(c.qa == "accredited_hei");  // added by the officer
    CHECK(c.ects == 5.0);             // overrides the document's 4
    CHECK(c.title == "Internet of Things Basics");
    CHECK(c.line == 6);
    REQUIRE(loaded.diagnostics.size() == 1);
    const dsl::Diagnostic& note = loaded.diagnostics[0];
    CHECK(note.severity == dsl::Severity::Note);
    CHECK(note.code == "N4010");
    CHECK(note.message.find("the document does not state: learning outcomes, level, quality "
                            "assurance") != std::string::npos);
    CHECK(note.message.find("the entry adds: qa") != std::string::npos);
    CHECK(note.message.find("the entry overrides: ects") != std::string::npos);
}

TEST_CASE("An elm entry is an error where files are not read, or when the file is missing") {
    const dsl::SourceFile source("app.yaml", k_application);
    LoadResult closed = load_application(source);
    CHECK_FALSE(closed.application);
    REQUIRE(closed.diagnostics.size() == 1);
    CHECK(closed.diagnostics[0].code == "E4008");
    CHECK(closed.diagnostics[0].pointer == "/credentials/0/elm");

    const dsl::SourceFile missing("app.yaml",
                                  "id: a\ndate: 2026-10-20\nlearner: { id: L }\n"
                                  "programme: { id: P }\ncredentials:\n"
                                  "  - { id: c1, elm: elm/nowhere.jsonld }\n");
    LoadResult none = load_application(missing, from_examples());
    CHECK_FALSE(none.application);
    REQUIRE(none.diagnostics.size() == 1);
    const std::string rendered = dsl::render_all(none.diagnostics, missing);
    CHECK(rendered.find("app.yaml:6:") != std::string::npos);
    CHECK(rendered.find("cannot read the credential document") != std::string::npos);
}

}  // namespace
}  // namespace mcre::engine
