// The endpoints the workbench uses (docs/workbench.md), over real HTTP: the embedded
// files, statements, a policy's source, and simulations of a draft.

#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/serve/server_process.hpp"

using mcre::test::read_file;
using mcre::test::ServerProcess;
using mcre::test::TempDir;
using mcre::test::write_file;
using Json = nlohmann::json;

namespace {

const std::string source_dir = MCRE_SOURCE_DIR;
const std::string policies_dir = source_dir + "/policies";

std::string run_command(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return out;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    pclose(pipe);
    return out;
}

struct Server {
    TempDir dir;
    ServerProcess process;
    httplib::Client client;
    explicit Server(std::vector<std::string> extra = {})
        : process(args(std::move(extra)), dir.path() + "/stderr.log"),
          client("127.0.0.1", process.port()) {
        REQUIRE(process.port() > 0);
        client.set_read_timeout(60);
    }
    static std::vector<std::string> args(std::vector<std::string> extra) {
        std::vector<std::string> a{"--port", "0", "--policies", policies_dir};
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    }
};

Json problem_of(const httplib::Result& r, int status) {
    REQUIRE(r);
    CHECK(r->status == status);
    CHECK(r->get_header_value("Content-Type") == "application/problem+json");
    return Json::parse(r->body);
}

std::string simulate_body(const std::string& settings, int size) {
    return R"({"policy": "georgia", "settings": )" + settings +
           R"(, "cohort": {"generate": {"size": )" + std::to_string(size) + R"(, "seed": 7}}})";
}

}  // namespace

TEST_CASE("GET / serves the workbench with a strict CSP; only embedded names exist") {
    Server s;
    auto page = s.client.Get("/");
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
    CHECK(page->body == read_file(source_dir + "/web/index.html"));
    const std::string csp = page->get_header_value("Content-Security-Policy");
    CHECK(csp.find("default-src 'none'") != std::string::npos);
    CHECK(csp.find("script-src 'self'") != std::string::npos);
    CHECK(csp.find("unsafe") == std::string::npos);
    CHECK(page->get_header_value("X-Content-Type-Options") == "nosniff");

    auto js = s.client.Get("/ui/app.js");
    REQUIRE(js);
    CHECK(js->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
    CHECK(js->body == read_file(source_dir + "/web/app.js"));

    for (const char* path : {"/ui/missing.js", "/ui/../CMakeLists.txt", "/ui/%2e%2e%2fREADME.md",
                             "/ui/x/app.js", "/web/app.js"}) {
        INFO(path);
        auto r = s.client.Get(path);
        REQUIRE(r);
        CHECK(r->status == 404);
        // A problem, never a file's contents.
        CHECK(r->get_header_value("Content-Type") == "application/problem+json");
    }
}

TEST_CASE("with --api-keys the page needs no key, the API still does") {
    TempDir dir;
    write_file(dir.path() + "/keys", "k-123\n");
    Server s({"--api-keys", dir.path() + "/keys"});
    auto page = s.client.Get("/");
    REQUIRE(page);
    CHECK(page->status == 200);
    auto js = s.client.Get("/ui/api.js");
    REQUIRE(js);
    CHECK(js->status == 200);
    problem_of(s.client.Get("/v1/policies/georgia/source"), 401);
    problem_of(s.client.Post("/v1/simulate", "{}", "application/json"), 401);
}

TEST_CASE("POST /v1/evaluate reads YAML when the body says it is YAML") {
    Server s;
    const std::string yaml = read_file(source_dir + "/examples/gtu-network-admin.yaml");
    auto r = s.client.Post("/v1/evaluate", yaml, "application/yaml");
    REQUIRE(r);
    CHECK(r->status == 200);
    const std::string cli = run_command(
        std::string(MCRE_BINARY) + " evaluate --policy " + policies_dir + "/georgia.policy " +
        source_dir + "/examples/gtu-network-admin.yaml --format json 2>/dev/null");
    CHECK(r->body == cli);
    // Sent as JSON it is not JSON: 400 with the position, as before.
    Json p = problem_of(s.client.Post("/v1/evaluate", yaml, "application/json"), 400);
    CHECK(p["line"] == 1);
    // YAML that is not an application: 422 at the field.
    Json bad =
        problem_of(s.client.Post("/v1/evaluate", "id: a\ndate: 2026-02-30\njurisdiction: GE\n",
                                 "application/yaml"),
                   422);
    bool date_named = false;
    for (const Json& e : bad["errors"]) {
        if (e["pointer"] == "/date") date_named = e["line"] == 2;
    }
    CHECK(date_named);
}

TEST_CASE("POST /v1/statement prints what mcre evaluate --format html|markdown prints") {
    Server s;
    const std::string app = read_file(source_dir + "/examples/armenia-ysu-informatics.yaml");
    auto html = s.client.Post("/v1/statement", app, "application/yaml");
    REQUIRE(html);
    CHECK(html->status == 200);
    CHECK(html->get_header_value("Content-Type") == "text/html; charset=utf-8");
    const std::string cli = run_command(
        std::string(MCRE_BINARY) + " evaluate --policy " + policies_dir + "/armenia.policy " +
        source_dir + "/examples/armenia-ysu-informatics.yaml --format html 2>/dev/null");
    CHECK(html->body == cli);
    auto md = s.client.Post("/v1/statement?format=markdown&policy=armenia", app, "text/yaml");
    REQUIRE(md);
    CHECK(md->status == 200);
    CHECK(md->body.find("## How to ask for a review") != std::string::npos);
    CHECK(md->body.find("Կիրառական մաթեմատիկա") != std::string::npos);
    Json p = problem_of(s.client.Post("/v1/statement?format=pdf", app, "application/yaml"), 400);
    CHECK(p["parameter"] == "format");
    problem_of(s.client.Post("/v1/statement?policy=nope", app, "application/yaml"), 404);
}

TEST_CASE("GET /v1/policies/{id}/source: the files of the extends chain, sections, declarations") {
    Server s;
    auto r = s.client.Get("/v1/policies/georgia/source");
    REQUIRE(r);
    CHECK(r->status == 200);
    Json j = Json::parse(r->body);
    CHECK(j["id"] == "georgia");
    REQUIRE(j["files"].size() == 2);
    const Json& base = j["files"][0];
    const Json& own = j["files"][1];
    CHECK(base["file"].get<std::string>().find("eu-baseline.policy") != std::string::npos);
    CHECK(own["text"] == read_file(policies_dir + "/georgia.policy"));
    CHECK(own["sections"][0]["title"] == "Parameters");
    CHECK(own["sections"][0]["level"] == 1);
    // Every declaration's line states it, so a reason's location can be shown in place.
    bool found_cap = false;
    for (const Json& d : own["declarations"]) {
        if (d["kind"] == "cap" && d["name"] == "bachelor_combined") {
            found_cap = true;
            auto decision = s.client.Post(
                "/v1/evaluate", read_file(source_dir + "/examples/gtu-network-admin.yaml"),
                "application/yaml");
            REQUIRE(decision);
            Json ledger = Json::parse(decision->body)["cap_ledger"][0];
            CHECK(ledger["cap"] == "bachelor_combined");
            CHECK(ledger["location"].get<std::string>().find(":" + d["line"].dump() + ":") !=
                  std::string::npos);
        }
    }
    CHECK(found_cap);
    problem_of(s.client.Get("/v1/policies/nope/source"), 404);
}

TEST_CASE("GET /v1/policies/{id} gives each parameter's unit, origin and location") {
    Server s;
    auto r = s.client.Get("/v1/policies/georgia");
    REQUIRE(r);
    Json j = Json::parse(r->body);
    bool seen = false;
    for (const Json& p : j["parameters"]) {
        if (p["name"] != "bachelor_cap") continue;
        seen = true;
        CHECK(p["value"] == "60 ECTS");
        CHECK(p["unit"] == "ECTS");
        CHECK(p["origin"] == "georgia");
        CHECK(p["location"].get<std::string>().find("georgia.policy:") != std::string::npos);
    }
    CHECK(seen);
}

TEST_CASE("GET /v1/policies/{id} gives each cap's limit, unit and citation") {
    Server s;
    auto r = s.client.Get("/v1/policies/georgia");
    REQUIRE(r);
    Json j = Json::parse(r->body);
    Json combined;
    Json share;
    for (const Json& c : j["caps"]) {
        if (c["name"] == "bachelor_combined") combined = c;
        if (c["name"] == "bachelor_share") share = c;
    }
    REQUIRE(combined.is_object());
    CHECK(combined["setting"] == "cap.bachelor_combined");
    CHECK(combined["limit"] == "bachelor_cap");
    CHECK(combined["value"] == "60 ECTS");
    CHECK(combined["unit"] == "ECTS");
    CHECK(combined["share_of"].is_null());
    CHECK(combined["programme_kinds"] == Json::array({"bachelor"}));
    CHECK(combined["code"] == "CAP_BACHELOR_COMBINED");
    CHECK(combined["cite"].get<std::string>().find("MICRO-GEAR") != std::string::npos);
    CHECK(combined["location"].get<std::string>().find("georgia.policy:") != std::string::npos);
    REQUIRE(share.is_object());
    CHECK(share["value"] == "25 %");
    CHECK(share["unit"] == "%");
    CHECK(share["share_of"] == "programme.total_ects");

    // Armenia's cap is the programme's own: no one number in force.
    Json armenia = Json::parse(s.client.Get("/v1/policies/armenia")->body);
    REQUIRE(armenia["caps"].size() == 1);
    CHECK(armenia["caps"][0]["limit"] == "programme.mc_cap");
    CHECK(armenia["caps"][0]["value"].is_null());
}

TEST_CASE("POST /v1/simulate: a cap's limit changed, and the draft overrides the cap") {
    Server s;
    auto r = s.client.Post(
        "/v1/simulate",
        simulate_body(R"({"cap.bachelor_combined": "20 ects", "cap.bachelor_share": "5 %"})", 2000),
        "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    Json j = Json::parse(r->body);
    const Json& total = j["report"]["total"];
    CHECK(total["reform_ects"].get<double>() < total["baseline_ects"].get<double>());
    const std::string draft = j["draft"]["text"].get<std::string>();
    CHECK(draft.find("override cap bachelor_combined for micro_credential, vocational_l5 in "
                     "bachelor\n    at most 20 ects\n") != std::string::npos);
    CHECK(draft.find("at most 5 % of programme.total_ects") != std::string::npos);
    // The cap keeps its name in the report: one row, counted under both policies.
    bool seen = false;
    for (const Json& d : j["report"]["deciding"]) {
        CHECK(d["rule"].get<std::string>().rfind("georgia_set.", 0) != 0);
        if (d["rule"] == "georgia.bachelor_share") {
            seen = true;
            CHECK(d["reform"].get<int>() > d["baseline"].get<int>());
        }
    }
    CHECK(seen);

    // The downloaded draft, saved beside the policy it extends, is a policy mcre accepts,
    // and run as a reform it gives the same figures.
    TempDir dir;
    run_command("cp " + policies_dir + "/georgia.policy " + policies_dir + "/eu-baseline.policy " +
                dir.path());
    write_file(dir.path() + "/" + j["draft"]["file"].get<std::string>(), draft);
    run_command(std::string(MCRE_BINARY) +
                " gen-cohort --size 2000 --seed 7 --jurisdiction GE -o " + dir.path() +
                "/c.jsonl 2>/dev/null");
    const std::string cli = run_command(std::string(MCRE_BINARY) + " simulate --baseline " +
                                        dir.path() + "/georgia.policy --reform " + dir.path() +
                                        "/" + j["draft"]["file"].get<std::string>() +
                                        " --format json " + dir.path() + "/c.jsonl 2>/dev/null");
    REQUIRE(!cli.empty());
    Json expected = Json::parse(cli);
    CHECK(j["report"]["total"] == expected["total"]);
    CHECK(j["report"]["flips"].size() == expected["flips"].size());

    // A share for a cap that is not one is refused, and nothing runs.
    Json p = problem_of(
        s.client.Post("/v1/simulate", simulate_body(R"({"cap.bachelor_combined": "30 %"})", 10),
                      "application/json"),
        422);
    CHECK(p["detail"].get<std::string>().find("not a share") != std::string::npos);
}

TEST_CASE("POST /v1/simulate: the draft against the policy in force, as mcre simulate reports") {
    Server s;
    auto r = s.client.Post("/v1/simulate", simulate_body(R"({"mc_max_ects": "40"})", 2000),
                           "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    Json j = Json::parse(r->body);
    CHECK(j["cohort"]["applications"] == 2000);
    CHECK(j["settings"]["mc_max_ects"] == "40");
    CHECK(j["draft"]["text"].get<std::string>().find("extends georgia") != std::string::npos);
    const Json& total = j["report"]["total"];
    CHECK(total["applications"] == 2000);
    CHECK(total["reform_ects"].get<double>() > total["baseline_ects"].get<double>());

    // The same cohort and setting through the command line give the same report.
    TempDir dir;
    run_command(std::string(MCRE_BINARY) +
                " gen-cohort --size 2000 --seed 7 --jurisdiction GE -o " + dir.path() +
                "/c.jsonl 2>/dev/null");
    const std::string cli =
        run_command(std::string(MCRE_BINARY) + " simulate --baseline " + policies_dir +
                    "/georgia.policy --set mc_max_ects=40 --most-changed 5 --format json " +
                    dir.path() + "/c.jsonl 2>/dev/null");
    REQUIRE(!cli.empty());
    Json expected = Json::parse(cli);
    CHECK(j["report"]["total"] == expected["total"]);
    CHECK(j["report"]["flips"] == expected["flips"]);
    CHECK(j["report"]["deciding"] == expected["deciding"]);
    CHECK(j["baseline_cached"] == false);

    // Again on the same cohort: the baseline's decisions were kept, and the report is the
    // same to the last witness and explanation.
    auto again = s.client.Post("/v1/simulate", simulate_body(R"({"mc_max_ects": "40"})", 2000),
                               "application/json");
    REQUIRE(again);
    REQUIRE(again->status == 200);
    Json aj = Json::parse(again->body);
    CHECK(aj["baseline_cached"] == true);
    CHECK(aj["report"] == j["report"]);

    // An uploaded cohort: its lines, a bad one counted and named.
    const std::string cohort = read_file(dir.path() + "/c.jsonl");
    const std::string lines = cohort.substr(0, cohort.find('\n') + 1) + "{\"id\": 1}\n";
    Json upload;
    upload["policy"] = "georgia";
    upload["cohort"]["jsonl"] = lines;
    auto u = s.client.Post("/v1/simulate", upload.dump(), "application/json");
    REQUIRE(u);
    REQUIRE(u->status == 200);
    Json uj = Json::parse(u->body);
    CHECK(uj["report"]["total"]["applications"] == 1);
    CHECK(uj["report"]["bad_records"] == 1);
    CHECK(uj["draft"].is_null());
}

TEST_CASE("POST /v1/simulate: a value the policy would not accept is 422 naming it") {
    Server s;
    Json p =
        problem_of(s.client.Post("/v1/simulate", simulate_body(R"({"mc_max_ects": "forty"})", 10),
                                 "application/json"),
                   422);
    CHECK(p["type"].get<std::string>().find("invalid-setting") != std::string::npos);
    CHECK(p["pointer"] == "/settings");
    Json q = problem_of(
        s.client.Post("/v1/simulate", simulate_body(R"({"no_such": "1"})", 10), "application/json"),
        422);
    CHECK(q["detail"].get<std::string>().find("no_such") != std::string::npos);
    problem_of(s.client.Post("/v1/simulate", simulate_body("{}", 0), "application/json"), 422);
    problem_of(s.client.Post("/v1/simulate", R"({"policy": "nope"})", "application/json"), 404);
    problem_of(s.client.Post("/v1/simulate", R"({"policy": )", "application/json"), 400);
}

TEST_CASE("POST /v1/credentials/read: a Europass or Open Badges document as a credential") {
    Server s;
    auto r = s.client.Post("/v1/credentials/read?id=e1",
                           read_file(source_dir + "/examples/elm/gtu-network-security.jsonld"),
                           "application/ld+json");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    Json j = Json::parse(r->body);
    CHECK(j["format"] == "ELM");
    CHECK(j["credential"]["id"] == "e1");
    CHECK(j["credential"]["ects"] == 6);
    CHECK(j["credential"]["title"] == "Network Security for SMEs");
    auto badge =
        s.client.Post("/v1/credentials/read",
                      read_file(source_dir + "/examples/elm/ug-data-visualisation.ob3.jsonld"),
                      "application/json");
    REQUIRE(badge);
    CHECK(Json::parse(badge->body)["format"] == "Open Badges 3.0");
    Json p =
        problem_of(s.client.Post("/v1/credentials/read", "{\"a\": [", "application/json"), 422);
    CHECK(p["errors"][0]["code"] == "E4008");
    CHECK(p["line"] == 1);
}
