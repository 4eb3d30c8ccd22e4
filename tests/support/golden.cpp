#include "tests/support/golden.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace mcre::test {

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace

GoldenResult compare_golden(const std::string& golden_path, const std::string& actual) {
    const char* update = std::getenv("UPDATE_GOLDEN");
    if (update != nullptr && std::string(update) == "1") {
        std::ofstream(golden_path, std::ios::binary) << actual;
        return GoldenResult{true, {}};
    }
    std::ifstream in(golden_path, std::ios::binary);
    if (!in) {
        return GoldenResult{false, "missing golden file " + golden_path +
                                       " (run with UPDATE_GOLDEN=1 to create it)\n" + actual};
    }
    std::ostringstream expected_text;
    expected_text << in.rdbuf();
    if (expected_text.str() == actual) return GoldenResult{true, {}};

    std::vector<std::string> expected = lines_of(expected_text.str());
    std::vector<std::string> got = lines_of(actual);
    std::ostringstream report;
    report << "golden mismatch: " << golden_path << "\n";
    std::size_t n = std::max(expected.size(), got.size());
    int shown = 0;
    for (std::size_t i = 0; i < n && shown < 20; ++i) {
        std::string e = i < expected.size() ? expected[i] : "<none>";
        std::string g = i < got.size() ? got[i] : "<none>";
        if (e != g) {
            report << "line " << i + 1 << "\n  - " << e << "\n  + " << g << "\n";
            ++shown;
        }
    }
    report << "--- actual ---\n" << actual;
    return GoldenResult{false, report.str()};
}

}  // namespace mcre::test
