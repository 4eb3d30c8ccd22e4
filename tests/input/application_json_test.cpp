// The JSON reader (engine/application_json.cpp) against the YAML reader it stands in for: the
// same application for every valid document, and for everything it cannot take cleanly the
// YAML reader's diagnostics, unchanged.

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <sstream>

#include "engine/cohort_generator.hpp"
#include "engine/cohort_write.hpp"
#include "tests/input/input_support.hpp"
#include "tests/support/files.hpp"

namespace {

using mcre::test::dump;
using mcre::test::load;

struct Compared {
    int documents = 0;
    int fast = 0;  // taken by the JSON reader
};

// Both readers on one text: the same outcome, byte for byte. Returns whether the JSON reader
// took it.
bool same_outcome(const std::string& text) {
    const mcre::engine::LoadResult yaml = load(text, false);
    const mcre::engine::LoadResult json = load(text, true);
    INFO(text);
    // yaml-cpp refuses some strict JSON (a line break between a key and its colon, which
    // YAML does not allow): the JSON reader reads it as the YAML reader reads the same
    // document on one line (JSON strings hold no raw line break).
    if (json.read_as_json && !yaml.application && nlohmann::json::accept(text) &&
        text.find('\n') != std::string::npos) {
        std::string one_line = text;
        std::replace(one_line.begin(), one_line.end(), '\n', ' ');
        const std::regex line("line=[0-9]+");  // on one line, every credential is on line 1
        CHECK(std::regex_replace(dump(json), line, "") ==
              std::regex_replace(dump(load(one_line, false)), line, ""));
        return true;
    }
    CHECK(dump(json) == dump(yaml));
    CHECK(!yaml.read_as_json);
    if (json.read_as_json) CHECK(json.diagnostics.empty());
    return json.read_as_json;
}

// Every application the repository ships, in YAML, written as JSON three ways.
std::vector<std::string> shipped_yaml() {
    std::vector<std::string> out;
    for (const char* root : {"examples", "tests"}) {
        for (const auto& entry :
             std::filesystem::recursive_directory_iterator(mcre::test::source_path(root))) {
            // Not the hostile inputs of tests/bad_inputs (an alias bomb has no JSON form).
            if (entry.path().extension() == ".yaml" &&
                entry.path().string().find("bad_inputs") == std::string::npos) {
                out.push_back(entry.path().string());
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> shipped_json_lines() {
    std::vector<std::string> out;
    for (const char* file :
         {"examples/cohorts/small.jsonl", "tests/batch/data/good.jsonl",
          "tests/batch/data/mixed.jsonl", "tests/select/data/three-dates.jsonl"}) {
        std::istringstream in(mcre::test::read_text(mcre::test::source_path(file)));
        std::string line;
        while (std::getline(in, line)) out.push_back(line);
    }
    return out;
}

// A small deterministic generator (splitmix64), so that a failure is repeatable.
struct Random {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return n == 0 ? 0 : next() % n; }
};

// One small change of the kind a broken export makes.
std::string mutate(std::string text, Random& random) {
    static const std::vector<std::pair<std::string, std::string>> edits = {
        {"\"ects\":", "\"ectss\":"},
        {"\"ects\":", "\"ects\":\"6\",\"x\":"},
        {"\"id\":", "\"id\":null,\"id\":"},
        {"\"date\":", "\"date\":\"2026-02-30\",\"y\":"},
        {"\"kind\":\"", "\"kind\":\"micro-"},
        {"\"field\":\"", "\"field\":\"x"},
        {"\"credentials\":[", "\"credentials\":[1,"},
        {"\"credentials\":[", "\"credentials\":[{\"id\":\"\\ud83d\\ude00\"},"},
        {"\"credentials\":[", "\"credentials\":[{\"id\":\"a\\u00e9\\n\\t\\\"\\/\"},"},
        {"\"credentials\":[", "\"credentials\":[{\"id\":\"a\tb\"},"},
        {"\"credentials\":[", "\"credentials\":[{\"id\":7,\"title\":true,\"ects\":1e2},"},
        {"\"credentials\":[", "\"credentials\":[{\"id\":\"x\",\"ects\":-0,\"nqf_level\":6.0},"},
        {"\"credentials\":[", "\"credentials\":[{\"id\":\"x\",\"ects\":1e999},"},
        {"\"credentials\":[", "\"credentials\":[{\"id\":\"x\",\"learning_outcomes\":[null]},"},
        {"\"credentials\":[", "\"credentials\":[{\"id\":\"x\",\"revoked\":null,\"qa\":null},"},
        {"\"programme\":{", "\"programme\":{\"regulated\":\"true\","},
        {"\"programme\":{", "\"programme\":{\"level\":9,"},
        {"\"learner\":{", "\"learner\":{\"name\":null,"},
        {"{", "{\"$schema\":\"x\","},
        {"{", "{\"overrides\":null,"},
        {"}", "}}"},
        {"}", "} {}"},
        {"\":", "\" :"},
        {",", ", "},
    };
    switch (random.below(4)) {
        case 0: {  // delete a byte
            if (!text.empty()) text.erase(random.below(text.size()), 1);
            return text;
        }
        case 1: {  // insert a byte that matters to a JSON or YAML reader
            static const std::string bytes = "{}[],:\"\\ 0-.e\t\n#&*!|>'%@`";
            text.insert(random.below(text.size() + 1), 1, bytes[random.below(bytes.size())]);
            return text;
        }
        default: {
            const auto& [from, to] = edits[random.below(edits.size())];
            const std::size_t at = text.find(from, random.below(text.size()));
            const std::size_t where = at != std::string::npos ? at : text.find(from);
            if (where != std::string::npos) text.replace(where, from.size(), to);
            return text;
        }
    }
}

}  // namespace

TEST_CASE("JSON reader: every shipped application, as JSON, reads as the YAML reader reads it",
          "[json]") {
    Compared c;
    int valid = 0;
    for (const std::string& path : shipped_yaml()) {
        const std::string yaml = mcre::test::read_text(path);
        std::string compact;
        try {
            compact = mcre::test::yaml_to_json(yaml, false, false);
        } catch (const YAML::Exception&) {
            continue;  // a deliberately broken file: nothing to write as JSON
        }
        INFO(path);
        const bool loads = load(compact, false).application.has_value();
        const bool has_elm_or_overrides = compact.find("\"elm\"") != std::string::npos ||
                                          compact.find("\"overrides\":[") != std::string::npos;
        for (const std::string& text : {compact, mcre::test::yaml_to_json(yaml, true, false),
                                        mcre::test::yaml_to_json(yaml, true, true)}) {
            ++c.documents;
            const bool fast = same_outcome(text);
            c.fast += fast ? 1 : 0;
            // A valid application is the JSON reader's, unless it needs the YAML reader's files
            // or overrides.
            if (loads && !has_elm_or_overrides) CHECK(fast);
        }
        valid += loads ? 1 : 0;
    }
    CHECK(valid >= 20);
    CHECK(c.fast >= 3 * 15);
}

TEST_CASE("JSON reader: every shipped JSON Lines line, and the JSON example", "[json]") {
    int fast = 0;
    int lines = 0;
    for (const std::string& line : shipped_json_lines()) {
        ++lines;
        fast += same_outcome(line) ? 1 : 0;
    }
    CHECK(lines == 37);
    CHECK(fast >= 30);  // mixed.jsonl holds broken lines
    CHECK(same_outcome(
        mcre::test::read_text(mcre::test::source_path("examples/docs/app-2026-0007.json"))));
}

TEST_CASE("JSON reader: a generated cohort reads the same, and back to the generated application",
          "[json]") {
    using mcre::engine::CohortJurisdiction;
    using mcre::engine::CohortSpec;
    const CohortSpec spec{2000, 7, CohortJurisdiction::Both};
    for (std::uint64_t i = 0; i < spec.size; ++i) {
        const mcre::engine::Application generated = mcre::engine::generate_application(spec, i);
        const std::string line = mcre::engine::application_json_line(generated);
        const mcre::engine::LoadResult json = load(line, true);
        REQUIRE(json.read_as_json);
        REQUIRE(dump(*json.application) == dump(*load(line, false).application));
        // application_json_line writes every fact: reading it gives the generated application
        // (credentials generated in memory carry no line).
        mcre::engine::Application expected = generated;
        for (auto& credential : expected.credentials) credential.line = 1;
        REQUIRE(dump(*json.application) == dump(expected));
    }
}

TEST_CASE("JSON reader: an application read into recycled memory holds nothing of the last",
          "[json]") {
    // Rich applications (every fact, up to 10 credentials) followed by others: each must
    // read as it does into fresh memory.
    using mcre::engine::CohortJurisdiction;
    using mcre::engine::CohortSpec;
    const CohortSpec spec{300, 5, CohortJurisdiction::Both};
    std::vector<std::string> lines = shipped_json_lines();
    for (std::uint64_t i = 0; i < spec.size; ++i) {
        lines.push_back(
            mcre::engine::application_json_line(mcre::engine::generate_application(spec, i)));
    }
    std::vector<std::string> fresh;
    for (const std::string& line : lines) fresh.push_back(dump(load(line, true)));
    for (std::size_t i = 0; i < lines.size(); ++i) {
        mcre::engine::LoadResult previous = load(lines[(i * 7 + 3) % lines.size()], true);
        if (previous.application) mcre::engine::recycle_credentials(*previous.application);
        INFO(lines[i]);
        REQUIRE(dump(load(lines[i], true)) == fresh[i]);
    }
}

TEST_CASE("JSON reader: broken documents give the YAML reader's diagnostics, exactly", "[json]") {
    std::vector<std::string> seeds = shipped_json_lines();
    const mcre::engine::CohortSpec spec{200, 11, mcre::engine::CohortJurisdiction::Both};
    for (std::uint64_t i = 0; i < spec.size; ++i) {
        seeds.push_back(
            mcre::engine::application_json_line(mcre::engine::generate_application(spec, i)));
    }
    for (const char* path : {"examples/gtu-network-admin.yaml", "examples/drone.yaml",
                             "examples/armenia-ysu-informatics.yaml"}) {
        seeds.push_back(mcre::test::yaml_to_json(
            mcre::test::read_text(mcre::test::source_path(path)), true, false));
    }
    Random random{2026};
    int fast = 0;
    int errors = 0;
    for (int i = 0; i < 4000; ++i) {
        std::string text = seeds[random.below(seeds.size())];
        for (std::size_t n = 1 + random.below(2); n > 0; --n) text = mutate(text, random);
        const bool taken = same_outcome(text);
        fast += taken ? 1 : 0;
        errors += taken ? 0 : 1;
    }
    // Both kinds occur often enough to mean something.
    CHECK(fast > 400);
    CHECK(errors > 1000);
}

TEST_CASE("JSON reader: what it leaves to the YAML reader", "[json]") {
    const std::string app =
        R"({"id":"a1","date":"2026-03-01","learner":{"id":"L"},"programme":{"id":"P"},)";
    // A text a YAML reader reads otherwise than JSON does, or refuses.
    for (const char* credential :
         {R"({"id":"\ud83d\ude00"})", "{\"id\":\"a\tb\"}", R"({"id":"x","elm":"y.jsonld"})",
          // The same past the first sixteen bytes, which are passed eight at a time.
          R"({"id":"c1","title":"Data analysis for public servants \ud83d\ude00"})",
          "{\"id\":\"c1\",\"title\":\"Data analysis for public servants\tin Tbilisi\"}"}) {
        const std::string text = app + R"("credentials":[)" + credential + "]}";
        INFO(text);
        CHECK_FALSE(same_outcome(text));
    }
    // Overrides, and YAML that is not JSON.
    CHECK_FALSE(
        load(
            app +
                R"("credentials":[{"id":"c1"}],"overrides":[{"credential":"c1","waive":"recency","author":"x","date":"2026-01-01","reason":"r"}]})",
            true)
            .read_as_json);
    CHECK_FALSE(
        load("{id: a1, date: 2026-03-01, learner: {id: L}, programme: {id: P}, credentials: []}",
             true)
            .read_as_json);
    CHECK(load("{id: a1, date: 2026-03-01, learner: {id: L}, programme: {id: P}, credentials: []}",
               true)
              .application);
    // A number where text is expected is read as the token is written, as YAML does.
    const auto numbers = load(app + R"("credentials":[{"id":12,"title":1.50,"ects":1E1}]})", true);
    REQUIRE(numbers.read_as_json);
    CHECK(numbers.application->credentials[0].id == "12");
    CHECK(numbers.application->credentials[0].title == "1.50");
    CHECK(numbers.application->credentials[0].ects == 10.0);
}

TEST_CASE("JSON reader: credential lines in a multi-line document", "[json]") {
    const std::string text =
        "{\n  \"id\": \"a1\", \"date\": \"2026-03-01\",\n  \"learner\": {\"id\": \"L\"},\n"
        "  \"programme\": {\"id\": \"P\"},\n  \"credentials\": [\n    {\"id\": \"c1\"},\r\n\n"
        "    {\n      \"id\": \"c2\"\n    }, {\"id\": \"c3\"}\n  ]\n}\n";
    const auto read = load(text, true);
    REQUIRE(read.read_as_json);
    REQUIRE(read.application->credentials.size() == 3);
    CHECK(read.application->credentials[0].line == 6);
    CHECK(read.application->credentials[1].line == 8);
    CHECK(read.application->credentials[2].line == 10);
    CHECK(same_outcome(text));
}

TEST_CASE("JSON reader: a malformed line keeps the YAML reader's position and message", "[json]") {
    const std::string text =
        R"({"id":"a1","date":"2026-03-01","learner":{"id":"L"},"programme":{"id":"P"},"credentials":[{"id":"c1","ects":"6"}]})";
    const auto read = load(text, true);
    CHECK_FALSE(read.read_as_json);
    REQUIRE(read.diagnostics.size() == 1);
    CHECK(read.diagnostics[0].code == "E4002");
    CHECK(read.diagnostics[0].message ==
          "'ects' of credential c1 must be a number, not quoted text");
    CHECK(read.diagnostics[0].span.begin == text.find("\"6\""));
    CHECK(read.diagnostics[0].pointer == "/credentials/0/ects");
}
