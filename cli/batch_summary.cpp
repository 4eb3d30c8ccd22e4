#include "cli/batch_summary.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <iterator>

namespace mcre::cli {

namespace {

// A JSON string. The text comes from a line that parsed as JSON (so valid UTF-8), or from
// the policy; only quotes, backslashes and control characters need escaping.
void append_string(std::string& out, const std::string& text) {
    out += '"';
    for (const char ch : text) {
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
                if (static_cast<unsigned char>(ch) < 0x20) {
                    fmt::format_to(std::back_inserter(out), "\\u{:04x}",
                                   static_cast<unsigned>(static_cast<unsigned char>(ch)));
                } else {
                    out += ch;
                }
        }
    }
    out += '"';
}

// As in the full decision (engine/decision_json.cpp): whole numbers without ".0", others
// rounded to six decimals.
void append_number(std::string& out, double n) {
    const double rounded = std::round(n * 1e6) / 1e6;
    if (rounded == std::floor(rounded) && std::fabs(rounded) < 9e15) {
        fmt::format_to(std::back_inserter(out), "{}", static_cast<std::int64_t>(rounded));
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
    fmt::format_to(std::back_inserter(out), "{{\"line\":{},\"ok\":true", line);
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
