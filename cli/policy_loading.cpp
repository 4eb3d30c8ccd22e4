#include "cli/policy_loading.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "dsl/diagnostic_render.hpp"
#include "dsl/policy_input.hpp"
#include "rules/checker.hpp"

namespace mcre::cli {

std::optional<dsl::SourceFile> read_source(const std::string& path, std::ostream& err) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        err << "mcre: cannot read '" << path << "': " << std::strerror(errno) << "\n";
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return dsl::SourceFile(path, text.str());
}

std::optional<rules::Policy> load_policy_file(const std::string& path, std::ostream& err) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        err << "mcre: cannot read '" << path << "': " << std::strerror(errno) << "\n";
        return std::nullopt;
    }
    // A file over the size limit is refused (E1004) without being read to its end.
    const dsl::SourceFile source(path, dsl::read_policy_text(in));
    rules::CheckResult result = rules::load_policy(source);
    err << dsl::render_all(result.diagnostics, source);
    return std::move(result.policy);
}

const rules::Policy* check_policy_file(const std::string& path, rules::PolicyLoader& loader,
                                       std::ostream& err) {
    std::optional<std::string> text = dsl::read_policy_file(path);
    if (!text) {
        err << "mcre: cannot read '" << path << "': " << std::strerror(errno) << "\n";
        return nullptr;
    }
    const rules::PolicyLoader::Loaded& loaded =
        loader.load(dsl::SourceFile(path, std::move(*text)));
    const rules::CheckResult& result = loaded.result;
    if (!result.diagnostics.empty()) err << dsl::render_all(result.diagnostics, loaded.source);
    return result.policy ? &*result.policy : nullptr;
}

}  // namespace mcre::cli
