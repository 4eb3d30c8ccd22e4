#pragma once

// A fixed set of worker threads with a bounded queue of tasks. In `mcre serve` a task is
// one complete request the connection gate (http_connection_gate.hpp) found; when the
// queue is full the gate waits, so overload backs up into the connections' socket buffers
// instead of into memory.

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mcre::cli {

class BoundedWorkerPool : public httplib::TaskQueue {
  public:
    BoundedWorkerPool(std::size_t threads, std::size_t queue_limit);
    ~BoundedWorkerPool() override;

    void enqueue(std::function<void()> task) override;
    // Runs every task already queued (the connections accepted before stop), then joins.
    void shutdown() override;

  private:
    void work();

    std::size_t queue_limit_;
    std::mutex mutex_;
    std::condition_variable has_task_;
    std::condition_variable has_room_;
    std::deque<std::function<void()>> tasks_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace mcre::cli
