#include "cli/cohort_pipeline.hpp"

#include <array>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "engine/application.hpp"

namespace mcre::cli {

namespace {

// Every thread reads, parses, decides and folds chunks of records it owns, so that memory is
// allocated and freed by one thread and touched by another only when a chunk's turn to be
// folded comes on another thread (docs/performance.md, section 2.15). A pipeline of one
// reading thread handing records to deciding threads spent a third more CPU time on two
// threads than on one: malloc's arena locks, frees from another thread's arena, and
// decisions read on another core.
constexpr std::size_t chunk_records = 32;
// A thread whose chunk's turn has not come parks it and goes on with another of its own.
constexpr std::size_t chunks_per_thread = 2;

struct Chunk {
    std::vector<engine::CohortRecord> records;           // kept from one use to the next
    std::vector<std::vector<engine::Decision>> decided;  // likewise
    std::size_t size = 0;                                // records of this use
    std::size_t ticket = 0;                              // chunks are numbered in input order
    double share_read = 0;
    bool in_use = false;  // read and not yet folded; guarded by Run::fold_mutex_
};

class Run {
  public:
    Run(engine::CohortReader& reader, const std::function<double()>& share_read,
        const CohortPipeline& pipeline)
        : reader_(reader), share_read_(share_read), pipeline_(pipeline) {}

    // One thread's share of the run: until the input ends and its chunks are folded.
    void work() {
        std::array<Chunk, chunks_per_thread> chunks;
        for (;;) {
            Chunk& chunk = claim(chunks);
            if (!read(chunk)) {
                release(chunk);
                break;
            }
            decide(chunk);
            finish(chunk);
        }
        // Its parked chunks are folded by the thread whose turn reaches them: wait for that.
        std::unique_lock lock(fold_mutex_);
        chunk_free_.wait(lock, [&] {
            for (const Chunk& c : chunks) {
                if (c.in_use) return false;
            }
            return true;
        });
    }

  private:
    Chunk& claim(std::array<Chunk, chunks_per_thread>& chunks) {
        std::unique_lock lock(fold_mutex_);
        Chunk* free = nullptr;
        chunk_free_.wait(lock, [&] {
            for (Chunk& c : chunks) {
                if (!c.in_use) {
                    free = &c;
                    return true;
                }
            }
            return false;
        });
        free->in_use = true;
        return *free;
    }

    void release(Chunk& chunk) {
        const std::lock_guard lock(fold_mutex_);
        chunk.in_use = false;
    }

    bool read(Chunk& chunk) {
        const std::lock_guard lock(read_mutex_);
        if (ended_) return false;
        chunk.size = 0;
        while (chunk.size < chunk_records) {
            std::optional<engine::CohortRecord> record = reader_.next();
            if (!record) {
                ended_ = true;
                break;
            }
            // Assigned over the record this thread decided last time: freed where allocated.
            if (chunk.size < chunk.records.size()) {
                chunk.records[chunk.size] = std::move(*record);
            } else {
                chunk.records.push_back(std::move(*record));
            }
            ++chunk.size;
        }
        if (chunk.size == 0) return false;
        chunk.ticket = next_ticket_++;
        chunk.share_read = share_read_ ? share_read_() : 0;
        return true;
    }

    void decide(Chunk& chunk) {
        if (chunk.decided.size() < chunk.size) chunk.decided.resize(chunk.size);
        for (std::size_t i = 0; i < chunk.size; ++i) {
            engine::CohortRecord& record = chunk.records[i];
            engine::parse_record(record);
            if (record.application) pipeline_.decide(*record.application, chunk.decided[i]);
        }
    }

    // Folds the chunk now if its turn has come, and the parked chunks whose turn follows;
    // parks it otherwise. Only the thread holding the turn folds, so folds never overlap.
    void finish(Chunk& chunk) {
        std::unique_lock lock(fold_mutex_);
        if (chunk.ticket != next_to_fold_) {
            parked_.emplace(chunk.ticket, &chunk);
            return;
        }
        for (Chunk* next = &chunk;;) {
            lock.unlock();
            fold(*next);
            lock.lock();
            ++next_to_fold_;
            next->in_use = false;
            chunk_free_.notify_all();
            const auto parked = parked_.find(next_to_fold_);
            if (parked == parked_.end()) return;
            next = parked->second;
            parked_.erase(parked);
        }
    }

    void fold(const Chunk& chunk) {
        for (std::size_t i = 0; i < chunk.size; ++i) {
            const engine::CohortRecord& record = chunk.records[i];
            if (record.application) {
                pipeline_.fold(*record.application, chunk.decided[i]);
            } else {
                pipeline_.bad(record);
            }
        }
        folded_ += chunk.size;
        if (pipeline_.progress) pipeline_.progress(folded_, chunk.share_read);
    }

    engine::CohortReader& reader_;
    const std::function<double()>& share_read_;
    const CohortPipeline& pipeline_;

    std::mutex read_mutex_;
    bool ended_ = false;           // guarded by read_mutex_
    std::size_t next_ticket_ = 0;  // likewise

    std::mutex fold_mutex_;
    std::condition_variable chunk_free_;
    std::size_t next_to_fold_ = 0;
    std::map<std::size_t, Chunk*> parked_;  // decided, waiting for their turn
    std::size_t folded_ = 0;                // records; only the thread holding the turn
};

}  // namespace

void run_cohort(engine::CohortReader& reader, const std::function<double()>& share_read,
                const CohortPipeline& pipeline) {
    Run run(reader, share_read, pipeline);
    // The calling thread is one of the `jobs`: one job starts no thread at all, and malloc
    // then takes no locks.
    std::vector<std::thread> others;
    for (unsigned t = 1; t < pipeline.jobs; ++t) others.emplace_back([&run] { run.work(); });
    run.work();
    for (std::thread& t : others) t.join();
}

}  // namespace mcre::cli
