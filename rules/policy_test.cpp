#include "rules/policy_test.hpp"

#include <array>
#include <cctype>

namespace mcre::rules {

namespace {

constexpr std::array<std::string_view, 6> k_status_words = {
    "recognized", "partially_recognized", "not_recognized",
    "referred",   "incomplete",           "not_applicable"};

// The codes of engine/evaluator.cpp, credential_checks.cpp and cap_allocation.cpp.
constexpr std::array<std::string_view, 8> k_engine_codes = {"DUPLICATE",
                                                            "REVOKED",
                                                            "EXPIRED_CREDENTIAL",
                                                            "ISSUED_AFTER_APPLICATION",
                                                            "OTHER_LEARNER",
                                                            "NO_WORKLOAD",
                                                            "OVERLAP",
                                                            "IN_STACK"};

}  // namespace

std::span<const std::string_view> status_words() { return k_status_words; }

std::span<const std::string_view> engine_reason_codes() { return k_engine_codes; }

std::string cap_code(std::string_view cap_name) {
    std::string code = "CAP_";
    for (char ch : cap_name) {
        code += std::isalnum(static_cast<unsigned char>(ch)) != 0
                    ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch)))
                    : '_';
    }
    return code;
}

}  // namespace mcre::rules
