#include "dsl/source.hpp"

#include <algorithm>

namespace mcre::dsl {

SourceFile::SourceFile(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
    line_starts_.push_back(0);
    for (std::uint32_t i = 0; i < text_.size(); ++i) {
        if (text_[i] == '\n') line_starts_.push_back(i + 1);
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

}  // namespace mcre::dsl
