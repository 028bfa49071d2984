#pragma once
// The little SQL the history store needs, over SQLite (a file: the default) or PostgreSQL (a
// postgresql:// URL: a team's shared server). Statements are written once with `?` placeholders;
// the PostgreSQL connection numbers them ($1, $2, ...). Values travel as text or NULL.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace isobench::detail::history {

using sql_value = std::optional<std::string>;  // NULL as nullopt
using sql_row = std::vector<sql_value>;

enum class sql_dialect { sqlite, postgres };

class sql_connection {
public:
  virtual ~sql_connection() = default;
  [[nodiscard]] virtual sql_dialect dialect() const noexcept = 0;
  [[nodiscard]] virtual std::string describe() const = 0;  // "history.sqlite", "postgresql://host/db"
  // Runs a statement; returns its rows (empty for statements without results). Throws io_error
  // naming the database and the statement's first words.
  virtual std::vector<sql_row> query(std::string_view sql, const std::vector<sql_value>& params = {}) = 0;
  // A transaction that takes the write lock at once (SQLite: BEGIN IMMEDIATE), so concurrent
  // writers queue instead of failing halfway.
  virtual void begin_write() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  // Lets several processes record at once (SQLite: the WAL journal). Called only once the store
  // knows the database is its own: changing the journal mode rewrites the file's header.
  virtual void enable_concurrent_writes() {}
  // The user tables of the current schema (to tell an isobench store from someone else's data).
  virtual std::vector<std::string> tables() = 0;
};

enum class access { read, write };

// A PostgreSQL URL ("postgresql://...", "postgres://...") or libpq key=value connection string
// ("host=... dbname=..."); anything else is a SQLite file path.
bool is_postgres(const std::string& database);

// Registers every form the password of a PostgreSQL URL or connection string may take (raw,
// percent-decoded, unquoted) with scrub_secrets(), and returns the name to show: user, host, port
// and database only.
std::string register_connection_secrets(const std::string& database);

// `read` never creates a file or changes one (SQLite opens read-only, immutable where the directory
// cannot hold its lock files).
std::unique_ptr<sql_connection> connect(const std::string& database, access mode = access::write);

// For commands that only read: a SQLite path that does not exist is an error (config_error naming
// it), not a new empty database.
void require_existing(const std::string& database);

std::unique_ptr<sql_connection> connect_sqlite(const std::string& path, access mode = access::write);
std::unique_ptr<sql_connection> connect_postgres(const std::string& url);

// Commits when the scope ends normally, rolls back on an exception.
class write_transaction {
public:
  explicit write_transaction(sql_connection& c) : m_c(c) { m_c.begin_write(); }
  ~write_transaction() {
    if (!m_done) m_c.rollback();
  }
  write_transaction(const write_transaction&) = delete;
  write_transaction& operator=(const write_transaction&) = delete;
  void commit() {
    m_c.commit();
    m_done = true;
  }

private:
  sql_connection& m_c;
  bool m_done = false;
};

}  // namespace isobench::detail::history
