#include "cli/input_limit_options.hpp"

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "cli/policy_loading.hpp"
#include "dsl/diagnostic_render.hpp"

namespace mcre::cli {

std::optional<std::size_t> parse_limit(const std::string& text, std::size_t max) {
    if (text.empty() || text.size() > 19 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    const auto value = static_cast<std::size_t>(std::stoull(text));
    if (value == 0 || value > max) return std::nullopt;
    return value;
}

LimitOption take_limit_option(const std::vector<std::string>& args, std::size_t& i,
                              engine::InputLimits& limits, bool input_bytes, std::string& problem) {
    const std::string& a = args[i];
    std::size_t* target = nullptr;
    std::size_t max = std::size_t{1} << 40U;
    if (a == "--max-input-bytes" && input_bytes) {
        target = &limits.max_bytes;
    } else if (a == "--max-credentials") {
        target = &limits.max_credentials;
    } else if (a == "--max-depth") {
        target = &limits.max_depth;
        max = engine::k_max_depth_ceiling;
    } else if (a == "--max-nodes") {
        target = &limits.max_nodes;
    } else {
        return LimitOption::NotOne;
    }
    if (i + 1 >= args.size()) {
        problem = a + " needs a value";
        return LimitOption::Bad;
    }
    auto value = parse_limit(args[++i], max);
    if (!value) {
        problem = a + " needs a whole number from 1 to " + std::to_string(max);
        return LimitOption::Bad;
    }
    *target = *value;
    return LimitOption::Taken;
}

std::optional<dsl::SourceFile> read_limited(const std::string& path, std::size_t max_bytes,
                                            std::ostream& err) {
    std::error_code ec;
    // Only a regular file has a size to trust; a pipe is read and then measured.
    if (std::filesystem::is_regular_file(path, ec)) {
        const std::uintmax_t size = std::filesystem::file_size(path, ec);
        if (!ec && size > max_bytes) {
            const dsl::SourceFile empty(path, "");
            err << dsl::render_all({engine::too_large(static_cast<std::size_t>(size), max_bytes,
                                                      "the file", "--max-input-bytes")},
                                   empty);
            return std::nullopt;
        }
    }
    return read_source(path, err);
}

}  // namespace mcre::cli
