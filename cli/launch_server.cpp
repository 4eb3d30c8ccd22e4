// `mcre serve` in the mcre executable: the server is its own program, mcre-serve, installed
// beside mcre. Keeping the HTTP and TLS libraries out of mcre saves every other command about
// two thirds of its start-up (docs/performance.md, "Start-up").

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "cli/commands.hpp"
#include "cli/serve_command.hpp"

namespace mcre::cli {

int run_serve(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    std::error_code error;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    const std::filesystem::path server =
        error ? std::filesystem::path("mcre-serve") : self.parent_path() / "mcre-serve";
    std::vector<std::string> words{server.string()};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    argv.reserve(words.size() + 1);
    for (std::string& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    out.flush();
    err.flush();
    ::execv(argv[0], argv.data());
    const int failure = errno;  // execv returns only when it failed
    err << "mcre: cannot start the server " << server.string() << ": " << std::strerror(failure)
        << "\n  mcre serve runs mcre-serve, built and installed beside mcre: build the "
           "target mcre-serve (scripts/build.sh builds it) or put it next to this mcre\n";
    return exit_internal;
}

}  // namespace mcre::cli
