#include "cli/batch_summary.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace mcre::cli {

namespace {

// The record is written into a buffer sized beforehand for the worst case, with no capacity
// check for each of its few dozen pieces, then copied out at its length. The buffer is the
// thread's own and kept: the worst case of a record is over a kilobyte, which malloc serves
// from its shared arena under a lock, where the record itself comes from the thread's cache.
class RecordWriter {
  public:
    explicit RecordWriter(std::size_t most) {
        if (buffer_.size() < most) buffer_.resize(most);
        at_ = buffer_.data();
    }

    void raw(std::string_view s) {
        std::memcpy(at_, s.data(), s.size());
        at_ += s.size();
    }

    // A JSON string. The text comes from a line that parsed as JSON (so valid UTF-8), or from
    // the policy; only quotes, backslashes and control characters need escaping. At most
    // string_room(text) bytes.
    void string(std::string_view text) {
        *at_++ = '"';
        for (const char c : text) {
            const auto ch = static_cast<unsigned char>(c);
            if (ch >= 0x20 && ch != '"' && ch != '\\') {
                *at_++ = c;
                continue;
            }
            *at_++ = '\\';
            switch (ch) {
                case '"':
                case '\\':
                    *at_++ = c;
                    break;
                case '\n':
                    *at_++ = 'n';
                    break;
                case '\r':
                    *at_++ = 'r';
                    break;
                case '\t':
                    *at_++ = 't';
                    break;
                default:
                    raw("u00");
                    *at_++ = "0123456789abcdef"[ch >> 4];
                    *at_++ = "0123456789abcdef"[ch & 15];
            }
        }
        *at_++ = '"';
    }
    static std::size_t string_room(std::string_view text) { return 2 + 6 * text.size(); }

    void integer(std::int64_t n) { at_ = std::to_chars(at_, at_ + number_room, n).ptr; }

    // As in the full decision (engine/decision_json.cpp): whole numbers without ".0", others
    // rounded to six decimals.
    void number(double n) {
        const double rounded = std::round(n * 1e6) / 1e6;
        if (rounded == std::floor(rounded) && std::fabs(rounded) < 9e15) {
            integer(static_cast<std::int64_t>(rounded));
        } else {
            at_ = fmt::format_to(at_, "{}", rounded);
        }
    }
    // The longest a number takes: a double's shortest form, sign and exponent included, is
    // 24 characters.
    static constexpr std::size_t number_room = 32;

    [[nodiscard]] std::string take() const {
        return {buffer_.data(), static_cast<std::size_t>(at_ - buffer_.data())};
    }

  private:
    static thread_local std::string buffer_;
    char* at_ = nullptr;
};

thread_local std::string RecordWriter::buffer_;

}  // namespace

std::string summary_record(std::size_t line, const std::optional<std::string>& request_id,
                           const engine::Decision& decision,
                           const std::vector<std::string>& warnings) {
    // The fixed text of each part (the keys, a status name) is well under 64 bytes.
    constexpr std::size_t part = 64;
    std::size_t most = 3 * part + 2 * RecordWriter::number_room +
                       RecordWriter::string_room(decision.application_id);
    if (request_id) most += part + RecordWriter::string_room(*request_id);
    for (const engine::CredentialDecision& c : decision.credentials) {
        most += 2 * part + RecordWriter::number_room + RecordWriter::string_room(c.id) +
                RecordWriter::string_room(c.primary_code);
    }
    for (const std::string& w : warnings) most += part + RecordWriter::string_room(w);

    RecordWriter out(most);
    out.raw("{\"line\":");
    out.integer(static_cast<std::int64_t>(line));
    out.raw(",\"ok\":true");
    if (request_id) {
        out.raw(",\"request_id\":");
        out.string(*request_id);
    }
    out.raw(",\"id\":");
    out.string(decision.application_id);
    out.raw(",\"recognized_ects\":");
    out.number(decision.total_recognized);
    out.raw(",\"credentials\":[");
    bool first = true;
    for (const engine::CredentialDecision& c : decision.credentials) {
        out.raw(first ? "{\"id\":" : ",{\"id\":");
        first = false;
        out.string(c.id);
        out.raw(",\"status\":\"");
        out.raw(engine::status_name(c.status));
        out.raw("\",\"reason_code\":");
        if (c.primary_code.empty()) {
            out.raw("null");
        } else {
            out.string(c.primary_code);
        }
        out.raw(",\"recognized_ects\":");
        out.number(c.recognized_ects);
        out.raw("}");
    }
    out.raw("]");
    if (!warnings.empty()) {
        out.raw(",\"warnings\":[");
        for (std::size_t i = 0; i < warnings.size(); ++i) {
            if (i != 0) out.raw(",");
            out.string(warnings[i]);
        }
        out.raw("]");
    }
    out.raw("}");
    return out.take();
}

}  // namespace mcre::cli
