#include "cli/serve_options.hpp"

#include <charconv>

#include "cli/input_limit_options.hpp"

namespace mcre::cli {

namespace {

constexpr const char* help_text =
    R"(usage: mcre serve --policies DIR|FILE... [options]

Serves the HTTP/JSON API (docs/integration-guide.md): POST /v1/evaluate, POST /v1/evaluate/batch,
GET /v1/policies, GET /v1/policies/{id}, GET /healthz, GET /metrics, GET /openapi.json.
Prints "mcre serve: listening on http://HOST:PORT" when ready.

options:
  --policies PATH...      policy files or directories of *.policy (required)
  --host HOST             address to listen on (default 127.0.0.1)
  --port N                port; 0 picks a free one (default 8080)
  --api-keys FILE         accepted API keys, one per line, # comments; required unless
                          HOST is a loopback address (Authorization: Bearer KEY or X-API-Key)
  --decision-log FILE     record every decision in this SQLite file
  --access-log FILE       JSON-lines access log (default: stderr)
  --max-body BYTES        largest request body (default 1048576)
  --max-batch N           most applications in one batch (default 1000)
  --read-timeout SECONDS  how long a whole request, head and body, may take to arrive
                          from its first byte (default 10)
  --write-timeout SECONDS (default 10)
  --keep-alive-timeout SECONDS  how long an idle connection waits for its next request
                          (default 5)
  --max-header-bytes N    request line and headers together; 431 over it (default 16384)
  --max-connections N     connections waiting for a request; 503 over it (default 512)
  --threads N             worker threads, each serving one request at a time (default 8)
  --queue N               complete requests waiting for a worker (default 64)
  --drain-timeout SECONDS how long SIGTERM waits for requests in flight (default 30)
  --max-credentials N     most credentials in one application (default 1000; E4051)
  --max-depth N           deepest nesting of mappings and lists (default 32; E4052)
  --max-nodes N           most values in one application (default 500000; E4053)

signals: SIGTERM or SIGINT stop accepting, finish requests in flight and exit 0;
SIGHUP reloads the policies (a set that fails to check leaves the old one serving).

exit codes: 0 stopped cleanly, 1 policies, keys or logs could not be loaded, 2 wrong usage
)";

void usage(std::ostream& err, const std::string& message) {
    err << "mcre: " << message << "\n\n" << help_text;
}

template <typename Int>
bool parse_number(const std::string& text, Int min, Int& out) {
    Int value{};
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || value < min) return false;
    out = value;
    return true;
}

}  // namespace

const char* serve_help() { return help_text; }

std::optional<ServeOptions> parse_serve_options(const std::vector<std::string>& args,
                                                std::ostream& err) {
    ServeOptions o;
    std::string problem;  // of a limit option
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool has_value = i + 1 < args.size();
        auto text = [&](std::string& out) {
            if (!has_value) return false;
            out = args[++i];
            return true;
        };
        auto number = [&](auto& out, auto min) {
            return has_value && parse_number(args[++i], static_cast<decltype(+out)>(min), out);
        };
        bool ok = true;
        if (a == "--policies") {
            while (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) {
                o.policies.push_back(args[++i]);
            }
            ok = !o.policies.empty();
        } else if (a == "--host") {
            ok = text(o.host) && !o.host.empty();
        } else if (a == "--port") {
            ok = number(o.port, 0) && o.port <= 65535;
        } else if (a == "--api-keys") {
            ok = text(o.api_keys_file);
        } else if (a == "--decision-log") {
            ok = text(o.decision_log_file);
        } else if (a == "--access-log") {
            ok = text(o.access_log_file);
        } else if (a == "--max-body") {
            ok = number(o.max_body_bytes, 1);
        } else if (a == "--max-batch") {
            ok = number(o.max_batch, 1);
        } else if (a == "--read-timeout") {
            ok = number(o.read_timeout_seconds, 1);
        } else if (a == "--keep-alive-timeout") {
            ok = number(o.keep_alive_timeout_seconds, 1);
        } else if (a == "--max-header-bytes") {
            ok = number(o.max_header_bytes, 1024);
        } else if (a == "--max-connections") {
            ok = number(o.max_connections, 1);
        } else if (a == "--write-timeout") {
            ok = number(o.write_timeout_seconds, 1);
        } else if (a == "--threads") {
            ok = number(o.threads, 1) && o.threads <= 1024;
        } else if (a == "--queue") {
            ok = number(o.queue, 1);
        } else if (a == "--drain-timeout") {
            ok = number(o.drain_timeout_seconds, 1);
        } else if (LimitOption taken = take_limit_option(args, i, o.limits, false, problem);
                   taken != LimitOption::NotOne) {
            if (taken == LimitOption::Bad) {
                usage(err, problem);
                return std::nullopt;
            }
        } else {
            usage(err, "unknown option '" + a + "'");
            return std::nullopt;
        }
        if (!ok) {
            usage(err, a + " needs a valid value");
            return std::nullopt;
        }
    }
    if (o.policies.empty()) {
        usage(err, "serve needs --policies DIR|FILE...");
        return std::nullopt;
    }
    o.limits.max_bytes = o.max_body_bytes;  // a body over it is refused before (413)
    return o;
}

}  // namespace mcre::cli
