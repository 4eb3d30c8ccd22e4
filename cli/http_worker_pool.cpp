#include "cli/http_worker_pool.hpp"

namespace mcre::cli {

BoundedWorkerPool::BoundedWorkerPool(std::size_t threads, std::size_t queue_limit)
    : queue_limit_(queue_limit) {
    threads_.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

BoundedWorkerPool::~BoundedWorkerPool() { shutdown(); }

void BoundedWorkerPool::enqueue(std::function<void()> task) {
    {
        std::unique_lock lock(mutex_);
        has_room_.wait(lock, [&] { return tasks_.size() < queue_limit_ || stopping_; });
        tasks_.push_back(std::move(task));
    }
    has_task_.notify_one();
}

void BoundedWorkerPool::shutdown() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && threads_.empty()) return;
        stopping_ = true;
    }
    has_task_.notify_all();
    has_room_.notify_all();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
}

void BoundedWorkerPool::work() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(mutex_);
            has_task_.wait(lock, [&] { return !tasks_.empty() || stopping_; });
            if (tasks_.empty()) return;
            task = std::move(tasks_.front());
            tasks_.pop_front();
        }
        has_room_.notify_one();
        task();
    }
}

}  // namespace mcre::cli
