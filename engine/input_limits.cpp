#include "engine/input_limits.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_map>

#include "dsl/policy_input.hpp"

namespace mcre::engine {

namespace {

dsl::Diagnostic limit_error(const char* code, std::size_t at, std::size_t size, std::string message,
                            std::string hint) {
    dsl::Diagnostic d;
    d.code = code;
    const auto begin = static_cast<std::uint32_t>(std::min(at, size));
    d.span = dsl::SourceSpan{begin, static_cast<std::uint32_t>(std::min(at + 1, size))};
    d.message = std::move(message);
    d.hint = std::move(hint);
    return d;
}

dsl::Diagnostic too_many_credentials(std::size_t at, std::size_t size, std::size_t limit) {
    dsl::Diagnostic d = limit_error(
        "E4051", at, size,
        fmt::format("the application has more than {} credentials (the credentials limit)", limit),
        "split the application, or raise the limit with --max-credentials N");
    d.pointer = fmt::format("/credentials/{}", limit);
    return d;
}

dsl::Diagnostic too_deep(std::size_t at, std::size_t size, std::size_t limit) {
    return limit_error(
        "E4052", at, size,
        fmt::format("mappings and lists are nested more than {} deep here (the nesting limit)",
                    limit),
        "an application needs 4 levels; check the indentation and brackets, or raise the limit "
        "with --max-depth N");
}

dsl::Diagnostic too_many_nodes(std::size_t at, std::size_t size, std::size_t limit, bool alias) {
    return limit_error(
        "E4053", at, size,
        fmt::format("the document holds more than {} values{} (the node limit)", limit,
                    alias ? " once its aliases (*name) are expanded" : ""),
        alias ? "write the values out instead of repeating them through aliases, or raise the "
                "limit with --max-nodes N"
              : "split the application, or raise the limit with --max-nodes N");
}

// Thrown from the event handler to stop parsing at the first limit exceeded, so that the
// rest of the document is never read.
struct Stop {};

class LimitScanner final : public YAML::EventHandler {
  public:
    LimitScanner(const InputLimits& limits, std::size_t size) : limits_(limits), size_(size) {}

    std::vector<dsl::Diagnostic> diagnostics;

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        leaf(mark, anchor, 1, false);
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        auto it = sizes_.find(anchor);
        leaf(mark, 0, it == sizes_.end() ? 1 : it->second, true);
    }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  const std::string& value) override {
        // A key of the document's root mapping: the next value may be the credentials.
        const bool root_key = frames_.size() == 1 && frames_[0].map && frames_[0].expect_key;
        leaf(mark, anchor, 1, false);
        if (root_key) next_is_credentials_ = value == "credentials";
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(mark, anchor, false);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(mark, anchor, true);
    }
    void OnMapEnd() override { close(); }

  private:
    struct Frame {
        YAML::anchor_t anchor = 0;
        std::uint64_t nodes = 1;  // this container and everything in it, aliases expanded
        bool map = false;
        bool expect_key = true;
        bool credentials = false;
        std::size_t items = 0;
    };

    static std::uint64_t add(std::uint64_t a, std::uint64_t b) {
        return a > std::numeric_limits<std::uint64_t>::max() - b
                   ? std::numeric_limits<std::uint64_t>::max()
                   : a + b;
    }

    // A child of the innermost container starts at `mark`.
    void child(const YAML::Mark& mark) {
        if (frames_.empty()) return;
        Frame& parent = frames_.back();
        if (parent.map) parent.expect_key = !parent.expect_key;
        if (parent.credentials && ++parent.items > limits_.max_credentials) {
            fail(too_many_credentials(position(mark), size_, limits_.max_credentials));
        }
    }

    void count(const YAML::Mark& mark, std::uint64_t nodes, bool alias) {
        total_ = add(total_, nodes);
        if (total_ > limits_.max_nodes) {
            fail(too_many_nodes(position(mark), size_, limits_.max_nodes, alias));
        }
    }

    void leaf(const YAML::Mark& mark, YAML::anchor_t anchor, std::uint64_t nodes, bool alias) {
        next_is_credentials_ = false;
        child(mark);
        count(mark, nodes, alias);
        if (anchor != 0) sizes_[anchor] = nodes;
        if (!frames_.empty()) frames_.back().nodes = add(frames_.back().nodes, nodes);
    }

    void open(const YAML::Mark& mark, YAML::anchor_t anchor, bool map) {
        const bool credentials = next_is_credentials_ && !map && frames_.size() == 1;
        next_is_credentials_ = false;
        child(mark);
        count(mark, 1, false);
        if (frames_.size() + 1 > limits_.max_depth) {
            fail(too_deep(position(mark), size_, limits_.max_depth));
        }
        Frame frame;
        frame.anchor = anchor;
        frame.map = map;
        frame.credentials = credentials;
        frames_.push_back(frame);
    }

    void close() {
        if (frames_.empty()) return;
        const Frame done = frames_.back();
        frames_.pop_back();
        if (done.anchor != 0) sizes_[done.anchor] = done.nodes;
        if (!frames_.empty()) frames_.back().nodes = add(frames_.back().nodes, done.nodes);
    }

    [[nodiscard]] static std::size_t position(const YAML::Mark& mark) {
        return mark.pos < 0 ? 0 : static_cast<std::size_t>(mark.pos);
    }

    [[noreturn]] void fail(dsl::Diagnostic d) {
        diagnostics.push_back(std::move(d));
        throw Stop{};
    }

    const InputLimits& limits_;
    std::size_t size_;
    std::vector<Frame> frames_;
    std::unordered_map<YAML::anchor_t, std::uint64_t> sizes_;  // by anchor, aliases expanded
    std::uint64_t total_ = 0;
    bool next_is_credentials_ = false;
};

std::size_t skip_space(std::string_view text, std::size_t i) {
    while (i < text.size() &&
           (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) {
        ++i;
    }
    return i;
}

// The closing quote of a string whose text starts at `i`, or the end: memchr to each quote,
// which is escaped when an odd number of backslashes stands before it. Strings are most of
// an application's bytes, and a cohort checks every record.
std::size_t closing_quote(std::string_view text, std::size_t i) {
    while (i < text.size()) {
        const void* quote = std::memchr(text.data() + i, '"', text.size() - i);
        if (quote == nullptr) return text.size();
        const std::size_t at = static_cast<const char*>(quote) - text.data();
        std::size_t backslashes = 0;
        while (at - backslashes > i && text[at - backslashes - 1] == '\\') ++backslashes;
        if (backslashes % 2 == 0) return at;
        i = at + 1;
    }
    return text.size();
}

// How often `ch` occurs in `text`, counting no further than `bound` + 1.
std::size_t count_up_to(std::string_view text, char ch, std::size_t bound) {
    std::size_t count = 0;
    for (const char* at = text.data(); count <= bound;) {
        const auto* found = static_cast<const char*>(
            std::memchr(at, ch, static_cast<std::size_t>(text.data() + text.size() - at)));
        if (found == nullptr) break;
        ++count;
        at = found + 1;
    }
    return count;
}

// Whether the document cannot exceed a limit, by counting bytes instead of scanning its
// structure: a value or key takes one byte at least, each level of nesting a bracket, and
// a credential a comma after the first. Most applications are far inside the limits.
bool within_limits_by_count(std::string_view text, const InputLimits& limits) {
    if (text.size() > limits.max_nodes) return false;
    const std::size_t brackets =
        count_up_to(text, '{', limits.max_depth) + count_up_to(text, '[', limits.max_depth);
    if (brackets > limits.max_depth) return false;
    // Each credential but the first follows a comma, so a document with fewer bytes than the
    // limit cannot hold too many (most applications: no need to count).
    if (text.size() <= limits.max_credentials) return true;
    return count_up_to(text, ',', limits.max_credentials) < limits.max_credentials;
}

}  // namespace

std::size_t invalid_utf8_at(std::string_view text) { return dsl::invalid_utf8_at(text); }

dsl::Diagnostic too_large(std::size_t size, std::size_t limit, std::string_view what,
                          std::string_view option) {
    return limit_error(
        "E4050", 0, 0,
        fmt::format("{} is {} bytes, more than the limit of {} bytes", what, size, limit),
        fmt::format("an application is rarely more than a few hundred kilobytes; "
                    "check that this is the right input, or raise the limit with "
                    "{} N",
                    option));
}

std::vector<dsl::Diagnostic> check_limits(const dsl::SourceFile& source,
                                          const InputLimits& limits) {
    const std::string& text = source.text();
    if (text.size() > limits.max_bytes) {
        return {too_large(text.size(), limits.max_bytes, "the document", "--max-input-bytes")};
    }
    if (const std::size_t bad = invalid_utf8_at(text); bad != std::string_view::npos) {
        return {limit_error(
            "E4054", bad, text.size(),
            fmt::format("the document is not valid UTF-8: byte 0x{:02X} cannot stand here",
                        static_cast<unsigned char>(text[bad])),
            "save the file as UTF-8 (this byte is probably Latin-1 or Windows-1252 text, or the "
            "file is not an application at all)")};
    }
    LimitScanner scanner(limits, text.size());
    std::istringstream in(text);
    try {
        YAML::Parser parser(in);
        // One document: a second one is an error loading reports.
        (void)parser.HandleNextDocument(scanner);
    } catch (const Stop&) {
        return std::move(scanner.diagnostics);
    } catch (const YAML::Exception&) {
        return {};  // not YAML: loading says where
    }
    return {};
}

std::vector<dsl::Diagnostic> check_json_limits(const dsl::SourceFile& source,
                                               const InputLimits& limits) {
    const std::string_view text = source.text();
    const std::size_t size = text.size();
    if (size > limits.max_bytes) {
        return {too_large(size, limits.max_bytes, "the document", "--max-input-bytes")};
    }
    if (within_limits_by_count(text, limits)) return {};
    std::size_t depth = 0;
    std::size_t nodes = 0;
    std::size_t credentials_depth = 0;  // inside the root's "credentials" list, when not 0
    std::size_t credentials = 0;
    bool credentials_next = false;  // the last root key was "credentials"
    // A value starts at `i` in the container `depth` deep.
    auto value = [&](std::size_t i) -> std::optional<dsl::Diagnostic> {
        if (++nodes > limits.max_nodes) {
            return too_many_nodes(i, size, limits.max_nodes, false);
        }
        if (credentials_depth != 0 && depth == credentials_depth &&
            ++credentials > limits.max_credentials) {
            return too_many_credentials(i, size, limits.max_credentials);
        }
        return std::nullopt;
    };
    for (std::size_t i = 0; i < size; ++i) {
        const char c = text[i];
        if (c == '"') {
            const std::size_t start = i;
            i = closing_quote(text, i + 1);
            const std::size_t after = skip_space(text, i + 1);
            if (after < size && text[after] == ':') {
                ++nodes;  // a key
                if (depth == 1) {
                    credentials_next = text.substr(start + 1, i - start - 1) == "credentials";
                }
                continue;
            }
            if (auto problem = value(start)) return {std::move(*problem)};
            credentials_next = false;
        } else if (c == '{' || c == '[') {
            if (auto problem = value(i)) return {std::move(*problem)};
            ++depth;
            if (depth > limits.max_depth) return {too_deep(i, size, limits.max_depth)};
            if (c == '[' && depth == 2 && credentials_next) {
                credentials_depth = depth;
                credentials = 0;
            }
            credentials_next = false;
        } else if (c == '}' || c == ']') {
            if (depth == credentials_depth) credentials_depth = 0;
            if (depth > 0) --depth;
        } else if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
            if (auto problem = value(i)) return {std::move(*problem)};
            credentials_next = false;
            while (i + 1 < size && text[i + 1] != ',' && text[i + 1] != '}' && text[i + 1] != ']' &&
                   text[i + 1] != ' ' && text[i + 1] != '\n') {
                ++i;
            }
        }
    }
    return {};
}

}  // namespace mcre::engine
