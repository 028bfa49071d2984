#pragma once
// The results store: SQLite or PostgreSQL behind one schema, versioned by migrations (applied
// under the write lock, so concurrent first users do not race). Recording is idempotent: a point
// or verdict already stored (same digest) is skipped, in one transaction per batch.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "history/model.hpp"
#include "history/sql.hpp"

namespace isobench::detail::history {

inline constexpr int schema_version = 2;

struct series_info {
  std::int64_t id = 0;
  series_key key;
  std::string unit;
  std::int64_t points = 0;
  std::string first_commit, last_commit, last_produced_at;
};

struct stored_point {
  std::int64_t id = 0;
  point p;
};

struct record_counts {
  std::size_t points_new = 0, points_known = 0, verdicts_new = 0, verdicts_known = 0;
};

// Values read back from a store are user data: these throw reference_error (exit 8) naming the
// database, `where` (table, row, column) and what was expected.
[[noreturn]] void corrupt_value(const std::string& db, const std::string& where, const sql_value& v,
                                std::string_view expected);
double stored_real(const std::string& db, const std::string& where, const sql_value& v);
std::int64_t stored_int(const std::string& db, const std::string& where, const sql_value& v);
nlohmann::json stored_json(const std::string& db, const std::string& where, const sql_value& v);

class store {
public:
  // Opens the database: a SQLite path or a postgresql:// URL. access::write creates or migrates
  // it; access::read changes nothing and needs the current schema. Either refuses a database that
  // holds tables but no isobench_schema (someone else's: exit 6, left as it was).
  explicit store(const std::string& database, access mode = access::write);
  explicit store(std::unique_ptr<sql_connection> connection, access mode = access::write);

  [[nodiscard]] int version();
  record_counts record(const batch& b);
  std::vector<series_info> series();
  // A series' points in the order their results were produced.
  std::vector<stored_point> points(std::int64_t series_id);
  std::vector<verdict_record> verdicts(std::size_t limit = 1000);
  [[nodiscard]] std::string describe() const { return m_db->describe(); }
  // For the suite-run tables (run_store), which share the database and its migrations.
  [[nodiscard]] sql_connection& connection() noexcept { return *m_db; }

private:
  void migrate();
  std::unique_ptr<sql_connection> m_db;
};

}  // namespace isobench::detail::history
