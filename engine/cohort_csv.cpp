// The CSV cohort reader: RFC 4180 rows, grouped into applications by application_id, each
// application built as the loader's JSON and read by load_application, so validation is the
// same as for `mcre evaluate`; the loader's diagnostics are mapped back to the CSV cells.

#include "engine/detail/cohort_csv.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <istream>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "engine/application_load.hpp"
#include "engine/detail/cohort_columns.hpp"
#include "rules/scope.hpp"

namespace mcre::engine::detail {

namespace {

using Json = nlohmann::ordered_json;

struct SyntaxProblem {
    std::uint32_t offset = 0;
    std::string message;
    std::string hint;
};

struct CsvRow {
    std::size_t line = 0;  // the physical line the row starts on
    std::string raw;       // the row as written, line end(s) included
    std::vector<std::string> fields;
    std::vector<dsl::SourceSpan> spans;  // each field as written, within `raw`
    std::optional<SyntaxProblem> problem;
};

// Splits the input into rows: quoted fields may hold commas, doubled quotes and line ends;
// LF and CRLF both end a row; a UTF-8 byte order mark at the start is skipped.
class CsvTokenizer {
  public:
    explicit CsvTokenizer(std::istream& in) : buf_(in.rdbuf()) {}

    // False at the end of the input. Empty lines are skipped.
    bool read(CsvRow& row) {
        if (first_) skip_bom();
        row = CsvRow{};
        for (;;) {
            row.line = line_;
            const int c = peek();
            if (c == eof) return false;
            if (c == '\n' || (c == '\r' && peek2() == '\n')) {  // an empty line
                if (c == '\r') (void)get();
                (void)get();
                ++line_;
                continue;
            }
            break;
        }
        for (;;) {
            if (!read_field(row)) return true;  // the row ended
        }
    }

  private:
    static constexpr int eof = std::char_traits<char>::eof();

    void skip_bom() {
        first_ = false;
        static constexpr unsigned char bom[] = {0xEF, 0xBB, 0xBF};
        for (unsigned char b : bom) {
            if (buf_->sgetc() != b) return;  // not a BOM: what was read stays in pending_
            pending_ += static_cast<char>(buf_->sbumpc());
        }
        pending_.clear();
    }

    int peek() {
        if (!pending_.empty()) return static_cast<unsigned char>(pending_.front());
        return buf_->sgetc();
    }
    int peek2() {
        if (pending_.size() >= 2) return static_cast<unsigned char>(pending_[1]);
        if (pending_.size() == 1) return buf_->sgetc();
        const int c = buf_->sbumpc();
        if (c == eof) return eof;
        pending_ += static_cast<char>(c);
        return buf_->sgetc();
    }
    int get() {
        if (!pending_.empty()) {
            const int c = static_cast<unsigned char>(pending_.front());
            pending_.erase(0, 1);
            return c;
        }
        return buf_->sbumpc();
    }

    void problem(CsvRow& row, std::size_t offset, std::string message, std::string hint) {
        if (row.problem) return;
        row.problem =
            SyntaxProblem{static_cast<std::uint32_t>(offset), std::move(message), std::move(hint)};
    }

    // Reads one field and the delimiter after it; false when the row ended after it.
    bool read_field(CsvRow& row) {
        const std::size_t begin = row.raw.size();
        std::string value;
        int c = get();
        if (c == '"') {
            row.raw += '"';
            for (;;) {
                c = get();
                if (c == eof) {
                    problem(row, begin, "the quoted field is not closed before the end of the file",
                            "close it with a double quote; a quote inside a quoted field is "
                            "written twice (\"\")");
                    break;
                }
                row.raw += static_cast<char>(c);
                if (c == '\n') ++line_;
                if (c == '"') {
                    if (peek() != '"') break;
                    row.raw += static_cast<char>(get());
                }
                value += static_cast<char>(c);
            }
            c = get();
            if (c != ',' && c != eof && c != '\n' && !(c == '\r' && peek() == '\n')) {
                problem(row, row.raw.size(), "text after the closing quote of a field",
                        "put the whole field in quotes and write a quote inside it twice "
                        "(\"\"), or remove the text after the quote");
                while (c != ',' && c != eof && c != '\n' && !(c == '\r' && peek() == '\n')) {
                    row.raw += static_cast<char>(c);
                    value += static_cast<char>(c);
                    c = get();
                }
            }
        } else {
            while (c != ',' && c != eof && c != '\n' && !(c == '\r' && peek() == '\n')) {
                if (c == '"') {
                    problem(row, row.raw.size(), "a double quote inside a field that is not quoted",
                            "put the whole field in quotes and write the quote twice (\"\")");
                }
                row.raw += static_cast<char>(c);
                value += static_cast<char>(c);
                c = get();
            }
        }
        row.fields.push_back(std::move(value));
        row.spans.push_back(
            {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(row.raw.size())});
        if (c == ',') {
            row.raw += ',';
            return true;
        }
        if (c == '\r') {
            (void)get();
            row.raw += "\r\n";
            ++line_;
        } else if (c == '\n') {
            row.raw += '\n';
            ++line_;
        }
        return false;
    }

    std::streambuf* buf_;
    std::string pending_;  // bytes read ahead
    std::size_t line_ = 1;
    bool first_ = true;
};

std::string_view trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

std::uint64_t fingerprint(std::string_view id) {  // FNV-1a, 64 bits
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : id) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

bool is_decimal(std::string_view s, bool allow_fraction) {
    std::size_t i = 0;
    if (i < s.size() && s[i] == '-') ++i;
    const std::size_t digits = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == digits) return false;
    if (i == s.size()) return true;
    if (!allow_fraction || s[i] != '.') return false;
    const std::size_t fraction = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i == s.size() && i > fraction;
}

std::optional<bool> parse_bool(std::string_view s) {
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    return std::nullopt;
}

std::size_t column_index(std::string_view name) {
    return static_cast<std::size_t>(
        std::find_if(cohort_columns.begin(), cohort_columns.end(),
                     [&](const CsvColumn& column) { return column.name == name; }) -
        cohort_columns.begin());
}

const std::vector<std::string>& required_columns() {
    static const std::vector<std::string> names{"application_id", "date", "learner_id",
                                                "programme_id"};
    return names;
}

class CsvCohortReader final : public CohortReader {
  public:
    CsvCohortReader(std::istream& in, std::string name)
        : tokenizer_(in), name_(std::move(name)), field_of_(cohort_columns.size(), -1) {}

    std::optional<CohortRecord> next() override {
        if (done_) return std::nullopt;
        if (!started_) {
            started_ = true;
            if (auto failure = read_header()) {
                done_ = true;
                return failure;
            }
        }
        std::optional<CsvRow> first = take_row();
        if (!first) {
            done_ = true;
            return std::nullopt;
        }
        std::vector<CsvRow> rows;
        rows.push_back(std::move(*first));
        const std::string key(key_of(rows[0]));
        if (!key.empty()) {
            while (std::optional<CsvRow> row = take_row()) {
                if (key_of(*row) != key) {
                    pending_ = std::move(row);
                    break;
                }
                rows.push_back(std::move(*row));
            }
        }
        return build(rows, key);
    }

  private:
    std::optional<CsvRow> take_row() {
        if (pending_) return std::exchange(pending_, std::nullopt);
        CsvRow row;
        if (!tokenizer_.read(row)) return std::nullopt;
        return row;
    }

    [[nodiscard]] std::string_view key_of(const CsvRow& row) const {
        const int field = field_of_[0];  // application_id, the first column
        if (field < 0 || static_cast<std::size_t>(field) >= row.fields.size()) return {};
        return trim(row.fields[static_cast<std::size_t>(field)]);
    }

    // Nullopt when the header is usable; otherwise the record that says why not.
    std::optional<CohortRecord> read_header() {
        CsvRow header;
        CohortRecord record;
        record.line = 1;
        auto fail = [&](std::uint32_t begin, std::uint32_t end, std::string code,
                        std::string message, std::string hint) {
            dsl::Diagnostic d;
            d.code = std::move(code);
            d.span = {begin, std::max(end, begin + 1)};
            d.message = std::move(message);
            d.hint = std::move(hint);
            record.errors.push_back(std::move(d));
        };
        if (!tokenizer_.read(header)) {
            fail(0, 0, "E4003", "the CSV cohort is empty: it needs a header row",
                 "start the file with the column names, such as "
                 "application_id,date,learner_id,programme_id,credential_id,...");
            record.text = std::make_shared<const dsl::SourceFile>(name_, "\n");
            return record;
        }
        record.line = header.line;
        if (header.problem) {
            fail(header.problem->offset, header.problem->offset + 1, "E4001",
                 header.problem->message, header.problem->hint);
        }
        std::vector<std::string> known;
        for (const CsvColumn& column : cohort_columns) known.emplace_back(column.name);
        header_size_ = header.fields.size();
        column_of_.assign(header_size_, -1);
        for (std::size_t f = 0; f < header.fields.size(); ++f) {
            const std::string name(trim(header.fields[f]));
            const dsl::SourceSpan span = header.spans[f];
            const auto it = std::find(known.begin(), known.end(), name);
            if (it == known.end()) {
                const std::optional<std::string> near = rules::closest(name, known);
                fail(span.begin, span.end, "E4004",
                     "unknown column '" + name + "' (column " + std::to_string(f + 1) + ")",
                     near ? "did you mean '" + *near + "'?"
                          : "the columns are listed in docs/cohorts.md; remove this one");
                continue;
            }
            const auto index = static_cast<std::size_t>(it - known.begin());
            if (field_of_[index] >= 0) {
                fail(span.begin, span.end, "E4033",
                     "column '" + name + "' appears twice (columns " +
                         std::to_string(field_of_[index] + 1) + " and " + std::to_string(f + 1) +
                         ")",
                     "remove one of them");
                continue;
            }
            field_of_[index] = static_cast<int>(f);
            column_of_[f] = static_cast<int>(index);
        }
        const auto line_end = static_cast<std::uint32_t>(header.raw.find_first_of("\r\n"));
        for (const std::string& name : required_columns()) {
            const auto index = static_cast<std::size_t>(
                std::find(known.begin(), known.end(), name) - known.begin());
            if (field_of_[index] < 0) {
                fail(0,
                     std::min<std::uint32_t>(line_end,
                                             static_cast<std::uint32_t>(header.raw.size())),
                     "E4003", "the header has no column '" + name + "'",
                     "add it: every application needs application_id, date, learner_id and "
                     "programme_id");
            }
        }
        if (record.errors.empty()) return std::nullopt;
        dsl::sort_by_position(record.errors);
        record.text = std::make_shared<const dsl::SourceFile>(name_, header.raw);
        return record;
    }

    CohortRecord build(std::vector<CsvRow>& rows, const std::string& key);

    CsvTokenizer tokenizer_;
    std::string name_;
    bool started_ = false;
    bool done_ = false;
    std::size_t header_size_ = 0;
    std::vector<int> field_of_;   // column (index in cohort_columns) -> field, or -1
    std::vector<int> column_of_;  // field -> column, or -1
    std::optional<CsvRow> pending_;
    // One fingerprint per application read, to find rows of one that are not consecutive:
    // 8 bytes of key and the line, whatever the size of the application.
    std::unordered_map<std::uint64_t, std::size_t> seen_;
};

// Everything about one application's rows while it is built.
struct Builder {
    const std::vector<CsvRow>& rows;
    const std::vector<int>& field_of;
    std::vector<std::uint32_t> base;  // where each row starts in the record's text
    std::vector<dsl::Diagnostic> errors;
    // JSON Pointer of each value written -> the cell it came from.
    std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> cells;

    dsl::SourceSpan cell_span(std::size_t row, std::size_t field) const {
        dsl::SourceSpan s = rows[row].spans[field];
        s.begin += base[row];
        s.end = std::max(s.end + base[row], s.begin + 1);
        return s;
    }
    dsl::SourceSpan row_span(std::size_t row) const {
        const std::size_t end = rows[row].raw.find_first_of("\r\n");
        const std::uint32_t length =
            static_cast<std::uint32_t>(end == std::string::npos ? rows[row].raw.size() : end);
        return {base[row], base[row] + std::max<std::uint32_t>(length, 1)};
    }
    void error(dsl::SourceSpan span, std::string code, std::string message, std::string hint) {
        dsl::Diagnostic d;
        d.code = std::move(code);
        d.span = span;
        d.message = std::move(message);
        d.hint = std::move(hint);
        errors.push_back(std::move(d));
    }
    // The cell of `column` on `row`, trimmed; empty when the row lacks the column.
    std::string_view cell(std::size_t row, std::size_t column) const {
        const int field = field_of[column];
        if (field < 0 || static_cast<std::size_t>(field) >= rows[row].fields.size()) return {};
        return trim(rows[row].fields[static_cast<std::size_t>(field)]);
    }

    // The cell as a JSON value of the column's type; nullopt after an error.
    std::optional<Json> value(std::size_t row, std::size_t column) {
        const CsvColumn& c = cohort_columns[column];
        const std::string_view text = cell(row, column);
        const auto field = static_cast<std::size_t>(field_of[column]);
        const std::string where =
            "column " + std::to_string(field + 1) + " '" + std::string(c.name) + "'";
        switch (c.type) {
            case CellType::Number: {
                if (!is_decimal(text, true)) {
                    error(cell_span(row, field), "E4002",
                          where + " must be a number, not '" + std::string(text) + "'",
                          "write digits with a dot for decimals, such as 6 or 7.5; leave the "
                          "cell empty when it is not stated");
                    return std::nullopt;
                }
                if (text.find('.') == std::string_view::npos) {
                    long long n = 0;
                    const auto r = std::from_chars(text.data(), text.data() + text.size(), n);
                    if (r.ec == std::errc()) return Json(n);
                }
                double d = 0;
                (void)std::from_chars(text.data(), text.data() + text.size(), d);
                return Json(d);
            }
            case CellType::Level: {
                long long n = 0;
                const auto r = std::from_chars(text.data(), text.data() + text.size(), n);
                if (!is_decimal(text, false) || r.ec != std::errc()) {
                    error(cell_span(row, field), "E4002",
                          where + " must be a whole number, not '" + std::string(text) + "'",
                          "write the level as a number from 1 to 8, such as 6");
                    return std::nullopt;
                }
                return Json(n);
            }
            case CellType::Bool: {
                const std::optional<bool> b = parse_bool(text);
                if (!b) {
                    error(cell_span(row, field), "E4002",
                          where + " must be true or false, not '" + std::string(text) + "'",
                          "write true or false; leave the cell empty when it is not stated");
                    return std::nullopt;
                }
                return Json(*b);
            }
            case CellType::List: {
                Json list = Json::array();
                std::string_view rest = text;
                for (;;) {
                    const auto bar = rest.find(outcome_separator);
                    const std::string_view item = trim(rest.substr(0, bar));
                    if (!item.empty()) list.push_back(std::string(item));
                    if (bar == std::string_view::npos) break;
                    rest.remove_prefix(bar + 1);
                }
                return list;
            }
            case CellType::Text:
            case CellType::Date:
                return Json(std::string(text));
        }
        return std::nullopt;
    }

    void put(Json& doc, const std::string& pointer, Json value, std::size_t row,
             std::size_t column) {
        doc[Json::json_pointer(pointer)] = std::move(value);
        cells[pointer] = {row, column};
    }

    // The loader's diagnostic placed on the cell its JSON Pointer came from.
    dsl::Diagnostic place(dsl::Diagnostic d) {
        std::string pointer = d.pointer;
        for (;;) {
            const auto it = cells.find(pointer);
            if (it != cells.end()) {
                const auto [row, column] = it->second;
                const auto field = static_cast<std::size_t>(field_of[column]);
                d.span = cell_span(row, field);
                d.message += " (column " + std::to_string(field + 1) + " '" +
                             std::string(cohort_columns[column].name) + "')";
                break;
            }
            const auto slash = pointer.rfind('/');
            if (slash == std::string::npos || pointer.empty()) {
                d.span = row_span(0);
                break;
            }
            pointer.erase(slash);
        }
        d.extra_ranges.clear();
        std::erase_if(d.notes, [](const dsl::DiagnosticNote& n) { return n.has_span; });
        return d;
    }
};

CohortRecord CsvCohortReader::build(std::vector<CsvRow>& rows, const std::string& key) {
    CohortRecord record;
    record.line = rows[0].line;
    Builder b{rows, field_of_, {}, {}, {}};
    std::string text;
    for (const CsvRow& row : rows) {
        b.base.push_back(static_cast<std::uint32_t>(text.size()));
        text += row.raw;
    }
    auto finish = [&]() {
        record.errors = std::move(b.errors);
        dsl::sort_by_position(record.errors);
        record.text = std::make_shared<const dsl::SourceFile>(name_, std::move(text));
        return std::move(record);
    };

    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (rows[r].problem) {
            const std::uint32_t at = b.base[r] + rows[r].problem->offset;
            b.error({at, at + 1}, "E4001", rows[r].problem->message, rows[r].problem->hint);
        } else if (rows[r].fields.size() != header_size_) {
            b.error(b.row_span(r), "E4032",
                    "the row has " + std::to_string(rows[r].fields.size()) +
                        " fields but the header has " + std::to_string(header_size_) + " columns",
                    "write one field per header column, empty ones included; quote a field "
                    "that holds a comma");
        }
    }
    if (key.empty()) {
        b.error(b.row_span(0), "E4003", "the row names no application in column 'application_id'",
                "every row starts with the id of the application it belongs to");
        return finish();
    }
    const auto [seen, fresh] = seen_.try_emplace(fingerprint(key), record.line);
    if (!fresh) {
        const auto field = static_cast<std::size_t>(field_of_[0]);
        b.error(b.cell_span(0, field), "E4030",
                "application '" + key +
                    "' continues here, after rows of other applications (it "
                    "began on line " +
                    std::to_string(seen->second) + ")",
                "the rows of one application must be consecutive: sort the file by "
                "application_id, keeping each application's credential rows together");
    }
    if (!b.errors.empty()) return finish();

    Json doc = Json::object();
    for (std::size_t c = 0; c < cohort_columns.size(); ++c) {
        const CsvColumn& column = cohort_columns[c];
        if (column.scope != ColumnScope::Application || field_of_[c] < 0) continue;
        const std::string_view first = b.cell(0, c);
        for (std::size_t r = 1; r < rows.size(); ++r) {
            const std::string_view later = b.cell(r, c);
            if (later.empty() || later == first) continue;
            b.error(b.cell_span(r, static_cast<std::size_t>(field_of_[c])), "E4031",
                    "'" + std::string(column.name) + "' is '" + std::string(later) +
                        "' here but '" + std::string(first) + "' on line " +
                        std::to_string(rows[0].line) + ", the application's first row",
                    "repeat the same value on every row of the application, or leave it empty "
                    "after the first row");
        }
        if (first.empty()) continue;
        if (std::optional<Json> value = b.value(0, c)) {
            b.put(doc, std::string(column.pointer), std::move(*value), 0, c);
        }
    }
    for (const std::string& name : required_columns()) {
        const std::size_t c = column_index(name);
        if (!b.cell(0, c).empty()) continue;
        b.error(b.cell_span(0, static_cast<std::size_t>(field_of_[c])), "E4003",
                "column '" + name + "' is empty on the application's first row",
                "every application needs its application_id, date, learner_id and programme_id");
    }
    Json credentials = Json::array();
    for (std::size_t r = 0; r < rows.size(); ++r) {
        Json credential = Json::object();
        const std::string at = "/credentials/" + std::to_string(credentials.size());
        for (std::size_t c = 0; c < cohort_columns.size(); ++c) {
            const CsvColumn& column = cohort_columns[c];
            if (column.scope != ColumnScope::Credential || b.cell(r, c).empty()) continue;
            if (std::optional<Json> value = b.value(r, c)) {
                credential[Json::json_pointer(std::string(column.pointer))] = std::move(*value);
                b.cells[at + std::string(column.pointer)] = {r, c};
            }
        }
        if (credential.empty()) continue;  // a row with no credential
        // A problem with the credential as a whole is shown at its id, else at the row start.
        const std::size_t id_column = column_index("credential_id");
        b.cells[at] = {r, field_of_[id_column] >= 0 ? id_column : 0};
        credentials.push_back(std::move(credential));
    }
    doc["credentials"] = std::move(credentials);
    if (!b.errors.empty()) return finish();

    const dsl::SourceFile json(name_, doc.dump(-1, ' ', false, Json::error_handler_t::replace));
    LoadResult loaded = load_application(json);
    if (loaded.application) {
        record.application = std::move(loaded.application);
        return record;
    }
    for (dsl::Diagnostic& d : loaded.diagnostics) {
        if (d.severity == dsl::Severity::Error) b.errors.push_back(b.place(std::move(d)));
    }
    return finish();
}

}  // namespace

std::unique_ptr<CohortReader> open_csv_cohort(std::istream& in, std::string name) {
    return std::make_unique<CsvCohortReader>(in, std::move(name));
}

}  // namespace mcre::engine::detail
