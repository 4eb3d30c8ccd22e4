// mcre-serve: `mcre serve` as a program of its own (cli/launch_server.cpp says why).

#include <malloc.h>

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/serve_command.hpp"

int main(int argc, char** argv) {
    // Without fastbins, as `mcre` (cli/main.cpp): Explore decides a cohort a record at a time.
    mallopt(M_MXFAST, 0);
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        return mcre::cli::run_serve(args, std::cout, std::cerr);
    } catch (const std::exception& e) {
        std::cerr << "mcre serve: internal error: " << e.what() << "\n";
        return mcre::cli::exit_internal;
    }
}
