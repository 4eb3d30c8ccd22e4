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

std::string query_text(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    std::string value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
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

namespace {

// A copy of the chain xx_draft -> xx_law -> xx_base (tests/select/data) in a folder of its
// own, so a test can delete the files after logging and prove nothing is read back from disk.
std::string copy_chain(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / "mcre-batch-tests" /
                     (name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    for (const char* file : {"xx-base.policy", "xx-law.policy", "xx-draft.policy"}) {
        std::filesystem::copy_file(
            mcre::test::source_path(std::string("tests/select/data/") + file), dir / file);
    }
    return dir.string();
}

// Two decisions under the policy in `file` (2027-10-01 is in the draft's and the law's
// periods), logged as batch logs them.
std::string make_chain_log(const std::string& name, const std::string& chain_dir,
                           const std::string& file = "xx-draft.policy") {
    const auto dir = std::filesystem::temp_directory_path() / "mcre-batch-tests";
    const std::string path = (dir / (name + "-" + std::to_string(::getpid()) + ".sqlite")).string();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    std::string diagnostics;
    const std::string policy_path = chain_dir + "/" + file;
    auto policy = mcre::engine::PolicySet::load_text(
        policy_path, mcre::test::read_text(policy_path), diagnostics);
    INFO(diagnostics);
    REQUIRE(policy);
    std::string error;
    auto log = mcre::cli::DecisionLog::open(path, error);
    REQUIRE(log);
    mcre::cli::BatchContext context;
    context.policy = &*policy;
    context.log = log.get();
    context.request_id_prefix = "chain";
    for (std::size_t n = 1; n <= 2; ++n) {
        const std::string line =
            R"({"id":"a)" + std::to_string(n) +
            R"(","date":"2027-10-01","jurisdiction":"XX","learner":{"id":"L-1"},)"
            R"("programme":{"id":"P-1","kind":"bachelor","total_ects":240},"credentials":)"
            R"([{"id":"c1","kind":"micro_credential","issued":"2027-06-30","ects":)" +
            std::to_string(40 + 5 * n) + "}]}";
        auto outcome = mcre::cli::decide_line(context, n, line);
        INFO(outcome.json);
        REQUIRE(outcome.ok);
    }
    return path;
}

}  // namespace

TEST_CASE("log verify re-evaluates a policy that extends others from the stored chain") {
    const std::string chain = copy_chain("chain-clean");
    const std::string path = make_chain_log("verify-chain", chain);
    // Whatever happens to the files later, the log holds what decided.
    std::filesystem::remove_all(chain);

    std::string error;
    auto log = mcre::cli::DecisionLog::open(path, error);
    REQUIRE(log);
    auto record = log->find("chain-1", error);
    REQUIRE(record);
    REQUIRE(record->policy_bases.size() == 2);
    CHECK_THAT(record->policy_bases[0].text, Catch::Contains("policy xx_base {"));
    CHECK_THAT(record->policy_bases[1].text, Catch::Contains("policy xx_law extends xx_base"));
    // 45 ECTS passes the draft's 50 but not the law's 40: the draft decided.
    CHECK_THAT(record->decision_json, Catch::Contains("\"id\": \"xx_draft\""));

    std::string out;
    std::string err;
    CHECK(run_log({"verify", "--decision-log", path}, out, err) == 0);
    CHECK(out ==
          "log verify: 2 decisions, 2 same, 0 differ, 0 cannot be re-evaluated, 0 altered\n");
    CHECK(run_log({"show", "chain-2", "--decision-log", path}, out, err) == 0);
    CHECK_THAT(err, Catch::Contains("extends (stored, root first): "));
}

TEST_CASE("log verify finds a changed text anywhere in the stored chain") {
    const std::string chain = copy_chain("chain-tampered");
    const std::string path = make_chain_log("verify-chain-tampered", chain);
    execute(path,
            "UPDATE policy_bases SET source = replace(source, '30 ects', '35 ects') "
            "WHERE position = 0");
    std::string out;
    std::string err;
    CHECK(run_log({"verify", "--decision-log", path, "--id", "chain-1"}, out, err) == 1);
    CHECK_THAT(out, Catch::Contains("chain-1: altered: the stored policy sources (the policy and "
                                    "those it extends) do not match its sha256"));
}

TEST_CASE("a log written before the chain was stored still opens and verifies") {
    // Schema 1 had no policy_bases table: make one by taking it away again. The policy
    // extends nothing, so the log holds all it needs.
    const std::string chain = copy_chain("chain-schema-1");
    const std::string path = make_chain_log("verify-schema-1", chain, "xx-base.policy");
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, "DROP TABLE policy_bases; PRAGMA user_version = 1;", nullptr,
                             nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    std::string out;
    std::string err;
    CHECK(run_log({"verify", "--decision-log", path}, out, err) == 0);
    CHECK(out ==
          "log verify: 2 decisions, 2 same, 0 differ, 0 cannot be re-evaluated, 0 altered\n");

    // Opening it migrated it: the table is back and new records keep their chains.
    CHECK(query_text(path, "PRAGMA user_version") == "2");
    std::string error;
    auto log = mcre::cli::DecisionLog::open(path, error);
    REQUIRE(log);
    auto record = log->find("chain-2", error);
    REQUIRE(record);
    CHECK(record->policy_bases.empty());
}

TEST_CASE("an old log entry for an extending policy says why it cannot be re-evaluated") {
    const std::string chain = copy_chain("chain-old");
    const std::string path = make_chain_log("verify-chain-old", chain);
    execute(path, "DELETE FROM policy_bases WHERE position = 1");
    execute(path, "DELETE FROM policy_bases WHERE position = 0");
    std::string out;
    std::string err;
    CHECK(run_log({"verify", "--decision-log", path, "--id", "chain-1"}, out, err) == 1);
    CHECK_THAT(out, Catch::Contains("chain-1: cannot be re-evaluated: the policy extends another "
                                    "whose text this log does not hold"));
}
