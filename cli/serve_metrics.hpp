#pragma once

// In-process counters and histograms for GET /metrics (Prometheus text format 0.0.4).

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace mcre::cli {

class Metrics {
  public:
    // `route` is the route template ("/v1/policies/{id}"), never the raw path, so a
    // client cannot grow the label set without bound.
    void observe_request(const std::string& method, const std::string& route, int status,
                         double seconds);
    void count_decision(const std::string& credential_status);
    void count_error(const std::string& kind);
    void count_reload(bool ok);
    void set_policies_loaded(std::size_t count);

    [[nodiscard]] std::string render() const;

  private:
    static constexpr std::array<double, 12> bounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5,   10};
    struct Histogram {
        std::array<std::uint64_t, bounds.size()> buckets{};  // not cumulative
        std::uint64_t count = 0;
        double sum = 0;
    };

    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
    std::map<std::string, Histogram> durations_;  // by route
    std::map<std::string, std::uint64_t> decisions_;
    std::map<std::string, std::uint64_t> errors_;
    std::map<std::string, std::uint64_t> reloads_;
    std::size_t policies_loaded_ = 0;
};

}  // namespace mcre::cli
