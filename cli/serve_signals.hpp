#pragma once

// SIGTERM/SIGINT (drain and stop) and SIGHUP (reload) for `mcre serve`. The signals are
// blocked in every thread and taken by one watcher thread with sigwait, so the reactions
// run as ordinary code instead of inside an async-signal handler.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace mcre::cli {

class SignalWatcher {
  public:
    // Call before any other thread starts: threads inherit the blocked mask.
    static void block_signals();

    // `stop` asks the server to stop accepting; if the drain has not finished
    // `drain_timeout` later, `drain_expired` runs (it should end the process).
    SignalWatcher(std::function<void()> stop, std::function<void()> reload,
                  std::function<void()> drain_expired, std::chrono::seconds drain_timeout);
    ~SignalWatcher();

    // The server has stopped and every request in flight was answered.
    void drained();

  private:
    void watch();

    std::function<void()> stop_;
    std::function<void()> reload_;
    std::function<void()> drain_expired_;
    std::chrono::seconds drain_timeout_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool stopping_ = false;
    bool drained_ = false;
    std::thread thread_;
};

}  // namespace mcre::cli
