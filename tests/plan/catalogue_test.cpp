// The catalogue of offered micro-credentials `mcre plan` reads (docs/planning.md): offers
// written as an application's credentials, every problem reported in one run with its place.

#include "engine/catalogue.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "dsl/diagnostic_render.hpp"
#include "tests/support/files.hpp"

namespace mcre::engine {
namespace {

CatalogueLoadResult load(const std::string& yaml) {
    return load_catalogue(dsl::SourceFile("c.yaml", yaml));
}

// "code line:column" of each diagnostic, in order.
std::vector<std::string> placed_codes(const CatalogueLoadResult& r, const dsl::SourceFile& file) {
    std::vector<std::string> out;
    for (const dsl::Diagnostic& d : r.diagnostics) {
        out.push_back(d.code + " " + std::to_string(file.line_of(d.span.begin)) + ":" +
                      std::to_string(file.column_of(d.span.begin)));
    }
    return out;
}

TEST_CASE("the shipped pilot catalogue loads with every offer's facts", "[plan][catalogue]") {
    const std::string path = "examples/stacking/pilot-catalogue.yaml";
    dsl::SourceFile file(path, test::read_text(test::source_path(path)));
    CatalogueLoadResult r = load_catalogue(file);
    INFO(dsl::render_all(r.diagnostics, file));
    REQUIRE(r.catalogue);
    CHECK(r.diagnostics.empty());
    const Catalogue& c = *r.catalogue;
    CHECK(c.id == "micro-gear-pilot-2026");
    CHECK(c.title == "MICRO-GEAR pilot micro-credentials, 2026/27");
    REQUIRE(c.offers.size() == 10);
    CHECK(c.offers[0].credential.id == "gtu-net-routing");
    CHECK(c.offers[0].credential.title == "Network Administration for SMEs: Routing and Switching");
    for (const Offer& o : c.offers) {
        INFO(o.credential.id);
        // The planner gives the offer to the applicant, issued on the application date.
        CHECK_FALSE(o.credential.learner);
        CHECK_FALSE(o.credential.issued);
        CHECK(o.credential.ects);
        CHECK(o.credential.awarding_body);
        CHECK(o.credential.nqf_level);
        CHECK_FALSE(o.credential.learning_outcomes.empty());
    }
    CHECK(c.offers[6].provider == "GRENA with Georgian University");
    CHECK_FALSE(c.offers[0].provider);
}

TEST_CASE("a catalogue's offer takes every credential field, a provider and a web page",
          "[plan][catalogue]") {
    CatalogueLoadResult r = load(
        "catalogue: { id: c1, title: \"Offers\" }\n"
        "offers:\n"
        "  - id: o1\n"
        "    title: \"A\"\n"
        "    awarding_body: \"U\"\n"
        "    hours: 100\n"
        "    eqf_level: 6\n"
        "    issued: 2026-12-01\n"
        "    outcome_codes: [X1]\n"
        "    provider: \"P\"\n"
        "    url: \"https://example.org/a\"\n");
    REQUIRE(r.catalogue);
    const Offer& o = r.catalogue->offers.at(0);
    CHECK(o.credential.hours == 100);
    CHECK(o.credential.eqf_level == 6);
    REQUIRE(o.credential.issued);
    CHECK(dsl::format_date(*o.credential.issued) == "2026-12-01");
    CHECK(o.credential.outcome_codes == std::vector<std::string>{"X1"});
    CHECK(o.provider == "P");
    CHECK(o.url == "https://example.org/a");
}

TEST_CASE("every problem of a catalogue is reported in one run, at its place",
          "[plan][catalogue]") {
    const std::string path = "tests/plan/data/bad-catalogue.yaml";
    dsl::SourceFile file(path, test::read_text(test::source_path(path)));
    CatalogueLoadResult r = load_catalogue(file);
    CHECK_FALSE(r.catalogue);
    INFO(dsl::render_all(r.diagnostics, file));
    // The learner, the repeated id, the misspelt key (with a suggestion), the bare address.
    CHECK(placed_codes(r, file) ==
          std::vector<std::string>{"E4041 9:14", "E4040 11:9", "E4004 14:5", "E4005 19:10"});
    const std::string text = dsl::render_all(r.diagnostics, file);
    CHECK_THAT(text, Catch::Contains("tests/plan/data/bad-catalogue.yaml:11:9: error: offer id "
                                     "'net-security' is used twice [E4040]"));
    CHECK_THAT(text, Catch::Contains("the first 'net-security' is on line 6"));
    CHECK_THAT(text, Catch::Contains("did you mean 'ects'?"));
}

TEST_CASE("a catalogue without its header or offers says what is missing", "[plan][catalogue]") {
    SECTION("no header") {
        CatalogueLoadResult r = load("offers:\n  - { id: o1, title: \"A\" }\n");
        REQUIRE(r.diagnostics.size() == 1);
        CHECK(r.diagnostics[0].code == "E4003");
        CHECK_THAT(r.diagnostics[0].message, Catch::Contains("catalogue"));
    }
    SECTION("an empty list of offers") {
        CatalogueLoadResult r = load("catalogue: { id: c, title: t }\noffers: []\n");
        REQUIRE(r.diagnostics.size() == 1);
        CHECK(r.diagnostics[0].code == "E4042");
    }
    SECTION("an offer without an id") {
        CatalogueLoadResult r = load("catalogue: { id: c, title: t }\noffers:\n  - title: A\n");
        REQUIRE(r.diagnostics.size() == 1);
        CHECK(r.diagnostics[0].code == "E4003");
        CHECK_THAT(r.diagnostics[0].message, Catch::Contains("offer 1"));
    }
    SECTION("not YAML") {
        CatalogueLoadResult r = load("catalogue: {id: c\n");
        REQUIRE_FALSE(r.diagnostics.empty());
        CHECK(r.diagnostics[0].code == "E4001");
    }
    SECTION("an empty file") {
        CatalogueLoadResult r = load("");
        REQUIRE(r.diagnostics.size() == 1);
        CHECK(r.diagnostics[0].code == "E4003");
    }
}

}  // namespace
}  // namespace mcre::engine
