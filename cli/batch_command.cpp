#include "cli/batch_command.hpp"

#include "cli/commands.hpp"

namespace mcre::cli {

// Placeholder while the command is being written (issue 3).
int run_batch(const std::vector<std::string>&, std::ostream&, std::ostream& err) {
    err << "mcre: 'batch' is not available in this build\n";
    return exit_usage;
}

}  // namespace mcre::cli
