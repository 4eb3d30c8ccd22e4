#pragma once

// The hand-over at the end of `mcre batch`'s and `mcre simulate`'s pipelines: every thread
// owns a few chunks, reads one, decides it, and hands it here to be finished (written,
// folded) in input order. A chunk whose turn has not come is parked and finished later by
// the thread whose turn reaches it, so no thread waits for another while it has a free
// chunk of its own.

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <span>

namespace mcre::cli {

// Chunk has `std::size_t ticket` (its place in input order, from 0, given by the reader)
// and `bool in_use` (claimed and not yet finished; only this class touches it).
template <typename Chunk>
class InOrderTurns {
  public:
    // One thread's share of a run, on `chunks_per_thread` chunks of its own: `read(chunk)`
    // fills one (false: the input has ended), `decide(chunk)` works on it outside any lock,
    // and `finish(chunk)` is called in input order, by whichever thread holds the turn.
    template <std::size_t chunks_per_thread, typename Read, typename Decide, typename Finish>
    void work(Read&& read, Decide&& decide, Finish&& finish) {
        std::array<Chunk, chunks_per_thread> chunks;
        for (;;) {
            Chunk& chunk = claim(chunks);
            if (!read(chunk)) {
                release(chunk);
                break;
            }
            decide(chunk);
            hand_over(chunk, finish);
        }
        wait_until_finished(chunks);
    }

  private:
    // One of the thread's own chunks that is free, waiting until one is.
    Chunk& claim(std::span<Chunk> own) {
        std::unique_lock lock(mutex_);
        Chunk* free = nullptr;
        chunk_free_.wait(lock, [&] {
            const auto it =
                std::find_if(own.begin(), own.end(), [](Chunk& c) { return !c.in_use; });
            free = it == own.end() ? nullptr : &*it;
            return free != nullptr;
        });
        free->in_use = true;
        return *free;
    }

    // A claimed chunk that holds nothing (the input had ended).
    void release(Chunk& chunk) {
        const std::lock_guard lock(mutex_);
        chunk.in_use = false;
        chunk_free_.notify_all();
    }

    // Calls `finish(chunk)` now if the chunk's turn has come, then for the parked chunks
    // whose turn follows; parks it otherwise. Only the thread holding the turn finishes, so
    // the calls never overlap.
    template <typename Finish>
    void hand_over(Chunk& chunk, Finish&& finish) {
        std::unique_lock lock(mutex_);
        if (chunk.ticket != next_) {
            parked_.emplace(chunk.ticket, &chunk);
            return;
        }
        for (Chunk* next = &chunk;;) {
            lock.unlock();
            finish(*next);
            lock.lock();
            ++next_;
            next->in_use = false;
            chunk_free_.notify_all();
            const auto parked = parked_.find(next_);
            if (parked == parked_.end()) return;
            next = parked->second;
            parked_.erase(parked);
        }
    }

    // Before a thread's chunks go away: its parked ones are finished by the thread whose
    // turn reaches them.
    void wait_until_finished(std::span<const Chunk> own) {
        std::unique_lock lock(mutex_);
        chunk_free_.wait(lock, [&] {
            return std::none_of(own.begin(), own.end(), [](const Chunk& c) { return c.in_use; });
        });
    }

    std::mutex mutex_;
    std::condition_variable chunk_free_;
    std::size_t next_ = 0;                  // the ticket whose turn it is
    std::map<std::size_t, Chunk*> parked_;  // decided, waiting for their turn
};

}  // namespace mcre::cli
