#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mcre::dsl {

// A half-open byte range [begin, end) in one SourceFile.
struct SourceSpan {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

// A place a reader can find: file name, 1-based line and column (in characters).
struct Location {
    std::string file;
    int line = 0;
    int column = 0;
};

// One policy file held in memory with a table of line starts for position lookups.
class SourceFile {
  public:
    SourceFile(std::string name, std::string text);

    [[nodiscard]] const std::string& name() const { return name_; }
    [[nodiscard]] const std::string& text() const { return text_; }

    [[nodiscard]] int line_of(std::uint32_t offset) const;
    // Column counts UTF-8 characters, so Georgian and Armenian text lines up with the caret.
    [[nodiscard]] int column_of(std::uint32_t offset) const;
    [[nodiscard]] std::string_view line_text(int line) const;
    [[nodiscard]] Location location(std::uint32_t offset) const;
    [[nodiscard]] Location location(SourceSpan span) const { return location(span.begin); }

  private:
    std::string name_;
    std::string text_;
    std::vector<std::uint32_t> line_starts_;
};

// Number of UTF-8 characters in a byte range (continuation bytes are not counted).
[[nodiscard]] int utf8_length(std::string_view text);

}  // namespace mcre::dsl
