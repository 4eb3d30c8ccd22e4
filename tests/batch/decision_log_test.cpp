#include "cli/decision_log.hpp"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>
#include <vector>

namespace {

using mcre::cli::DecisionLog;
using mcre::cli::DecisionRecord;

std::string fresh_path(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / "mcre-batch-tests";
    std::filesystem::create_directories(dir);
    const auto path = dir / (name + "-" + std::to_string(::getpid()) + ".sqlite");
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(path.string() + suffix);
    }
    return path.string();
}

DecisionRecord sample(const std::string& id) {
    return {id,
            "inputhash",
            "georgia",
            "2026.1-S1",
            "policyhash",
            "policy source text",
            "2026-11-29T04:20:00Z",
            "{\"id\":\"a\"}",
            "{\n  \"x\": 1\n}\n",
            "georgia.policy",
            {}};
}

std::string query_one(const std::string& path, const char* sql) {
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

}  // namespace

TEST_CASE("a recorded decision is found again, field for field") {
    const std::string path = fresh_path("roundtrip");
    std::string error;
    auto log = DecisionLog::open(path, error);
    REQUIRE(log);
    REQUIRE(log->record(sample("r1"), error));
    auto found = log->find("r1", error);
    REQUIRE(found);
    const DecisionRecord expected = sample("r1");
    CHECK(found->request_id == expected.request_id);
    CHECK(found->input_sha256 == expected.input_sha256);
    CHECK(found->policy_id == expected.policy_id);
    CHECK(found->policy_version == expected.policy_version);
    CHECK(found->policy_sha256 == expected.policy_sha256);
    CHECK(found->policy_source == expected.policy_source);
    CHECK(found->decided_at == expected.decided_at);
    CHECK(found->input_text == expected.input_text);
    CHECK(found->decision_json == expected.decision_json);
    CHECK_FALSE(log->find("r2", error));
    CHECK(error.empty());
}

TEST_CASE("the log survives re-opening and keeps insertion order") {
    const std::string path = fresh_path("reopen");
    std::string error;
    {
        auto log = DecisionLog::open(path, error);
        REQUIRE(log);
        for (const char* id : {"b", "a", "c"}) REQUIRE(log->record(sample(id), error));
    }
    auto log = DecisionLog::open(path, error);
    REQUIRE(log);
    const auto records = log->all(error);
    REQUIRE(records.size() == 3);
    CHECK(records[0].request_id == "b");
    CHECK(records[1].request_id == "a");
    CHECK(records[2].request_id == "c");
}

TEST_CASE("the log is in WAL mode and stores each policy source once") {
    const std::string path = fresh_path("wal");
    std::string error;
    auto log = DecisionLog::open(path, error);
    REQUIRE(log);
    REQUIRE(log->record(sample("one"), error));
    REQUIRE(log->record(sample("two"), error));
    CHECK(query_one(path, "PRAGMA journal_mode") == "wal");
    CHECK(query_one(path, "SELECT count(*) FROM policies") == "1");
    CHECK(query_one(path, "SELECT count(*) FROM decisions") == "2");
}

TEST_CASE("a duplicate request id is rejected and the first decision is kept") {
    const std::string path = fresh_path("duplicate");
    std::string error;
    auto log = DecisionLog::open(path, error);
    REQUIRE(log);
    REQUIRE(log->record(sample("same"), error));
    DecisionRecord second = sample("same");
    second.decision_json = "{}\n";
    CHECK_FALSE(log->record(second, error));
    CHECK(error.find("already in the log") != std::string::npos);
    auto found = log->find("same", error);
    REQUIRE(found);
    CHECK(found->decision_json == sample("same").decision_json);
    // The failed transaction was rolled back: the log still takes new records.
    CHECK(log->record(sample("next"), error));
}

TEST_CASE("records from many threads all arrive") {
    const std::string path = fresh_path("threads");
    std::string error;
    auto log = DecisionLog::open(path, error);
    REQUIRE(log);
    std::vector<std::thread> threads;
    std::vector<int> failures(8, 0);
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i) {
                std::string e;
                const std::string id = std::to_string(t) + "-" + std::to_string(i);
                if (!log->record(sample(id), e)) ++failures[static_cast<std::size_t>(t)];
            }
        });
    }
    for (auto& thread : threads) thread.join();
    for (int f : failures) CHECK(f == 0);
    CHECK(log->all(error).size() == 200);
}

TEST_CASE("a writer killed inside its transaction leaves no row behind") {
    const std::string path = fresh_path("killed");
    std::string error;
    {
        auto log = DecisionLog::open(path, error);
        REQUIRE(log);
        REQUIRE(log->record(sample("before"), error));
    }
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // The same statements DecisionLog::record runs, stopped by SIGKILL before COMMIT.
        sqlite3* db = nullptr;
        sqlite3_open(path.c_str(), &db);
        sqlite3_exec(db,
                     "BEGIN IMMEDIATE;"
                     "INSERT INTO policies VALUES ('h2', 'p', 'v', 'src');"
                     "INSERT INTO decisions (request_id, input_sha256, policy_id, "
                     "policy_version, policy_sha256, decided_at, input_text, decision_json) "
                     "VALUES ('half', 'i', 'p', 'v', 'h2', 't', 'in', 'out');",
                     nullptr, nullptr, nullptr);
        ::raise(SIGKILL);
        ::_exit(0);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFSIGNALED(status));

    auto log = DecisionLog::open(path, error);
    REQUIRE(log);
    CHECK_FALSE(log->find("half", error));
    const auto records = log->all(error);
    REQUIRE(records.size() == 1);
    CHECK(records[0].request_id == "before");
    CHECK(query_one(path, "SELECT count(*) FROM policies") == "1");
    // The dead writer's lock is gone with it.
    CHECK(log->record(sample("after"), error));
}

TEST_CASE("a log that cannot be created is an error value") {
    std::string error;
    auto log = DecisionLog::open("/nonexistent-dir/mcre/log.sqlite", error);
    CHECK_FALSE(log);
    CHECK(error.find("/nonexistent-dir/mcre/log.sqlite") != std::string::npos);
}

TEST_CASE("decided_at is UTC with seconds") {
    const std::string now = mcre::cli::utc_now_iso8601();
    REQUIRE(now.size() == 20);
    CHECK(now[4] == '-');
    CHECK(now[10] == 'T');
    CHECK(now[19] == 'Z');
}

TEST_CASE("for_each visits records in logged order and can stop early") {
    const std::string path = fresh_path("for-each");
    std::string error;
    auto log = DecisionLog::open(path, error);
    REQUIRE(log);
    for (const char* id : {"x", "y", "z"}) REQUIRE(log->record(sample(id), error));
    std::vector<std::string> seen;
    CHECK(log->for_each(
        [&](const DecisionRecord& r) {
            seen.push_back(r.request_id);
            return seen.size() < 2;
        },
        error));
    CHECK(seen == std::vector<std::string>{"x", "y"});
}
