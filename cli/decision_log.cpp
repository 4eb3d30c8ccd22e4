#include "cli/decision_log.hpp"

#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <map>
#include <mutex>
#include <utility>

namespace mcre::cli {

namespace {

// Bumped whenever the tables change, so an old binary refuses a newer log instead of
// misreading it.
// 2 added policy_bases; opening a version 1 log adds the table (its rows stay valid: they
// were all written without it).
constexpr int schema_version = 2;

// The policy text is stored once per hash: a long batch run against one policy would
// otherwise repeat kilobytes of source in every row.
constexpr const char* schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS policies (
    sha256 TEXT PRIMARY KEY NOT NULL,
    policy_id TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT UNIQUE NOT NULL,
    input_sha256 TEXT NOT NULL,
    policy_id TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    policy_sha256 TEXT NOT NULL REFERENCES policies(sha256),
    decided_at TEXT NOT NULL,
    input_text TEXT NOT NULL,
    decision_json TEXT NOT NULL,
    policy_file TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS policy_bases (
    policy_sha256 TEXT NOT NULL REFERENCES policies(sha256),
    position INTEGER NOT NULL,
    file TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (policy_sha256, position)
);
)sql";

constexpr const char* select_sql =
    "SELECT d.request_id, d.input_sha256, d.policy_id, d.policy_version, d.policy_sha256, "
    "p.source, d.decided_at, d.input_text, d.decision_json, d.policy_file "
    "FROM decisions d JOIN policies p ON p.sha256 = d.policy_sha256";

// Finalizes on every exit path, so an early error return never leaks a statement (a
// leaked statement would keep a read transaction open and block WAL checkpoints).
class Statement {
  public:
    Statement(sqlite3* db, const char* sql, std::string& error) {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
            error = sqlite3_errmsg(db);
            stmt_ = nullptr;
        }
    }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement() { sqlite3_finalize(stmt_); }

    [[nodiscard]] explicit operator bool() const { return stmt_ != nullptr; }
    [[nodiscard]] sqlite3_stmt* get() const { return stmt_; }

    void bind(int index, const std::string& text) {
        sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                          SQLITE_TRANSIENT);
    }
    [[nodiscard]] std::string column(int index) const {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
        const int size = sqlite3_column_bytes(stmt_, index);
        return text == nullptr ? std::string() : std::string(text, static_cast<size_t>(size));
    }

  private:
    sqlite3_stmt* stmt_ = nullptr;
};

bool exec(sqlite3* db, const char* sql, std::string& error) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        error = message != nullptr ? message : sqlite3_errmsg(db);
        sqlite3_free(message);
        return false;
    }
    return true;
}

DecisionRecord read_row(const Statement& stmt) {
    DecisionRecord record;
    record.request_id = stmt.column(0);
    record.input_sha256 = stmt.column(1);
    record.policy_id = stmt.column(2);
    record.policy_version = stmt.column(3);
    record.policy_sha256 = stmt.column(4);
    record.policy_source = stmt.column(5);
    record.decided_at = stmt.column(6);
    record.input_text = stmt.column(7);
    record.decision_json = stmt.column(8);
    record.policy_file = stmt.column(9);
    return record;
}

using BasesCache = std::map<std::string, std::vector<LoggedSource>>;

class SqliteDecisionLog final : public DecisionLog {
  public:
    explicit SqliteDecisionLog(sqlite3* db) : db_(db) {}
    SqliteDecisionLog(const SqliteDecisionLog&) = delete;
    SqliteDecisionLog& operator=(const SqliteDecisionLog&) = delete;
    ~SqliteDecisionLog() override { sqlite3_close_v2(db_); }

    bool record(const DecisionRecord& record, std::string& error) override {
        const std::lock_guard lock(mutex_);
        // IMMEDIATE takes the write lock up front, so a second process writing the same
        // log waits (busy_timeout) rather than failing half-way through the transaction.
        if (!exec(db_, "BEGIN IMMEDIATE", error)) return false;
        if (insert(record, error) && exec(db_, "COMMIT", error)) return true;
        std::string ignored;
        (void)exec(db_, "ROLLBACK", ignored);
        return false;
    }

    std::optional<DecisionRecord> find(const std::string& request_id, std::string& error) override {
        const std::lock_guard lock(mutex_);
        const std::string sql = std::string(select_sql) + " WHERE d.request_id = ?1";
        Statement stmt(db_, sql.c_str(), error);
        if (!stmt) return std::nullopt;
        stmt.bind(1, request_id);
        const int rc = sqlite3_step(stmt.get());
        if (rc == SQLITE_ROW) {
            BasesCache cache;
            return with_bases(read_row(stmt), cache, error);
        }
        if (rc != SQLITE_DONE) error = sqlite3_errmsg(db_);
        return std::nullopt;
    }

    bool for_each(const std::function<bool(const DecisionRecord&)>& visit,
                  std::string& error) override {
        const std::lock_guard lock(mutex_);
        const std::string sql = std::string(select_sql) + " ORDER BY d.seq";
        Statement stmt(db_, sql.c_str(), error);
        if (!stmt) return false;
        BasesCache cache;
        int rc = SQLITE_ROW;
        while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
            auto record = with_bases(read_row(stmt), cache, error);
            if (!record) return false;
            if (!visit(*record)) return true;
        }
        if (rc == SQLITE_DONE) return true;
        error = sqlite3_errmsg(db_);
        return false;
    }

    std::vector<DecisionRecord> all(std::string& error) override {
        const std::lock_guard lock(mutex_);
        std::vector<DecisionRecord> records;
        const std::string sql = std::string(select_sql) + " ORDER BY d.seq";
        Statement stmt(db_, sql.c_str(), error);
        if (!stmt) return records;
        BasesCache cache;
        int rc = SQLITE_ROW;
        while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
            auto record = with_bases(read_row(stmt), cache, error);
            if (!record) return records;
            records.push_back(std::move(*record));
        }
        if (rc != SQLITE_DONE) error = sqlite3_errmsg(db_);
        return records;
    }

  private:
    // The record with the chain its policy extends; each chain is read once per call.
    std::optional<DecisionRecord> with_bases(DecisionRecord record, BasesCache& cache,
                                             std::string& error) {
        auto [entry, added] = cache.try_emplace(record.policy_sha256);
        if (added) {
            Statement stmt(db_,
                           "SELECT file, source FROM policy_bases WHERE policy_sha256 = ?1 "
                           "ORDER BY position",
                           error);
            if (!stmt) return std::nullopt;
            stmt.bind(1, record.policy_sha256);
            int rc = SQLITE_ROW;
            while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
                entry->second.push_back({stmt.column(0), stmt.column(1)});
            }
            if (rc != SQLITE_DONE) {
                error = sqlite3_errmsg(db_);
                return std::nullopt;
            }
        }
        record.policy_bases = entry->second;
        return record;
    }

    bool insert(const DecisionRecord& record, std::string& error) {
        Statement policy(db_,
                         "INSERT OR IGNORE INTO policies (sha256, policy_id, policy_version, "
                         "source) VALUES (?1, ?2, ?3, ?4)",
                         error);
        if (!policy) return false;
        policy.bind(1, record.policy_sha256);
        policy.bind(2, record.policy_id);
        policy.bind(3, record.policy_version);
        policy.bind(4, record.policy_source);
        if (sqlite3_step(policy.get()) != SQLITE_DONE) {
            error = sqlite3_errmsg(db_);
            return false;
        }
        for (std::size_t i = 0; i < record.policy_bases.size(); ++i) {
            Statement base(db_,
                           "INSERT OR IGNORE INTO policy_bases (policy_sha256, position, file, "
                           "source) VALUES (?1, ?2, ?3, ?4)",
                           error);
            if (!base) return false;
            base.bind(1, record.policy_sha256);
            sqlite3_bind_int64(base.get(), 2, static_cast<sqlite3_int64>(i));
            base.bind(3, record.policy_bases[i].file);
            base.bind(4, record.policy_bases[i].text);
            if (sqlite3_step(base.get()) != SQLITE_DONE) {
                error = sqlite3_errmsg(db_);
                return false;
            }
        }

        Statement decision(
            db_,
            "INSERT INTO decisions (request_id, input_sha256, policy_id, "
            "policy_version, policy_sha256, decided_at, input_text, "
            "decision_json, policy_file) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            error);
        if (!decision) return false;
        decision.bind(1, record.request_id);
        decision.bind(2, record.input_sha256);
        decision.bind(3, record.policy_id);
        decision.bind(4, record.policy_version);
        decision.bind(5, record.policy_sha256);
        decision.bind(6, record.decided_at);
        decision.bind(7, record.input_text);
        decision.bind(8, record.decision_json);
        decision.bind(9, record.policy_file);
        if (sqlite3_step(decision.get()) != SQLITE_DONE) {
            const int code = sqlite3_extended_errcode(db_);
            error = code == SQLITE_CONSTRAINT_UNIQUE
                        ? "request id '" + record.request_id + "' is already in the log"
                        : std::string(sqlite3_errmsg(db_));
            return false;
        }
        return true;
    }

    sqlite3* db_;
    // One connection shared by all threads; SQLite's serialized mode would guard each
    // call but not a BEGIN ... COMMIT spanning several, so the log serializes itself.
    std::mutex mutex_;
};

bool configure(sqlite3* db, std::string& error) {
    if (sqlite3_busy_timeout(db, 5000) != SQLITE_OK) {
        error = sqlite3_errmsg(db);
        return false;
    }
    // WAL keeps readers (log show/verify) from blocking a running service; FULL syncs the
    // WAL on every commit, so a committed decision survives a power loss, not just a kill.
    {
        Statement wal(db, "PRAGMA journal_mode=WAL", error);
        if (!wal) return false;
        if (sqlite3_step(wal.get()) != SQLITE_ROW || wal.column(0) != "wal") {
            error = "cannot switch the log to WAL mode (journal_mode is '" + wal.column(0) + "')";
            return false;
        }
    }
    if (!exec(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", error)) return false;

    int version = 0;
    {
        Statement stmt(db, "PRAGMA user_version", error);
        if (!stmt) return false;
        if (sqlite3_step(stmt.get()) == SQLITE_ROW) version = sqlite3_column_int(stmt.get(), 0);
    }
    if (version > schema_version) {
        error = "the log was written by a newer mcre (schema " + std::to_string(version) +
                ", this build knows " + std::to_string(schema_version) + ")";
        return false;
    }
    if (version == schema_version) return true;
    const std::string create = std::string("BEGIN IMMEDIATE;") + schema_sql +
                               "PRAGMA user_version=" + std::to_string(schema_version) +
                               "; COMMIT;";
    if (!exec(db, create.c_str(), error)) {
        std::string ignored;
        (void)exec(db, "ROLLBACK", ignored);
        return false;
    }
    return true;
}

}  // namespace

bool DecisionLog::for_each(const std::function<bool(const DecisionRecord&)>& visit,
                           std::string& error) {
    error.clear();
    const std::vector<DecisionRecord> records = all(error);
    if (!error.empty()) return false;
    for (const DecisionRecord& record : records) {
        if (!visit(record)) break;
    }
    return true;
}

std::unique_ptr<DecisionLog> DecisionLog::open(const std::string& path, std::string& error) {
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        error = "cannot open decision log '" + path +
                "': " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close_v2(db);
        return nullptr;
    }
    if (!configure(db, error)) {
        error = "cannot use decision log '" + path + "': " + error;
        sqlite3_close_v2(db);
        return nullptr;
    }
    return std::make_unique<SqliteDecisionLog>(db);
}

std::string utc_now_iso8601() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

}  // namespace mcre::cli
