// SQLite backend: WAL journal (readers never block the writer), a busy timeout (concurrent CI jobs
// wait their turn), BEGIN IMMEDIATE for writes.
#include <sqlite3.h>

#include <filesystem>

#include <fmt/format.h>

#include "history/sql.hpp"
#include "isobench/error.hpp"

namespace isobench::history {

namespace {

class sqlite_connection final : public sql_connection {
public:
  explicit sqlite_connection(std::string path) : m_path(std::move(path)) {
    if (sqlite3_open_v2(m_path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
      const std::string why = m_db ? sqlite3_errmsg(m_db) : "out of memory";
      sqlite3_close(m_db);
      throw io_error(fmt::format("{}: cannot open the history database: {}", m_path, why));
    }
    sqlite3_busy_timeout(m_db, 120000);
    query("PRAGMA journal_mode=WAL");
    query("PRAGMA synchronous=NORMAL");
    query("PRAGMA foreign_keys=ON");
  }
  ~sqlite_connection() override { sqlite3_close(m_db); }
  sqlite_connection(const sqlite_connection&) = delete;
  sqlite_connection& operator=(const sqlite_connection&) = delete;

  [[nodiscard]] sql_dialect dialect() const noexcept override { return sql_dialect::sqlite; }
  [[nodiscard]] std::string describe() const override { return m_path; }

  std::vector<sql_row> query(std::string_view sql, const std::vector<sql_value>& params = {}) override {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &st, nullptr) != SQLITE_OK) {
      fail(sql);
    }
    struct finalizer {
      sqlite3_stmt* s;
      ~finalizer() { sqlite3_finalize(s); }
    } guard{st};
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int idx = static_cast<int>(i) + 1;
      const int rc = params[i] ? sqlite3_bind_text(st, idx, params[i]->data(), static_cast<int>(params[i]->size()),
                                                   SQLITE_TRANSIENT)
                               : sqlite3_bind_null(st, idx);
      if (rc != SQLITE_OK) fail(sql);
    }
    std::vector<sql_row> rows;
    for (;;) {
      const int rc = sqlite3_step(st);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(sql);
      sql_row row;
      const int n = sqlite3_column_count(st);
      for (int c = 0; c < n; ++c) {
        if (sqlite3_column_type(st, c) == SQLITE_NULL) {
          row.emplace_back(std::nullopt);
        } else {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
          row.emplace_back(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(st, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }
  void begin_write() override { query("BEGIN IMMEDIATE"); }
  void commit() override { query("COMMIT"); }
  void rollback() noexcept override { sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr); }

private:
  [[noreturn]] void fail(std::string_view sql) const {
    throw io_error(fmt::format("{}: {} (in: {})", m_path, sqlite3_errmsg(m_db), sql.substr(0, 60)));
  }
  std::string m_path;
  sqlite3* m_db = nullptr;
};

}  // namespace

std::unique_ptr<sql_connection> connect_sqlite(const std::string& path) {
  return std::make_unique<sqlite_connection>(path);
}

void require_existing(const std::string& database) {
  if (database.starts_with("postgresql://") || database.starts_with("postgres://")) return;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(database, ec)) {
    throw config_error(
        fmt::format("{}: no history database here (record results into it first: isobench history "
                    "record FILE --db {})",
                    database, database));
  }
}

std::unique_ptr<sql_connection> connect(const std::string& database) {
  if (database.starts_with("postgresql://") || database.starts_with("postgres://")) return connect_postgres(database);
  return connect_sqlite(database);
}

}  // namespace isobench::history
