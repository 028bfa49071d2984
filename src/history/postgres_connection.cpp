// PostgreSQL backend over libpq: one connection, text parameters, `?` numbered as $1, $2, ...
#include <libpq-fe.h>

#include <fmt/format.h>

#include "history/sql.hpp"
#include "isobench/error.hpp"

namespace isobench::history {

namespace {

// `?` -> $n outside quotes.
std::string number_placeholders(std::string_view sql) {
  std::string out;
  int n = 0;
  bool quoted = false;
  for (char ch : sql) {
    if (ch == '\'') quoted = !quoted;
    if (ch == '?' && !quoted) {
      out += fmt::format("${}", ++n);
    } else {
      out += ch;
    }
  }
  return out;
}

// The URL without its password, for messages.
std::string redact(const std::string& url) {
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

class postgres_connection final : public sql_connection {
public:
  explicit postgres_connection(const std::string& url) : m_name(redact(url)) {
    m_conn = PQconnectdb(url.c_str());
    if (m_conn == nullptr || PQstatus(m_conn) != CONNECTION_OK) {
      const std::string why = m_conn ? PQerrorMessage(m_conn) : "out of memory";
      PQfinish(m_conn);
      throw io_error(fmt::format("{}: cannot connect: {}", m_name, why));
    }
    query("SET client_min_messages TO WARNING");
  }
  ~postgres_connection() override { PQfinish(m_conn); }
  postgres_connection(const postgres_connection&) = delete;
  postgres_connection& operator=(const postgres_connection&) = delete;

  [[nodiscard]] sql_dialect dialect() const noexcept override { return sql_dialect::postgres; }
  [[nodiscard]] std::string describe() const override { return m_name; }

  std::vector<sql_row> query(std::string_view sql, const std::vector<sql_value>& params = {}) override {
    const auto text = number_placeholders(sql);
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    PGresult* r = PQexecParams(m_conn, text.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                               nullptr, 0);
    struct clear {
      PGresult* r;
      ~clear() { PQclear(r); }
    } guard{r};
    const auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      throw io_error(fmt::format("{}: {} (in: {})", m_name, PQresultErrorMessage(r), sql.substr(0, 60)));
    }
    std::vector<sql_row> rows;
    const int nrows = PQntuples(r), ncols = PQnfields(r);
    for (int i = 0; i < nrows; ++i) {
      sql_row row;
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(r, i, c)) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(std::string(PQgetvalue(r, i, c), static_cast<std::size_t>(PQgetlength(r, i, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }
  void begin_write() override { query("BEGIN"); }
  void commit() override { query("COMMIT"); }
  void rollback() noexcept override {
    PGresult* r = PQexec(m_conn, "ROLLBACK");
    PQclear(r);
  }

private:
  std::string m_name;
  PGconn* m_conn = nullptr;
};

}  // namespace

std::unique_ptr<sql_connection> connect_postgres(const std::string& url) {
  return std::make_unique<postgres_connection>(url);
}

}  // namespace isobench::history
