#include "cli/batch_summary.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace mcre::cli {

namespace {

// A JSON string. The text comes from a line that parsed as JSON (so valid UTF-8), or from
// the policy; only quotes, backslashes and control characters need escaping. The runs
// between them are appended whole.
void append_string(std::string& out, std::string_view text) {
    out += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto ch = static_cast<unsigned char>(text[i]);
        if (ch >= 0x20 && ch != '"' && ch != '\\') continue;
        out.append(text.substr(run, i - run));
        run = i + 1;
        switch (ch) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(ch));
        }
    }
    out.append(text.substr(run));
    out += '"';
}

void append_integer(std::string& out, std::int64_t n) {
    std::array<char, 24> digits{};
    const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), n).ptr;
    out.append(digits.data(), end);
}

// As in the full decision (engine/decision_json.cpp): whole numbers without ".0", others
// rounded to six decimals.
void append_number(std::string& out, double n) {
    const double rounded = std::round(n * 1e6) / 1e6;
    if (rounded == std::floor(rounded) && std::fabs(rounded) < 9e15) {
        append_integer(out, static_cast<std::int64_t>(rounded));
    } else {
        fmt::format_to(std::back_inserter(out), "{}", rounded);
    }
}

}  // namespace

std::string summary_record(std::size_t line, const std::optional<std::string>& request_id,
                           const engine::Decision& decision,
                           const std::vector<std::string>& warnings) {
    std::string out;
    out.reserve(96 + 80 * decision.credentials.size());
    out += "{\"line\":";
    append_integer(out, static_cast<std::int64_t>(line));
    out += ",\"ok\":true";
    if (request_id) {
        out += ",\"request_id\":";
        append_string(out, *request_id);
    }
    out += ",\"id\":";
    append_string(out, decision.application_id);
    out += ",\"recognized_ects\":";
    append_number(out, decision.total_recognized);
    out += ",\"credentials\":[";
    bool first = true;
    for (const engine::CredentialDecision& c : decision.credentials) {
        out += first ? "{\"id\":" : ",{\"id\":";
        first = false;
        append_string(out, c.id);
        out += ",\"status\":\"";
        out += engine::status_name(c.status);
        out += "\",\"reason_code\":";
        if (c.primary_code.empty()) {
            out += "null";
        } else {
            append_string(out, c.primary_code);
        }
        out += ",\"recognized_ects\":";
        append_number(out, c.recognized_ects);
        out += '}';
    }
    out += ']';
    if (!warnings.empty()) {
        out += ",\"warnings\":[";
        for (std::size_t i = 0; i < warnings.size(); ++i) {
            if (i != 0) out += ',';
            append_string(out, warnings[i]);
        }
        out += ']';
    }
    out += '}';
    return out;
}

}  // namespace mcre::cli
