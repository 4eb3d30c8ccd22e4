#include "dsl/source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <istream>

#include "dsl/policy_input.hpp"

namespace mcre::dsl {

SourceFile::SourceFile(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
    line_starts_.push_back(0);
    // memchr: a cohort builds one SourceFile per record, so this loop is on the hot path.
    const char* begin = text_.data();
    const char* end = begin + text_.size();
    for (const char* at = begin; at < end;) {
        const auto* newline = static_cast<const char*>(std::memchr(at, '\n', end - at));
        if (newline == nullptr) break;
        line_starts_.push_back(static_cast<std::uint32_t>(newline - begin + 1));
        at = newline + 1;
    }
}

int SourceFile::line_of(std::uint32_t offset) const {
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    return static_cast<int>(it - line_starts_.begin());
}

int SourceFile::column_of(std::uint32_t offset) const {
    offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
    std::uint32_t start = line_starts_[static_cast<std::size_t>(line_of(offset) - 1)];
    return utf8_length(std::string_view(text_).substr(start, offset - start)) + 1;
}

std::string_view SourceFile::line_text(int line) const {
    if (line < 1 || static_cast<std::size_t>(line) > line_starts_.size()) return {};
    std::uint32_t start = line_starts_[static_cast<std::size_t>(line - 1)];
    std::size_t end = text_.find('\n', start);
    if (end == std::string::npos) end = text_.size();
    std::string_view view(text_.data() + start, end - start);
    if (!view.empty() && view.back() == '\r') view.remove_suffix(1);
    return view;
}

Location SourceFile::location(std::uint32_t offset) const {
    return Location{name_, line_of(offset), column_of(offset)};
}

int utf8_length(std::string_view text) {
    int n = 0;
    for (unsigned char c : text) {
        if ((c & 0xC0) != 0x80) ++n;
    }
    return n;
}

std::size_t invalid_utf8_at(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        // Eight bytes at a time while they are all ASCII, as nearly all of a policy is.
        while (i + 8 <= n) {
            std::uint64_t eight = 0;
            std::memcpy(&eight, s + i, 8);
            if ((eight & 0x8080808080808080ULL) != 0) break;
            i += 8;
        }
        if (i == n) break;
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        std::uint32_t code = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
            code = c & 0x1FU;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            code = c & 0x0FU;
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            code = c & 0x07U;
        } else {
            return i;
        }
        if (i + length > n) return i;
        for (std::size_t k = 1; k < length; ++k) {
            if ((s[i + k] & 0xC0U) != 0x80U) return i;
            code = (code << 6U) | (s[i + k] & 0x3FU);
        }
        const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
        const bool surrogate = code >= 0xD800 && code <= 0xDFFF;
        if (overlong || surrogate || code > 0x10FFFF) return i;
        i += length;
    }
    return std::string_view::npos;
}

std::string read_policy_text(std::istream& in) {
    std::string text;
    std::array<char, 65536> buffer;  // NOLINT: filled by read before it is read
    while (text.size() <= max_policy_bytes) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got == 0) break;
        text.append(buffer.data(), std::min(got, max_policy_bytes + 1 - text.size()));
    }
    return text;
}

std::optional<std::string> read_policy_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    // At most one byte over the limit, as read_policy_text: enough for parse to refuse it.
    constexpr std::size_t most = max_policy_bytes + 1;
    struct stat info {};
    std::size_t expected = 4096;
    if (::fstat(fd, &info) == 0 && info.st_size > 0) {
        expected = static_cast<std::size_t>(info.st_size) + 1;  // + 1: sees the end at once
    }
    std::string text(std::min(expected, most), '\0');
    std::size_t size = 0;
    while (size < most) {
        if (size == text.size()) text.resize(std::min(text.size() * 2, most));
        const ::ssize_t got = ::read(fd, text.data() + size, text.size() - size);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        size += static_cast<std::size_t>(got);
    }
    ::close(fd);
    text.resize(size);
    return text;
}

}  // namespace mcre::dsl
