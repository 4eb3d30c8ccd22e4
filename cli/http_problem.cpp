#include "cli/http_problem.hpp"

#include <utility>

namespace mcre::cli {

namespace {

// Documented in docs/integration-guide.md; a stable URI per kind lets clients branch on it.
constexpr const char* type_base = "https://mcre.example/problems/";

}  // namespace

Problem make_problem(int status, std::string kind, std::string title, std::string detail) {
    Problem p;
    p.status = status;
    p.kind = std::move(kind);
    p.title = std::move(title);
    p.detail = std::move(detail);
    return p;
}

Problem with_pointer(Problem problem, std::string pointer) {
    problem.pointer = std::move(pointer);
    problem.has_pointer = true;
    return problem;
}

nlohmann::ordered_json problem_json(const Problem& problem) {
    nlohmann::ordered_json j;
    j["type"] = std::string(type_base) + problem.kind;
    j["title"] = problem.title;
    j["status"] = problem.status;
    j["detail"] = problem.detail;
    if (problem.has_pointer) j["pointer"] = problem.pointer;
    for (const auto& [key, value] : problem.extra.items()) j[key] = value;
    return j;
}

std::string problem_body(const Problem& problem) {
    // A detail may quote the client's bytes, which need not be UTF-8.
    return problem_json(problem).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
           "\n";
}

}  // namespace mcre::cli
