#include "engine/cohort.hpp"

#include <algorithm>
#include <istream>
#include <nlohmann/json.hpp>
#include <utility>

#include "dsl/diagnostic_render.hpp"
#include "engine/application_load.hpp"
#include "engine/detail/cohort_csv.hpp"

namespace mcre::engine {

namespace {

using Json = nlohmann::json;

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

dsl::Diagnostic error_at(std::uint32_t offset, std::string message, std::string hint) {
    dsl::Diagnostic d;
    d.code = "E4001";
    d.span = {offset, offset + 1};
    d.message = std::move(message);
    d.hint = std::move(hint);
    return d;
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1,
// column 12: " prefix: the diagnostic says where.
std::string parse_problem(const std::string& what) {
    const auto column = what.find("column ");
    const auto colon = what.find(": ", column == std::string::npos ? 0 : column);
    return colon == std::string::npos ? what : what.substr(colon + 2);
}

// The checks yaml-cpp does not make, as `mcre batch` makes them: a line must be strict JSON
// holding one object, not any YAML that happens to fit on a line.
std::optional<dsl::Diagnostic> check_json(const std::string& text) {
    if (Json::accept(text)) {
        const auto first = text.find_first_not_of(" \t");
        if (text[first] == '{') return std::nullopt;
        return error_at(static_cast<std::uint32_t>(first),
                        "the line holds a JSON " + std::string(Json::parse(text).type_name()) +
                            ", not an application object",
                        "write one JSON object per line");
    }
    try {
        const Json parsed = Json::parse(text);
        (void)parsed;
    } catch (const Json::parse_error& e) {
        const std::size_t byte = std::min(e.byte == 0 ? 0 : e.byte - 1, text.size());
        return error_at(static_cast<std::uint32_t>(byte),
                        "not valid JSON: " + parse_problem(e.what()),
                        "each line must be one complete JSON object (docs/cohorts.md)");
    }
    return error_at(0, "not valid JSON", "each line must be one complete JSON object");
}

// Checks and loads the application of one JSON line.
void parse_line(CohortRecord& record) {
    record.pending = false;
    LoadResult loaded = load_application(*record.text);
    // A line the JSON reader took is strict JSON holding one object; any other is checked
    // before its diagnostics count (a JSON error is the line's only error).
    if (!loaded.read_as_json) {
        if (auto problem = check_json(record.text->text())) {
            record.errors.push_back(std::move(*problem));
            return;
        }
    }
    if (loaded.application) {
        record.application = std::move(loaded.application);
        record.text.reset();
        return;
    }
    for (dsl::Diagnostic& d : loaded.diagnostics) {
        if (d.severity == dsl::Severity::Error) record.errors.push_back(std::move(d));
    }
}

class JsonLinesReader final : public CohortReader {
  public:
    JsonLinesReader(std::istream& in, std::string name, bool defer)
        : in_(in), name_(std::move(name)), defer_(defer) {}

    std::optional<CohortRecord> next() override {
        std::string text;
        while (std::getline(in_, text)) {
            ++line_;
            if (!text.empty() && text.back() == '\r') text.pop_back();
            if (line_ == 1 && text.starts_with(utf8_bom)) text.erase(0, utf8_bom.size());
            if (text.find_first_not_of(" \t") == std::string::npos) continue;  // blank
            return read(std::move(text));
        }
        return std::nullopt;
    }

  private:
    CohortRecord read(std::string text) {
        CohortRecord record;
        record.line = line_;
        record.text = std::make_shared<const dsl::SourceFile>(name_, std::move(text));
        record.pending = true;
        if (!defer_) parse_line(record);
        return record;
    }

    std::istream& in_;
    std::string name_;
    bool defer_ = false;
    std::size_t line_ = 0;
};

}  // namespace

CohortFormat cohort_format_for(const std::string& path) {
    std::string lower = path;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.ends_with(".csv") ? CohortFormat::Csv : CohortFormat::JsonLines;
}

std::unique_ptr<CohortReader> open_cohort(std::istream& in, std::string name, CohortFormat format,
                                          bool defer_parsing) {
    if (format == CohortFormat::Csv) return detail::open_csv_cohort(in, std::move(name));
    return std::make_unique<JsonLinesReader>(in, std::move(name), defer_parsing);
}

void parse_record(CohortRecord& record) {
    if (record.pending && record.text) parse_line(record);
}

dsl::Location error_location(const CohortRecord& record, const dsl::Diagnostic& error) {
    if (!record.text) return dsl::Location{"", static_cast<int>(record.line), 1};
    dsl::Location at = record.text->location(error.span.begin);
    at.line += static_cast<int>(record.line) - 1;
    return at;
}

std::string render_errors(const CohortRecord& record) {
    if (!record.text || record.errors.empty()) return {};
    // The record's text placed at its own line, so the renderer prints the file's numbers.
    const std::size_t shift = record.line - 1;
    const dsl::SourceFile placed(record.text->name(),
                                 std::string(shift, '\n') + record.text->text());
    std::string out;
    for (dsl::Diagnostic d : record.errors) {
        auto move_span = [&](dsl::SourceSpan& s) {
            s.begin += static_cast<std::uint32_t>(shift);
            s.end += static_cast<std::uint32_t>(shift);
        };
        move_span(d.span);
        for (dsl::SourceSpan& s : d.extra_ranges) move_span(s);
        for (dsl::DiagnosticNote& n : d.notes) move_span(n.span);
        out += dsl::render(d, placed);
    }
    return out;
}

}  // namespace mcre::engine
