#include "cli/serve_metrics.hpp"

#include <fmt/format.h>

namespace mcre::cli {

namespace {

// Label values are ours (routes, statuses, kinds), but a method comes from the client.
std::string label(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

}  // namespace

void Metrics::observe_request(const std::string& method, const std::string& route, int status,
                              double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[{method, route, status}];
    Histogram& h = durations_[route];
    ++h.count;
    h.sum += seconds;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        if (seconds <= bounds[i]) {
            ++h.buckets[i];
            break;
        }
    }
}

void Metrics::count_decision(const std::string& credential_status) {
    std::lock_guard lock(mutex_);
    ++decisions_[credential_status];
}

void Metrics::count_error(const std::string& kind) {
    std::lock_guard lock(mutex_);
    ++errors_[kind];
}

void Metrics::count_reload(bool ok) {
    std::lock_guard lock(mutex_);
    ++reloads_[ok ? "success" : "failure"];
}

void Metrics::set_policies_loaded(std::size_t count) {
    std::lock_guard lock(mutex_);
    policies_loaded_ = count;
}

std::string Metrics::render() const {
    std::lock_guard lock(mutex_);
    std::string out;
    out += "# HELP mcre_http_requests_total HTTP requests answered.\n";
    out += "# TYPE mcre_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
        const auto& [method, route, status] = key;
        out +=
            fmt::format("mcre_http_requests_total{{method=\"{}\",path=\"{}\",status=\"{}\"}} {}\n",
                        label(method), label(route), status, n);
    }
    out += "# HELP mcre_http_request_duration_seconds Time from request read to response.\n";
    out += "# TYPE mcre_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : durations_) {
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < bounds.size(); ++i) {
            cumulative += h.buckets[i];
            out += fmt::format(
                "mcre_http_request_duration_seconds_bucket{{path=\"{}\",le=\"{}\"}} {}\n",
                label(route), bounds[i], cumulative);
        }
        out +=
            fmt::format("mcre_http_request_duration_seconds_bucket{{path=\"{}\",le=\"+Inf\"}} {}\n",
                        label(route), h.count);
        out += fmt::format("mcre_http_request_duration_seconds_sum{{path=\"{}\"}} {}\n",
                           label(route), h.sum);
        out += fmt::format("mcre_http_request_duration_seconds_count{{path=\"{}\"}} {}\n",
                           label(route), h.count);
    }
    out += "# HELP mcre_decisions_total Credential decisions returned, by status.\n";
    out += "# TYPE mcre_decisions_total counter\n";
    for (const auto& [status, n] : decisions_) {
        out += fmt::format("mcre_decisions_total{{status=\"{}\"}} {}\n", label(status), n);
    }
    out +=
        "# HELP mcre_errors_total Problems returned (whole requests and batch items), by kind.\n";
    out += "# TYPE mcre_errors_total counter\n";
    for (const auto& [kind, n] : errors_) {
        out += fmt::format("mcre_errors_total{{kind=\"{}\"}} {}\n", label(kind), n);
    }
    out += "# HELP mcre_policies_loaded Policies currently serving.\n";
    out += "# TYPE mcre_policies_loaded gauge\n";
    out += fmt::format("mcre_policies_loaded {}\n", policies_loaded_);
    out += "# HELP mcre_policy_reloads_total SIGHUP reloads, by result.\n";
    out += "# TYPE mcre_policy_reloads_total counter\n";
    for (const char* result : {"success", "failure"}) {
        auto it = reloads_.find(result);
        out += fmt::format("mcre_policy_reloads_total{{result=\"{}\"}} {}\n", result,
                           it == reloads_.end() ? 0 : it->second);
    }
    return out;
}

}  // namespace mcre::cli
