#include "cli/batch_pipeline.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace mcre::cli {

namespace {

struct Job {
    std::size_t line;
    std::string text;
};

struct Shared {
    std::mutex mutex;
    std::condition_variable work_ready;    // workers wait for a job or the end of input
    std::condition_variable result_ready;  // the writer waits for the next line's result
    std::condition_variable space;         // the reader waits while the window is full
    std::deque<Job> queue;
    std::map<std::size_t, LineOutcome> done;  // finished out of order, keyed by line
    std::size_t read = 0;
    std::size_t written = 0;
    bool input_done = false;
};

// One line into `text`, at most `max` bytes of it (0: all); `length` is the whole line's,
// the bytes past `max` skipped unstored. False at the end of the input.
bool read_line(std::streambuf& in, std::size_t max, std::string& text, std::size_t& length) {
    using traits = std::streambuf::traits_type;
    length = 0;
    for (;;) {
        const int ch = in.sbumpc();
        if (traits::eq_int_type(ch, traits::eof())) return length != 0 || !text.empty();
        if (ch == '\n') return true;
        ++length;
        if (max == 0 || length <= max) text.push_back(traits::to_char_type(ch));
    }
}

void read_lines(std::istream& in, const PipelineOptions& options, std::size_t window,
                Shared& shared) {
    std::string text;
    std::size_t length = 0;
    const std::size_t max = options.too_long ? options.max_line_bytes : 0;
    while (in.rdbuf() != nullptr && read_line(*in.rdbuf(), max, text, length)) {
        // Windows editors leave a CR before the newline; it is not part of the JSON.
        if (!text.empty() && text.back() == '\r' && (max == 0 || length <= max)) {
            text.pop_back();
            --length;
        }
        std::unique_lock lock(shared.mutex);
        shared.space.wait(lock, [&] { return shared.read - shared.written < window; });
        ++shared.read;
        if (max != 0 && length > max) {
            // Decided here, without a worker: the text was never kept.
            LineOutcome outcome = options.too_long(shared.read, length);
            outcome.line = shared.read;
            const bool next = shared.read == shared.written + 1;
            shared.done.emplace(shared.read, std::move(outcome));
            lock.unlock();
            if (next) shared.result_ready.notify_one();
        } else {
            shared.queue.push_back({shared.read, std::move(text)});
            lock.unlock();
            shared.work_ready.notify_one();
        }
        text.clear();
    }
    {
        const std::lock_guard lock(shared.mutex);
        shared.input_done = true;
    }
    shared.work_ready.notify_all();
    shared.result_ready.notify_one();
}

void work_lines(const LineWorker& work, Shared& shared) {
    for (;;) {
        std::unique_lock lock(shared.mutex);
        shared.work_ready.wait(lock, [&] { return !shared.queue.empty() || shared.input_done; });
        if (shared.queue.empty()) return;
        Job job = std::move(shared.queue.front());
        shared.queue.pop_front();
        lock.unlock();
        LineOutcome outcome = work(job.line, std::move(job.text));
        outcome.line = job.line;
        lock.lock();
        const bool next = job.line == shared.written + 1;
        shared.done.emplace(job.line, std::move(outcome));
        lock.unlock();
        if (next) shared.result_ready.notify_one();
    }
}

}  // namespace

void run_in_order(std::istream& in, const PipelineOptions& options, const LineWorker& work,
                  const LineSink& emit, const std::function<void()>& idle) {
    Shared shared;
    const std::size_t window = options.window == 0 ? 1 : options.window;
    std::thread reader([&] { read_lines(in, options, window, shared); });
    std::vector<std::thread> workers;
    const unsigned jobs = options.jobs == 0 ? 1 : options.jobs;
    workers.reserve(jobs);
    for (unsigned i = 0; i < jobs; ++i) workers.emplace_back([&] { work_lines(work, shared); });

    std::unique_lock lock(shared.mutex);
    for (;;) {
        auto next = shared.done.find(shared.written + 1);
        if (next != shared.done.end()) {
            LineOutcome outcome = std::move(next->second);
            shared.done.erase(next);
            lock.unlock();
            emit(std::move(outcome));
            lock.lock();
            ++shared.written;
            shared.space.notify_one();
            continue;
        }
        if (shared.input_done && shared.written == shared.read) break;
        lock.unlock();
        idle();
        lock.lock();
        shared.result_ready.wait(lock, [&] {
            return shared.done.count(shared.written + 1) != 0 ||
                   (shared.input_done && shared.written == shared.read);
        });
    }
    lock.unlock();
    reader.join();
    for (std::thread& worker : workers) worker.join();
}

}  // namespace mcre::cli
