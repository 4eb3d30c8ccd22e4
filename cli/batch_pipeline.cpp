#include "cli/batch_pipeline.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <istream>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cli/in_order_turns.hpp"

namespace mcre::cli {

namespace {

// Lines travel between the threads in chunks, not one by one: a hand-off costs a lock and
// often a futex wake, which at a line each was most of the batch's system time.
constexpr std::size_t most_chunk_lines = 64;
// A thread whose chunk's turn to be written has not come parks it and goes on with another
// of its own.
constexpr std::size_t chunks_per_thread = 2;

struct Entry {
    std::string text;
    std::optional<LineOutcome> decided;  // set by the reader for a line it did not keep
};

struct Chunk {
    std::vector<Entry> entries;  // kept from one use to the next
    std::vector<LineOutcome> outcomes;
    std::size_t size = 0;  // entries of this use
    std::size_t first_line = 0;
    std::size_t ticket = 0;  // chunks are numbered in input order
    bool dry = false;        // it ended because the next line was not there yet
    bool in_use = false;     // InOrderTurns's
};

// One line into `text`, at most `max` bytes of it (0: all); `length` is the whole line's,
// the bytes past `max` skipped unstored. False at the end of the input.
// istream::getline finds the newline inside the stream's buffer instead of taking a
// character at a time (which was an eighth of a summary run); a line longer than `piece`
// comes in several pieces.
bool read_line(std::istream& in, std::span<char> piece, std::size_t max, std::string& text,
               std::size_t& length) {
    length = 0;
    for (;;) {
        in.getline(piece.data(), static_cast<std::streamsize>(piece.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        // Three ways a piece ends: at the newline (taken, not stored), at the end of the
        // input, or with the piece full and the line going on.
        const bool at_newline = !in.fail() && !in.eof();
        const bool piece_full = in.fail() && !in.eof() && got + 1 == piece.size();
        const std::size_t stored = at_newline ? got - 1 : got;
        if (max == 0 || length < max) {
            const std::size_t room = max == 0 ? stored : std::min(stored, max - length);
            text.append(piece.data(), room);
        }
        length += stored;
        if (at_newline) return true;
        if (!piece_full) return length != 0;  // the end of the input
        in.clear();
    }
}

// The next line as read_line gives it, without the CR a Windows editor leaves before the
// newline (it is not part of the JSON).
bool next_line(std::istream& in, std::span<char> piece, std::size_t max, std::string& text,
               std::size_t& length) {
    if (in.rdbuf() == nullptr || !read_line(in, piece, max, text, length)) return false;
    if (!text.empty() && text.back() == '\r' && (max == 0 || length <= max)) {
        text.pop_back();
        --length;
    }
    return true;
}

// One job: each line is read, decided and emitted on the calling thread, with no thread
// started. Threads cost a single-threaded run malloc's locks and every line's memory
// crossing cores (docs/performance.md, section 2.15).
void run_inline(std::istream& in, const PipelineOptions& options, const LineWorker& work,
                const LineSink& emit, const std::function<void()>& idle) {
    std::array<char, 1 << 14> piece{};
    std::string text;
    std::size_t length = 0;
    std::size_t line = 0;
    const std::size_t max = options.too_long ? options.max_line_bytes : 0;
    while (next_line(in, piece, max, text, length)) {
        ++line;
        LineOutcome outcome =
            max != 0 && length > max ? options.too_long(line, length) : work(line, std::move(text));
        outcome.line = line;
        emit(std::move(outcome));
        text.clear();
        // The moment the pipeline hands a chunk over: the next line may not be there yet,
        // and a client writing one line waits for its answer.
        if (in.rdbuf()->in_avail() <= 0) idle();
    }
}

// Two jobs or more: every thread reads a chunk of lines, decides it and writes it when its
// turn comes, so that a line's memory stays with one thread (docs/performance.md, section
// 2.15). A reading thread handing lines to deciding threads and a writing thread took 15 %
// more CPU time on BW1, most of it in the kernel, and a quarter more wall time.
class Run {
  public:
    Run(std::istream& in, const PipelineOptions& options, const LineWorker& work,
        const LineSink& emit, const std::function<void()>& idle)
        : in_(in), options_(options), work_(work), emit_(emit), idle_(idle) {
        // At most `window` lines are held: every thread's chunks together.
        const std::size_t held = options.window / (options.jobs * chunks_per_thread);
        chunk_lines_ = std::clamp<std::size_t>(held, 1, most_chunk_lines);
    }

    void work() {
        turns_.work<chunks_per_thread>([this](Chunk& c) { return read(c); },
                                       [this](Chunk& c) { decide(c); },
                                       [this](Chunk& c) { write(c); });
    }

  private:
    bool read(Chunk& chunk) {
        const std::lock_guard lock(read_mutex_);
        if (ended_) return false;
        const std::size_t max = options_.too_long ? options_.max_line_bytes : 0;
        chunk.size = 0;
        chunk.dry = false;
        chunk.first_line = lines_read_ + 1;
        while (chunk.size < chunk_lines_) {
            if (chunk.size == chunk.entries.size()) chunk.entries.emplace_back();
            Entry& entry = chunk.entries[chunk.size];
            entry.text.clear();
            entry.decided.reset();
            std::size_t length = 0;
            if (!next_line(in_, piece_, max, entry.text, length)) {
                ended_ = true;
                break;
            }
            ++chunk.size;
            if (max != 0 && length > max) {
                // Decided here, without deciding: the text was never kept.
                entry.decided = options_.too_long(lines_read_ + chunk.size, length);
                entry.text.clear();
            }
            // A chunk goes as soon as the next line may not be there yet, so that a client
            // writing one line and waiting for its answer is never kept waiting.
            if (in_.rdbuf()->in_avail() <= 0) {
                chunk.dry = true;
                break;
            }
        }
        if (chunk.size == 0) return false;
        lines_read_ += chunk.size;
        chunk.ticket = next_ticket_++;
        return true;
    }

    void decide(Chunk& chunk) {
        chunk.outcomes.clear();
        std::size_t line = chunk.first_line;
        for (std::size_t i = 0; i < chunk.size; ++i) {
            Entry& entry = chunk.entries[i];
            LineOutcome outcome =
                entry.decided ? std::move(*entry.decided) : work_(line, std::move(entry.text));
            outcome.line = line++;
            chunk.outcomes.push_back(std::move(outcome));
        }
    }

    void write(Chunk& chunk) {
        for (LineOutcome& outcome : chunk.outcomes) emit_(std::move(outcome));
        if (chunk.dry) idle_();
    }

    std::istream& in_;
    const PipelineOptions& options_;
    const LineWorker& work_;
    const LineSink& emit_;
    const std::function<void()>& idle_;
    std::size_t chunk_lines_ = most_chunk_lines;

    std::mutex read_mutex_;
    std::array<char, 1 << 14> piece_{};  // read_line's; guarded by read_mutex_
    bool ended_ = false;                 // likewise
    std::size_t lines_read_ = 0;         // likewise
    std::size_t next_ticket_ = 0;        // likewise

    InOrderTurns<Chunk> turns_;
};

}  // namespace

void run_in_order(std::istream& in, const PipelineOptions& options, const LineWorker& work,
                  const LineSink& emit, const std::function<void()>& idle) {
    // The threads start when the first byte of input has arrived (this waits for it as the
    // reader would): an empty input needs none (docs/performance.md, section 2.11).
    if (in.rdbuf() == nullptr || std::istream::traits_type::eq_int_type(
                                     in.rdbuf()->sgetc(), std::istream::traits_type::eof()))
        return;
    if (options.jobs <= 1) {
        run_inline(in, options, work, emit, idle);
        return;
    }
    Run run(in, options, work, emit, idle);
    // The calling thread is one of the jobs.
    std::vector<std::thread> others;
    others.reserve(options.jobs - 1);
    for (unsigned t = 1; t < options.jobs; ++t) others.emplace_back([&run] { run.work(); });
    run.work();
    for (std::thread& t : others) t.join();
}

}  // namespace mcre::cli
