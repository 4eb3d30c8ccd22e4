#include "cli/serve_signals.hpp"

#include <pthread.h>

#include <csignal>

namespace mcre::cli {

namespace {

// SIGUSR1 is ours: it wakes the watcher when the server ended without a signal.
sigset_t watched_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGUSR1);
    return set;
}

}  // namespace

void SignalWatcher::block_signals() {
    sigset_t set = watched_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    // A client that hangs up mid-response must not kill the server.
    std::signal(SIGPIPE, SIG_IGN);
}

SignalWatcher::SignalWatcher(std::function<void()> stop, std::function<void()> reload,
                             std::function<void()> drain_expired,
                             std::chrono::seconds drain_timeout)
    : stop_(std::move(stop)),
      reload_(std::move(reload)),
      drain_expired_(std::move(drain_expired)),
      drain_timeout_(drain_timeout),
      thread_([this] { watch(); }) {}

SignalWatcher::~SignalWatcher() {
    drained();
    thread_.join();
}

void SignalWatcher::drained() {
    bool wake_sigwait = false;
    {
        std::lock_guard lock(mutex_);
        if (drained_) return;
        drained_ = true;
        wake_sigwait = !stopping_;
    }
    changed_.notify_all();
    if (wake_sigwait) pthread_kill(thread_.native_handle(), SIGUSR1);
}

void SignalWatcher::watch() {
    const sigset_t set = watched_signals();
    for (;;) {
        int signal = 0;
        if (sigwait(&set, &signal) != 0) continue;
        if (signal == SIGHUP) {
            reload_();
            continue;
        }
        {
            std::lock_guard lock(mutex_);
            if (drained_) return;  // SIGUSR1, or a signal after the server ended anyway
            stopping_ = true;
        }
        stop_();
        std::unique_lock lock(mutex_);
        if (!changed_.wait_for(lock, drain_timeout_, [&] { return drained_; })) {
            lock.unlock();
            drain_expired_();
        }
        return;
    }
}

}  // namespace mcre::cli
