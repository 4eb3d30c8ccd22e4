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

// One job reads and decides on the calling thread, without the pipeline's threads: each
// behaviour below is checked both ways.
TEST_CASE("a last line without a newline and CRLF endings are lines like any other") {
    std::istringstream in("a\r\nb\r\n\r\nc");
    std::vector<std::string> texts;
    mcre::cli::PipelineOptions options;
    options.jobs = GENERATE(1U, 2U);
    mcre::cli::run_in_order(
        in, options,
        [](std::size_t, std::string text) {
            LineOutcome outcome;
            outcome.json = text;
            return outcome;
        },
        [&](LineOutcome outcome) { texts.push_back(outcome.json); }, [] {});
    CHECK(texts == std::vector<std::string>{"a", "b", "", "c"});
}

// Lines are read in pieces of 16 KiB: one longer than a piece, or than several, comes whole,
// and one over the limit is measured whole but never kept.
TEST_CASE("long lines come whole, and a line over the limit is measured, not kept") {
    const std::string a(40'000, 'a');
    const std::string b(16'383, 'b');  // a piece's room exactly, then the newline
    const std::string c(16'384, 'c');
    const std::string d(70'000, 'd');
    std::istringstream in(a + "\n" + b + "\n" + c + "\r\n" + d + "\nshort\n" + b);
    mcre::cli::PipelineOptions options;
    options.jobs = GENERATE(1U, 2U);
    options.max_line_bytes = 50'000;
    options.too_long = [](std::size_t line, std::size_t bytes) {
        LineOutcome outcome;
        outcome.line = line;
        outcome.json = "too long: " + std::to_string(bytes);
        return outcome;
    };
    std::vector<std::string> texts;
    mcre::cli::run_in_order(
        in, options,
        [](std::size_t, std::string text) {
            LineOutcome outcome;
            outcome.json = text;
            return outcome;
        },
        [&](LineOutcome outcome) { texts.push_back(outcome.json); }, [] {});
    REQUIRE(texts.size() == 6);
    CHECK(texts[0] == a);
    CHECK(texts[1] == b);
    CHECK(texts[2] == c);
    CHECK(texts[3] == "too long: 70000");
    CHECK(texts[4] == "short");
    CHECK(texts[5] == b);
}

TEST_CASE("empty input gives no lines") {
    std::istringstream in("");
    int count = 0;
    mcre::cli::run_in_order(
        in, {}, [](std::size_t, std::string) { return LineOutcome{}; },
        [&](LineOutcome) { ++count; }, [] {});
    CHECK(count == 0);
}

namespace {

// Stands for a client on a pipe: it writes one line, then waits for that line's answer
// before it writes the next.
class OneLineAtATime final : public std::streambuf {
  public:
    OneLineAtATime(int lines, std::atomic<int>& answered) : lines_(lines), answered_(answered) {}

    bool kept_waiting = false;

  protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        if (given_ == lines_) return traits_type::eof();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (answered_.load() < given_) {
            if (std::chrono::steady_clock::now() > deadline) {
                kept_waiting = true;  // the pipeline sat on a line it had read
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        ++given_;
        line_ = "line " + std::to_string(given_) + "\n";
        setg(line_.data(), line_.data(), line_.data() + line_.size());
        return traits_type::to_int_type(*gptr());
    }

  private:
    int lines_;
    std::atomic<int>& answered_;
    int given_ = 0;
    std::string line_;
};

}  // namespace

TEST_CASE("a client that waits for each answer before writing the next line gets it") {
    std::atomic<int> answered{0};
    int held = 0;
    OneLineAtATime client(5, answered);
    std::istream in(&client);
    mcre::cli::PipelineOptions options;
    options.jobs = GENERATE(1U, 2U);
    mcre::cli::run_in_order(
        in, options,
        [](std::size_t, std::string text) {
            LineOutcome outcome;
            outcome.json = text;
            return outcome;
        },
        // Answers reach the client when the pipeline says it is idle, as mcre batch writes
        // its output.
        [&](LineOutcome) { ++held; },
        [&] {
            answered += held;
            held = 0;
        });
    answered += held;
    CHECK(answered.load() == 5);
    CHECK_FALSE(client.kept_waiting);
}

TEST_CASE("lines are numbered across chunks, and a long input keeps every line") {
    std::ostringstream input;
    for (int i = 1; i <= 1000; ++i) input << i << "\n";
    std::istringstream in(input.str());
    std::vector<std::size_t> lines;
    bool texts_match = true;
    mcre::cli::PipelineOptions options;
    options.jobs = GENERATE(1U, 2U);
    options.window = 300;  // not a multiple of the chunk size
    mcre::cli::run_in_order(
        in, options,
        [](std::size_t, std::string text) {
            LineOutcome outcome;
            outcome.json = text;
            return outcome;
        },
        [&](LineOutcome outcome) {
            lines.push_back(outcome.line);
            texts_match = texts_match && outcome.json == std::to_string(outcome.line);
        },
        [] {});
    REQUIRE(lines.size() == 1000);
    CHECK(lines.front() == 1);
    CHECK(lines.back() == 1000);
    CHECK(texts_match);
}
