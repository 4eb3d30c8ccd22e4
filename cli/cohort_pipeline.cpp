#include "cli/cohort_pipeline.hpp"

#include <mutex>
#include <thread>
#include <utility>

#include "cli/in_order_turns.hpp"
#include "engine/application.hpp"

namespace mcre::cli {

namespace {

// Every thread reads, parses, decides and folds chunks of records it owns, so that memory is
// allocated and freed by one thread and touched by another only when a chunk's turn to be
// folded comes on another thread (docs/performance.md, section 2.15). A pipeline of one
// reading thread handing records to deciding threads spent 1.6 times the CPU time on two
// threads as on one: malloc's arena locks, frees from another thread's arena, and decisions
// read on another core.
constexpr std::size_t chunk_records = 32;
// A thread whose chunk's turn has not come parks it and goes on with another of its own.
constexpr std::size_t chunks_per_thread = 2;

struct Chunk {
    std::vector<engine::CohortRecord> records;           // kept from one use to the next
    std::vector<std::vector<engine::Decision>> decided;  // likewise
    std::size_t size = 0;                                // records of this use
    std::size_t ticket = 0;                              // chunks are numbered in input order
    double share_read = 0;
    bool in_use = false;  // InOrderTurns's
};

class Run {
  public:
    Run(engine::CohortReader& reader, const std::function<double()>& share_read,
        const CohortPipeline& pipeline)
        : reader_(reader), share_read_(share_read), pipeline_(pipeline) {}

    // One thread's share of the run: until the input ends and its chunks are folded.
    void work() {
        turns_.work<chunks_per_thread>([this](Chunk& c) { return read(c); },
                                       [this](Chunk& c) { decide(c); },
                                       [this](const Chunk& c) { fold(c); });
    }

  private:
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

    InOrderTurns<Chunk> turns_;
    std::size_t folded_ = 0;  // records; only the thread holding the turn
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
