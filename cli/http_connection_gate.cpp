#include "cli/http_connection_gate.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "cli/http_problem.hpp"
#include "cli/http_request_id.hpp"
#include "cli/http_worker_pool.hpp"

namespace mcre::cli {

namespace {

using Clock = std::chrono::steady_clock;

// How long a refused or closed connection is still read (and its bytes dropped) after the
// answer, so that the client's unsent rest does not turn into a reset that destroys the
// answer before the client reads it ("lingering close").
constexpr std::chrono::milliseconds linger_time{2'000};

std::string remote_of(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return "";
    char text[INET6_ADDRSTRLEN] = {};
    if (address.ss_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&address)->sin_addr, text, sizeof text);
    } else if (address.ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&address)->sin6_addr, text,
                  sizeof text);
    }
    return text;
}

void address_of(int fd, bool peer, std::string& ip, int& port) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    auto* generic = reinterpret_cast<sockaddr*>(&address);
    if ((peer ? getpeername(fd, generic, &length) : getsockname(fd, generic, &length)) != 0) return;
    char text[INET6_ADDRSTRLEN] = {};
    if (address.ss_family == AF_INET) {
        const auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
        inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
        port = ntohs(v4->sin_port);
    } else if (address.ss_family == AF_INET6) {
        const auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
        inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
        port = ntohs(v6->sin6_port);
    }
    ip = text;
}

// Waits until `fd` is ready for `events` or `deadline` passes.
bool wait_for(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return false;
        pollfd p{fd, events, 0};
        const int n = poll(&p, 1, static_cast<int>(std::min<long long>(left, 60'000)));
        if (n > 0) return (p.revents & (events | POLLHUP | POLLERR)) != 0;
        if (n < 0 && errno != EINTR) return false;
    }
}

bool iequals_prefix(std::string_view line, std::string_view name) {
    if (line.size() < name.size()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
    }
    return true;
}

// The value of header `name` (lower case, with the colon) in a complete head, or empty.
std::string_view header_value(std::string_view head, std::string_view name) {
    std::size_t at = head.find("\r\n");
    while (at != std::string_view::npos && at + 2 < head.size()) {
        const std::size_t end = head.find("\r\n", at + 2);
        const std::string_view line = head.substr(at + 2, end - (at + 2));
        if (iequals_prefix(line, name)) {
            std::string_view value = line.substr(name.size());
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
                value.remove_prefix(1);
            return value;
        }
        at = end;
    }
    return {};
}

// The body the gate waits for: Content-Length, or 0 when there is none or it is not a
// number (the worker answers that), or when the client waits for "100 Continue" first.
std::size_t awaited_body(std::string_view head) {
    if (!header_value(head, "expect:").empty()) return 0;
    const std::string_view value = header_value(head, "content-length:");
    std::size_t n = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    return ec == std::errc() ? n : 0;
}

const char* reason(int status) {
    switch (status) {
        case 408:
            return "Request Timeout";
        case 414:
            return "URI Too Long";
        case 431:
            return "Request Header Fields Too Large";
        case 503:
            return "Service Unavailable";
        default:
            return "Bad Request";
    }
}

// One request's bytes on a worker: first what the gate buffered, then the socket, all of
// it by one deadline, so a client that trickles its body holds a worker no longer than
// --read-timeout.
class GateStream final : public httplib::Stream {
  public:
    GateStream(GateConnection& connection, Clock::time_point read_deadline,
               std::chrono::microseconds write_timeout)
        : c_(connection), read_deadline_(read_deadline), write_timeout_(write_timeout) {}

    bool is_readable() const override {
        return c_.available() > 0 || wait_for(c_.fd, POLLIN, read_deadline_);
    }
    bool is_writable() const override {
        return wait_for(c_.fd, POLLOUT,
                        Clock::now() + std::chrono::duration_cast<Clock::duration>(write_timeout_));
    }
    ssize_t read(char* ptr, size_t size) override {
        if (c_.available() == 0) {
            c_.compact();
            for (;;) {
                if (!wait_for(c_.fd, POLLIN, read_deadline_)) return -1;
                char chunk[16 * 1024];
                const ssize_t n = recv(c_.fd, chunk, sizeof chunk, MSG_DONTWAIT);
                if (n > 0) {
                    c_.buffer.append(chunk, static_cast<std::size_t>(n));
                    break;
                }
                if (n == 0) return 0;
                if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -1;
            }
        }
        const std::size_t n = std::min(size, c_.available());
        std::memcpy(ptr, c_.buffer.data() + c_.consumed, n);
        c_.consumed += n;
        return static_cast<ssize_t>(n);
    }
    ssize_t write(const char* ptr, size_t size) override {
        if (!is_writable()) return -1;
        const ssize_t n = send(c_.fd, ptr, size, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
        // httplib writes the status line and headers in one call.
        if (std::string_view(ptr, static_cast<std::size_t>(n)).find("\r\nConnection: close\r\n") !=
            std::string_view::npos) {
            close_sent_ = true;
        }
        return n;
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        address_of(c_.fd, true, ip, port);
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        address_of(c_.fd, false, ip, port);
    }
    socket_t socket() const override { return c_.fd; }

    [[nodiscard]] bool close_sent() const { return close_sent_; }

  private:
    GateConnection& c_;
    Clock::time_point read_deadline_;
    std::chrono::microseconds write_timeout_;
    bool close_sent_ = false;
};

}  // namespace

GateConnection::~GateConnection() {
    if (fd >= 0) close(fd);
}

void GateConnection::compact() {
    buffer.erase(0, consumed);
    consumed = 0;
}

ConnectionGate::ConnectionGate(GateLimits limits, Ready ready, Refused refused)
    : limits_(limits), ready_(std::move(ready)), refused_(std::move(refused)) {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = wake_fd_;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
    thread_ = std::thread([this] { run(); });
}

ConnectionGate::~ConnectionGate() {
    stop();
    close(wake_fd_);
    close(epoll_fd_);
}

void ConnectionGate::wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);
}

void ConnectionGate::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !thread_.joinable()) return;
        stopping_ = true;
    }
    wake();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    waiting_.clear();  // closes them
    recheck_.clear();
}

void ConnectionGate::admit(int fd) {
    // httplib writes a response's head and body in two calls: with Nagle's algorithm the
    // body waits for the client's delayed ACK of the head, 40 ms on Linux.
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto connection = std::make_shared<GateConnection>(fd);
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;  // closes it
        if (waiting_.size() >= limits_.max_connections) {
            refuse(*connection, 503, "too-many-connections", "Too many connections",
                   fmt::format("{} connections are open (--max-connections); retry later",
                               waiting_.size()));
            // Closed at once: a gate at its limit keeps no lingering connections.
        } else {
            connection->deadline = Clock::now() + limits_.request_timeout;
            insert(std::move(connection), false);
            return;
        }
    }
    report_refusals();
}

void ConnectionGate::park(std::shared_ptr<GateConnection> connection) {
    connection->compact();
    const bool pending = connection->available() > 0;
    connection->started = pending;
    connection->deadline =
        Clock::now() + (pending ? limits_.request_timeout : limits_.idle_timeout);
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;  // closes it
        insert(std::move(connection), pending);
    }
    if (pending) wake();
}

void ConnectionGate::linger(std::shared_ptr<GateConnection> connection) {
    start_lingering(*connection);
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    insert(std::move(connection), false);
}

void ConnectionGate::insert(std::shared_ptr<GateConnection> connection, bool recheck) {
    const int fd = connection->fd;
    waiting_[fd] = std::move(connection);
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.fd = fd;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
    if (recheck) recheck_.push_back(fd);
}

void ConnectionGate::start_lingering(GateConnection& connection) {
    shutdown(connection.fd, SHUT_WR);
    connection.lingering = true;
    connection.buffer.clear();
    connection.consumed = 0;
    connection.deadline = Clock::now() + linger_time;
}

void ConnectionGate::refuse(GateConnection& connection, int status, std::string_view kind,
                            std::string_view title, std::string detail) {
    const std::string body = problem_body(
        make_problem(status, std::string(kind), std::string(title), std::move(detail)));
    const std::string response = fmt::format(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n"
        "X-Request-Id: {}\r\n\r\n{}",
        status, reason(status), problem_content_type, body.size(), generate_request_id(), body);
    // A few hundred bytes into an empty send buffer: it fits; if not, the client was gone.
    [[maybe_unused]] const ssize_t n =
        send(connection.fd, response.data(), response.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    refusals_.push_back({status, std::string(kind), remote_of(connection.fd)});
    start_lingering(connection);
}

void ConnectionGate::report_refusals() {
    std::vector<GateRefusal> refusals;
    {
        std::lock_guard lock(mutex_);
        refusals.swap(refusals_);
    }
    if (refused_) {
        for (const GateRefusal& r : refusals) refused_(r);
    }
}

ConnectionGate::Verdict ConnectionGate::read_from(GateConnection& connection) {
    const std::size_t cap = limits_.max_header_bytes + limits_.buffered_body_bytes + 4;
    char chunk[16 * 1024];
    std::size_t dropped = 0;
    while (connection.lingering || connection.available() < cap) {
        const ssize_t n = recv(connection.fd, chunk, sizeof chunk, MSG_DONTWAIT);
        if (n == 0) return Verdict::Closed;  // a request it sent before is still answered
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            if (errno == EINTR) continue;
            return Verdict::Closed;
        }
        if (connection.lingering) {  // dropped, a bounded amount per wake-up
            dropped += static_cast<std::size_t>(n);
            if (dropped > 1024 * 1024) break;
            continue;
        }
        connection.buffer.append(chunk, static_cast<std::size_t>(n));
        if (!connection.started) {
            connection.started = true;
            connection.deadline = Clock::now() + limits_.request_timeout;
        }
    }
    return Verdict::Wait;
}

ConnectionGate::Verdict ConnectionGate::inspect(GateConnection& connection) {
    const std::string_view data(connection.buffer.data() + connection.consumed,
                                connection.available());
    const std::size_t end = data.find("\r\n\r\n");
    const std::string_view head = end == std::string_view::npos ? data : data.substr(0, end + 4);
    // Every line of the head so far, the unfinished last one included.
    std::size_t line_start = 0;
    for (bool first = true; line_start < head.size(); first = false) {
        std::size_t line_end = head.find("\r\n", line_start);
        if (line_end == std::string_view::npos) line_end = head.size();
        if (line_end - line_start > limits_.max_line_bytes) {
            if (first) {
                refuse(connection, 414, "uri-too-long", "Request line too long",
                       fmt::format("the request line is longer than {} bytes",
                                   limits_.max_line_bytes));
            } else {
                refuse(
                    connection, 431, "header-too-large", "Request header too large",
                    fmt::format("a header line is longer than {} bytes", limits_.max_line_bytes));
            }
            return Verdict::Closed;
        }
        line_start = line_end + 2;
    }
    if (head.size() > limits_.max_header_bytes) {
        refuse(connection, 431, "header-too-large", "Request header too large",
               fmt::format("the request line and headers are longer than {} bytes "
                           "(--max-header-bytes)",
                           limits_.max_header_bytes));
        return Verdict::Closed;
    }
    if (end == std::string_view::npos) return Verdict::Wait;
    const std::size_t length = awaited_body(head);
    if (length <= limits_.buffered_body_bytes && data.size() < head.size() + length)
        return Verdict::Wait;
    return Verdict::Ready;
}

void ConnectionGate::run() {
    std::vector<epoll_event> events(64);
    for (;;) {
        const int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), 100);
        std::vector<std::shared_ptr<GateConnection>> ready;
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
            std::vector<int> touched;
            for (int i = 0; i < n; ++i) {
                const int fd = events[static_cast<std::size_t>(i)].data.fd;
                if (fd == wake_fd_) {
                    std::uint64_t count = 0;
                    [[maybe_unused]] const ssize_t r = ::read(wake_fd_, &count, sizeof count);
                } else {
                    touched.push_back(fd);
                }
            }
            touched.insert(touched.end(), recheck_.begin(), recheck_.end());
            recheck_.clear();
            auto drop = [&](int fd) {
                epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
                waiting_.erase(fd);  // closes it, unless handed to a worker
            };
            for (int fd : touched) {
                const auto it = waiting_.find(fd);
                if (it == waiting_.end()) continue;
                GateConnection& c = *it->second;
                const Verdict got = read_from(c);
                if (!c.lingering && c.available() > 0 && inspect(c) == Verdict::Ready) {
                    ready.push_back(it->second);
                    drop(fd);
                } else if (got == Verdict::Closed) {
                    drop(fd);
                }
            }
            const auto now = Clock::now();
            std::vector<int> expired;
            for (auto& [fd, connection] : waiting_) {
                GateConnection& c = *connection;
                if (c.deadline > now) continue;
                if (c.started && !c.lingering) {
                    refuse(c, 408, "request-timeout", "Request timeout",
                           fmt::format("the request did not arrive within {} s (--read-timeout)",
                                       limits_.request_timeout.count() / 1000));
                } else {
                    expired.push_back(fd);  // idle keep-alive, or done lingering
                }
            }
            for (int fd : expired) drop(fd);
        }
        report_refusals();
        for (auto& c : ready) ready_(std::move(c));
    }
}

// The task queue httplib's accept loop hands each new socket to: the gate takes it at once
// on the accept thread (no worker is needed to wait for a request), and the workers serve
// the requests the gate finds complete.
class GatedServer::Queue : public httplib::TaskQueue {
  public:
    Queue(GatedServer& server, std::size_t threads, std::size_t queue,
          ConnectionGate::Refused refused)
        : server_(server),
          pool_(threads, queue),
          gate_(
              server.limits_,
              [this](std::shared_ptr<GateConnection> c) {
                  pool_.enqueue([this, c]() mutable { server_.serve_one(std::move(c)); });
              },
              std::move(refused)) {}
    ~Queue() override {
        shutdown();
        server_.queue_ = nullptr;
    }

    void enqueue(std::function<void()> task) override { task(); }
    void shutdown() override {
        gate_.stop();
        pool_.shutdown();
    }
    ConnectionGate& gate() { return gate_; }

  private:
    GatedServer& server_;
    BoundedWorkerPool pool_;
    ConnectionGate gate_;
};

GatedServer::GatedServer(GateLimits limits) : limits_(limits) {
    // Announced in the Keep-Alive header; the gate enforces it.
    keep_alive_timeout_sec_ =
        std::chrono::duration_cast<std::chrono::seconds>(limits.idle_timeout).count();
}

void GatedServer::use_gate(std::size_t threads, std::size_t queue,
                           ConnectionGate::Refused refused) {
    // A kept-alive connection holds no worker between its requests, so it may make many.
    keep_alive_max_count_ = 1000;
    new_task_queue = [this, threads, queue, refused] {
        queue_ = new Queue(*this, threads, queue, refused);
        return queue_;
    };
}

bool GatedServer::process_and_close_socket(socket_t sock) {
    if (queue_ == nullptr) {
        close(sock);
        return false;
    }
    queue_->gate().admit(sock);
    return true;
}

void GatedServer::serve_one(std::shared_ptr<GateConnection> connection) {
    const auto read_deadline = Clock::now() + std::chrono::seconds(read_timeout_sec_) +
                               std::chrono::microseconds(read_timeout_usec_);
    GateStream stream(
        *connection, read_deadline,
        std::chrono::seconds(write_timeout_sec_) + std::chrono::microseconds(write_timeout_usec_));
    bool closed = false;
    const bool last = !is_running() || connection->requests + 1 >= keep_alive_max_count_;
    const bool ok = process_request(stream, last, closed, nullptr);
    ++connection->requests;
    if (queue_ == nullptr || !ok) return;  // closes it
    if (!closed && !last && !stream.close_sent()) {
        queue_->gate().park(std::move(connection));
    } else {
        queue_->gate().linger(std::move(connection));
    }
}

}  // namespace mcre::cli
