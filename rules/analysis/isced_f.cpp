#include "rules/analysis/isced_f.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace mcre::rules::analysis {

namespace {

// The detailed fields of ISCED-F 2013, from the UIS publication's list of codes; broad and
// narrow fields are their prefixes. xx88 are the inter-disciplinary detailed fields.
constexpr auto detailed_fields = std::to_array<std::string_view>(
    {// 00 Generic programmes and qualifications
     "0011", "0021", "0031",
     // 01 Education
     "0111", "0112", "0113", "0114", "0188",
     // 02 Arts and humanities
     "0211", "0212", "0213", "0214", "0215", "0221", "0222", "0223", "0231", "0232", "0288",
     // 03 Social sciences, journalism and information
     "0311", "0312", "0313", "0314", "0321", "0322", "0388",
     // 04 Business, administration and law
     "0411", "0412", "0413", "0414", "0415", "0416", "0417", "0421", "0488",
     // 05 Natural sciences, mathematics and statistics
     "0511", "0512", "0521", "0522", "0531", "0532", "0533", "0541", "0542", "0588",
     // 06 Information and Communication Technologies
     "0611", "0612", "0613", "0688",
     // 07 Engineering, manufacturing and construction
     "0711", "0712", "0713", "0714", "0715", "0716", "0721", "0722", "0723", "0724", "0731", "0732",
     "0788",
     // 08 Agriculture, forestry, fisheries and veterinary
     "0811", "0812", "0821", "0831", "0841", "0888",
     // 09 Health and welfare
     "0911", "0912", "0913", "0914", "0915", "0916", "0917", "0921", "0922", "0923", "0988",
     // 10 Services
     "1011", "1012", "1013", "1014", "1015", "1021", "1022", "1031", "1032", "1041", "1088",
     // 99 Field unknown
     "9999"});

bool is_prefix_of_a_field(std::string_view code) {
    return std::any_of(detailed_fields.begin(), detailed_fields.end(),
                       [&](std::string_view f) { return f.substr(0, code.size()) == code; });
}

}  // namespace

bool is_isced_f_code(std::string_view code) {
    if (code.size() < 2 || code.size() > 4) return false;
    if (!std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
    }
    if (is_prefix_of_a_field(code)) return true;
    // "Not further defined": a broad field's xx0 and xx00, a narrow field's xxx0.
    std::string_view parent = code.substr(0, code.size() - 1);
    char last = code.back();
    if (last == '0' && code.size() >= 3) {
        std::string_view stem =
            code.size() == 4 && parent.back() == '0' ? code.substr(0, 2) : parent;
        if (stem.size() >= 2 && is_prefix_of_a_field(stem)) return true;
    }
    // "Not elsewhere classified": a narrow field's xxx9.
    if (last == '9' && code.size() == 4 && is_prefix_of_a_field(parent)) return true;
    return false;
}

}  // namespace mcre::rules::analysis
