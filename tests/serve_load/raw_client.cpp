#include "tests/serve_load/raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>

namespace mcre::test {

RawConnection::RawConnection(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        close(fd_);
        fd_ = -1;
        return;
    }
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawConnection::~RawConnection() {
    if (fd_ >= 0) close(fd_);
}

bool RawConnection::send_all(std::string_view bytes) {
    while (!bytes.empty()) {
        pollfd p{fd_, POLLOUT, 0};
        if (poll(&p, 1, 10'000) <= 0) return false;
        const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) continue;
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

void RawConnection::reset() {
    if (fd_ < 0) return;
    linger abort{1, 0};
    setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    close(fd_);
    fd_ = -1;
}

bool RawConnection::readable() const {
    pollfd p{fd_, POLLIN, 0};
    return poll(&p, 1, 0) > 0;
}

RawConnection::Reply RawConnection::read_reply(Clock::time_point deadline) {
    Reply reply;
    std::string data = std::move(pending_);
    pending_.clear();
    std::size_t head_end = std::string::npos;
    std::size_t length = 0;
    for (;;) {
        if (head_end == std::string::npos) {
            head_end = data.find("\r\n\r\n");
            if (head_end != std::string::npos) {
                reply.headers = data.substr(0, head_end + 2);
                if (reply.headers.rfind("HTTP/1.1 ", 0) == 0)
                    reply.status = std::atoi(reply.headers.c_str() + 9);
                std::string lower = reply.headers;
                for (char& c : lower) c = static_cast<char>(std::tolower(c));
                const auto at = lower.find("\r\ncontent-length:");
                if (at != std::string::npos)
                    length = std::strtoul(lower.c_str() + at + 17, nullptr, 10);
            }
        }
        if (head_end != std::string::npos && data.size() >= head_end + 4 + length) {
            reply.body = data.substr(head_end + 4, length);
            pending_ = data.substr(head_end + 4 + length);
            return reply;
        }
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        pollfd p{fd_, POLLIN, 0};
        if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0) {
            reply.timed_out = true;
            reply.status = 0;
            return reply;
        }
        char buffer[16 * 1024];
        const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            reply.status = 0;  // closed before a complete answer
            return reply;
        }
        data.append(buffer, static_cast<std::size_t>(n));
    }
}

std::string http_request(std::string_view method, std::string_view target, std::string_view api_key,
                         std::string_view body, std::string_view extra_headers) {
    std::string r;
    r.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if (!api_key.empty()) r.append("X-API-Key: ").append(api_key).append("\r\n");
    r.append(extra_headers);
    if (method == "POST") {
        r.append("Content-Type: application/json\r\nContent-Length: ")
            .append(std::to_string(body.size()))
            .append("\r\n");
    }
    r.append("\r\n").append(body);
    return r;
}

long rss_kib(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    }
    return 0;
}

}  // namespace mcre::test
