#include "cli/http_server.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/http_exchange.hpp"
#include "cli/http_request_id.hpp"
#include "cli/http_routes.hpp"
#include "cli/http_worker_pool.hpp"
#include "cli/openapi_json.hpp"
#include "cli/serve_handlers.hpp"
#include "cli/serve_static.hpp"
#include "cli/serve_workbench.hpp"

namespace mcre::cli {

namespace {

using Clock = std::chrono::steady_clock;

// The OpenAPI template as an httplib pattern: "{id}" captures one path segment.
std::string route_pattern(std::string_view path) {
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '{') {
            i = path.find('}', i);
            out += "([^/]+)";
        } else if (path[i] == '.') {
            out += "\\.";
        } else {
            out += path[i];
        }
    }
    return out;
}

// The route a path belongs to, for metrics labels and 405 answers.
std::string_view route_of(const std::string& path) {
    for (const RouteSpec& route : http_routes) {
        const auto brace = route.path.find('{');
        if (brace == std::string_view::npos) {
            if (path == route.path) return route.path;
            continue;
        }
        // "{id}" is one segment; what follows it ("/source") must follow it in the path.
        const std::string_view prefix = route.path.substr(0, brace);
        const std::string_view suffix = route.path.substr(route.path.find('}', brace) + 1);
        if (path.size() <= prefix.size() + suffix.size() ||
            path.compare(0, prefix.size(), prefix) != 0 ||
            path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0) {
            continue;
        }
        const std::string_view segment = std::string_view(path).substr(
            prefix.size(), path.size() - prefix.size() - suffix.size());
        if (segment.find('/') == std::string_view::npos) return route.path;
    }
    return "other";
}

std::string allowed_methods(std::string_view route) {
    std::string allow;
    for (const RouteSpec& r : http_routes) {
        if (r.path != route) continue;
        if (!allow.empty()) allow += ", ";
        for (char c : r.method) allow += static_cast<char>(std::toupper(c));
    }
    return allow;
}

bool parse_size(const std::string& text, std::size_t& out) {
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
}

httplib::Server::HandlerResponse before_routing(const ServeContext& context,
                                                const httplib::Request& req,
                                                httplib::Response& res) {
    Exchange& exchange = current_exchange();
    exchange = Exchange{};
    exchange.active = true;
    exchange.start = Clock::now();
    const bool given = req.has_header("X-Request-Id");
    const std::string id = req.get_header_value("X-Request-Id");
    exchange.request_id = given && valid_request_id(id) ? id : generate_request_id();
    exchange.request_id_from_client = given && valid_request_id(id);
    res.set_header("X-Request-Id", exchange.request_id);
    if (given && !exchange.request_id_from_client) {
        Problem p = make_problem(400, "invalid-request-id", "Invalid X-Request-Id",
                                 "X-Request-Id must be 1 to 128 printable ASCII characters");
        p.extra["header"] = "X-Request-Id";
        send_problem(res, p);
        return httplib::Server::HandlerResponse::Handled;
    }
    // cpp-httplib 0.11 applies its body limit only to bodies with a Content-Length, so a
    // chunked or unframed upload could grow without bound: require the length instead.
    const bool may_have_body = req.method != "GET" && req.method != "HEAD";
    if (may_have_body &&
        (req.has_header("Transfer-Encoding") || !req.has_header("Content-Length"))) {
        send_problem(res, make_problem(411, "length-required", "Content-Length required",
                                       "send the body with a Content-Length header, not chunked"));
        res.set_header("Connection", "close");
        return httplib::Server::HandlerResponse::Handled;
    }
    // Checked before the body is read, so an oversized upload is refused without
    // buffering it. Bodies without Content-Length hit httplib's own limit (also a 413).
    std::size_t length = 0;
    if (req.has_header("Content-Length") &&
        parse_size(req.get_header_value("Content-Length"), length) &&
        length > context.options.max_body_bytes) {
        send_problem(res, make_problem(413, "payload-too-large", "Request body too large",
                                       fmt::format("the body has {} bytes; the limit is {} "
                                                   "(--max-body)",
                                                   length, context.options.max_body_bytes)));
        // The unread body would otherwise be parsed as the next request.
        res.set_header("Connection", "close");
        return httplib::Server::HandlerResponse::Handled;
    }
    if (context.keys && req.path != "/healthz" && !is_workbench_path(req.path)) {
        const std::string key =
            presented_key(req.get_header_value("Authorization"), req.get_header_value("X-API-Key"));
        if (!context.keys->accepts(key)) {
            send_problem(res, make_problem(401, "unauthorized", "Missing or wrong API key",
                                           key.empty() ? "send Authorization: Bearer KEY or "
                                                         "X-API-Key: KEY"
                                                       : "the API key is not accepted"));
            res.set_header("WWW-Authenticate", "Bearer");
            res.set_header("Connection", "close");
            return httplib::Server::HandlerResponse::Handled;
        }
    }
    return httplib::Server::HandlerResponse::Unhandled;
}

// Errors httplib produces itself (no route, body too large, unreadable request) get the
// same problem+json shape as ours; ours already have a body and are left alone.
httplib::Server::HandlerResponse on_error(const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const std::string_view route = route_of(req.path);
    if (res.status == 404 && route != "other") {
        res.set_header("Allow", allowed_methods(route));
        send_problem(res, make_problem(405, "method-not-allowed", "Method not allowed",
                                       fmt::format("{} does not accept {}", route, req.method)));
    } else if (res.status == 404) {
        send_problem(res, make_problem(404, "not-found", "Not found",
                                       fmt::format("no route {}; see /openapi.json", req.path)));
    } else if (res.status == 413) {
        send_problem(res, make_problem(413, "payload-too-large", "Request body too large",
                                       "the body is larger than the limit (--max-body)"));
    } else {
        send_problem(res, make_problem(res.status, "http-error", "HTTP error",
                                       "the request could not be read"));
    }
    return httplib::Server::HandlerResponse::Handled;
}

void on_exception(const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send_problem(res, make_problem(500, "internal", "Internal error",
                                   "the server failed to answer; the access log has the "
                                   "request id"));
}

void after_response(const ServeContext& context, const httplib::Request& req,
                    const httplib::Response& res) {
    Exchange& exchange = current_exchange();
    const double seconds =
        exchange.active ? std::chrono::duration<double>(Clock::now() - exchange.start).count()
                        : 0.0;
    const std::string route(route_of(req.path));
    context.metrics->observe_request(req.method, route, res.status, seconds);
    if (!exchange.error_kind.empty()) context.metrics->count_error(exchange.error_kind);
    // Never the body or the headers: they carry applicants' data and API keys.
    nlohmann::ordered_json line;
    line["time"] = utc_timestamp(true);
    line["request_id"] = exchange.active ? exchange.request_id : "";
    line["method"] = req.method;
    line["path"] = req.path;
    line["status"] = res.status;
    line["duration_ms"] = std::round(seconds * 1e6) / 1e3;
    line["bytes"] = res.body.size();
    line["remote"] = req.remote_addr;
    context.access_log->info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    exchange = Exchange{};
}

void register_route(httplib::Server& server, const ServeContext& context, const RouteSpec& route) {
    using Handler = void (*)(const ServeContext&, const httplib::Request&, httplib::Response&);
    Handler handler = nullptr;
    if (route.path == "/v1/evaluate") handler = handle_evaluate;
    if (route.path == "/v1/evaluate/batch") handler = handle_batch;
    if (route.path == "/v1/policies") handler = handle_policies;
    if (route.path == "/v1/policies/{id}") handler = handle_policy;
    if (route.path == "/v1/policies/{id}/source") handler = handle_policy_source;
    if (route.path == "/v1/statement") handler = handle_statement;
    if (route.path == "/v1/simulate") handler = handle_simulate;
    if (route.path == "/v1/credentials/read") handler = handle_read_credential;
    if (route.path == "/" || route.path == "/ui/{file}") handler = handle_static;
    if (route.path == "/healthz") {
        handler = [](const ServeContext& c, const httplib::Request&, httplib::Response& res) {
            nlohmann::ordered_json body;
            body["status"] = "ok";
            body["policies"] = c.policies->current()->all().size();
            res.set_content(body.dump() + "\n", "application/json");
        };
    }
    if (route.path == "/metrics") {
        handler = [](const ServeContext& c, const httplib::Request&, httplib::Response& res) {
            res.set_content(c.metrics->render(), "text/plain; version=0.0.4; charset=utf-8");
        };
    }
    if (route.path == "/openapi.json") {
        handler = [](const ServeContext&, const httplib::Request&, httplib::Response& res) {
            res.set_content(std::string(openapi_json), "application/json");
        };
    }
    auto bound = [&context, handler](const httplib::Request& req, httplib::Response& res) {
        handler(context, req, res);
    };
    const std::string pattern = route_pattern(route.path);
    if (route.method == "post")
        server.Post(pattern, bound);
    else
        server.Get(pattern, bound);
}

}  // namespace

std::string utc_timestamp(bool milliseconds) {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    std::string out = fmt::format("{:%Y-%m-%dT%H:%M:%S}", tm);
    if (milliseconds) {
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
            1000;
        out += fmt::format(".{:03d}", ms);
    }
    return out + "Z";
}

void configure_server(httplib::Server& server, const ServeContext& context) {
    const ServeOptions& o = context.options;
    server.new_task_queue = [threads = o.threads, queue = o.queue] {
        return new BoundedWorkerPool(threads, queue);
    };
    server.set_payload_max_length(o.max_body_bytes);
    server.set_read_timeout(o.read_timeout_seconds, 0);
    server.set_write_timeout(o.write_timeout_seconds, 0);
    server.set_pre_routing_handler([&context](const httplib::Request& req, httplib::Response& res) {
        return before_routing(context, req, res);
    });
    server.set_error_handler(httplib::Server::HandlerWithResponse(on_error));
    server.set_exception_handler(on_exception);
    server.set_logger([&context](const httplib::Request& req, const httplib::Response& res) {
        after_response(context, req, res);
    });
    for (const RouteSpec& route : http_routes) register_route(server, context, route);
}

}  // namespace mcre::cli
