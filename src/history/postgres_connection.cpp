// PostgreSQL backend over libpq: one connection, text parameters, `?` numbered as $1, $2, ...
#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>

#include <fmt/format.h>

#include "history/libpq.hpp"
#include "history/sql.hpp"
#include "io/secrets.hpp"
#include "isobench/error.hpp"

namespace isobench::detail::history {

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

bool is_uri(std::string_view c) {
  return c.starts_with("postgresql://") || c.starts_with("postgres://");
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

void register_both(std::string_view raw) {
  register_secret(std::string(raw));
  register_secret(percent_decode(raw));
}

// A URI's password: between the first ':' of the user part and the last '@' (an unencoded '@' in
// it is refused later), and every `password=` query parameter.
void register_uri_secrets(std::string_view url) {
  const auto rest = url.substr(url.find("://") + 3);
  const auto at = rest.rfind('@');
  if (at != std::string_view::npos) {
    const auto user = rest.substr(0, at);
    const auto colon = user.find(':');
    if (colon != std::string_view::npos) register_both(user.substr(colon + 1));
    const auto first_at = rest.find('@');
    if (colon != std::string_view::npos && colon < first_at)
      register_both(rest.substr(colon + 1, first_at - colon - 1));
  }
  for (auto p = url.find("password="); p != std::string_view::npos; p = url.find("password=", p + 1)) {
    const auto v = url.substr(p + 9);
    register_both(v.substr(0, v.find_first_of("&#")));
  }
}

// key=value connection strings: values are '...' (backslash escapes) or run to the next blank.
void register_conninfo_secrets(std::string_view c) {
  for (auto p = c.find("password"); p != std::string_view::npos; p = c.find("password", p + 1)) {
    auto i = c.find_first_not_of(" \t\n", p + 8);
    if (i == std::string_view::npos || c[i] != '=') continue;
    i = c.find_first_not_of(" \t\n", i + 1);
    if (i == std::string_view::npos) continue;
    std::string value;
    std::size_t end = i;
    if (c[i] == '\'') {
      for (end = i + 1; end < c.size() && c[end] != '\''; ++end) {
        if (c[end] == '\\' && end + 1 < c.size()) ++end;
        value += c[end];
      }
      register_secret(std::string(c.substr(i + 1, end - i - 1)));  // raw, escapes included
    } else {
      for (; end < c.size() && !std::isspace(static_cast<unsigned char>(c[end])); ++end) {
        if (c[end] == '\\' && end + 1 < c.size()) ++end;
        value += c[end];
      }
      register_secret(std::string(c.substr(i, end - i)));
    }
    register_secret(value);
  }
}

// Whether a URL's user part holds characters libpq would split differently than meant (an
// unencoded '@' in the password makes the rest of it part of the host).
bool ambiguous_uri(const std::string& c) {
  if (!is_uri(c)) return false;
  const auto rest = std::string_view(c).substr(c.find("://") + 3);
  const auto at = rest.rfind('@');
  return at != std::string_view::npos && rest.substr(0, at).find_first_of("@/?#[]") != std::string_view::npos;
}

// The connection without its password, from libpq's own parse; nothing of a string libpq cannot
// parse is shown.
std::string describe_connection(const std::string& c) {
  if (ambiguous_uri(c)) return "postgresql://(URL not shown)";
  char* err = nullptr;
  PQconninfoOption* opts = libpq().conninfoParse(c.c_str(), &err);
  libpq().freemem(err);
  if (opts == nullptr)
    return is_uri(c) ? "postgresql://(malformed URL, not shown)"
                     : "postgresql (malformed connection string, not shown)";
  std::map<std::string, std::string> v;
  for (auto* o = opts; o->keyword != nullptr; ++o) {
    if (o->val != nullptr) v[o->keyword] = o->val;
  }
  libpq().conninfoFree(opts);
  std::string out = "postgresql://";
  if (!v["user"].empty()) out += v["user"] + "@";
  out += v["host"].empty() ? v["hostaddr"] : v["host"];
  if (!v["port"].empty()) out += ":" + v["port"];
  if (!v["dbname"].empty()) out += "/" + v["dbname"];
  return scrub_secrets(out);
}

void check_unambiguous(const std::string& c) {
  if (ambiguous_uri(c)) {
    throw config_error(
        "--db: the PostgreSQL URL's user or password holds '@', '/', '?', '#', '[' or ']' unencoded (URL not shown: "
        "it may hold a password); percent-encode them (%40, %2F, %3F, %23, %5B, %5D)");
  }
}

}  // namespace

bool is_postgres(const std::string& database) {
  if (is_uri(database)) return true;
  // A libpq key=value string: its first word is a connection keyword followed by '='.
  static const char* const keywords[] = {"host",
                                         "hostaddr",
                                         "port",
                                         "dbname",
                                         "user",
                                         "password",
                                         "passfile",
                                         "service",
                                         "connect_timeout",
                                         "sslmode",
                                         "options",
                                         "application_name",
                                         "target_session_attrs"};
  const auto b = database.find_first_not_of(" \t");
  if (b == std::string::npos) return false;
  const auto e = database.find_first_not_of("abcdefghijklmnopqrstuvwxyz_", b);
  if (e == std::string::npos) return false;
  const auto eq = database.find_first_not_of(" \t", e);
  if (eq == std::string::npos || database[eq] != '=') return false;
  const auto word = database.substr(b, e - b);
  return std::any_of(std::begin(keywords), std::end(keywords), [&](const char* k) { return word == k; });
}

std::string register_connection_secrets(const std::string& database) {
  register_secret(database);
  if (is_uri(database)) {
    register_uri_secrets(database);
  } else {
    register_conninfo_secrets(database);
  }
  return describe_connection(database);
}

namespace {

class postgres_connection final : public sql_connection {
public:
  explicit postgres_connection(const std::string& url) : m_name(register_connection_secrets(url)) {
    check_unambiguous(url);
    char* err = nullptr;
    PQconninfoOption* parsed = libpq().conninfoParse(url.c_str(), &err);
    if (parsed == nullptr) {
      const std::string why = err != nullptr ? scrub_secrets(err) : "out of memory";
      libpq().freemem(err);
      throw config_error(fmt::format("--db: {}: libpq cannot parse it: {}", m_name, why));
    }
    libpq().conninfoFree(parsed);
    m_conn = libpq().connectdb(url.c_str());
    if (m_conn == nullptr || libpq().status(m_conn) != CONNECTION_OK) {
      const std::string why = m_conn ? libpq().errorMessage(m_conn) : "out of memory";
      libpq().finish(m_conn);
      throw io_error(scrub_secrets(fmt::format("{}: cannot connect: {}", m_name, why)));
    }
    query("SET client_min_messages TO WARNING");
  }
  ~postgres_connection() override { libpq().finish(m_conn); }
  postgres_connection(const postgres_connection&) = delete;
  postgres_connection& operator=(const postgres_connection&) = delete;

  [[nodiscard]] sql_dialect dialect() const noexcept override { return sql_dialect::postgres; }
  [[nodiscard]] std::string describe() const override { return m_name; }

  std::vector<sql_row> query(std::string_view sql, const std::vector<sql_value>& params = {}) override {
    const auto text = number_placeholders(sql);
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    PGresult* r = libpq().execParams(m_conn, text.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                               nullptr, 0);
    struct clear {
      PGresult* r;
      ~clear() { libpq().clear(r); }
    } guard{r};
    const auto status = libpq().resultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      throw io_error(scrub_secrets(fmt::format("{}: {} (in: {})", m_name, libpq().resultErrorMessage(r), sql.substr(0, 60))));
    }
    std::vector<sql_row> rows;
    const int nrows = libpq().ntuples(r), ncols = libpq().nfields(r);
    for (int i = 0; i < nrows; ++i) {
      sql_row row;
      for (int c = 0; c < ncols; ++c) {
        if (libpq().getisnull(r, i, c)) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(std::string(libpq().getvalue(r, i, c), static_cast<std::size_t>(libpq().getlength(r, i, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }
  void begin_write() override { query("BEGIN"); }
  std::vector<std::string> tables() override {
    std::vector<std::string> out;
    for (const auto& r : query("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                               "current_schema() ORDER BY table_name")) {
      out.push_back(r.at(0).value_or(""));
    }
    return out;
  }
  void commit() override { query("COMMIT"); }
  void rollback() noexcept override {
    PGresult* r = libpq().exec(m_conn, "ROLLBACK");
    libpq().clear(r);
  }

private:
  std::string m_name;
  PGconn* m_conn = nullptr;
};

}  // namespace

std::unique_ptr<sql_connection> connect_postgres(const std::string& url) {
  return std::make_unique<postgres_connection>(url);
}

}  // namespace isobench::detail::history
