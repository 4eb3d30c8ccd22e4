// Input maps (engine/input_map.hpp): the map file and its errors, and an export read through
// a map by both readers to the application a converter would have written.

#include "engine/input_map.hpp"

#include <catch2/catch.hpp>
#include <sstream>

#include "tests/input/input_support.hpp"
#include "tests/support/files.hpp"

namespace {

using mcre::engine::InputMap;
using mcre::test::dump;
using mcre::test::load;
using Json = nlohmann::ordered_json;

InputMap map_of(const std::string& yaml) {
    auto loaded = mcre::engine::load_input_map(mcre::dsl::SourceFile("map.yaml", yaml));
    INFO(dump(mcre::engine::LoadResult{std::nullopt, loaded.diagnostics, false}));
    REQUIRE(loaded.map);
    return *loaded.map;
}

// What bench/bw1_convert.py writes for one BW1 line, field by field.
std::string bw1_converted(const std::string& line) {
    const Json app = Json::parse(line);
    const Json& prog = app["programme"];
    Json out;
    out["id"] = app["id"];
    out["date"] = app["application_date"];
    out["learner"] = {{"id", app["id"]}};
    out["programme"] = {{"id", "bw1"},
                        {"kind", prog["kind"]},
                        {"level", prog["level"]},
                        {"total_ects", prog["ects"]},
                        {"field", prog["field"]},
                        {"regulated", prog["regulated"]}};
    out["credentials"] = Json::array();
    for (const Json& c : app["credentials"]) {
        const std::string type = c["type"];
        out["credentials"].push_back({{"id", c["id"]},
                                      {"kind", type == "micro"        ? "micro_credential"
                                               : type == "vocational" ? "vocational_l5"
                                                                      : type},
                                      {"ects", c["ects"]},
                                      {"nqf_level", c["level"]},
                                      {"qa", c["qa"]},
                                      {"issued", c["issued"]},
                                      {"field", c["field"]}});
    }
    return out.dump();
}

const std::string k_bw1_line =
    R"({"id":"A1","application_date":"2026-01-23","programme":{"kind":"bachelor","level":6,"field":"0412","regulated":false,"ects":180},"credentials":[{"id":"c1","type":"micro","ects":20,"level":5,"qa":"none","issued":"2017-03-30","field":"0412"}]})";

}  // namespace

TEST_CASE("Input map: BW1's lines through bench/bw1.input-map.yaml are the converter's", "[map]") {
    const InputMap map =
        map_of(mcre::test::read_text(mcre::test::source_path("bench/bw1.input-map.yaml")));
    std::istringstream in(
        mcre::test::read_text(mcre::test::source_path("tests/bench/data/bw1-500.jsonl")));
    std::string line;
    int lines = 0;
    while (std::getline(in, line)) {
        ++lines;
        INFO(line);
        const auto fast = load(line, true, &map);
        const auto yaml = load(line, false, &map);
        const auto converted = load(bw1_converted(line), false);
        REQUIRE(fast.read_as_json);
        REQUIRE(converted.application);
        CHECK(dump(fast) == dump(yaml));
        CHECK(dump(fast) == dump(converted));
    }
    CHECK(lines == 500);
}

TEST_CASE("Input map: an export's mistakes are reported at the export's own text", "[map]") {
    const InputMap map =
        map_of(mcre::test::read_text(mcre::test::source_path("bench/bw1.input-map.yaml")));
    SECTION("a value the map does not translate") {
        std::string line = k_bw1_line;
        line.replace(line.find("\"micro\""), 7, "\"nano\"");
        const auto read = load(line, true, &map);
        CHECK_FALSE(read.read_as_json);
        REQUIRE(read.diagnostics.size() == 1);
        CHECK(read.diagnostics[0].code == "E4005");
        CHECK(read.diagnostics[0].message == "unknown kind 'nano' in credential c1");
        CHECK(read.diagnostics[0].span.begin == line.find("\"nano\""));
        CHECK(read.diagnostics[0].pointer == "/credentials/0/type");
    }
    SECTION("a renamed field with a bad value") {
        std::string line = k_bw1_line;
        line.replace(line.find("2026-01-23"), 10, "2026-02-30");
        const auto read = load(line, true, &map);
        REQUIRE(read.diagnostics.size() == 1);
        CHECK(read.diagnostics[0].code == "E4005");
        CHECK(read.diagnostics[0].message ==
              "'date' of the application is not a valid date: '2026-02-30'");
        CHECK(read.diagnostics[0].span.begin == line.find("\"2026-02-30\""));
        CHECK(read.diagnostics[0].pointer == "/application_date");
    }
    SECTION("an unknown key of the export") {
        std::string line = k_bw1_line;
        line.replace(line.find("\"level\":5"), 9, "\"levle\":5");
        const auto read = load(line, true, &map);
        REQUIRE(read.diagnostics.size() == 1);
        CHECK(read.diagnostics[0].code == "E4004");
        CHECK(read.diagnostics[0].span.begin == line.find("\"levle\""));
    }
    SECTION("both readers agree on every one of these") {
        for (
            const std::string& text :
            {k_bw1_line, std::string(R"({"id":"A1"})"),
             std::string(
                 R"({"id":"A1","application_date":"2026-01-23","programme":{"id":"x"},"credentials":[]})"),
             std::string(
                 R"({"id":null,"application_date":"2026-01-23","programme":{"kind":"master"},"credentials":[{"id":"c1","type":"micro"}]})"),
             std::string(
                 R"({"id":"A1","application_date":"2026-01-23","programme":{},"credentials":[{"id":"c1","type":"micro","kind":"non_formal"}]})"),
             // Dotted keys in the export: the map's own names, never the export's.
             std::string(
                 R"({"id":"A1","learner.id":"L","application_date":"2026-01-23","programme":{"ects":180},"credentials":[]})"),
             std::string(
                 R"({"id":"A1","application_date":"2026-01-23","programme":{"a.b":1},"credentials":[{"id":"c1","ty.pe":"micro"}]})"),
             std::string(
                 R"({"id":"A1","application_date":"2026-01-23","programme":{},"credentials":[{"id":"c1","learner.id":"x"}]})")}) {
            INFO(text);
            CHECK(dump(load(text, true, &map)) == dump(load(text, false, &map)));
        }
    }
}

TEST_CASE("Input map: constants, copies, translations, ignored and shadowed keys", "[map]") {
    const InputMap map = map_of(R"(
application:
  id: ref
  learner.id: { from: ref }
  learner.name: { from: who }
  ignore: [source_system, exported_at]
programme:
  id: { constant: "P-1" }
  regulated: { constant: true }
  total_ects: { from: credits, values: { full: 240 } }
credential:
  qa: { from: ref, values: { "1": eqar } }
  title: { from: ref }
  revoked: { from: state, values: { withdrawn: true, valid: false } }
)");
    const std::string text =
        R"({"ref":"R9","who":"Ana","source_system":{"name":"x","v":[1,2]},"exported_at":"now",)"
        R"("date":"2026-05-01","learner":{"id":"ignored","name":"also ignored"},)"
        R"("programme":{"id":"not read","credits":"full"},)"
        R"("credentials":[{"id":"c1","ref":1,"state":"withdrawn"},{"id":"c2","ref":"2","state":"valid"}]})";
    const auto fast = load(text, true, &map);
    const auto yaml = load(text, false, &map);
    INFO(dump(yaml));
    REQUIRE(fast.read_as_json);
    CHECK(dump(fast) == dump(yaml));
    const auto& app = *fast.application;
    CHECK(app.id == "R9");
    CHECK(app.learner_id == "R9");
    CHECK(app.learner_name == "Ana");
    CHECK(app.programme.id == "P-1");
    CHECK(app.programme.regulated);
    CHECK(app.programme.total_ects == 240.0);
    CHECK(app.credentials[0].qa == "eqar");  // the number 1, translated
    CHECK(app.credentials[0].title == "1");  // the same key, untranslated
    CHECK(app.credentials[0].revoked);
    CHECK(app.credentials[1].qa == "2");
    CHECK_FALSE(app.credentials[1].revoked);
}

TEST_CASE("Input map: errors in the map file, each at its line and column", "[map]") {
    const std::string text = R"(application:
  date: application_date
  dat: when
programme:
  id: { constant: "x", from: y }
  programme: { constant: 1 }
credential:
  kind: { values: [micro] }
  ects: { }
  nqf_level: [level]
  ignore: [level, x]
  field: { from: a.b }
learner: {}
)";
    const auto loaded = mcre::engine::load_input_map(mcre::dsl::SourceFile("map.yaml", text));
    CHECK_FALSE(loaded.map);
    const mcre::dsl::SourceFile source("map.yaml", text);
    std::vector<std::string> got;
    for (const auto& d : loaded.diagnostics) {
        const auto at = source.location(d.span.begin);
        got.push_back(std::to_string(at.line) + ":" + std::to_string(at.column) + " " + d.code +
                      " " + d.message);
    }
    const std::vector<std::string> expected = {
        "3:3 E4004 unknown field 'dat' in section 'application' of the input map",
        "5:19 E4060 'id' in section 'programme' is read both from key 'y' and from a constant",
        "6:3 E4004 unknown field 'programme' in section 'programme' of the input map",
        "8:19 E4002 'values' of 'kind' in section 'credential' must be a mapping of the export's "
        "value to mcre's",
        "9:9 E4060 'ects' in section 'credential' says nothing",
        "10:14 E4002 'nqf_level' in section 'credential' must be the export's key, or a mapping "
        "with from, constant or values",
        "12:10 E4060 'field' in section 'credential': 'a.b' is not a key",
        "13:1 E4004 unknown field 'learner' in the input map",
    };
    CHECK(got == expected);

    const auto broken = mcre::engine::load_input_map(
        mcre::dsl::SourceFile("map.yaml", "credential:\n  kind: { from: type\n"));
    REQUIRE(broken.diagnostics.size() == 1);
    CHECK(broken.diagnostics[0].code == "E4001");
}
