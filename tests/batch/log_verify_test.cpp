#include "cli/log_verify.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "cli/batch_line.hpp"
#include "cli/log_command.hpp"
#include "engine/policy_set.hpp"
#include "tests/support/files.hpp"

namespace {

struct Logged {
    std::string path;
};

// A log holding the real decisions for lines 1-3 of good.jsonl, as `mcre batch` writes it.
std::string make_log(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / "mcre-batch-tests";
    std::filesystem::create_directories(dir);
    const std::string path = (dir / (name + "-" + std::to_string(::getpid()) + ".sqlite")).string();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);

    std::string diagnostics;
    const std::string policy_path = mcre::test::source_path("policies/georgia.policy");
    auto policy = mcre::engine::PolicySet::load_text(
        policy_path, mcre::test::read_text(policy_path), diagnostics);
    REQUIRE(policy);
    std::string error;
    auto log = mcre::cli::DecisionLog::open(path, error);
    REQUIRE(log);
    mcre::cli::BatchContext context;
    context.policy = &*policy;
    context.log = log.get();
    context.request_id_prefix = "t";
    std::istringstream lines(
        mcre::test::read_text(mcre::test::source_path("tests/batch/data/good.jsonl")));
    std::string line;
    for (std::size_t n = 1; n <= 3 && std::getline(lines, line); ++n) {
        REQUIRE(mcre::cli::decide_line(context, n, line).ok);
    }
    return path;
}

void execute(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_changes(db) == 1);
    sqlite3_close(db);
}

int run_log(const std::vector<std::string>& args, std::string& out, std::string& err) {
    std::ostringstream o;
    std::ostringstream e;
    const int code = mcre::cli::run_log(args, o, e);
    out = o.str();
    err = e.str();
    return code;
}

}  // namespace

TEST_CASE("log verify reproduces every decision batch logged") {
    const std::string path = make_log("verify-clean");
    std::string out;
    std::string err;
    CHECK(run_log({"verify", "--decision-log", path}, out, err) == 0);
    CHECK(out ==
          "log verify: 3 decisions, 3 same, 0 differ, 0 cannot be re-evaluated, 0 altered\n");
}

TEST_CASE("log verify names a decision whose stored JSON was changed") {
    const std::string path = make_log("verify-tampered");
    execute(path,
            "UPDATE decisions SET decision_json = replace(decision_json, "
            "'\"recognized_ects\": ', '\"recognized_ects\": 1') "
            "WHERE request_id = 't-2'");
    std::string out;
    std::string err;
    CHECK(run_log({"verify", "--decision-log", path}, out, err) == 1);
    CHECK(out.find("t-2: differs: first difference at line") != std::string::npos);
    CHECK(out.find("t-1:") == std::string::npos);
    CHECK(out.find("3 decisions, 2 same, 1 differ") != std::string::npos);
}

TEST_CASE("log verify reports a stored input that no longer matches its hash") {
    const std::string path = make_log("verify-altered");
    execute(path,
            "UPDATE decisions SET input_text = replace(input_text, '\"ects\":5', '\"ects\":4') "
            "WHERE request_id = 't-3'");
    std::string out;
    std::string err;
    CHECK(run_log({"verify", "--decision-log", path, "--id", "t-3"}, out, err) == 1);
    CHECK(out.find("t-3: altered: the stored input does not match its sha256") !=
          std::string::npos);
}

TEST_CASE("log show prints the decision exactly as logged") {
    const std::string path = make_log("show");
    std::string out;
    std::string err;
    REQUIRE(run_log({"show", "t-1", "--decision-log", path}, out, err) == 0);
    std::string error;
    auto log = mcre::cli::DecisionLog::open(path, error);
    REQUIRE(log);
    auto record = log->find("t-1", error);
    REQUIRE(record);
    CHECK(out == record->decision_json);
    CHECK(err.find("request t-1 decided ") == 0);
    CHECK(run_log({"show", "t-9", "--decision-log", path}, out, err) == 1);
    CHECK(err.find("no decision with request id 't-9'") != std::string::npos);
    CHECK(run_log({"show", "t-1", "--decision-log", path + ".missing"}, out, err) == 2);
}
