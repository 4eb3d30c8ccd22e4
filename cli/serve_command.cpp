#include "cli/serve_command.hpp"

#include "cli/commands.hpp"

namespace mcre::cli {

// Placeholder while the command is being written (issue 3).
int run_serve(const std::vector<std::string>&, std::ostream&, std::ostream& err) {
    err << "mcre: 'serve' is not available in this build\n";
    return exit_usage;
}

}  // namespace mcre::cli
