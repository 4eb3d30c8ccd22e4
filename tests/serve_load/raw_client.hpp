#pragma once

// A deliberately plain HTTP/1.1 client on POSIX sockets, for tests that must send what no
// well-behaved client library would: malformed heads, huge headers, a byte at a time.

#include <chrono>
#include <string>
#include <string_view>

namespace mcre::test {

using Clock = std::chrono::steady_clock;

// An open TCP connection to 127.0.0.1:port, closed by the destructor.
class RawConnection {
  public:
    explicit RawConnection(int port);
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    [[nodiscard]] bool ok() const { return fd_ >= 0; }
    // Sends all of `bytes`; false once the server closed or reset the connection.
    bool send_all(std::string_view bytes);
    // Closes with a reset (SO_LINGER 0), as a client that crashed.
    void reset();
    // Whether the server has answered or closed (without waiting).
    [[nodiscard]] bool readable() const;

    struct Reply {
        int status = 0;       // 0: closed (or timed out) without a complete answer
        std::string headers;  // status line and headers, CRLFs kept
        std::string body;
        bool timed_out = false;
    };
    // Reads one response (Content-Length framed) until `deadline`.
    Reply read_reply(Clock::time_point deadline);

  private:
    int fd_ = -1;
    std::string pending_;  // bytes after the last response
};

// A request's text with Host, Content-Length and, if not empty, X-API-Key.
[[nodiscard]] std::string http_request(std::string_view method, std::string_view target,
                                       std::string_view api_key, std::string_view body,
                                       std::string_view extra_headers = {});

// VmRSS of a process in KiB, 0 if it cannot be read.
[[nodiscard]] long rss_kib(int pid);

}  // namespace mcre::test
