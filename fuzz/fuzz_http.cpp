// libFuzzer target: the HTTP request handling of `mcre serve`, without a socket
// (docs/robustness.md). The fuzz bytes choose a method, a path, headers and a body; the
// request is written as HTTP/1.1 into an in-memory stream and handed to a server
// configured exactly as `mcre serve` configures it (configure_server: pre-routing checks
// of request ids, lengths and API keys, the routes, problem+json errors, the access log,
// metrics), with the shipped policies and an in-memory decision log. Every request must
// get a well-formed answer: a status between 200 and 599 and, for an error, a
// problem+json body.

#include <fuzzer/FuzzedDataProvider.h>
#include <httplib.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include "cli/decision_log.hpp"
#include "cli/http_server.hpp"
#include "cli/serve_simulation.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using namespace mcre;

// process_request is protected in cpp-httplib: the one door in that needs no socket.
class SocketlessServer : public httplib::Server {
  public:
    using httplib::Server::process_request;
};

// One request in, the answer out.
class MemoryStream : public httplib::Stream {
  public:
    explicit MemoryStream(std::string request) : in_(std::move(request)) {}
    bool is_readable() const override { return true; }
    bool is_writable() const override { return true; }
    ssize_t read(char* ptr, size_t size) override {
        const std::size_t n = in_.copy(ptr, size, position_);
        position_ += n;
        return static_cast<ssize_t>(n);
    }
    ssize_t write(const char* ptr, size_t size) override {
        out_.append(ptr, size);
        return static_cast<ssize_t>(size);
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        ip = "127.0.0.1";
        port = 40000;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        ip = "127.0.0.1";
        port = 8080;
    }
    socket_t socket() const override { return INVALID_SOCKET; }
    [[nodiscard]] const std::string& answer() const { return out_; }

  private:
    std::string in_;
    std::size_t position_ = 0;
    std::string out_;
};

struct Service {
    cli::PolicyStore policies{{std::string(MCRE_SOURCE_DIR) + "/policies"}};
    cli::Metrics metrics;
    std::unique_ptr<cli::DecisionLog> log;
    std::size_t logged = 0;
    cli::ServeContext open;       // no API keys: every route is open
    cli::ServeContext with_keys;  // the same service behind API keys
    SocketlessServer open_server;
    SocketlessServer keyed_server;

    Service() {
        std::vector<engine::PolicyLoadProblem> problems;
        if (!policies.reload(problems)) fuzz::fail("the shipped policies do not load");
        char keys_file[] = "/tmp/mcre-fuzz-keys-XXXXXX";
        const int fd = mkstemp(keys_file);
        if (fd < 0) fuzz::fail("cannot write the API keys file");
        close(fd);
        std::ofstream(keys_file) << "# fuzz\nkey-one\n  key-two  \n";
        std::string error;
        auto keys = cli::ApiKeys::load(keys_file, error);
        std::remove(keys_file);
        if (!keys) fuzz::fail("API keys: " + error);
        reopen_log();
        cli::disable_warm_simulation();  // no 100,000 decisions behind each GET /
        for (cli::ServeContext* c : {&open, &with_keys}) {
            c->options.policies = {std::string(MCRE_SOURCE_DIR) + "/policies"};
            c->options.max_body_bytes = 64 * 1024;
            c->options.max_batch = 16;
            c->policies = &policies;
            c->metrics = &metrics;
            c->decision_log = log.get();
            c->access_log = std::make_shared<spdlog::logger>(
                "access", std::make_shared<spdlog::sinks::null_sink_mt>());
        }
        with_keys.keys = std::move(keys);
        cli::configure_server(open_server, open);
        cli::configure_server(keyed_server, with_keys);
    }

    // The log (SQLite in WAL mode, so a file) is replaced now and then, so that a long run
    // does not grow.
    std::string log_file;
    void reopen_log() {
        log.reset();
        remove_log();
        char name[] = "/tmp/mcre-fuzz-log-XXXXXX";
        const int fd = mkstemp(name);
        if (fd < 0) fuzz::fail("cannot create the decision log");
        close(fd);
        log_file = name;
        std::string error;
        log = cli::DecisionLog::open(log_file, error);
        if (!log) fuzz::fail("decision log: " + error);
        open.decision_log = log.get();
        with_keys.decision_log = log.get();
        logged = 0;
    }
    void remove_log() {
        if (log_file.empty()) return;
        for (const char* suffix : {"", "-wal", "-shm"}) std::remove((log_file + suffix).c_str());
    }
    ~Service() {
        log.reset();
        remove_log();
    }
};

Service& service() {
    static Service s;
    return s;
}

constexpr std::array kMethods = {"GET",     "POST",  "PUT", "DELETE", "HEAD",
                                 "OPTIONS", "PATCH", "get", "POST "};
constexpr std::array kPaths = {"/v1/evaluate",
                               "/v1/evaluate?policy=georgia",
                               "/v1/evaluate?policy=armenia",
                               "/v1/evaluate?policy=nope",
                               "/v1/evaluate/batch",
                               "/v1/evaluate/batch?policy=georgia",
                               "/v1/policies",
                               "/v1/policies/georgia",
                               "/v1/policies/eu_baseline",
                               "/v1/policies/..%2f..%2fetc%2fpasswd",
                               "/v1/policies/../../etc/passwd",
                               "/v1/policies/%00",
                               "/healthz",
                               "/metrics",
                               "/openapi.json",
                               "/",
                               "//v1//evaluate",
                               "/v1/evaluate%3Fpolicy=georgia",
                               "*"};
constexpr std::array kHeaders = {"Content-Type", "X-Request-Id",      "Authorization",
                                 "X-API-Key",    "Transfer-Encoding", "Content-Length",
                                 "Accept",       "Connection",        "Expect",
                                 "Range",        "Content-Encoding",  "Host"};
constexpr std::array kValues = {"application/json",
                                "application/x-ndjson",
                                "application/jsonl",
                                "Bearer key-one",
                                "Bearer wrong",
                                "key-two",
                                "chunked",
                                "req-1",
                                "0",
                                "18446744073709551616",
                                "-1",
                                "bytes=0-10",
                                "gzip",
                                "close",
                                "100-continue",
                                ""};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    spdlog::set_level(spdlog::level::off);
    (void)service();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Service& s = service();
    if (++s.logged > 5000) s.reopen_log();
    FuzzedDataProvider in(data, size);
    // The choices come from the end of the input and the body from its start, so a seed
    // is a request body followed by a few bytes of choices.
    const bool keyed = in.ConsumeBool();
    std::string method =
        in.ConsumeIntegralInRange(0, 15) == 0
            ? in.ConsumeRandomLengthString(12)
            : std::string(kMethods[in.ConsumeIntegralInRange<std::size_t>(0, kMethods.size() - 1)]);
    std::string path =
        in.ConsumeIntegralInRange(0, 15) == 0
            ? in.ConsumeRandomLengthString(64)
            : std::string(kPaths[in.ConsumeIntegralInRange<std::size_t>(0, kPaths.size() - 1)]);
    std::string headers;
    bool length_given = false;
    for (int n = in.ConsumeIntegralInRange(0, 5); n > 0; --n) {
        const std::string name =
            kHeaders[in.ConsumeIntegralInRange<std::size_t>(0, kHeaders.size() - 1)];
        std::string value =
            in.ConsumeIntegralInRange(0, 7) == 0
                ? in.ConsumeRandomLengthString(40)
                : std::string(
                      kValues[in.ConsumeIntegralInRange<std::size_t>(0, kValues.size() - 1)]);
        if (name == "Content-Length") length_given = true;
        headers += name + ": " + value + "\r\n";
    }
    const bool send_length = in.ConsumeIntegralInRange(0, 7) != 0;
    const std::string body = in.ConsumeRemainingBytesAsString();
    std::string request = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers;
    if (send_length && !length_given) {
        request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    request += "\r\n" + body;

    MemoryStream stream(std::move(request));
    bool connection_closed = false;
    SocketlessServer& server = keyed ? s.keyed_server : s.open_server;
    (void)server.process_request(stream, true, connection_closed,
                                 [](httplib::Request& req) { req.remote_addr = "127.0.0.1"; });
    // Whatever was asked, an answer with a status line went back.
    std::string answer = stream.answer();
    // `Expect: 100-continue` is answered with an interim 100 before the answer itself.
    const std::string_view interim = "HTTP/1.1 100 Continue\r\n\r\n";
    if (answer.rfind(interim, 0) == 0) answer.erase(0, interim.size());
    MCRE_FUZZ_EXPECT(answer.rfind("HTTP/1.1 ", 0) == 0, "an answer with a status line");
    const int status = std::atoi(answer.c_str() + 9);
    MCRE_FUZZ_EXPECT(status >= 200 && status <= 599, answer.substr(0, 40));
    MCRE_FUZZ_EXPECT(status != 500, "no internal error: " + answer.substr(0, 400));
    if (status >= 400 && method != "HEAD") {
        MCRE_FUZZ_EXPECT(answer.find("application/problem+json") != std::string::npos,
                         "an error is problem+json: " + answer.substr(0, 400));
    }
    return 0;
}
