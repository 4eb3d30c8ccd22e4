// `mcre serve` tested over real HTTP on an ephemeral loopback port.

#include <httplib.h>
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <future>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "cli/http_routes.hpp"
#include "tests/serve/server_process.hpp"

using mcre::test::read_file;
using mcre::test::ServerProcess;
using mcre::test::TempDir;
using mcre::test::write_file;
using Json = nlohmann::json;

namespace {

const std::string source_dir = MCRE_SOURCE_DIR;
const std::string policies_dir = source_dir + "/policies";
const std::string example_path = source_dir + "/examples/docs/app-2026-0007.json";

httplib::Client client(int port) {
    httplib::Client c("127.0.0.1", port);
    c.set_connection_timeout(5);
    c.set_read_timeout(30);
    c.set_write_timeout(30);
    return c;
}

std::string example() { return read_file(example_path); }

Json example_json() { return Json::parse(example()); }

// The problem+json shape every error shares.
Json problem_of(const httplib::Result& r, int status) {
    REQUIRE(r);
    CHECK(r->status == status);
    CHECK(r->get_header_value("Content-Type") == "application/problem+json");
    Json p = Json::parse(r->body);
    CHECK(p["status"] == status);
    CHECK(p["type"].get<std::string>().rfind("https://mcre.example/problems/", 0) == 0);
    CHECK(p.contains("title"));
    CHECK(p.contains("detail"));
    return p;
}

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

// Polls until `done` or 10 s have passed: reloads happen asynchronously to the signal.
template <typename Predicate>
bool eventually(Predicate done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

struct Fixture {
    TempDir dir;
    ServerProcess server;
    explicit Fixture(std::vector<std::string> extra = {})
        : server(with_policies(std::move(extra)), dir.path() + "/stderr.log") {
        REQUIRE(server.port() > 0);
    }
    static std::vector<std::string> with_policies(std::vector<std::string> extra) {
        std::vector<std::string> args{"--port", "0", "--policies", policies_dir};
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
    }
};

}  // namespace

TEST_CASE("POST /v1/evaluate answers what mcre evaluate --format json prints") {
    Fixture f;
    auto r = client(f.server.port()).Post("/v1/evaluate", example(), "application/json");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    CHECK(!r->get_header_value("X-Request-Id").empty());
    const std::string cli =
        run_command(std::string(MCRE_BINARY) + " evaluate --policy " + policies_dir +
                    "/georgia.policy " + example_path + " --format json 2>/dev/null");
    CHECK(r->body == cli);
}

TEST_CASE("the policy is chosen by jurisdiction and date, or named in the request") {
    Fixture f;
    auto c = client(f.server.port());
    SECTION("named with ?policy=") {
        auto r = c.Post("/v1/evaluate?policy=eu_baseline", example(), "application/json");
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(Json::parse(r->body)["policy"]["id"] == "eu_baseline");
    }
    SECTION("an unknown named policy is 404") {
        Json p = problem_of(c.Post("/v1/evaluate?policy=nope", example(), "application/json"), 404);
        CHECK(p["parameter"] == "policy");
    }
    SECTION("no jurisdiction and no policy named is 422 at /jurisdiction") {
        Json app = example_json();
        app.erase("jurisdiction");
        Json p = problem_of(c.Post("/v1/evaluate", app.dump(), "application/json"), 422);
        CHECK(p["pointer"] == "/jurisdiction");
    }
    SECTION("a jurisdiction without a policy is 422") {
        Json app = example_json();
        app["jurisdiction"] = "FR";
        Json p = problem_of(c.Post("/v1/evaluate", app.dump(), "application/json"), 422);
        CHECK(p["pointer"] == "/jurisdiction");
    }
    SECTION("a date no policy of the jurisdiction is in force on is 422 at /date") {
        Json app = example_json();
        app["date"] = "1999-01-01";
        Json p = problem_of(c.Post("/v1/evaluate", app.dump(), "application/json"), 422);
        CHECK(p["pointer"] == "/date");
    }
}

TEST_CASE("several policies in force, or none, are 422 problems that list the candidates") {
    // tests/select/data: xx_base until 2026-08-31, xx_law from 2026-09-01, and a draft
    // extending it from 2027-09-01.
    Fixture f({"--policies", source_dir + "/tests/select/data"});
    auto c = client(f.server.port());
    Json app = example_json();
    app["jurisdiction"] = "XX";
    SECTION("one in force is chosen") {
        app["date"] = "2026-10-15";
        auto r = c.Post("/v1/evaluate", app.dump(), "application/json");
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(Json::parse(r->body)["policy"]["id"] == "xx_law");
    }
    SECTION("several") {
        app["date"] = "2027-10-01";
        Json p = problem_of(c.Post("/v1/evaluate", app.dump(), "application/json"), 422);
        CHECK(p["type"] == "https://mcre.example/problems/several-policies");
        CHECK(p["pointer"] == "/date");
        CHECK(p["detail"].get<std::string>().rfind(
                  "2 policies for XX are in force on 2027-10-01: xx_draft version 3-draft: in "
                  "force from 2027-09-01, in force on 2027-10-01; xx_law version 2",
                  0) == 0);
        REQUIRE(p["candidates"].size() == 3);
        CHECK(p["candidates"][0]["id"] == "xx_draft");
        CHECK(p["candidates"][0]["in_force"] == true);
        CHECK(p["candidates"][2]["id"] == "xx_base");
        CHECK(p["candidates"][2]["in_force_until"] == "2026-08-31");
        CHECK(p["candidates"][2]["why"] == "no longer in force on 2027-10-01");
        CHECK(p["hint"].get<std::string>().find("?policy=ID") != std::string::npos);
    }
    SECTION("none") {
        app["date"] = "2019-06-01";
        Json p = problem_of(c.Post("/v1/evaluate", app.dump(), "application/json"), 422);
        CHECK(p["type"] == "https://mcre.example/problems/no-policy");
        CHECK(p["pointer"] == "/date");
        CHECK(p["detail"].get<std::string>().rfind("no policy for XX is in force on 2019-06-01: ",
                                                   0) == 0);
        CHECK(p["candidates"].size() == 3);
    }
}

TEST_CASE("GET /v1/policies and /v1/policies/{id} describe the loaded policies") {
    Fixture f;
    auto c = client(f.server.port());
    auto r = c.Get("/v1/policies");
    REQUIRE(r);
    CHECK(r->status == 200);
    Json list = Json::parse(r->body)["policies"];
    REQUIRE(list.size() == 5);  // eu_baseline, georgia, armenia, spain_rd822, italy_l240
    for (const Json& p : list) {
        CHECK(p["sha256"].get<std::string>().size() == 64);
        CHECK(p.contains("version"));
        CHECK(p.contains("in_force_from"));
        CHECK(p.contains("in_force_until"));
        CHECK(p["parameters"].is_array());
    }
    auto one = c.Get("/v1/policies/georgia");
    REQUIRE(one);
    CHECK(one->status == 200);
    Json georgia = Json::parse(one->body);
    CHECK(georgia["id"] == "georgia");
    CHECK(georgia["jurisdiction"] == "GE");
    CHECK(!georgia["parameters"].empty());
    problem_of(c.Get("/v1/policies/nope"), 404);
}

TEST_CASE("malformed JSON is 400 problem+json with the position") {
    Fixture f;
    Json p = problem_of(client(f.server.port())
                            .Post("/v1/evaluate", "{\"id\": \"a\",\n  oops}", "application/json"),
                        400);
    CHECK(p["line"] == 2);
    CHECK(p["type"] == "https://mcre.example/problems/malformed-json");
}

TEST_CASE("a body over --max-body is 413 problem+json, a body without length 411") {
    Fixture f({"--max-body", "1000"});
    auto c = client(f.server.port());
    SECTION("with Content-Length") {
        problem_of(c.Post("/v1/evaluate", std::string(5000, ' '), "application/json"), 413);
    }
    SECTION("chunked, without Content-Length: refused, as its size is unknown") {
        auto r = c.Post(
            "/v1/evaluate",
            [](size_t offset, httplib::DataSink& sink) {
                if (offset < 5000) {
                    const std::string chunk(500, ' ');
                    sink.write(chunk.data(), chunk.size());
                } else {
                    sink.done();
                }
                return true;
            },
            "application/json");
        problem_of(r, 411);
    }
}

TEST_CASE("an application that fails the schema is 422 with a pointer to the field") {
    Fixture f;
    Json app = example_json();
    app["credentials"][0]["issued"] = "2026-02-31";
    app["credentials"][0]["ectss"] = 5;
    Json p = problem_of(
        client(f.server.port()).Post("/v1/evaluate", app.dump(2), "application/json"), 422);
    CHECK(p["type"] == "https://mcre.example/problems/invalid-application");
    REQUIRE(p["errors"].size() == 2);
    CHECK(p["pointer"] == "/credentials/0/ectss");
    CHECK(p["errors"][0]["code"] == "E4004");
    CHECK(p["errors"][1]["pointer"] == "/credentials/0/issued");
    CHECK(p["errors"][1]["line"].is_number());
    SECTION("a missing required field points where it should be") {
        Json bad = example_json();
        bad["programme"].erase("id");
        Json q = problem_of(
            client(f.server.port()).Post("/v1/evaluate", bad.dump(), "application/json"), 422);
        CHECK(q["pointer"] == "/programme/id");
    }
}

TEST_CASE("an override the policy forbids is 422 forbidden-override at the override") {
    Fixture f({"--policies", source_dir + "/examples/overrides/recognition-2026.policy"});
    Json app = example_json();
    app["overrides"] = Json::array({Json{{"credential", app["credentials"][0]["id"]},
                                         {"waive", "regulated_programme"},
                                         {"author", "N. Beridze"},
                                         {"date", "2026-11-20"},
                                         {"reason", "elective"}}});
    auto c = client(f.server.port());
    Json p = problem_of(
        c.Post("/v1/evaluate?policy=overrides_demo", app.dump(2), "application/json"), 422);
    CHECK(p["type"] == "https://mcre.example/problems/forbidden-override");
    CHECK(p["pointer"] == "/overrides/0/waive");
    REQUIRE(p["errors"].size() == 1);
    CHECK(p["errors"][0]["code"] == "E4013");
    CHECK(p["errors"][0]["detail"].get<std::string>().find("Law on Higher Education, Art. 12") !=
          std::string::npos);
    CHECK(p["errors"][0]["line"].is_number());

    // The same override under a policy that does not forbid it is applied or reported.
    auto r = c.Post("/v1/evaluate?policy=georgia", app.dump(2), "application/json");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(Json::parse(r->body)["overrides"][0]["status"] == "not_applicable");
}

TEST_CASE("API keys: 401 without or with a wrong key, 200 with the right one") {
    TempDir keys_dir;
    write_file(keys_dir.path() + "/keys", "# test keys\nfirst-key\n  second-key  \n");
    Fixture f({"--api-keys", keys_dir.path() + "/keys"});
    auto c = client(f.server.port());
    Json none = problem_of(c.Get("/v1/policies"), 401);
    CHECK(none["type"] == "https://mcre.example/problems/unauthorized");
    problem_of(c.Get("/v1/policies", {{"Authorization", "Bearer wrong"}}), 401);
    problem_of(c.Post("/v1/evaluate", {{"X-API-Key", "first-ke"}}, example(), "application/json"),
               401);
    auto bearer = c.Get("/v1/policies", {{"Authorization", "Bearer second-key"}});
    REQUIRE(bearer);
    CHECK(bearer->status == 200);
    auto header =
        c.Post("/v1/evaluate", {{"X-API-Key", "first-key"}}, example(), "application/json");
    REQUIRE(header);
    CHECK(header->status == 200);
    auto health = c.Get("/healthz");  // open, for load balancers
    REQUIRE(health);
    CHECK(health->status == 200);
}

TEST_CASE("refuses a non-loopback host without --api-keys") {
    TempDir dir;
    ServerProcess server({"--host", "0.0.0.0", "--port", "0", "--policies", policies_dir},
                         dir.path() + "/stderr.log");
    CHECK(server.port() == 0);
    CHECK(server.wait_exit(std::chrono::seconds(10)) == 2);
    CHECK(read_file(dir.path() + "/stderr.log").find("without --api-keys") != std::string::npos);
}

TEST_CASE("POST /v1/evaluate/batch answers in order, a bad item in its place") {
    Fixture f({"--max-batch", "3"});
    auto c = client(f.server.port());
    Json no_jurisdiction = example_json();
    no_jurisdiction.erase("jurisdiction");
    SECTION("a JSON array") {
        const std::string body = "[" + example() + ", {\"id\": 5}, " + example() + "]";
        auto r = c.Post("/v1/evaluate/batch", body, "application/json");
        REQUIRE(r);
        CHECK(r->status == 200);
        Json out = Json::parse(r->body);
        REQUIRE(out["results"].size() == 3);
        CHECK(out["results"][0]["status"] == 200);
        CHECK(out["results"][0]["decision"]["policy"]["id"] == "georgia");
        CHECK(out["results"][1]["status"] == 422);
        CHECK(out["results"][1]["problem"]["pointer"].get<std::string>().rfind("/1", 0) == 0);
        CHECK(out["results"][2]["status"] == 200);
        CHECK(out["summary"]["failed"] == 1);
    }
    SECTION("NDJSON, with a malformed line") {
        const std::string body =
            example_json().dump() + "\n{oops\n" + no_jurisdiction.dump() + "\n";
        auto r = c.Post("/v1/evaluate/batch", body, "application/x-ndjson");
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(r->get_header_value("Content-Type") == "application/x-ndjson");
        std::vector<Json> lines;
        std::size_t start = 0;
        while (start < r->body.size()) {
            const auto end = r->body.find('\n', start);
            const std::string line = r->body.substr(start, end - start);
            lines.push_back(Json::parse(line));
            // Compact, and in the decision's own key order (the decision is spliced in).
            CHECK(line == nlohmann::ordered_json::parse(line).dump());
            start = end + 1;
        }
        REQUIRE(lines.size() == 3);
        CHECK(lines[0]["decision"] ==
              Json::parse(c.Post("/v1/evaluate", example(), "application/json")->body));
        CHECK(lines[0]["status"] == 200);
        CHECK(lines[1]["status"] == 400);
        CHECK(lines[1]["line"] == 2);
        CHECK(lines[2]["status"] == 422);
        CHECK(lines[2]["problem"]["pointer"] == "/jurisdiction");
    }
    SECTION("more than --max-batch is 413") {
        const std::string body =
            "[" + example() + "," + example() + "," + example() + "," + example() + "]";
        problem_of(c.Post("/v1/evaluate/batch", body, "application/json"), 413);
    }
    SECTION("an unknown named policy is 404 for the whole batch") {
        problem_of(
            c.Post("/v1/evaluate/batch?policy=nope", "[" + example() + "]", "application/json"),
            404);
    }
}

TEST_CASE("GET /healthz, /metrics and /openapi.json") {
    Fixture f;
    auto c = client(f.server.port());
    // Metrics are counted after the response is written; one kept-alive connection is
    // served by one worker in order, so /metrics sees the requests sent before it.
    c.set_keep_alive(true);
    auto health = c.Get("/healthz");
    REQUIRE(health);
    CHECK(Json::parse(health->body)["status"] == "ok");
    REQUIRE(c.Post("/v1/evaluate", example(), "application/json"));
    REQUIRE(c.Post("/v1/evaluate", "{", "application/json"));
    auto metrics = c.Get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->status == 200);
    CHECK(metrics->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
    for (const char* expected :
         {"mcre_http_requests_total{method=\"POST\",path=\"/v1/evaluate\",status=\"200\"} 1",
          "mcre_http_requests_total{method=\"POST\",path=\"/v1/evaluate\",status=\"400\"} 1",
          "mcre_http_request_duration_seconds_bucket{path=\"/v1/evaluate\",le=\"+Inf\"} 2",
          "mcre_decisions_total{status=\"recognized\"}",
          "mcre_errors_total{kind=\"malformed-json\"} 1", "mcre_policies_loaded 5",
          "mcre_policy_reloads_total{result=\"failure\"} 0"}) {
        INFO(expected);
        CHECK(metrics->body.find(expected) != std::string::npos);
    }
    auto openapi = c.Get("/openapi.json");
    REQUIRE(openapi);
    CHECK(openapi->status == 200);
    CHECK(openapi->body == read_file(source_dir + "/docs/openapi.json"));
    Json doc = Json::parse(openapi->body);
    CHECK(doc["openapi"].get<std::string>().rfind("3.", 0) == 0);
    for (const auto& route : mcre::cli::http_routes) {
        const std::string path(route.path);
        const std::string method(route.method);
        INFO(method << " " << path);
        CHECK(doc["paths"].contains(path));
        CHECK(doc["paths"][path].contains(method));
    }
    problem_of(c.Get("/nowhere"), 404);
    problem_of(c.Get("/v1/evaluate"), 405);
}

TEST_CASE("X-Request-Id is taken from the request, or generated, and returned") {
    Fixture f;
    auto c = client(f.server.port());
    auto given = c.Get("/healthz", {{"X-Request-Id", "admissions-42"}});
    REQUIRE(given);
    CHECK(given->get_header_value("X-Request-Id") == "admissions-42");
    auto generated = c.Get("/healthz");
    REQUIRE(generated);
    CHECK(generated->get_header_value("X-Request-Id").size() == 36);
    Json p = problem_of(c.Get("/healthz", {{"X-Request-Id", std::string(129, 'x')}}), 400);
    CHECK(p["header"] == "X-Request-Id");
}

TEST_CASE("the decision log (--decision-log) records every decision under its request id") {
    TempDir logs;
    Fixture f({"--decision-log", logs.path() + "/decisions.sqlite"});
    auto c = client(f.server.port());
    auto first = c.Post("/v1/evaluate", {{"X-Request-Id", "req-1"}}, example(), "application/json");
    REQUIRE(first);
    CHECK(first->status == 200);
    // Recorded: the same id cannot decide twice.
    Json p = problem_of(
        c.Post("/v1/evaluate", {{"X-Request-Id", "req-1"}}, example(), "application/json"), 409);
    CHECK(p["header"] == "X-Request-Id");
    auto batch = c.Post("/v1/evaluate/batch", {{"X-Request-Id", "req-2"}},
                        "[" + example() + "," + example() + "]", "application/json");
    REQUIRE(batch);
    Json out = Json::parse(batch->body);
    CHECK(out["results"][1]["request_id"] == "req-2/1");
    CHECK(out["summary"]["decided"] == 2);
}

TEST_CASE("SIGHUP reloads the policies, and a policy that fails keeps the old set") {
    TempDir dir;
    const std::string policy = dir.path() + "/georgia.policy";
    const std::string original = read_file(policies_dir + "/georgia.policy");
    write_file(policy, original);
    // georgia extends eu_baseline, which is looked for beside it.
    write_file(dir.path() + "/eu-baseline.policy", read_file(policies_dir + "/eu-baseline.policy"));
    ServerProcess server({"--port", "0", "--policies", dir.path()}, dir.path() + "/stderr.log");
    REQUIRE(server.port() > 0);
    auto c = client(server.port());
    auto version = [&] {
        auto r = c.Get("/v1/policies/georgia");
        return r && r->status == 200 ? Json::parse(r->body)["version"].get<std::string>() : "";
    };
    REQUIRE(version() == "2026.1-S1");

    std::string changed = original;
    changed.replace(changed.find("version \"2026.1-S1\""), 19, "version \"2026.2-test\"");
    write_file(policy, changed);
    server.signal(SIGHUP);
    CHECK(eventually([&] { return version() == "2026.2-test"; }));

    write_file(policy, changed + "\nthis is not a policy\n");
    server.signal(SIGHUP);
    CHECK(eventually([&] {
        auto m = c.Get("/metrics");
        return m &&
               m->body.find("mcre_policy_reloads_total{result=\"failure\"} 1") != std::string::npos;
    }));
    CHECK(version() == "2026.2-test");
    auto r = c.Post("/v1/evaluate", example(), "application/json");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(read_file(dir.path() + "/stderr.log").find("\"result\":\"failure\"") !=
          std::string::npos);
    server.signal(SIGTERM);
    CHECK(server.wait_exit(std::chrono::seconds(20)) == 0);
}

TEST_CASE("SIGTERM finishes the requests in flight and exits 0") {
    TempDir dir;
    ServerProcess server({"--port", "0", "--policies", policies_dir, "--max-batch", "100000",
                          "--max-body", "100000000"},
                         dir.path() + "/stderr.log");
    REQUIRE(server.port() > 0);
    // A batch large enough to still be deciding when the signal arrives.
    const std::size_t count = 1500;
    std::string body = "[";
    for (std::size_t i = 0; i < count; ++i) body += (i ? "," : "") + example();
    body += "]";
    const int port = server.port();
    auto slow = std::async(std::launch::async, [port, &body] {
        auto r = client(port).Post("/v1/evaluate/batch", body, "application/json");
        return r ? std::make_pair(r->status, r->body) : std::make_pair(-1, std::string());
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    REQUIRE(slow.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);
    server.signal(SIGTERM);
    REQUIRE(slow.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
    auto [status, response] = slow.get();
    CHECK(status == 200);
    CHECK(Json::parse(response)["summary"]["decided"] == count);
    CHECK(server.wait_exit(std::chrono::seconds(20)) == 0);
}
