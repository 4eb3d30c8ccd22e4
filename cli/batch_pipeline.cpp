#include "cli/batch_pipeline.hpp"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <functional>
#include <istream>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace mcre::cli {

namespace {

// Lines travel between the threads in chunks, not one by one: a hand-off costs a lock and
// often a futex wake, which at a line each was most of the batch's system time.
constexpr std::size_t chunk_lines = 64;

struct Entry {
    std::string text;
    std::optional<LineOutcome> decided;  // set by the reader for a line it did not keep
};

struct Chunk {
    std::size_t index = 0;       // chunks are numbered from 0 in input order
    std::size_t first_line = 0;  // the line number of entries[0]
    std::vector<Entry> entries;
};

struct Shared {
    std::mutex mutex;
    std::condition_variable work_ready;    // workers wait for a chunk or the end of input
    std::condition_variable result_ready;  // the writer waits for the next chunk's results
    std::condition_variable space;         // the reader waits while the window is full
    std::deque<Chunk> queue;
    std::map<std::size_t, std::vector<LineOutcome>> done;  // finished out of order, by chunk
    std::size_t chunks_read = 0;
    std::size_t chunks_written = 0;
    std::size_t lines_read = 0;  // handed to the workers
    std::size_t lines_written = 0;
    bool input_done = false;
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

class Reader {
  public:
    Reader(const PipelineOptions& options, std::size_t window, Shared& shared)
        : options_(options), window_(window), shared_(shared) {}

    void run(std::istream& in) {
        std::string text;
        std::size_t length = 0;
        const std::size_t max = options_.too_long ? options_.max_line_bytes : 0;
        while (next_line(in, piece_, max, text, length)) {
            wait_for_room();
            Entry entry;
            if (max != 0 && length > max) {
                // Decided here, without a worker: the text was never kept.
                entry.decided = options_.too_long(line_number(), length);
            } else {
                entry.text = std::move(text);
            }
            chunk_.entries.push_back(std::move(entry));
            text.clear();
            // A chunk goes as soon as the next line may not be there yet, so that a client
            // writing one line and waiting for its answer is never kept waiting.
            if (chunk_.entries.size() >= std::min(chunk_lines, window_) ||
                in.rdbuf()->in_avail() <= 0)
                hand_over();
        }
        hand_over();
        {
            const std::lock_guard lock(shared_.mutex);
            shared_.input_done = true;
        }
        shared_.work_ready.notify_all();
        shared_.result_ready.notify_one();
    }

  private:
    std::size_t line_number() const { return lines_read_ + chunk_.entries.size() + 1; }

    std::array<char, 1 << 14> piece_{};  // read_line's

    // At most `window` lines are held, the chunk being filled included.
    void wait_for_room() {
        std::unique_lock lock(shared_.mutex);
        if (lines_read_ + chunk_.entries.size() - shared_.lines_written < window_) return;
        lock.unlock();
        hand_over();  // the held lines must reach the workers for the window to drain
        lock.lock();
        shared_.space.wait(lock, [&] { return lines_read_ - shared_.lines_written < window_; });
    }

    void hand_over() {
        if (chunk_.entries.empty()) return;
        chunk_.first_line = lines_read_ + 1;
        lines_read_ += chunk_.entries.size();
        {
            const std::lock_guard lock(shared_.mutex);
            chunk_.index = shared_.chunks_read++;
            shared_.lines_read = lines_read_;
            shared_.queue.push_back(std::move(chunk_));
        }
        shared_.work_ready.notify_one();
        chunk_ = Chunk{};
        chunk_.entries.reserve(chunk_lines);
    }

    const PipelineOptions& options_;
    std::size_t window_;
    Shared& shared_;
    Chunk chunk_;
    std::size_t lines_read_ = 0;  // read only by this thread
};

void work_chunks(const LineWorker& work, Shared& shared) {
    for (;;) {
        std::unique_lock lock(shared.mutex);
        shared.work_ready.wait(lock, [&] { return !shared.queue.empty() || shared.input_done; });
        if (shared.queue.empty()) return;
        Chunk chunk = std::move(shared.queue.front());
        shared.queue.pop_front();
        lock.unlock();
        std::vector<LineOutcome> outcomes;
        outcomes.reserve(chunk.entries.size());
        std::size_t line = chunk.first_line;
        for (Entry& entry : chunk.entries) {
            LineOutcome outcome =
                entry.decided ? std::move(*entry.decided) : work(line, std::move(entry.text));
            outcome.line = line++;
            outcomes.push_back(std::move(outcome));
        }
        lock.lock();
        const bool next = chunk.index == shared.chunks_written;
        shared.done.emplace(chunk.index, std::move(outcomes));
        lock.unlock();
        if (next) shared.result_ready.notify_one();
    }
}

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
    Shared shared;
    const std::size_t window = options.window == 0 ? 1 : options.window;
    Reader reader_state(options, window, shared);
    std::thread reader([&] { reader_state.run(in); });
    std::vector<std::thread> workers;
    const unsigned jobs = options.jobs;
    workers.reserve(jobs);
    for (unsigned i = 0; i < jobs; ++i) workers.emplace_back([&] { work_chunks(work, shared); });

    const auto finished = [&] {
        return shared.input_done && shared.chunks_written == shared.chunks_read;
    };
    std::unique_lock lock(shared.mutex);
    for (;;) {
        auto next = shared.done.find(shared.chunks_written);
        if (next != shared.done.end()) {
            std::vector<LineOutcome> outcomes = std::move(next->second);
            shared.done.erase(next);
            lock.unlock();
            for (LineOutcome& outcome : outcomes) emit(std::move(outcome));
            lock.lock();
            ++shared.chunks_written;
            shared.lines_written += outcomes.size();
            shared.space.notify_one();
            continue;
        }
        if (finished()) break;
        lock.unlock();
        idle();
        lock.lock();
        shared.result_ready.wait(
            lock, [&] { return shared.done.count(shared.chunks_written) != 0 || finished(); });
    }
    lock.unlock();
    reader.join();
    for (std::thread& worker : workers) worker.join();
}

}  // namespace mcre::cli
