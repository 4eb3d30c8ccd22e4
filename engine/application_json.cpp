#include "engine/detail/application_json.hpp"

// The only translation unit that includes simdjson. Each reading below mirrors one of
// engine/detail/yaml_reader.cpp on the text yaml-cpp would see: a JSON string is quoted
// text, a number or a boolean is a plain scalar whose text is the token as written, null is
// an absent value. Where the YAML reader would report a problem, or could read the text
// otherwise (a raw control character folded in a string, a \u escape of a surrogate, which
// yaml-cpp refuses), this reader gives up and the caller falls back to the YAML reader.

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "engine/detail/credential_reader.hpp"
#include "engine/input_limits.hpp"
#include "rules/schema.hpp"

namespace mcre::engine::detail {

namespace {

namespace od = simdjson::ondemand;

// Thrown to give up on the document; caught at the top, never escapes.
struct GiveUp {};

[[noreturn]] void give_up() { throw GiveUp{}; }

std::string_view get(std::string_view token) { return token; }

template <typename T>
T get(simdjson::simdjson_result<T>&& result) {
    T out{};
    if (std::move(result).get(out) != simdjson::SUCCESS) give_up();
    return out;
}

// A scalar as the YAML reader sees it.
struct Scalar {
    enum class Kind { Null, Text, Plain } kind = Kind::Null;  // Text: a JSON string
    std::string_view text;
};

std::string_view trim_right(std::string_view s) {
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

// How a string token reads. Unlike: yaml-cpp would not read it exactly as JSON does (a raw
// control character, which YAML folds, or a \u escape of a UTF-16 surrogate, which yaml-cpp
// refuses and JSON pairs into one character). Plain: nothing to unescape, so the text is
// read in place between the quotes, which skips simdjson's copy into its buffer (the value
// is left unconsumed, which On-Demand skips as it would a value nobody reads).
enum class StringToken { Plain, Escaped, Unlike };

// The token must lie in a buffer with 7 readable bytes after it (simdjson's padding does).
StringToken string_token(std::string_view token) {
    static_assert(std::endian::native == std::endian::little, "the mask below counts bytes so");
    // Most texts hold neither a control character nor a backslash: those are passed eight
    // bytes at a time (a byte below 0x20, or equal to '\\', sets its high bit here; a bit
    // set by a borrow always has a true one below it), the last word read past the token
    // and its bytes beyond the token masked off.
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    std::size_t start = 0;
    for (; start < token.size(); start += 8) {
        std::uint64_t x = 0;
        std::memcpy(&x, token.data() + start, 8);
        const std::uint64_t y = x ^ (ones * '\\');
        std::uint64_t hits = (((x - ones * 0x20) & ~x) | ((y - ones) & ~y)) & highs;
        const std::size_t left = token.size() - start;
        if (left < 8) hits &= (std::uint64_t{1} << (8 * left)) - 1;
        if (hits != 0) break;
    }
    bool escaped = false;
    for (std::size_t i = start; i < token.size(); ++i) {
        const auto c = static_cast<unsigned char>(token[i]);
        if (c < 0x20) {
            // Whitespace after the closing quote is part of the token; inside the string it
            // is not allowed.
            if (!trim_right(token.substr(i)).empty()) return StringToken::Unlike;
            break;
        }
        if (c == '\\') {
            escaped = true;
            if (i + 1 < token.size() && token[i + 1] == 'u' && i + 3 < token.size() &&
                (token[i + 2] == 'd' || token[i + 2] == 'D') &&
                std::string_view("89abcdefABCDEF").find(token[i + 3]) != std::string_view::npos) {
                return StringToken::Unlike;
            }
            ++i;  // the escaped character, so that \\ and \" are not read again
        }
    }
    return escaped ? StringToken::Escaped : StringToken::Plain;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Whether a token is a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool json_number(std::string_view t) {
    std::size_t i = 0;
    auto digits = [&] {
        const std::size_t start = i;
        while (i < t.size() && is_digit(t[i])) ++i;
        return i > start;
    };
    if (i < t.size() && t[i] == '-') ++i;
    if (i < t.size() && t[i] == '0') {
        ++i;
    } else if (!digits()) {
        return false;
    }
    if (i < t.size() && t[i] == '.') {
        ++i;
        if (!digits()) return false;
    }
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
        if (!digits()) return false;
    }
    return i == t.size();
}

Scalar scalar(od::value& v) {
    switch (get(v.type())) {
        case od::json_type::string: {
            const std::string_view token = get(v.raw_json_token());
            switch (string_token(token)) {
                case StringToken::Unlike:
                    give_up();
                case StringToken::Plain: {
                    const std::string_view quoted = trim_right(token);  // "..."
                    return {Scalar::Kind::Text, quoted.substr(1, quoted.size() - 2)};
                }
                case StringToken::Escaped:
                    break;
            }
            return {Scalar::Kind::Text, get(v.get_string())};
        }
        case od::json_type::number: {
            const std::string_view token = trim_right(get(v.raw_json_token()));
            if (!json_number(token)) give_up();
            return {Scalar::Kind::Plain, token};
        }
        case od::json_type::boolean:
            return {Scalar::Kind::Plain, get(v.get_bool()) ? "true" : "false"};
        case od::json_type::null:
            if (!get(v.is_null())) give_up();
            return {};
        default:
            give_up();  // a mapping or a list where a value is expected
    }
}

// Reads a value nobody needs, so that a malformed one is still noticed.
void validate(od::value v) {
    switch (get(v.type())) {
        case od::json_type::object:
            for (auto field : get(v.get_object())) {
                (void)get(field.unescaped_key());
                validate(get(std::move(field).value()));
            }
            return;
        case od::json_type::array:
            for (auto item : get(v.get_array())) validate(get(std::move(item)));
            return;
        default:
            (void)scalar(v);
    }
}

// The typed readings of engine/detail/yaml_reader.hpp; each gives nothing for null and gives
// up where the YAML reader reports an error.
std::optional<std::string> text(const Scalar& s) {
    if (s.kind == Scalar::Kind::Null) return std::nullopt;
    return std::string(s.text);
}

std::string required_text(const Scalar& s) {
    if (s.kind == Scalar::Kind::Null) give_up();
    return std::string(s.text);
}

std::optional<std::string> code(const Scalar& s) {
    if (s.kind == Scalar::Kind::Null) return std::nullopt;
    if (s.kind != Scalar::Kind::Text || s.text.size() < 2 || s.text.size() > 4 ||
        !std::all_of(s.text.begin(), s.text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        give_up();
    }
    return std::string(s.text);
}

std::optional<std::string> country(const Scalar& s) {
    if (s.kind == Scalar::Kind::Null) return std::nullopt;
    if (s.text.size() != 2 ||
        !std::all_of(s.text.begin(), s.text.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
        give_up();
    }
    return std::string(s.text);
}

std::optional<std::string> one_of(const Scalar& s, std::span<const std::string_view> allowed) {
    if (s.kind == Scalar::Kind::Null) return std::nullopt;
    if (std::find(allowed.begin(), allowed.end(), s.text) == allowed.end()) give_up();
    return std::string(s.text);
}

std::optional<double> non_negative(const Scalar& s) {
    if (s.kind == Scalar::Kind::Null) return std::nullopt;
    if (s.kind != Scalar::Kind::Plain) give_up();
    // Most amounts are whole numbers of a few digits, exact in a double: read without
    // from_chars, which gives the same value.
    if (!s.text.empty() && s.text.size() <= 9 &&
        std::all_of(s.text.begin(), s.text.end(), is_digit)) {
        std::uint32_t whole = 0;
        for (const char c : s.text) whole = whole * 10 + static_cast<std::uint32_t>(c - '0');
        return static_cast<double>(whole);  // at most 999,999,999, within k_max_number
    }
    double value = 0;
    auto [ptr, ec] = std::from_chars(s.text.data(), s.text.data() + s.text.size(), value);
    // Larger than any amount (engine/input_limits.hpp): the YAML reader says so (E4005).
    if (ec != std::errc() || ptr != s.text.data() + s.text.size() || !std::isfinite(value) ||
        value < 0 || value > k_max_number) {
        give_up();
    }
    return value;
}

std::optional<int> level(const Scalar& s) {
    auto value = non_negative(s);
    if (!value) return std::nullopt;
    if (*value != std::floor(*value) || *value < 1 || *value > 8) give_up();
    return static_cast<int>(*value);
}

std::optional<bool> boolean(const Scalar& s) {
    if (s.kind == Scalar::Kind::Null) return std::nullopt;
    if (s.kind == Scalar::Kind::Plain) {
        if (s.text == "true" || s.text == "True" || s.text == "TRUE") return true;
        if (s.text == "false" || s.text == "False" || s.text == "FALSE") return false;
    }
    give_up();
}

std::optional<dsl::Date> date(const Scalar& s) {
    if (s.kind == Scalar::Kind::Null) return std::nullopt;
    auto parsed = dsl::parse_date(s.text);
    if (!parsed) give_up();
    return parsed;
}

std::vector<std::string> text_list(od::value& v) {
    std::vector<std::string> out;
    if (get(v.type()) == od::json_type::null) {
        (void)scalar(v);
        return out;
    }
    for (auto item : get(v.get_array())) {
        od::value value = get(std::move(item));
        const Scalar s = scalar(value);
        if (s.kind == Scalar::Kind::Null) give_up();  // "each item must be text"
        if (out.empty()) out.reserve(4);              // one allocation for a usual list, not three
        out.emplace_back(s.text);
    }
    return out;
}

// One key's value on its way to a field: the simdjson value itself, or, when the key feeds
// several fields or the field takes a constant, the scalar already read.
struct Input {
    od::value* value = nullptr;
    const Scalar* given = nullptr;
    const std::map<std::string, InputMapConstant, std::less<>>* translation = nullptr;

    [[nodiscard]] Scalar read() const {
        Scalar s = given != nullptr ? *given : scalar(*value);
        if (translation != nullptr && s.kind != Scalar::Kind::Null) {
            auto it = translation->find(s.text);
            if (it != translation->end()) {
                s.kind = it->second.plain ? Scalar::Kind::Plain : Scalar::Kind::Text;
                s.text = it->second.text;
            }
        }
        return s;
    }
    // A mapping or a list: only a key's own value, never a copy.
    [[nodiscard]] od::value& container() const {
        if (value == nullptr) give_up();
        return *value;
    }
};

// Which fields of one object were given, to refuse a field given twice.
class Seen {
  public:
    void mark(std::size_t index) {
        const std::uint64_t bit = std::uint64_t{1} << index;
        if ((bits_ & bit) != 0) give_up();
        bits_ |= bit;
    }
    [[nodiscard]] bool has(std::size_t index) const {
        return (bits_ & (std::uint64_t{1} << index)) != 0;
    }

  private:
    std::uint64_t bits_ = 0;
};

template <std::size_t N>
std::size_t index_of(const std::array<std::string_view, N>& names, std::string_view name) {
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == name) return i;
    }
    give_up();  // an unknown field
}

constexpr std::array<std::string_view, 11> k_application = {
    "id",          "date",      "jurisdiction", "learner",    "programme",   "prior_recognized",
    "credentials", "overrides", "$schema",      "learner.id", "learner.name"};
constexpr std::array<std::string_view, 2> k_learner = {"id", "name"};
constexpr std::array<std::string_view, 11> k_programme = {
    "id",    "title",       "kind",      "level",      "total_ects",
    "field", "institution", "regulated", "profession", "provides_for_recognition",
    "mc_cap"};
constexpr std::array<std::string_view, 4> k_cycles = {"short", "first", "second", "third"};
constexpr std::array<std::string_view, 3> k_provider_types = {"hei", "vet", "non_formal"};

const InputMapSection k_no_map;

// An empty list with the capacity a finished application gave back (recycle_credentials).
thread_local std::vector<Credential> spare_credentials;

const std::map<std::string, InputMapConstant, std::less<>>* table(const InputMapTarget& target) {
    return target.translation.empty() ? nullptr : &target.translation;
}

// The position of a credential field's name in credential_fields(), or its size when it is
// not one. Every field of every credential of a cohort is looked up, so the name is found by
// its length and first letter, which tell the field names apart, and then compared whole (a
// hash of each name was 4 % of `mcre simulate`'s instructions).
std::size_t credential_field_index(std::string_view name) {
    constexpr std::size_t longest = 32;
    constexpr std::uint8_t shared = 0xff;  // two names of one length and first letter
    static const std::array<std::uint8_t, longest* 32> slots = [] {
        std::array<std::uint8_t, longest * 32> t{};
        const std::span<const std::string_view> names = credential_fields();
        for (std::size_t i = 0; i < names.size(); ++i) {
            std::uint8_t& slot = t[names[i].size() * 32 + (names[i][0] & 31)];
            slot = slot == 0 ? static_cast<std::uint8_t>(i + 1) : shared;
        }
        return t;
    }();
    const std::span<const std::string_view> names = credential_fields();
    if (name.empty() || name.size() >= longest) return names.size();
    const std::uint8_t slot = slots[name.size() * 32 + (name[0] & 31)];
    if (slot == 0) return names.size();
    if (slot != shared) return names[slot - 1] == name ? slot - 1U : names.size();
    return static_cast<std::size_t>(
        std::distance(names.begin(), std::find(names.begin(), names.end(), name)));
}

class JsonReader {
  public:
    JsonReader(std::string_view text, const InputMap* map) : text_(text), map_(map) {}

    void read(od::document& doc, Application& app) {
        Seen seen;
        object(get(doc.get_object()), section(&InputMap::application),
               [&](std::string_view field, const Input& in) {
                   application_field(field, in, seen, app);
               });
        if (!seen.has(0) || !seen.has(1) || !learner_ || !seen.has(4) || !seen.has(6)) {
            give_up();  // a required field is missing
        }
        if (!learner_id_) give_up();
        app.learner_id = std::move(*learner_id_);
    }

  private:
    const InputMapSection& section(InputMapSection InputMap::*which) const {
        return map_ != nullptr ? map_->*which : k_no_map;
    }

    // Each key of an object handed to `field` under every name the map reads it as, then the
    // map's constants.
    template <typename Field>
    void object(od::object obj, const InputMapSection& map, Field&& field) {
        if (map_ == nullptr) {
            for (auto f : obj) {
                const std::string_view key = get(f.unescaped_key());
                od::value value = get(std::move(f).value());
                field(key, Input{&value, nullptr, nullptr});
            }
            return;
        }
        for (auto f : obj) {
            const std::string_view key = get(f.unescaped_key());
            od::value value = get(std::move(f).value());
            const InputMapRoute* route = map.route(key);
            // A dotted name is the map's own (learner.id), never an export key. Only the
            // application has dotted fields; elsewhere a key the map does not route is read
            // as a field of its own name, and no such field has a dot.
            if ((route != nullptr || &map == &map_->application) &&
                std::find(key.begin(), key.end(), '.') != key.end()) {
                give_up();
            }
            if (route == nullptr) {
                field(key, Input{&value, nullptr, nullptr});
                continue;
            }
            if (route->targets.empty()) {
                validate(value);
                continue;
            }
            if (route->targets.size() == 1) {
                field(route->targets[0].field, Input{&value, nullptr, table(route->targets[0])});
                continue;
            }
            const Scalar s = scalar(value);
            for (const InputMapTarget& target : route->targets) {
                field(target.field, Input{nullptr, &s, table(target)});
            }
        }
        for (const auto& [target, constant] : map.constants) {
            const Scalar s{constant.plain ? Scalar::Kind::Plain : Scalar::Kind::Text,
                           constant.text};
            field(target, Input{nullptr, &s, nullptr});
        }
    }

    void application_field(std::string_view name, const Input& in, Seen& seen, Application& app) {
        const std::size_t index = index_of(k_application, name);
        seen.mark(index);
        switch (index) {
            case 0:
                app.id = required_text(in.read());
                break;
            case 1:
                if (auto d = date(in.read())) {
                    app.date = *d;
                } else {
                    give_up();
                }
                break;
            case 2:
                app.jurisdiction = country(in.read());
                break;
            case 3:
                learner(in.container(), app);
                break;
            case 4:
                programme(in.container(), app.programme);
                break;
            case 5:
                prior(in.container(), app);
                break;
            case 6:
                credentials(in.container(), app);
                break;
            case 7:  // overrides: the YAML reader reads them; null is none
            case 8:  // $schema: read by nobody, but a string
                if (in.read().kind != Scalar::Kind::Null && index == 7) give_up();
                break;
            case 9:
                learner_ = true;
                if (learner_id_seen_) give_up();
                learner_id_seen_ = true;
                learner_id_ = text(in.read());
                break;
            case 10:
                learner_ = true;
                if (learner_name_seen_) give_up();
                learner_name_seen_ = true;
                app.learner_name = text(in.read());
                break;
            default:
                give_up();
        }
    }

    void learner(od::value& v, Application& app) {
        learner_ = true;
        // The map's learner.id and learner.name stand for the learner's own keys.
        object(get(v.get_object()), k_no_map, [&](std::string_view name, const Input& in) {
            const std::size_t index = index_of(k_learner, name);
            bool& seen = index == 0 ? learner_id_seen_ : learner_name_seen_;
            const bool defined =
                map_ != nullptr &&
                std::find(map_->application.defined.begin(), map_->application.defined.end(),
                          index == 0 ? "learner.id" : "learner.name") !=
                    map_->application.defined.end();
            if (defined) {
                validate(in.container());
                return;
            }
            if (seen) give_up();
            seen = true;
            if (index == 0) {
                learner_id_ = text(in.read());
            } else {
                app.learner_name = text(in.read());
            }
        });
    }

    void programme(od::value& v, Programme& p) {
        bool has_id = false;
        Seen seen;
        object(get(v.get_object()), section(&InputMap::programme),
               [&](std::string_view name, const Input& in) {
                   const std::size_t index = index_of(k_programme, name);
                   seen.mark(index);
                   const Scalar s = in.read();
                   switch (index) {
                       case 0:
                           p.id = required_text(s);
                           has_id = true;
                           break;
                       case 1:
                           p.title = text(s);
                           break;
                       case 2:
                           p.kind = one_of(s, rules::programme_kinds());
                           break;
                       case 3:
                           p.level = level(s);
                           break;
                       case 4:
                           p.total_ects = non_negative(s);
                           break;
                       case 5:
                           p.field = code(s);
                           break;
                       case 6:
                           p.institution = text(s);
                           break;
                       case 7:
                           p.regulated = boolean(s).value_or(false);
                           break;
                       case 8:
                           p.profession = text(s);
                           break;
                       case 9:
                           p.provides_for_recognition = boolean(s);
                           break;
                       default:
                           p.mc_cap = non_negative(s);
                   }
               });
        if (!has_id) give_up();
    }

    void prior(od::value& v, Application& app) {
        if (get(v.type()) == od::json_type::null) return;
        const std::span<const std::string_view> kinds = rules::credential_kinds();
        std::vector<std::string_view> seen;
        for (auto f : get(v.get_object())) {
            const std::string_view kind = get(f.unescaped_key());
            od::value value = get(std::move(f).value());
            if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) give_up();
            if (std::find(seen.begin(), seen.end(), kind) != seen.end()) give_up();
            seen.push_back(kind);
            if (auto ects = non_negative(scalar(value)))
                app.prior_recognized[std::string(kind)] = *ects;
        }
    }

    void credentials(od::value& v, Application& app) {
        for (auto item : get(v.get_array())) {
            od::value value = get(std::move(item));
            const int line = line_at(get(value.raw_json_token()).data());
            if (app.credentials.capacity() == 0) {
                // The list the thread's last application gave back (recycle_credentials),
                // else room for four at once: growing one at a time took three allocations
                // of a kilobyte or more, past malloc's per-thread cache.
                app.credentials.swap(spare_credentials);
                if (app.credentials.capacity() == 0) app.credentials.reserve(4);
            }
            credential(value, line, app.credentials.emplace_back());
        }
    }

    // Read in place: a Credential is most of a kilobyte, and moving it was 3 % of reading.
    void credential(od::value& v, int line, Credential& c) {
        c.line = line;
        const std::span<const std::string_view> kinds = rules::credential_kinds();
        bool has_id = false;
        Seen seen;
        object(get(v.get_object()), section(&InputMap::credential),
               [&](std::string_view name, const Input& in) {
                   const std::size_t index = credential_field_index(name);
                   if (index == k_credential_fields.size()) give_up();
                   seen.mark(index);
                   switch (index) {
                       case credential_field("learning_outcomes"):
                           c.learning_outcomes = text_list(in.container());
                           return;
                       case credential_field("outcome_codes"):
                           c.outcome_codes = text_list(in.container());
                           return;
                       case credential_field("elm"):
                           give_up();  // an issued document, which the YAML reader opens
                       default:
                           break;
                   }
                   const Scalar s = in.read();
                   switch (index) {
                       case credential_field("id"):
                           c.id = required_text(s);
                           has_id = true;
                           break;
                       case credential_field("kind"):
                           c.kind = one_of(s, kinds);
                           break;
                       case credential_field("ects"):
                           c.ects = non_negative(s);
                           break;
                       case credential_field("nqf_level"):
                           c.nqf_level = level(s);
                           break;
                       case credential_field("qa"):
                           c.qa = text(s);
                           break;
                       case credential_field("issued"):
                           c.issued = date(s);
                           break;
                       case credential_field("field"):
                           c.field = code(s);
                           break;
                       case credential_field("title"):
                           c.title = text(s);
                           break;
                       case credential_field("learner"):
                           c.learner = text(s);
                           break;
                       case credential_field("issuer_country"):
                           c.issuer_country = country(s);
                           break;
                       case credential_field("awarding_body"):
                           c.awarding_body = text(s);
                           break;
                       case credential_field("hours"):
                           c.hours = non_negative(s);
                           break;
                       case credential_field("eqf_level"):
                           c.eqf_level = level(s);
                           break;
                       case credential_field("cycle"):
                           c.cycle = one_of(s, k_cycles);
                           break;
                       case credential_field("assessment"):
                           c.assessment = text(s);
                           break;
                       case credential_field("participation"):
                           c.participation = text(s);
                           break;
                       case credential_field("expires"):
                           c.expires = date(s);
                           break;
                       case credential_field("revoked"):
                           c.revoked = boolean(s).value_or(false);
                           break;
                       case credential_field("provider_type"):
                           c.provider_type = one_of(s, k_provider_types);
                           break;
                       case credential_field("programme_accredited"):
                           c.programme_accredited = boolean(s);
                           break;
                       case credential_field("institution_accredited"):
                           c.institution_accredited = boolean(s);
                           break;
                       case credential_field("in_registry"):
                           c.in_registry = boolean(s);
                           break;
                       default:
                           give_up();
                   }
               });
        if (!has_id) give_up();
    }

    // yaml-cpp counts lines by '\n' alone; the offset is where the value starts.
    int line_at(const char* at) {
        const auto offset = static_cast<std::size_t>(at - text_.data());
        if (offset > text_.size() || offset < line_offset_) give_up();
        // memchr: a JSON Lines record has no newline, and this runs for every credential.
        const char* from = text_.data() + line_offset_;
        const char* to = text_.data() + offset;
        while (from < to) {
            const auto* newline = static_cast<const char*>(std::memchr(from, '\n', to - from));
            if (newline == nullptr) break;
            ++line_;
            from = newline + 1;
        }
        line_offset_ = offset;
        return line_;
    }

    std::string_view text_;
    const InputMap* map_;
    bool learner_ = false;
    bool learner_id_seen_ = false;
    bool learner_name_seen_ = false;
    std::optional<std::string> learner_id_;
    std::size_t line_offset_ = 0;
    int line_ = 1;
};

}  // namespace

bool read_application_json(std::string_view text, const InputMap* map,
                           std::optional<Application>& out) {
    out.reset();
    // Only a document that is one JSON object is worth trying.
    const std::size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos || text[start] != '{') return false;
    thread_local od::parser parser;
    thread_local std::string padded;
    padded.assign(text);
    padded.resize(text.size() + simdjson::SIMDJSON_PADDING);
    const std::string_view buffer(padded.data(), text.size());
    try {
        od::document doc;
        if (parser.iterate(padded.data(), text.size(), padded.size()).get(doc) !=
            simdjson::SUCCESS) {
            return false;
        }
        JsonReader reader(buffer, map);
        reader.read(doc, out.emplace());
        // Nothing may follow the object.
        const char* end = nullptr;
        if (doc.current_location().get(end) == simdjson::OUT_OF_BOUNDS) return true;
    } catch (const GiveUp&) {
    } catch (const simdjson::simdjson_error&) {
    }
    out.reset();
    return false;
}

}  // namespace mcre::engine::detail

namespace mcre::engine {

void recycle_credentials(Application& application) {
    application.credentials.clear();
    if (application.credentials.capacity() > detail::spare_credentials.capacity()) {
        application.credentials.swap(detail::spare_credentials);
    }
}

}  // namespace mcre::engine
