#pragma once

// Where `mcre serve`'s connections wait for a request: one epoll thread holds every open
// connection until the whole head of its next request (and a body of up to
// `buffered_body_bytes`) has arrived, then hands it to a worker thread for that one request,
// and takes it back afterwards for keep-alive. A slow, idle or half-open client so costs a
// file descriptor, never a worker, and a head that is too big or too slow is answered here
// (431, 414, 408) without a worker (docs/robustness.md, "The server under load and abuse").

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace mcre::cli {

struct GateLimits {
    std::size_t max_header_bytes = 16 * 1024;     // request line and headers together
    std::size_t max_line_bytes = 8 * 1024;        // one line of them (cpp-httplib's own limit)
    std::size_t buffered_body_bytes = 64 * 1024;  // smaller bodies are awaited here too
    std::chrono::milliseconds request_timeout{10'000};  // first byte to the last awaited byte
    std::chrono::milliseconds idle_timeout{5'000};      // keep-alive wait for the next request
    std::size_t max_connections = 512;
};

// An accepted socket and the bytes read from it that no request consumed yet. Closed when
// the last owner lets go, whichever thread that is.
struct GateConnection {
    explicit GateConnection(int fd_) : fd(fd_) {}
    ~GateConnection();
    GateConnection(const GateConnection&) = delete;
    GateConnection& operator=(const GateConnection&) = delete;

    [[nodiscard]] std::size_t available() const { return buffer.size() - consumed; }
    void compact();

    int fd;
    std::string buffer;
    std::size_t consumed = 0;
    std::size_t requests = 0;  // answered on this connection
    std::chrono::steady_clock::time_point deadline;
    bool started = false;    // a byte of the awaited request has arrived
    bool lingering = false;  // answered and half-closed: read and drop until `deadline`
};

// A refusal the gate answered itself, for the access log and the metrics.
struct GateRefusal {
    int status = 0;
    std::string kind;  // problem kind, as in problem+json
    std::string remote;
};

class ConnectionGate {
  public:
    using Ready = std::function<void(std::shared_ptr<GateConnection>)>;
    using Refused = std::function<void(const GateRefusal&)>;

    // `ready` runs on the gate's thread and may block (a full worker queue).
    ConnectionGate(GateLimits limits, Ready ready, Refused refused);
    ~ConnectionGate();
    ConnectionGate(const ConnectionGate&) = delete;
    ConnectionGate& operator=(const ConnectionGate&) = delete;

    // A new connection; over max_connections it is answered 503 and closed.
    void admit(int fd);
    // A connection whose request was answered, to wait for its next one.
    void park(std::shared_ptr<GateConnection> connection);
    // A connection answered with "Connection: close": half-closed, its unread bytes dropped
    // for a moment so the client gets the answer rather than a reset.
    void linger(std::shared_ptr<GateConnection> connection);
    // Closes every waiting connection and refuses new ones. Idempotent.
    void stop();

    [[nodiscard]] const GateLimits& limits() const { return limits_; }

  private:
    enum class Verdict { Wait, Ready, Closed };
    void run();
    void insert(std::shared_ptr<GateConnection> connection, bool recheck);  // under mutex_
    void report_refusals();
    Verdict inspect(GateConnection& connection);
    Verdict read_from(GateConnection& connection);
    // Answers `status` as problem+json and starts lingering.
    void refuse(GateConnection& connection, int status, std::string_view kind,
                std::string_view title, std::string detail);
    void start_lingering(GateConnection& connection);
    void wake();

    GateLimits limits_;
    Ready ready_;
    Refused refused_;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    std::mutex mutex_;
    std::unordered_map<int, std::shared_ptr<GateConnection>> waiting_;
    std::vector<int> recheck_;           // parked with bytes already buffered
    std::vector<GateRefusal> refusals_;  // answered under the lock, reported after it
    bool stopping_ = false;
    std::thread thread_;
};

// A cpp-httplib server whose connections wait in a ConnectionGate between requests, and
// whose workers serve one request at a time (configure_server's routes and handlers).
class GatedServer : public httplib::Server {
  public:
    explicit GatedServer(GateLimits limits);
    // Replaces the task queue with `threads` workers, `queue` waiting requests and the gate.
    void use_gate(std::size_t threads, std::size_t queue, ConnectionGate::Refused refused);

  private:
    bool process_and_close_socket(socket_t sock) override;
    void serve_one(std::shared_ptr<GateConnection> connection);

    class Queue;
    GateLimits limits_;
    Queue* queue_ = nullptr;  // owned by httplib while listening
};

}  // namespace mcre::cli
