#include "cli/serve_command.hpp"

#include <httplib.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/http_connection_gate.hpp"
#include "cli/http_server.hpp"
#include "cli/serve_signals.hpp"
#include "cli/serve_simulation.hpp"

namespace mcre::cli {

namespace {

std::shared_ptr<spdlog::logger> json_lines_logger(const std::string& name, const std::string& file,
                                                  std::string& error) {
    try {
        spdlog::sink_ptr sink;
        if (file.empty())
            sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        else
            sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file);
        auto logger = std::make_shared<spdlog::logger>(name, sink);
        logger->set_pattern("%v");
        logger->flush_on(spdlog::level::info);
        return logger;
    } catch (const spdlog::spdlog_ex& e) {
        error = e.what();
        return nullptr;
    }
}

// Server events (start, reload, stop) as JSON lines on stderr, like the access log.
void log_event(spdlog::logger& events, const std::string& event, nlohmann::ordered_json fields) {
    nlohmann::ordered_json line;
    line["time"] = utc_timestamp(true);
    line["event"] = event;
    for (auto& [key, value] : fields.items()) line[key] = value;
    events.info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string problems_text(const std::vector<engine::PolicyLoadProblem>& problems) {
    std::string text;
    for (const auto& p : problems) text += p.rendered;
    return text;
}

std::string url_host(const std::string& host) {
    return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

}  // namespace

int run_serve(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (std::any_of(args.begin(), args.end(),
                    [](const std::string& a) { return a == "--help" || a == "-h"; })) {
        out << serve_help();
        return exit_ok;
    }
    auto options = parse_serve_options(args, err);
    if (!options) return exit_usage;
    if (options->api_keys_file.empty() && !is_loopback_host(options->host)) {
        err << "mcre: refusing to listen on " << options->host
            << " without --api-keys FILE: only a loopback address may run without keys\n";
        return exit_usage;
    }

    ServeContext context;
    context.options = *options;
    std::string error;
    if (!options->api_keys_file.empty()) {
        context.keys = ApiKeys::load(options->api_keys_file, error);
        if (!context.keys) {
            err << "mcre: " << error << "\n";
            return exit_rejected;
        }
    }
    PolicyStore policies(options->policies);
    std::vector<engine::PolicyLoadProblem> problems;
    if (!policies.reload(problems)) {
        err << problems_text(problems) << "mcre: serve: the policies did not load\n";
        return exit_rejected;
    }
    std::unique_ptr<DecisionLog> decision_log;
    if (!options->decision_log_file.empty()) {
        decision_log = DecisionLog::open(options->decision_log_file, error);
        if (!decision_log) {
            err << "mcre: cannot open the decision log: " << error << "\n";
            return exit_rejected;
        }
    }
    auto access_log = json_lines_logger("access", options->access_log_file, error);
    auto events = json_lines_logger("events", "", error);
    if (!access_log || !events) {
        err << "mcre: cannot open the access log: " << error << "\n";
        return exit_rejected;
    }
    Metrics metrics;
    metrics.set_policies_loaded(policies.current()->all().size());
    context.policies = &policies;
    context.metrics = &metrics;
    context.decision_log = decision_log.get();
    context.access_log = access_log;

    SignalWatcher::block_signals();
    GateLimits gate;
    gate.max_header_bytes = options->max_header_bytes;
    gate.request_timeout = std::chrono::seconds(options->read_timeout_seconds);
    gate.idle_timeout = std::chrono::seconds(options->keep_alive_timeout_seconds);
    gate.max_connections = options->max_connections;
    GatedServer server(gate);
    configure_server(server, context);
    // Requests the gate answers itself (431, 414, 408, 503) are logged and counted too.
    server.use_gate(options->threads, options->queue, [&](const GateRefusal& r) {
        metrics.observe_request("", "other", r.status, 0.0);
        metrics.count_error(r.kind);
        nlohmann::ordered_json line;
        line["time"] = utc_timestamp(true);
        line["status"] = r.status;
        line["error"] = r.kind;
        line["remote"] = r.remote;
        access_log->info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    });
    int port = options->port;
    if (port == 0) {
        port = server.bind_to_any_port(options->host);
    } else if (!server.bind_to_port(options->host, port)) {
        port = -1;
    }
    if (port < 0) {
        err << "mcre: cannot listen on " << options->host << ":" << options->port << "\n";
        return exit_rejected;
    }

    auto reload = [&] {
        std::vector<engine::PolicyLoadProblem> found;
        const bool ok = policies.reload(found);
        metrics.count_reload(ok);
        metrics.set_policies_loaded(policies.current()->all().size());
        log_event(*events, "reload",
                  {{"result", ok ? "success" : "failure"},
                   {"policies", policies.current()->all().size()},
                   {"problems", problems_text(found)}});
    };
    auto drain_expired = [&] {
        log_event(*events, "drain_timeout", {{"seconds", options->drain_timeout_seconds}});
        std::_Exit(exit_rejected);
    };
    SignalWatcher watcher([&] { server.stop(); }, reload, drain_expired,
                          std::chrono::seconds(options->drain_timeout_seconds));
    log_event(*events, "listening",
              {{"host", options->host},
               {"port", port},
               {"policies", policies.current()->all().size()},
               {"auth", context.keys ? "api-keys" : "none"}});
    out << "mcre serve: listening on http://" << url_host(options->host) << ":" << port
        << std::endl;

    const bool ok = server.listen_after_bind();
    stop_warm_simulation();  // while the engine's own statics still live
    watcher.drained();
    log_event(*events, "stopped", {{"clean", ok}});
    return ok ? exit_ok : exit_rejected;
}

}  // namespace mcre::cli
