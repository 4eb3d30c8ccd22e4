#include <catch2/catch.hpp>
#include <string>

#include "rules/checker.hpp"

namespace mcre::rules {
namespace {

const std::string header =
    "policy p {\n  title \"t\"\n  jurisdiction GE\n  version \"1\"\n  in force from 2026-09-01\n";

CheckResult check_body(const std::string& body) {
    return load_policy(dsl::SourceFile("p.policy", header + body + "}\n"));
}

std::vector<std::string> error_codes(const CheckResult& r) {
    std::vector<std::string> codes;
    for (const auto& d : r.diagnostics) {
        if (d.severity == dsl::Severity::Error) codes.push_back(d.code);
    }
    return codes;
}

const std::string inner =
    "stack inner { title \"Inner\" component a when credential.title == \"A\" cite \"c\" }\n";

TEST_CASE("a stack is checked into components, groups and what it yields", "[rules][stack]") {
    auto r = check_body(
        "stack outer {\n title \"Outer certificate\"\n component part is stack inner\n"
        " component b when credential.title == \"B\"\n component c when credential.field in "
        "{\"0613\"}\n require all of part\n require 1 of b, c\n require each credential.level >= "
        "6\n require total at least 10 ects\n require within 3 years\n yields 12 ects at level 7 "
        "kind micro_credential field \"061\"\n components count alone\n cite \"Order 4\"\n}\n" +
        inner);
    REQUIRE(error_codes(r).empty());
    const Policy& p = *r.policy;
    REQUIRE(p.stacks.size() == 2);
    // The inner stack comes first, so it is formed before the stack that uses it.
    CHECK(p.stacks[0].name == "inner");
    CHECK(p.stacks[0].depth == 1);
    const Stack& s = p.stacks[1];
    CHECK(s.name == "outer");
    CHECK(s.depth == 2);
    CHECK(s.title == "Outer certificate");
    REQUIRE(s.components.size() == 3);
    CHECK(s.components[0].stack == "inner");
    CHECK(s.components[1].when.has_value());
    REQUIRE(s.groups.size() == 2);
    CHECK(s.groups[0].need == 1);
    CHECK(s.groups[0].all);
    CHECK(s.groups[1].need == 1);
    CHECK(s.groups[1].members == std::vector<std::string>{"b", "c"});
    CHECK(s.each.size() == 1);
    CHECK(s.min_total_ects == 10);
    REQUIRE(s.within.has_value());
    CHECK(s.within->type == Type::Years);
    CHECK(s.within->number == 3);
    CHECK(s.yields_ects == 12);
    CHECK(s.yields_level == 7);
    CHECK(s.yields_field == "061");
    CHECK(s.count_alone);
    CHECK(s.cite == "Order 4");
}

TEST_CASE("a stack without require lists needs every component", "[rules][stack]") {
    auto r = check_body(
        "stack s { title \"S\" component a when credential.title == \"A\" component b when "
        "credential.title == \"B\" cite \"c\" }\n");
    REQUIRE(error_codes(r).empty());
    const Stack& s = r.policy->stacks.at(0);
    REQUIRE(s.groups.size() == 1);
    CHECK(s.groups[0].need == 2);
    CHECK(s.yields_kind == "micro_credential");
    CHECK_FALSE(s.yields_ects.has_value());
}

struct Case {
    const char* body;
    const char* code;
};

TEST_CASE("stack and pathway mistakes each have their own code", "[rules][stack]") {
    auto c = GENERATE(values<Case>({
        {"stack s { component a when credential.title == \"A\" cite \"c\" }\n", "E2401"},
        {"stack s { title \"S\" cite \"c\" }\n", "E2402"},
        {"stack s { title \"S\" component a when credential.title == \"A\" component a when "
         "credential.title == \"B\" cite \"c\" }\n",
         "E2403"},
        {"stack s { title \"S\" component a is stack nowhere cite \"c\" }\n", "E2404"},
        {"stack s { title \"S\" component a is stack s cite \"c\" }\n", "E2405"},
        {"stack s { title \"S\" component a is stack t cite \"c\" }\nstack t { title \"T\" "
         "component b is stack s cite \"c\" }\n",
         "E2405"},
        {"stack s { title \"S\" component a when credential.title == \"A\" require all of b cite "
         "\"c\" }\n",
         "E2407"},
        {"stack s { title \"S\" component a when credential.title == \"A\" require 2 of a cite "
         "\"c\" }\n",
         "E2408"},
        {"stack s { title \"S\" component a when credential.title == \"A\" require all of a "
         "require 1 of a cite \"c\" }\n",
         "E2409"},
        {"stack s { title \"S\" component a when credential.title == \"A\" require total at least "
         "3 years cite \"c\" }\n",
         "E2410"},
        {"stack s { title \"S\" component a when credential.title == \"A\" require within 3 ects "
         "cite \"c\" }\n",
         "E2410"},
        {"stack s { title \"S\" component a when credential.title == \"A\" yields at level 9 cite "
         "\"c\" }\n",
         "E2411"},
        {"stack s { title \"S\" component a when credential.title == \"A\" yields kind degree cite "
         "\"c\" }\n",
         "E2412"},
        {"stack s { title \"S\" component a when credential.title == \"A\" yields field \"x1\" "
         "cite \"c\" }\n",
         "E2413"},
        {"stack s { title \"S\" component a when credential.wrkload > 1 ects cite \"c\" }\n",
         "E2103"},
        {"stack s { title \"S\" component a when credential.title == \"A\" cite \" \" }\n",
         "E2111"},
        {"stack s { title \"S\" component a when credential.title == \"A\" cite \"c\" }\nstack s "
         "{ title \"T\" component a when credential.title == \"A\" cite \"c\" }\n",
         "E2101"},
        {"pathway p { unit \"U\" \"U\" 5 ects when credential.ects > 1 ects cite \"c\" }\n",
         "E2401"},
        {"pathway p { title \"P\" cite \"c\" }\n", "E2402"},
        {"pathway p { title \"P\" unit \"U\" \"U\" 5 ects when true unit \"U\" \"V\" 5 ects when "
         "true cite \"c\" }\n",
         "E2403"},
        {"pathway p { title \"P\" unit \"U\" \"U\" 0 ects when true cite \"c\" }\n", "E2414"},
        {"pathway p { title \"P\" unit \"U\" \"U\" 5 hours when true cite \"c\" }\n", "E2410"},
        {"pathway p { title \"P\" applies when credential.ects > 1 ects unit \"U\" \"U\" 5 ects "
         "when true cite \"c\" }\n",
         "E2415"},
    }));
    CAPTURE(c.body);
    auto r = check_body(c.body);
    CHECK_FALSE(r.policy.has_value());
    auto codes = error_codes(r);
    CHECK(std::find(codes.begin(), codes.end(), std::string(c.code)) != codes.end());
}

TEST_CASE("stacks nest at most four deep", "[rules][stack]") {
    std::string body =
        "stack s1 { title \"1\" component a when credential.title == \"A\" cite \"c\" }\n";
    for (int i = 2; i <= 5; ++i) {
        body += "stack s" + std::to_string(i) + " { title \"" + std::to_string(i) +
                "\" component a is stack s" + std::to_string(i - 1) + " cite \"c\" }\n";
    }
    auto r = check_body(body);
    auto codes = error_codes(r);
    REQUIRE(codes.size() == 1);
    CHECK(codes[0] == "E2406");
}

TEST_CASE("a pathway is checked into units with their credit", "[rules][stack]") {
    auto r = check_body(
        "pathway p {\n title \"BSc\"\n applies when programme.id == \"X\"\n unit \"CS101\" "
        "\"Programming\" 5 ects when credential.title == \"Python\"\n unit \"CS102\" \"Data\" 6 "
        "ects when credential.field in {\"0613\"}\n cite \"Table 1\"\n}\n");
    REQUIRE(error_codes(r).empty());
    const Pathway& p = r.policy->pathways.at(0);
    CHECK(p.title == "BSc");
    CHECK(p.applies.has_value());
    REQUIRE(p.units.size() == 2);
    CHECK(p.units[0].code == "CS101");
    CHECK(p.units[0].title == "Programming");
    CHECK(p.units[0].ects == 5);
    CHECK(p.units[1].ects == 6);
    CHECK(p.cite == "Table 1");
}

TEST_CASE("a policy inherits its parent's stacks and may build on them", "[rules][stack]") {
    PolicyFinder find = [](const std::string& id) -> std::optional<dsl::SourceFile> {
        if (id == "p") return dsl::SourceFile("p.policy", header + inner + "}\n");
        return std::nullopt;
    };
    auto child = load_policy(
        dsl::SourceFile("c.policy",
                        "policy c extends p {\n title \"c\"\n version \"2\"\n in force from "
                        "2026-09-01\n stack outer { title \"O\" component i is stack inner cite "
                        "\"c\" }\n}\n"),
        find);
    REQUIRE(error_codes(child).empty());
    REQUIRE(child.policy->stacks.size() == 2);
    CHECK(child.policy->stacks[0].origin == "p");
    CHECK(child.policy->stacks[1].depth == 2);
}

}  // namespace
}  // namespace mcre::rules
