// `mcre serve` under abuse (docs/robustness.md, "The server under load and abuse"): while
// two clients keep sending good applications and checking the decisions they get back,
// others send malformed JSON, bodies over the limit, huge heads, wrong keys, path tricks,
// and dozens of connections that trickle their requests a byte at a time. Every abusive
// request must get its documented answer, no good request may fail or wait more than a
// few seconds, the server must not grow, and it must still stop cleanly on SIGTERM.

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/serve/server_process.hpp"
#include "tests/serve_load/raw_client.hpp"

using namespace mcre::test;
using Json = nlohmann::json;

#if defined(__SANITIZE_ADDRESS__)
#define MCRE_ASAN_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MCRE_ASAN_BUILD 1
#endif
#endif
#ifndef MCRE_ASAN_BUILD
#define MCRE_ASAN_BUILD 0
#endif

namespace {

const std::string source_dir = MCRE_SOURCE_DIR;
const std::string api_key = "load-test-key";
constexpr int read_timeout_seconds = 3;
constexpr std::size_t max_body = 256 * 1024;

// What every thread reports: unexpected answers (with enough to debug them) and counts.
struct Tally {
    std::mutex mutex;
    std::vector<std::string> failures;
    std::map<std::string, std::map<int, int>> answers;  // case -> status -> count
    std::vector<double> good_seconds;

    void answer(const std::string& name, int status) {
        std::lock_guard lock(mutex);
        ++answers[name][status];
    }
    void fail(std::string what) {
        std::lock_guard lock(mutex);
        if (failures.size() < 50) failures.push_back(std::move(what));
    }
};

// The decision without what differs between two answers to the same application.
Json decision_content(const std::string& body) {
    Json j = Json::parse(body, nullptr, false);
    if (j.is_discarded()) return j;
    j.erase("request_id");
    j.erase("decided_at");
    return j;
}

struct GoodCase {
    std::string name;
    std::string body;
    Json expected;  // the decision answered before any abuse
};

// The shipped JSON example, and two applications of the batch tests' good input.
std::vector<GoodCase> good_cases() {
    std::vector<GoodCase> cases{
        {"app-2026-0007.json", read_file(source_dir + "/examples/docs/app-2026-0007.json"), {}}};
    const std::string lines = read_file(source_dir + "/tests/batch/data/good.jsonl");
    std::size_t at = 0;
    for (int i = 1; i <= 2; ++i) {
        const std::size_t end = lines.find('\n', at);
        cases.push_back({"good.jsonl line " + std::to_string(i), lines.substr(at, end - at), {}});
        at = end + 1;
    }
    return cases;
}

// One abusive request on its own connection, and the answers that are right for it.
struct Abuse {
    std::string name;
    std::string request;
    std::set<int> expected;
};

std::vector<Abuse> abuses() {
    const std::string good = read_file(source_dir + "/examples/docs/app-2026-0007.json");
    auto get = [](const std::string& target) { return http_request("GET", target, api_key, ""); };
    auto with_header = [](std::string request, const std::string& header) {
        return request.insert(request.find("\r\n") + 2, header);
    };
    std::string many_headers;
    for (int i = 0; i < 400; ++i)
        many_headers += "X-Filler-" + std::to_string(i) + ": " + std::string(60, 'f') + "\r\n";
    return {
        {"malformed JSON", http_request("POST", "/v1/evaluate", api_key, "{\"id\": oops"), {400}},
        {"truncated JSON",
         http_request("POST", "/v1/evaluate", api_key, good.substr(0, 300)),
         {400}},
        {"binary garbage as the body",
         http_request("POST", "/v1/evaluate", api_key, std::string("\x00\xff\xfe{[", 5)),
         {400}},
        {"garbage instead of a request", std::string("\x16\x03\x01 hello\r\n\r\n"), {400}},
        {"body over --max-body",
         http_request("POST", "/v1/evaluate", api_key, std::string(max_body + 4096, ' ')),
         {413}},
        {"Content-Length over --max-body, no body",
         "POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nX-API-Key: " + api_key +
             "\r\nContent-Length: 999999999999\r\n\r\n",
         {413}},
        {"chunked body",
         "POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nX-API-Key: " + api_key +
             "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
         {411}},
        {"one header line of 20 KB",
         with_header(get("/v1/policies"), "X-Huge: " + std::string(20'000, 'h') + "\r\n"),
         {431}},
        {"400 headers, 30 KB in all", with_header(get("/v1/policies"), many_headers), {431}},
        {"request line of 12 KB", get("/v1/policies/" + std::string(12'000, 'a')), {414}},
        {"missing API key", http_request("POST", "/v1/evaluate", "", good), {401}},
        {"wrong API key", http_request("POST", "/v1/evaluate", "not-the-key", good), {401}},
        {"wrong Bearer key",
         http_request("GET", "/v1/policies", "", "", "Authorization: Bearer nope\r\n"),
         {401}},
        {"/v1/policies/../..", get("/v1/policies/../.."), {404}},
        {"/v1/policies/../../etc/passwd", get("/v1/policies/../../etc/passwd"), {404}},
        {"/v1/policies/%2e%2e", get("/v1/policies/%2e%2e"), {404}},
        {"/v1/policies/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
         get("/v1/policies/%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
         {404}},
        {"/v1/policies/georgia%00", get("/v1/policies/georgia%00"), {404}},
        {"/v1/policies/%00", get("/v1/policies/%00"), {404}},
        {"/v1/policies/ with an id of 4000 characters",
         get("/v1/policies/" + std::string(4000, 'x')),
         {404}},
        {"/v1/policies/unknown", get("/v1/policies/unknown"), {404}},
        {"//v1/policies", get("//v1/policies"), {404}},
        {"/v1//policies/georgia", get("/v1//policies/georgia"), {404}},
        {"/v1/policies/georgia/", get("/v1/policies/georgia/"), {404}},
        {"/v1/policies/georgia/../armenia", get("/v1/policies/georgia/../armenia"), {404}},
    };
}

// Sends one abusive request on a fresh connection and checks the answer.
void run_abuse(int port, const Abuse& abuse, Tally& tally) {
    RawConnection c(port);
    if (!c.ok()) {
        tally.fail(abuse.name + ": cannot connect");
        return;
    }
    c.send_all(abuse.request);  // the server may answer and stop reading before the end
    const auto reply = c.read_reply(Clock::now() + std::chrono::seconds(10));
    tally.answer(abuse.name, reply.status);
    if (abuse.expected.count(reply.status) == 0) {
        tally.fail(abuse.name + ": HTTP " + std::to_string(reply.status) +
                   (reply.timed_out ? " (no answer in 10 s)" : "") + " " +
                   reply.body.substr(0, 200));
        return;
    }
    if (reply.headers.find("Content-Type: application/problem+json") == std::string::npos)
        tally.fail(abuse.name + ": not problem+json: " + reply.headers);
    if (reply.body.find("root:") != std::string::npos)
        tally.fail(abuse.name + ": the answer quotes a system file");
}

// Good traffic: each request checked against the decision answered before the abuse.
void run_good(int port, std::vector<GoodCase>& cases, bool keep_alive,
              const std::atomic<bool>& stop, Tally& tally) {
    std::unique_ptr<RawConnection> c;
    for (std::size_t i = 0; !stop; ++i) {
        GoodCase& g = cases[i % cases.size()];
        const std::string request = http_request("POST", "/v1/evaluate", api_key, g.body);
        const auto start = Clock::now();
        RawConnection::Reply reply;
        // A kept-alive connection the server closed while idle is retried once, as every
        // HTTP client does; a fresh connection gets no second chance.
        for (int attempt = 0; attempt < 2; ++attempt) {
            const bool reused = c != nullptr;
            if (!c) c = std::make_unique<RawConnection>(port);
            const bool sent = c->ok() && c->send_all(request);
            reply = sent ? c->read_reply(Clock::now() + std::chrono::seconds(30))
                         : RawConnection::Reply{};
            if (!keep_alive || reply.status == 0) c.reset();
            if (reply.status != 0 || !reused) break;
        }
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        tally.answer("good " + g.name, reply.status);
        {
            std::lock_guard lock(tally.mutex);
            tally.good_seconds.push_back(seconds);
        }
        if (reply.status != 200) {
            tally.fail("good " + g.name + ": HTTP " + std::to_string(reply.status) + " after " +
                       std::to_string(seconds) + " s " + reply.body.substr(0, 200));
            continue;
        }
        Json got = decision_content(reply.body);
        if (g.expected.is_null()) {
            g.expected = got;  // the warm-up, before any abuse
        } else if (got != g.expected) {
            tally.fail("good " + g.name + ": a different decision: " + reply.body.substr(0, 300));
        }
    }
}

// Connections that send their request a byte every 100 ms: the head, or (`body_length`)
// the body after a complete head. Each must be answered 408 (or, for a body too big for
// the gate to wait for, 400 from the worker that read it) or closed, within the read
// timeout and a generous margin; then it starts over.
void run_tricklers(int port, int count, std::size_t body_length, const std::atomic<bool>& stop,
                   Tally& tally, const std::string& name) {
    struct Trickler {
        std::unique_ptr<RawConnection> c;
        std::string bytes;
        std::size_t sent = 0;
        Clock::time_point start;
        Clock::time_point seen_unanswered;  // the last time it was polled and had no answer
    };
    const std::string head =
        body_length == 0 ? "POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nX-API-Key: " + api_key +
                               "\r\nX-Slow: " + std::string(4000, 's') + "\r\n\r\n"
                         : "POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nX-API-Key: " + api_key +
                               "\r\nContent-Type: application/json\r\nContent-Length: " +
                               std::to_string(body_length) + "\r\n\r\n";
    std::vector<Trickler> tricklers(static_cast<std::size_t>(count));
    // The server answers 408 within the read timeout of a request's first byte. The test
    // holds it to that by the last time it saw the connection still unanswered, not by when
    // it noticed the answer: on a loaded machine this loop comes back to a connection
    // seconds late (seen in CI: 7-9 s), which says nothing about the server. The slack is
    // the server's own lateness, larger under AddressSanitizer.
    const auto limit = std::chrono::seconds(read_timeout_seconds + (MCRE_ASAN_BUILD ? 15 : 4));
    while (!stop) {
        for (Trickler& t : tricklers) {
            if (!t.c) {
                t.c = std::make_unique<RawConnection>(port);
                t.bytes = body_length == 0 ? head : head + std::string(body_length, ' ');
                t.sent = body_length == 0 ? 0 : head.size();
                if (body_length != 0) t.c->send_all(head);
                t.start = Clock::now();
                t.seen_unanswered = t.start;
            }
            const bool answered = t.c->readable();
            if (!answered) t.seen_unanswered = Clock::now();
            if (!answered && t.sent < t.bytes.size() && t.c->send_all(t.bytes.substr(t.sent, 1))) {
                ++t.sent;
            }
            const bool late = t.seen_unanswered - t.start > limit;
            if (answered || late) {
                const auto reply = t.c->read_reply(Clock::now() + std::chrono::seconds(1));
                const double seconds =
                    std::chrono::duration<double>(t.seen_unanswered - t.start).count();
                tally.answer(name, reply.status);
                const bool right = reply.status == 408 || reply.status == 0 ||
                                   (body_length > 64 * 1024 && reply.status == 400);
                if (!right || late) {
                    tally.fail(name + ": HTTP " + std::to_string(reply.status) +
                               ", still unanswered " + std::to_string(seconds) + " s in, " +
                               std::to_string(t.sent) + " bytes sent");
                }
                t.c.reset();
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto at = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
    return values[at];
}

}  // namespace

TEST_CASE("under abuse the server answers each bad request, serves the good ones, and holds") {
    TempDir dir;
    write_file(dir.path() + "/keys", api_key + "\n");
    ServerProcess server(
        {"--port", "0", "--policies", source_dir + "/policies", "--api-keys", dir.path() + "/keys",
         "--access-log", dir.path() + "/access.log", "--threads", "4", "--queue", "16",
         "--read-timeout", std::to_string(read_timeout_seconds), "--keep-alive-timeout", "2",
         "--max-body", std::to_string(max_body)},
        dir.path() + "/stderr.log");
    REQUIRE(server.port() > 0);
    const int port = server.port();

    Tally tally;
    std::atomic<bool> stop{false};
    std::atomic<bool> stop_abuse{false};
    std::vector<GoodCase> cases_a = good_cases();
    std::vector<GoodCase> cases_b = good_cases();
    std::vector<std::thread> threads;
    threads.emplace_back([&] { run_good(port, cases_a, false, stop, tally); });
    threads.emplace_back([&] { run_good(port, cases_b, true, stop, tally); });
    std::this_thread::sleep_for(std::chrono::seconds(1));  // expected decisions first

    const std::vector<Abuse> all = abuses();
    threads.emplace_back([&] {
        for (std::size_t i = 0; !stop_abuse; ++i) run_abuse(port, all[i % all.size()], tally);
    });
    threads.emplace_back([&] {
        // Clients that connect and reset, before a request, halfway through its head, or
        // right after a complete one: nothing to answer, nothing may break.
        const std::string request = http_request("GET", "/healthz", "", "");
        for (std::size_t i = 0; !stop_abuse; ++i) {
            RawConnection c(port);
            if (i % 3 == 1) c.send_all(request.substr(0, 20));
            if (i % 3 == 2) c.send_all(request);
            c.reset();
            tally.answer("connect and reset", 0);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
    threads.emplace_back(
        [&] { run_tricklers(port, 48, 0, stop_abuse, tally, "slow head (slowloris)"); });
    threads.emplace_back([&] { run_tricklers(port, 8, 2000, stop_abuse, tally, "slow body"); });
    threads.emplace_back(
        [&] { run_tricklers(port, 2, 100'000, stop_abuse, tally, "slow body over 64 KiB"); });

    // Warm-up: every kind of request has been served a few times (slow ones once).
    std::this_thread::sleep_for(std::chrono::seconds(read_timeout_seconds + 5));
    const long rss_warm = rss_kib(server.pid());
    std::this_thread::sleep_for(std::chrono::seconds(20));
    const long rss_end = rss_kib(server.pid());
    stop_abuse = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    stop = true;
    for (std::thread& t : threads) t.join();

    std::size_t good = 0;
    for (const auto& [name, statuses] : tally.answers) {
        std::string line = name + ":";
        for (const auto& [status, count] : statuses) {
            line += " " + std::to_string(status) + " x" + std::to_string(count);
            if (name.rfind("good ", 0) == 0 && status == 200)
                good += static_cast<std::size_t>(count);
        }
        UNSCOPED_INFO(line);
        std::printf("%s\n", line.c_str());  // the figures docs/robustness.md quotes
    }
    const double p50 = percentile(tally.good_seconds, 0.50);
    const double p99 = percentile(tally.good_seconds, 0.99);
    UNSCOPED_INFO("good requests: " << good << ", p50 " << p50 * 1e3 << " ms, p99 " << p99 * 1e3
                                    << " ms; VmRSS " << rss_warm << " KiB after the warm-up, "
                                    << rss_end << " KiB 20 s later");
    std::printf(
        "good requests: %zu, p50 %.1f ms, p99 %.1f ms; VmRSS %ld KiB after the warm-up, "
        "%ld KiB 20 s later\n",
        good, p50 * 1e3, p99 * 1e3, rss_warm, rss_end);
    // Printed as well: a CI log cut short keeps the figures above but may lose Catch's report.
    for (const std::string& f : tally.failures) {
        UNSCOPED_INFO(f);
        std::printf("unexpected: %s\n", f.c_str());
    }
    CHECK(tally.failures.empty());
    // Every kind of abuse was tried, and the good traffic went on.
    for (const Abuse& a : all) CHECK(tally.answers.count(a.name) == 1);
    CHECK(tally.answers.count("slow head (slowloris)") == 1);
    CHECK(tally.answers.count("slow body") == 1);
    CHECK(tally.answers.count("connect and reset") == 1);
    CHECK(good >= 50);
    CHECK(p99 < 5.0);
    // No growth beyond allocator noise (measured: under 100 KiB). 8 MiB over the ~40,000
    // requests of a quiet run is a leak of about 200 bytes per request.
    REQUIRE(rss_warm > 0);
#if MCRE_ASAN_BUILD
    // AddressSanitizer keeps freed memory aside (its quarantine, 256 MiB), so resident size
    // says nothing about leaks here; LeakSanitizer checks the server when it exits instead.
    (void)rss_end;
#else
    CHECK(rss_end <= rss_warm + 8 * 1024);
#endif

    // Still alive and answering, then a clean stop.
    RawConnection c(port);
    REQUIRE(c.send_all(http_request("GET", "/healthz", "", "")));
    CHECK(c.read_reply(Clock::now() + std::chrono::seconds(5)).status == 200);
    server.signal(SIGTERM);
    CHECK(server.wait_exit(std::chrono::seconds(20)) == 0);
}

TEST_CASE("over --max-connections a new connection is answered 503 and closed") {
    TempDir dir;
    ServerProcess server({"--port", "0", "--policies", source_dir + "/policies",
                          "--max-connections", "4", "--access-log", dir.path() + "/access.log"},
                         dir.path() + "/stderr.log");
    REQUIRE(server.port() > 0);
    std::vector<std::unique_ptr<RawConnection>> idle;
    for (int i = 0; i < 4; ++i) idle.push_back(std::make_unique<RawConnection>(server.port()));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // all four in the gate
    RawConnection extra(server.port());
    const auto refused = extra.read_reply(Clock::now() + std::chrono::seconds(5));
    CHECK(refused.status == 503);
    CHECK(refused.body.find("too-many-connections") != std::string::npos);
    // One of the four can still be served, and once they are gone others are admitted.
    REQUIRE(idle[0]->send_all(http_request("GET", "/healthz", "", "")));
    CHECK(idle[0]->read_reply(Clock::now() + std::chrono::seconds(5)).status == 200);
    idle.clear();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    RawConnection later(server.port());
    REQUIRE(later.send_all(http_request("GET", "/healthz", "", "")));
    CHECK(later.read_reply(Clock::now() + std::chrono::seconds(5)).status == 200);
}
