// The lean record of `mcre batch --format summary`: valid JSON whatever the ids hold, numbers
// written as the full decision writes them.

#include "cli/batch_summary.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace {

using mcre::engine::CredentialDecision;
using mcre::engine::Decision;
using mcre::engine::Status;
using Json = nlohmann::json;

CredentialDecision credential(std::string id, Status status, std::string code, double ects) {
    CredentialDecision c;
    c.id = std::move(id);
    c.status = status;
    c.primary_code = std::move(code);
    c.recognized_ects = ects;
    return c;
}

}  // namespace

TEST_CASE("summary record: ids with quotes, backslashes and control characters stay JSON",
          "[batch][summary]") {
    Decision d;
    d.application_id = "A \"1\" \\ tab\there\nnew line \x01 \x1f end ქართ";
    d.total_recognized = 12.5;
    d.credentials.push_back(credential("c\"1", Status::Recognized, "", 6));
    d.credentials.push_back(credential("", Status::PartiallyRecognized, "CAP_MC", 6.5));
    d.credentials.push_back(credential("plain", Status::NotRecognized, "QA\\X", 0));
    const std::string record =
        mcre::cli::summary_record(123456789, std::string("req-\"7\""), d, {"w\n1", "w2"});
    INFO(record);
    CHECK(record.find('\n') == std::string::npos);
    const Json j = Json::parse(record);
    CHECK(j["line"] == 123456789);
    CHECK(j["ok"] == true);
    CHECK(j["request_id"] == "req-\"7\"");
    CHECK(j["id"] == d.application_id);
    CHECK(j["recognized_ects"] == 12.5);
    REQUIRE(j["credentials"].size() == 3);
    CHECK(j["credentials"][0]["id"] == "c\"1");
    CHECK(j["credentials"][0]["status"] == "recognized");
    CHECK(j["credentials"][0]["reason_code"].is_null());
    CHECK(j["credentials"][1]["id"] == "");
    CHECK(j["credentials"][1]["reason_code"] == "CAP_MC");
    CHECK(j["credentials"][1]["recognized_ects"] == 6.5);
    CHECK(j["credentials"][2]["reason_code"] == "QA\\X");
    CHECK(j["warnings"] == Json::array({"w\n1", "w2"}));
    // Control characters as \uXXXX, the others as their short escapes.
    CHECK(record.find("\\u0001") != std::string::npos);
    CHECK(record.find("\\u001f") != std::string::npos);
    CHECK(record.find("tab\\there\\nnew") != std::string::npos);
}

TEST_CASE("summary record: texts that all escape, and numbers at their longest, fit",
          "[batch][summary]") {
    Decision d;
    d.application_id = std::string(3000, '\x01');
    d.total_recognized = -1.2345671e-300;  // rounds to 0
    d.credentials.push_back(credential(std::string(500, '"'), Status::PartiallyRecognized,
                                       std::string(700, '\\'), 123456.123456789));
    d.credentials.push_back(credential("x", Status::NotApplicable, "", 8.9e15));
    const std::string record = mcre::cli::summary_record(
        18'446'744'073'709'551'615ULL, std::string(200, '\x1f'), d, {std::string(90, '\n')});
    const Json j = Json::parse(record);
    CHECK(j["id"] == d.application_id);
    CHECK(j["request_id"] == std::string(200, '\x1f'));
    CHECK(j["credentials"][0]["id"] == std::string(500, '"'));
    CHECK(j["credentials"][0]["reason_code"] == std::string(700, '\\'));
    CHECK(j["credentials"][0]["recognized_ects"] == Approx(123456.123457));
    CHECK(j["credentials"][1]["recognized_ects"] == 8.9e15);
    CHECK(j["warnings"][0] == std::string(90, '\n'));
    CHECK(record.find("\"recognized_ects\":0,") != std::string::npos);
}

TEST_CASE("summary record: whole numbers without a decimal point, others to six decimals",
          "[batch][summary]") {
    Decision d;
    d.application_id = "A";
    d.credentials.push_back(credential("a", Status::Recognized, "", 5));
    d.credentials.push_back(credential("b", Status::Recognized, "", 1.0 / 3.0));
    d.credentials.push_back(credential("c", Status::Recognized, "", 2.9999999));
    d.credentials.push_back(credential("d", Status::Recognized, "", -0.0));
    d.total_recognized = 180;
    const std::string record = mcre::cli::summary_record(1, std::nullopt, d, {});
    INFO(record);
    CHECK(record.find("\"request_id\"") == std::string::npos);
    CHECK(record.find("\"warnings\"") == std::string::npos);
    CHECK(record.find("\"id\":\"A\",\"recognized_ects\":180,") != std::string::npos);
    CHECK(record.find("\"id\":\"a\",\"status\":\"recognized\",\"reason_code\":null,"
                      "\"recognized_ects\":5}") != std::string::npos);
    CHECK(record.find("\"recognized_ects\":0.333333}") != std::string::npos);
    CHECK(record.find("\"recognized_ects\":3}") != std::string::npos);
    CHECK(record.find("\"recognized_ects\":0}") != std::string::npos);
}
