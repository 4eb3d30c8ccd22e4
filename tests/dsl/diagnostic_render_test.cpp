#include "dsl/diagnostic_render.hpp"

#include <catch2/catch.hpp>

namespace mcre::dsl {
namespace {

TEST_CASE("a diagnostic shows file:line:col, the line, a caret with tildes, hint and note",
          "[dsl]") {
    SourceFile f("g.policy", "policy g {\n  require credential.hours <= mc_max_ects\n}\n");
    Diagnostic d;
    d.code = "E2201";
    d.span = {21, 37};
    d.extra_ranges.push_back({41, 52});
    d.message = "cannot compare hours with ECTS";
    d.hint = "convert with ects(credential.hours)";
    d.notes.push_back({"declared here", {0, 6}, true});
    std::string text = render(d, f);
    CHECK(text ==
          "g.policy:2:11: error: cannot compare hours with ECTS [E2201]\n"
          "    2 |   require credential.hours <= mc_max_ects\n"
          "      |           ^~~~~~~~~~~~~~~~    ~~~~~~~~~~~\n"
          "      = hint: convert with ects(credential.hours)\n"
          "g.policy:1:1: note: declared here\n"
          "    1 | policy g {\n"
          "      | ^~~~~~\n");
}

TEST_CASE("the summary counts errors and warnings", "[dsl]") {
    SourceFile f("g.policy", "x\n");
    Diagnostic e{"E1", Severity::Error, {0, 1}, "bad", {}, {}, {}};
    Diagnostic w{"W1", Severity::Warning, {0, 1}, "odd", {}, {}, {}};
    std::string text = render_all({e, e, w}, f);
    CHECK(text.find("2 errors and 1 warning generated.\n") != std::string::npos);
    CHECK(render_all({}, f).empty());
}

}  // namespace
}  // namespace mcre::dsl
