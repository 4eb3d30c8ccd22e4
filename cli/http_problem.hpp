#pragma once

// Errors as RFC 9457 problem details (application/problem+json).

#include <nlohmann/json.hpp>
#include <string>

namespace mcre::cli {

inline constexpr const char* problem_content_type = "application/problem+json";

struct Problem {
    int status = 500;
    std::string kind;  // the last segment of `type`, also the errors metric label
    std::string title;
    std::string detail;
    std::string pointer;  // JSON Pointer into the request body; empty = none
    bool has_pointer = false;
    nlohmann::ordered_json extra = nlohmann::ordered_json::object();  // more members
};

[[nodiscard]] Problem make_problem(int status, std::string kind, std::string title,
                                   std::string detail);
[[nodiscard]] Problem with_pointer(Problem problem, std::string pointer);

// The problem as a JSON object: type, title, status, detail, pointer, then `extra`.
[[nodiscard]] nlohmann::ordered_json problem_json(const Problem& problem);
[[nodiscard]] std::string problem_body(const Problem& problem);

}  // namespace mcre::cli
