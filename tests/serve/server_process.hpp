#pragma once

// A `mcre serve` child process for tests: started with fork/exec, its port read from the
// "listening on" line, always killed and reaped when the test ends, whatever happens.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace mcre::test {

class ServerProcess {
  public:
    // Starts `mcre serve ARGS...` (stderr to `stderr_file`) and waits up to 20 s for it to
    // listen. port() is 0 when it exited or never said it was listening.
    ServerProcess(const std::vector<std::string>& args, const std::string& stderr_file);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    [[nodiscard]] int port() const { return port_; }
    [[nodiscard]] pid_t pid() const { return pid_; }
    void signal(int sig) const;
    // The exit code once the process ended within `timeout`; nullopt if it is still running.
    [[nodiscard]] std::optional<int> wait_exit(std::chrono::milliseconds timeout);

  private:
    pid_t pid_ = -1;
    int port_ = 0;
    std::optional<int> exit_code_;
};

// A fresh directory under the system temp dir, removed by the destructor.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::string& path() const { return path_; }

  private:
    std::string path_;
};

[[nodiscard]] std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);

}  // namespace mcre::test
