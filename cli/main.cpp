#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        return mcre::cli::run(args, std::cout, std::cerr);
    } catch (const std::exception& e) {
        // Only a bug gets here: bad policies and applications are reported as diagnostics.
        std::cerr << "mcre: internal error: " << e.what() << "\n";
        return mcre::cli::exit_internal;
    }
}
