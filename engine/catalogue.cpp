#include "engine/catalogue.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <string_view>

#include "engine/detail/credential_reader.hpp"
#include "engine/detail/yaml_reader.hpp"

namespace mcre::engine {

namespace {

using detail::Fields;
using detail::YamlReader;

constexpr std::array<std::string_view, 3> k_root_fields = {"catalogue", "offers", "$schema"};
constexpr std::array<std::string_view, 2> k_header_fields = {"id", "title"};
constexpr std::array<std::string_view, 2> k_offer_only_fields = {"provider", "url"};

// An offer's keys: a credential's, and the offer's own.
std::vector<std::string_view> offer_fields() {
    std::span<const std::string_view> credential = detail::credential_fields();
    std::vector<std::string_view> keys(credential.begin(), credential.end());
    keys.insert(keys.end(), k_offer_only_fields.begin(), k_offer_only_fields.end());
    return keys;
}

class CatalogueLoader {
  public:
    CatalogueLoader(const dsl::SourceFile& source, const LoadOptions& options)
        : reader_(source), credentials_(reader_, source, options) {}

    CatalogueLoadResult load(const YAML::Node& root) {
        Catalogue catalogue;
        read_catalogue(root, catalogue);
        CatalogueLoadResult result;
        result.diagnostics = reader_.take_diagnostics();
        for (dsl::Diagnostic& note : credentials_.take_notes()) {
            result.diagnostics.push_back(std::move(note));
        }
        dsl::sort_by_position(result.diagnostics);
        if (!dsl::has_errors(result.diagnostics)) result.catalogue = std::move(catalogue);
        return result;
    }

    YamlReader& reader() { return reader_; }

  private:
    void read_catalogue(const YAML::Node& root, Catalogue& catalogue) {
        if (!root.IsDefined() || root.IsNull()) {
            reader_.error_at("E4003", dsl::SourceSpan{0, 0}, "the document is empty",
                             "a catalogue needs 'catalogue: { id, title }' and a list of 'offers'");
            return;
        }
        Fields f = reader_.fields(root, "the catalogue file", k_root_fields);
        if (!f.valid) return;
        if (const YAML::Node* header = reader_.required(f, "catalogue")) {
            Fields h = reader_.fields(*header, "'catalogue'", k_header_fields);
            if (h.valid) {
                if (reader_.required(h, "id")) catalogue.id = reader_.text(h, "id").value_or("");
                if (reader_.required(h, "title")) {
                    catalogue.title = reader_.text(h, "title").value_or("");
                }
            }
        }
        if (const YAML::Node* offers = reader_.required(f, "offers")) {
            read_offers(*offers, catalogue);
        }
    }

    void read_offers(const YAML::Node& node, Catalogue& catalogue) {
        if (!node.IsSequence()) {
            reader_.error("E4002", node, "'offers' must be a list of offered credentials",
                          "write each offer as a list item starting with '- ', with the fields "
                          "of an application's credential");
            return;
        }
        if (node.size() == 0) {
            reader_.error("E4042", node, "the catalogue offers nothing",
                          "add at least one offer: a credential as an application states it");
            return;
        }
        const std::vector<std::string_view> keys = offer_fields();
        std::map<std::string, YAML::Node> seen;
        int index = 0;
        for (const YAML::Node& item : node) {
            ++index;
            std::string what = fmt::format("offer {}", index);
            if (item.IsMap() && item["id"] && item["id"].IsScalar()) {
                what = fmt::format("offer {}", item["id"].Scalar());
            }
            Fields f = reader_.fields(item, what, keys);
            Offer offer;
            offer.credential = credentials_.read(f, item, what);
            if (!f.valid) continue;
            if (const YAML::Node* learner = f.find("learner")) {
                reader_.error("E4041", *learner, fmt::format("{} names a learner", what),
                              "leave 'learner' out: the planner gives each offer it takes to "
                              "the applicant");
            }
            offer.provider = reader_.text(f, "provider");
            offer.url = reader_.text(f, "url");
            if (offer.url && offer.url->rfind("https://", 0) != 0 &&
                offer.url->rfind("http://", 0) != 0) {
                reader_.error("E4005", *f.find("url"),
                              fmt::format("{}: 'url' must be a web address", what),
                              "write it in full, starting with https://");
            }
            const std::string& id = offer.credential.id;
            if (!id.empty()) {
                auto [earlier, fresh] = seen.emplace(id, f.find("id") ? *f.find("id") : item);
                if (!fresh) {
                    reader_.error("E4040", f.find("id") ? *f.find("id") : item,
                                  fmt::format("offer id '{}' is used twice", id),
                                  fmt::format("give each offer its own id; the first '{}' is on "
                                              "line {}",
                                              id, earlier->second.Mark().line + 1));
                }
            }
            catalogue.offers.push_back(std::move(offer));
        }
    }

    YamlReader reader_;
    detail::CredentialReader credentials_;
};

dsl::SourceSpan mark_span(const YAML::Mark& mark, std::size_t size) {
    auto begin = static_cast<std::uint32_t>(mark.pos < 0 ? 0 : mark.pos);
    begin = std::min(begin, static_cast<std::uint32_t>(size));
    return dsl::SourceSpan{begin, std::min(begin + 1, static_cast<std::uint32_t>(size))};
}

}  // namespace

CatalogueLoadResult load_catalogue(const dsl::SourceFile& source, const LoadOptions& options) {
    CatalogueLoader loader(source, options);
    try {
        YAML::Node root = YAML::Load(source.text());
        return loader.load(root);
    } catch (const YAML::Exception& e) {
        loader.reader().error_at("E4001", mark_span(e.mark, source.text().size()),
                                 fmt::format("the document is not valid YAML or JSON: {}", e.msg));
        CatalogueLoadResult result;
        result.diagnostics = loader.reader().take_diagnostics();
        return result;
    }
}

}  // namespace mcre::engine
