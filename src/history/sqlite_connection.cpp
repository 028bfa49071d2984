// SQLite backend: WAL journal (readers never block the writer), a busy timeout (concurrent CI jobs
// wait their turn), BEGIN IMMEDIATE for writes.
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>

#include <fmt/format.h>

#include "history/sql.hpp"
#include "isobench/error.hpp"

namespace isobench::detail::history {

namespace {

class sqlite_connection final : public sql_connection {
public:
  sqlite_connection(std::string path, access mode) : m_path(std::move(path)) {
    if (mode == access::write) {
      open(m_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    } else {
      // Read-only and never created; a WAL database in a directory we cannot write to (no room for
      // its -shm lock file) is read as immutable.
      open("file:" + uri_escape(m_path) + "?mode=ro", SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
      if (!probe()) {
        sqlite3_close(m_db);
        m_db = nullptr;
        open("file:" + uri_escape(m_path) + "?mode=ro&immutable=1", SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
      }
    }
    sqlite3_busy_timeout(m_db, 120000);
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
  void enable_concurrent_writes() override {
    query("PRAGMA journal_mode=WAL");
    query("PRAGMA synchronous=NORMAL");
  }
  std::vector<std::string> tables() override {
    std::vector<std::string> out;
    for (const auto& r : query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                               "ORDER BY name")) {
      out.push_back(r.at(0).value_or(""));
    }
    return out;
  }
  void commit() override { query("COMMIT"); }
  void rollback() noexcept override { sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr); }

private:
  void open(const std::string& name, int flags) {
    if (sqlite3_open_v2(name.c_str(), &m_db, flags | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
      const std::string why = m_db ? sqlite3_errmsg(m_db) : "out of memory";
      sqlite3_close(m_db);
      m_db = nullptr;
      throw io_error(fmt::format("{}: cannot open the history database: {}", m_path, why));
    }
  }
  // Whether the read-only connection can read (a WAL database needs its -shm file).
  bool probe() {
    sqlite3_stmt* st = nullptr;
    bool ok = sqlite3_prepare_v2(m_db, "SELECT count(*) FROM sqlite_master", -1, &st, nullptr) == SQLITE_OK;
    const int rc = ok ? sqlite3_step(st) : sqlite3_errcode(m_db);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_NOTADB;  // not a database: reported by the first real query
  }
  static std::string uri_escape(const std::string& path) {
    std::string out;
    for (const unsigned char ch : path) {
      if (ch == '%' || ch == '?' || ch == '#' || ch < 0x20 || ch >= 0x7f) {
        out += fmt::format("%{:02X}", ch);
      } else {
        out += static_cast<char>(ch);
      }
    }
    return out;
  }
  [[noreturn]] void fail(std::string_view sql) const {
    const int rc = sqlite3_errcode(m_db);
    if (rc == SQLITE_NOTADB) {
      throw config_error(
          fmt::format("{}: not an SQLite database; --db needs an isobench history store (a SQLite "
                      "file or a postgresql:// URL)",
                      m_path));
    }
    throw io_error(fmt::format("{}: {} (in: {})", m_path, sqlite3_errmsg(m_db), sql.substr(0, 60)));
  }
  std::string m_path;
  sqlite3* m_db = nullptr;
};

}  // namespace

std::unique_ptr<sql_connection> connect_sqlite(const std::string& path, access mode) {
  // Only a regular file (or, to write, nothing yet): SQLite would block on a FIFO and read devices.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    throw config_error(fmt::format("{}: is {}; expected a regular file (a SQLite history database)", path,
                                   S_ISDIR(st.st_mode)    ? "a directory"
                                   : S_ISFIFO(st.st_mode) ? "a FIFO"
                                                          : "not a regular file"));
  }
  return std::make_unique<sqlite_connection>(path, mode);
}

void require_existing(const std::string& database) {
  if (is_postgres(database)) return;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(database, ec)) {
    throw config_error(
        fmt::format("{}: no history database here (record results into it first: isobench history "
                    "record FILE --db {})",
                    database, database));
  }
}

std::unique_ptr<sql_connection> connect(const std::string& database, access mode) {
  if (is_postgres(database)) return connect_postgres(database);
  return connect_sqlite(database, mode);
}

}  // namespace isobench::detail::history
