#include <malloc.h>

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
    // Without fastbins. A cohort or batch record allocates a few blocks of a kilobyte or more
    // (its line, its parse), and each such request made glibc consolidate every small block
    // freed since: 7% of `mcre simulate` in perf. Small blocks still come from the tcache.
    mallopt(M_MXFAST, 0);
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        return mcre::cli::run(args, std::cout, std::cerr);
    } catch (const std::exception& e) {
        // Only a bug gets here: bad policies and applications are reported as diagnostics.
        std::cerr << "mcre: internal error: " << e.what() << "\n";
        return mcre::cli::exit_internal;
    }
}
