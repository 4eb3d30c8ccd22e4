#include "cli/batch_pipeline.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <sstream>
#include <thread>

namespace {

using mcre::cli::LineOutcome;

}  // namespace

TEST_CASE("results come back in input order however the workers finish") {
    std::ostringstream input;
    for (int i = 1; i <= 500; ++i) input << "text " << i << "\n";
    std::istringstream in(input.str());

    std::atomic<int> in_flight{0};
    std::atomic<int> most_in_flight{0};
    std::vector<std::size_t> lines;
    std::vector<std::string> texts;
    mcre::cli::PipelineOptions options;
    options.jobs = 4;
    options.window = 16;
    mcre::cli::run_in_order(
        in, options,
        [&](std::size_t line, std::string text) {
            const int now = ++in_flight;
            int seen = most_in_flight.load();
            while (now > seen && !most_in_flight.compare_exchange_weak(seen, now)) {
            }
            // Later lines often finish first.
            std::this_thread::sleep_for(std::chrono::microseconds((line * 7919) % 300));
            --in_flight;
            LineOutcome outcome;
            outcome.ok = true;
            outcome.json = text;
            return outcome;
        },
        [&](LineOutcome outcome) {
            lines.push_back(outcome.line);
            texts.push_back(outcome.json);
        },
        [] {});
    REQUIRE(lines.size() == 500);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        CHECK(lines[i] == i + 1);
        CHECK(texts[i] == "text " + std::to_string(i + 1));
    }
    CHECK(most_in_flight.load() <= 4);
}

TEST_CASE("the window bounds how far reading runs ahead of writing") {
    std::ostringstream input;
    for (int i = 1; i <= 200; ++i) input << i << "\n";
    std::istringstream in(input.str());
    std::atomic<std::size_t> started{0};
    std::size_t written = 0;
    std::size_t worst_lead = 0;
    mcre::cli::PipelineOptions options;
    options.jobs = 3;
    options.window = 8;
    mcre::cli::run_in_order(
        in, options,
        [&](std::size_t line, std::string) {
            ++started;
            LineOutcome outcome;
            outcome.line = line;
            return outcome;
        },
        [&](LineOutcome) {
            worst_lead = std::max(worst_lead, started.load() - written);
            ++written;
        },
        [] {});
    CHECK(written == 200);
    CHECK(worst_lead <= 8);
}

TEST_CASE("a last line without a newline and CRLF endings are lines like any other") {
    std::istringstream in("a\r\nb\r\n\r\nc");
    std::vector<std::string> texts;
    mcre::cli::run_in_order(
        in, {},
        [](std::size_t, std::string text) {
            LineOutcome outcome;
            outcome.json = text;
            return outcome;
        },
        [&](LineOutcome outcome) { texts.push_back(outcome.json); }, [] {});
    CHECK(texts == std::vector<std::string>{"a", "b", "", "c"});
}

TEST_CASE("empty input gives no lines") {
    std::istringstream in("");
    int count = 0;
    mcre::cli::run_in_order(
        in, {}, [](std::size_t, std::string) { return LineOutcome{}; },
        [&](LineOutcome) { ++count; }, [] {});
    CHECK(count == 0);
}
