#include "engine/elm_load.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string_view>
#include <utility>

#include "dsl/date.hpp"

namespace mcre::engine {

namespace {

// ELM names countries by the EU authority table (ISO 3166-1 alpha-3, ".../country/GEO");
// the engine uses alpha-2. The countries of the EHEA.
constexpr std::array<std::pair<std::string_view, std::string_view>, 49> k_countries = {{
    {"ALB", "AL"}, {"AND", "AD"}, {"ARM", "AM"}, {"AUT", "AT"}, {"AZE", "AZ"}, {"BEL", "BE"},
    {"BIH", "BA"}, {"BGR", "BG"}, {"BLR", "BY"}, {"CHE", "CH"}, {"CYP", "CY"}, {"CZE", "CZ"},
    {"DEU", "DE"}, {"DNK", "DK"}, {"ESP", "ES"}, {"EST", "EE"}, {"FIN", "FI"}, {"FRA", "FR"},
    {"GBR", "GB"}, {"GEO", "GE"}, {"GRC", "GR"}, {"HRV", "HR"}, {"HUN", "HU"}, {"IRL", "IE"},
    {"ISL", "IS"}, {"ITA", "IT"}, {"KAZ", "KZ"}, {"LIE", "LI"}, {"LTU", "LT"}, {"LUX", "LU"},
    {"LVA", "LV"}, {"MDA", "MD"}, {"MKD", "MK"}, {"MLT", "MT"}, {"MNE", "ME"}, {"NLD", "NL"},
    {"NOR", "NO"}, {"POL", "PL"}, {"PRT", "PT"}, {"ROU", "RO"}, {"RUS", "RU"}, {"SMR", "SM"},
    {"SRB", "RS"}, {"SVK", "SK"}, {"SVN", "SI"}, {"SWE", "SE"}, {"TUR", "TR"}, {"UKR", "UA"},
    {"VAT", "VA"},
}};

// The ECTS concept of the EU education-credit vocabulary.
constexpr std::string_view k_ects_concept = "http://data.europa.eu/snb/education-credit/6fcec5c5af";

std::string last_segment(std::string_view uri) {
    const auto slash = uri.find_last_of("/#:");
    return std::string(slash == std::string_view::npos ? uri : uri.substr(slash + 1));
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

std::optional<int> small_number(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<double> number(std::string_view text) {
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

class Reader {
  public:
    explicit Reader(const dsl::SourceFile& document) : doc_(document) {}

    ElmReadResult read(const YAML::Node& root) {
        if (!root.IsMap()) {
            problem("E4009", root, "the credential document is not a JSON object",
                    "a Europass or Open Badges credential is one JSON object with \"@context\", "
                    "\"type\" and \"credentialSubject\"");
            return std::move(result_);
        }
        const YAML::Node type = at(root, "type");
        const bool elm = has_type(type, "EuropeanDigitalCredential");
        const bool ob3 =
            has_type(type, "OpenBadgeCredential") || has_type(type, "AchievementCredential");
        if (!elm && !ob3) {
            problem("E4009", type ? type : root,
                    type ? "the credential's \"type\" names neither EuropeanDigitalCredential "
                           "nor OpenBadgeCredential"
                         : "the credential document has no \"type\"",
                    "only Europass (ELM 3) credentials, typed [\"VerifiableCredential\", "
                    "\"EuropeanDigitalCredential\"], and Open Badges 3.0 credentials, typed "
                    "[\"VerifiableCredential\", \"OpenBadgeCredential\"], can be read; write "
                    "other credentials as ordinary entries");
            return std::move(result_);
        }
        result_.format = elm ? "ELM" : "Open Badges 3.0";
        Credential c;
        if (auto id = text(at(root, "id"))) {
            c.id = *id;
            c.source_id = *id;
        } else {
            problem("E4009", root, "the credential has no \"id\"",
                    "an issued credential carries its identifier, e.g. \"id\": \"urn:epass:...\"; "
                    "ask the issuer for the complete document");
        }
        const YAML::Node subject = first(at(root, "credentialSubject"));
        if (!subject || !subject.IsMap()) {
            problem("E4009", subject ? subject : root,
                    "the credential has no \"credentialSubject\" object",
                    "the achievement and the learner are stated in \"credentialSubject\"");
            return std::move(result_);
        }
        if (elm) {
            read_elm(root, subject, c);
        } else {
            read_ob3(root, subject, c);
        }
        list_absent(c);
        if (result_.problems.empty()) result_.credential = std::move(c);
        return std::move(result_);
    }

  private:
    void read_elm(const YAML::Node& root, const YAML::Node& subject, Credential& c) {
        // The learner: the national identifier when stated (what the application names
        // the learner by), otherwise the subject's id.
        if (auto national = text(at(first(at(subject, "nationalID")), "notation"))) {
            c.learner = national;
        } else {
            c.learner = text(at(subject, "id"));
        }
        const YAML::Node claim = first_claim(at(subject, "hasClaim"));
        if (!claim) {
            problem("E4009", subject, "the credential subject has no \"hasClaim\"",
                    "an ELM credential states what was achieved in "
                    "credentialSubject.hasClaim (a LearningAchievement)");
            return;
        }
        const YAML::Node spec = first(at(claim, "specifiedBy"));
        c.title = text(at(claim, "title"));
        if (!c.title && spec) c.title = text(at(spec, "title"));

        const YAML::Node awarded = first(at(claim, "awardedBy"));
        const YAML::Node body = awarded ? first(at(awarded, "awardingBody")) : YAML::Node();
        if (body) {
            c.awarding_body = text(at(body, "legalName"));
            c.issuer_country = country(body);
            if (has(at(body, "accreditation"))) c.institution_accredited = true;
        }
        if (awarded) c.issued = date(at(awarded, "awardingDate"));
        if (!c.issued) c.issued = date(at(root, "issuanceDate"));
        if (!c.issued) c.issued = date(at(root, "validFrom"));
        c.expires = date(at(root, "expirationDate"));
        if (!c.expires) c.expires = date(at(root, "validUntil"));

        if (spec) {
            read_credit(spec, c);
            c.eqf_level = level(at(spec, "eqfLevel"), "eqf");
            c.nqf_level = level(at(spec, "nqfLevel"), "");
            c.learning_outcomes = outcomes(at(spec, "learningOutcome"));
            c.participation = label(at(spec, "mode"));
            if (!c.participation) c.participation = label(at(spec, "learningSetting"));
            c.field = isced(at(spec, "ISCEDFCode"));
            if (!c.field) c.field = isced(at(spec, "thematicArea"));
            if (has(at(spec, "hasAccreditation")) || has(at(spec, "accreditation"))) {
                c.programme_accredited = true;
            }
        }
        if (c.learning_outcomes.empty())
            c.learning_outcomes = outcomes(at(claim, "learningOutcome"));
        c.assessment = assessment(at(claim, "provenBy"));
        if (c.programme_accredited || c.institution_accredited) {
            c.qa = "accredited";
            result_.remarks.push_back(
                "the document states an accreditation, read as qa \"accredited\"; state the "
                "policy's own code in the entry (e.g. qa: accredited_hei) to override");
        }
        if (const YAML::Node profile = first(at(root, "credentialProfiles"))) {
            if (auto name = label(profile)) {
                std::string lower = *name;
                std::transform(lower.begin(), lower.end(), lower.begin(),
                               [](unsigned char ch) { return std::tolower(ch); });
                if (contains(lower, "micro")) c.kind = "micro_credential";
            }
        }
    }

    void read_ob3(const YAML::Node& root, const YAML::Node& subject, Credential& c) {
        c.learner = text(at(subject, "id"));
        const YAML::Node achievement = first(at(subject, "achievement"));
        if (!achievement || !achievement.IsMap()) {
            problem("E4009", subject, "the credential subject has no \"achievement\" object",
                    "an Open Badges 3.0 credential states what was achieved in "
                    "credentialSubject.achievement");
            return;
        }
        c.title = text(at(achievement, "name"));
        if (!c.title) c.title = text(at(root, "name"));
        const YAML::Node creator = first(at(achievement, "creator"));
        const YAML::Node issuer = first(at(root, "issuer"));
        const YAML::Node body = creator ? creator : issuer;
        if (body && body.IsMap()) {
            c.awarding_body = text(at(body, "name"));
            if (const YAML::Node address = first(at(body, "address"))) {
                c.issuer_country = text(at(address, "addressCountryCode"));
            }
        }
        c.issued = date(at(root, "awardedDate"));
        if (!c.issued) c.issued = date(at(root, "validFrom"));
        if (!c.issued) c.issued = date(at(root, "issuanceDate"));
        c.expires = date(at(root, "validUntil"));
        if (!c.expires) c.expires = date(at(root, "expirationDate"));
        if (const YAML::Node credits = at(achievement, "creditsAvailable"); credits) {
            c.ects = amount(credits, "creditsAvailable");
            if (c.ects) {
                result_.remarks.push_back(
                    "creditsAvailable read as ECTS; state ects or hours in the entry if the "
                    "issuer counts in another unit");
            }
        }
        if (auto type = text(at(achievement, "achievementType"));
            type && *type == "MicroCredential") {
            c.kind = "micro_credential";
        }
        if (const YAML::Node criteria = first(at(achievement, "criteria"))) {
            c.assessment = text(at(criteria, "narrative"));
        }
        // Alignments: EQF levels, ISCED-F fields, and skills or competencies, which are the
        // badge's statement of what the holder can do.
        const YAML::Node alignments = at(achievement, "alignment");
        for (std::size_t i = 0; alignments && alignments.IsSequence() && i < alignments.size();
             ++i) {
            const YAML::Node a = alignments[i];
            const std::string url = text(at(a, "targetUrl")).value_or("");
            const std::string framework = text(at(a, "targetFramework")).value_or("");
            if (contains(url, "/snb/eqf/")) {
                c.eqf_level = level_of(at(a, "targetUrl"), url);
            } else if (contains(url, "/snb/isced-f/")) {
                c.field = last_segment(url);
            } else if (auto name = text(at(a, "targetName"));
                       name && (contains(url, "/esco/skill/") || contains(framework, "ESCO") ||
                                contains(text(at(a, "targetType")).value_or(""), "Competency") ||
                                contains(text(at(a, "targetType")).value_or(""), "Skill"))) {
                c.learning_outcomes.push_back(*name);
            }
        }
    }

    void read_credit(const YAML::Node& spec, Credential& c) {
        const YAML::Node credits = at(spec, "creditPoint");
        for (std::size_t i = 0; credits && i < (credits.IsSequence() ? credits.size() : 1); ++i) {
            const YAML::Node credit = credits.IsSequence() ? credits[i] : credits;
            const YAML::Node framework = first(at(credit, "framework"));
            const std::string id = text(at(framework, "id")).value_or("");
            const std::string name = label(framework).value_or("");
            if (id == k_ects_concept || contains(name, "ECTS")) {
                c.ects = amount(at(credit, "point"), "creditPoint.point");
                break;
            }
        }
        if (const YAML::Node volume = at(spec, "volumeOfLearning"); volume) {
            c.hours = hours(volume);
        }
    }

    // "PT150H", "PT90M", "PT1H30M": a notional workload in hours.
    std::optional<double> hours(const YAML::Node& node) {
        const auto value = text(node);
        const char* how =
            "write the volume of learning as an ISO 8601 duration in hours and minutes, "
            "e.g. \"PT150H\"";
        if (!value || value->rfind("PT", 0) != 0 || value->size() < 4) {
            problem(
                "E4009", node,
                fmt::format("volumeOfLearning '{}' is not a duration in hours", value.value_or("")),
                how);
            return std::nullopt;
        }
        double total = 0;
        std::string_view rest = std::string_view(*value).substr(2);
        while (!rest.empty()) {
            const auto unit = rest.find_first_of("HMS");
            const auto amount_of =
                unit == std::string_view::npos ? std::nullopt : number(rest.substr(0, unit));
            if (!amount_of) {
                problem("E4009", node,
                        fmt::format("volumeOfLearning '{}' is not a duration in hours", *value),
                        how);
                return std::nullopt;
            }
            const char u = rest[unit];
            total += u == 'H' ? *amount_of : u == 'M' ? *amount_of / 60 : *amount_of / 3600;
            rest = rest.substr(unit + 1);
        }
        return total;
    }

    std::optional<double> amount(const YAML::Node& node, std::string_view name) {
        const auto value = text(node);
        if (!value) return std::nullopt;
        if (auto parsed = number(*value)) return parsed;
        problem("E4009", node, fmt::format("{} '{}' is not a number of credits", name, *value),
                "write the credit points as a number, e.g. \"6\" or 7.5");
        return std::nullopt;
    }

    // ".../snb/eqf/6" (or a concept whose notation or label ends in the level).
    std::optional<int> level(const YAML::Node& node, std::string_view scheme) {
        const YAML::Node concept_node = first(node);
        if (!concept_node) return std::nullopt;
        const std::string id = text(at(concept_node, "id")).value_or("");
        if (!scheme.empty() && !contains(id, fmt::format("/snb/{}/", scheme))) {
            problem("E4009", concept_node,
                    fmt::format("the {} level '{}' is not a concept of the EU {} vocabulary",
                                scheme, id, scheme),
                    "use a level concept such as \"http://data.europa.eu/snb/eqf/6\"");
            return std::nullopt;
        }
        for (const std::string& candidate :
             {text(at(concept_node, "notation")).value_or(""), last_segment(id),
              last_segment(label(concept_node).value_or(""))}) {
            if (auto n = small_number(candidate); n && *n >= 1 && *n <= 8) return n;
        }
        if (!scheme.empty()) {
            problem("E4009", concept_node, fmt::format("the {} level '{}' is not 1-8", scheme, id),
                    "use a level concept such as \"http://data.europa.eu/snb/eqf/6\"");
        } else {
            result_.remarks.push_back(
                fmt::format("the national level '{}' names no number 1-8; state nqf_level in "
                            "the entry",
                            id));
        }
        return std::nullopt;
    }

    std::optional<int> level_of(const YAML::Node& at, const std::string& url) {
        if (auto n = small_number(last_segment(url)); n && *n >= 1 && *n <= 8) return n;
        problem("E4009", at, fmt::format("the EQF level '{}' is not 1-8", url),
                "align to a level concept such as \"http://data.europa.eu/snb/eqf/6\"");
        return std::nullopt;
    }

    std::optional<std::string> isced(const YAML::Node& node) {
        for (std::size_t i = 0; node && i < (node.IsSequence() ? node.size() : 1); ++i) {
            const YAML::Node item = node.IsSequence() ? node[i] : node;
            const std::string id = text(item.IsMap() ? at(item, "id") : item).value_or("");
            if (contains(id, "/snb/isced-f/")) return last_segment(id);
        }
        return std::nullopt;
    }

    std::vector<std::string> outcomes(const YAML::Node& node) {
        std::vector<std::string> out;
        for (std::size_t i = 0; node && i < (node.IsSequence() ? node.size() : 1); ++i) {
            const YAML::Node item = node.IsSequence() ? node[i] : node;
            if (auto title = text(item.IsMap() ? at(item, "title") : item)) out.push_back(*title);
        }
        return out;
    }

    // "Written exam (grade: 91/100)": each assessment's title and grade.
    std::optional<std::string> assessment(const YAML::Node& node) {
        std::vector<std::string> parts;
        for (std::size_t i = 0; node && i < (node.IsSequence() ? node.size() : 1); ++i) {
            const YAML::Node item = node.IsSequence() ? node[i] : node;
            if (!item.IsMap()) continue;
            std::string part = text(at(item, "title")).value_or("");
            if (part.empty())
                part = label(at(first(at(item, "specifiedBy")), "dcType")).value_or("");
            if (part.empty()) continue;
            if (auto grade = text(at(first(at(item, "grade")), "noteLiteral"))) {
                part += fmt::format(" (grade: {})", *grade);
            }
            parts.push_back(part);
        }
        if (parts.empty()) return std::nullopt;
        return fmt::format("{}", fmt::join(parts, "; "));
    }

    std::optional<std::string> country(const YAML::Node& body) {
        const YAML::Node location = first(at(body, "location"));
        const YAML::Node address = location ? first(at(location, "address")) : YAML::Node();
        const YAML::Node code = address ? first(at(address, "countryCode")) : YAML::Node();
        if (!code) return std::nullopt;
        const std::string id = text(at(code, "id")).value_or("");
        const std::string alpha3 = last_segment(id);
        for (const auto& [three, two] : k_countries) {
            if (three == alpha3) return std::string(two);
        }
        result_.remarks.push_back(fmt::format(
            "the awarding body's country '{}' is not an EHEA country; state issuer_country in "
            "the entry",
            id));
        return std::nullopt;
    }

    // A concept's label: prefLabel in English or the first language.
    std::optional<std::string> label(const YAML::Node& node) {
        const YAML::Node concept_node = first(node);
        if (!concept_node || !concept_node.IsMap()) return std::nullopt;
        return text(at(concept_node, "prefLabel"));
    }

    // Text in any of JSON-LD's shapes: a string, a language map ({"en": ..., "ka": ...},
    // English preferred, else the first language), or a list of either (the first).
    std::optional<std::string> text(const YAML::Node& node) {
        if (!node || node.IsNull()) return std::nullopt;
        if (node.IsScalar()) {
            if (node.Scalar().empty()) return std::nullopt;
            return node.Scalar();
        }
        if (node.IsSequence()) return node.size() == 0 ? std::nullopt : text(node[0]);
        if (node.IsMap()) {
            if (at(node, "en")) return text(at(node, "en"));
            if (at(node, "@value")) return text(at(node, "@value"));
            for (const auto& entry : node) return text(entry.second);
        }
        return std::nullopt;
    }

    std::optional<dsl::Date> date(const YAML::Node& node) {
        const auto value = text(node);
        if (!value) return std::nullopt;
        // "2026-02-20T10:00:00+04:00": the calendar day as written.
        if (auto parsed = dsl::parse_date(std::string_view(*value).substr(0, 10))) return parsed;
        problem("E4009", node, fmt::format("'{}' is not a date", *value),
                "write dates as ISO 8601, e.g. \"2026-02-20\" or \"2026-02-20T10:00:00Z\"");
        return std::nullopt;
    }

    // The value of a key, or an undefined node when `node` is no mapping or lacks the key
    // (yaml-cpp throws when indexing a node that does not exist).
    static YAML::Node at(const YAML::Node& node, const char* key) {
        if (!node || !node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
        YAML::Node value = node[key];
        return value ? value : YAML::Node(YAML::NodeType::Undefined);
    }

    static bool has(const YAML::Node& node) {
        return node && !node.IsNull() && !(node.IsSequence() && node.size() == 0);
    }

    static YAML::Node first(const YAML::Node& node) {
        if (!node || node.IsNull()) return YAML::Node(YAML::NodeType::Undefined);
        if (node.IsSequence()) {
            return node.size() == 0 ? YAML::Node(YAML::NodeType::Undefined) : node[0];
        }
        return node;
    }

    // The learning achievement among the claims (ELM allows several kinds of claim).
    YAML::Node first_claim(const YAML::Node& claims) {
        if (!claims || !claims.IsSequence()) return first(claims);
        for (std::size_t i = 0; i < claims.size(); ++i) {
            if (has_type(at(claims[i], "type"), "LearningAchievement")) return claims[i];
        }
        return first(claims);
    }

    bool has_type(const YAML::Node& type, std::string_view name) {
        if (!type) return false;
        if (type.IsScalar()) return type.Scalar() == name;
        if (!type.IsSequence()) return false;
        for (std::size_t i = 0; i < type.size(); ++i) {
            if (type[i].IsScalar() && type[i].Scalar() == name) return true;
        }
        return false;
    }

    void problem(const char* code, const YAML::Node& at, std::string message, std::string hint) {
        const auto pos = static_cast<std::uint32_t>(std::max(0, at.Mark().pos));
        const auto offset = std::min(pos, static_cast<std::uint32_t>(doc_.text().size()));
        result_.problems.push_back(ElmProblem{code, doc_.line_of(offset), doc_.column_of(offset),
                                              std::move(message), std::move(hint)});
    }

    void list_absent(const Credential& c) {
        auto absent = [this](bool missing, const char* element) {
            if (missing) result_.absent.emplace_back(element);
        };
        absent(!c.learner, "learner");
        absent(!c.title, "title");
        absent(!c.issuer_country, "country of the issuer");
        absent(!c.awarding_body, "awarding body");
        absent(!c.issued, "date of issuing");
        absent(c.learning_outcomes.empty(), "learning outcomes");
        absent(!c.ects && !c.hours, "workload");
        absent(!c.eqf_level && !c.nqf_level && !c.cycle, "level");
        absent(!c.assessment, "type of assessment");
        absent(!c.participation, "form of participation");
        absent(!c.qa, "quality assurance");
    }

    const dsl::SourceFile& doc_;
    ElmReadResult result_;
};

}  // namespace

ElmReadResult read_elm_credential(const dsl::SourceFile& document) {
    Reader reader(document);
    try {
        return reader.read(YAML::Load(document.text()));
    } catch (const YAML::Exception& e) {
        ElmReadResult result;
        const auto pos = static_cast<std::uint32_t>(std::max(0, e.mark.pos));
        const auto offset = std::min(pos, static_cast<std::uint32_t>(document.text().size()));
        result.problems.push_back(
            ElmProblem{"E4008", document.line_of(offset), document.column_of(offset),
                       fmt::format("the credential document is not valid JSON: {}", e.msg),
                       "check the brackets, commas and quotes around this place"});
        return result;
    }
}

}  // namespace mcre::engine
