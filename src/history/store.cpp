#include "history/store.hpp"

#include <fmt/format.h>

#include "isobench/error.hpp"

namespace isobench::history {

namespace {

// Migration n takes the schema from version n-1 to n; never edit one that has shipped.
std::vector<std::vector<std::string>> migrations(sql_dialect d) {
  const std::string id = d == sql_dialect::sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
  const std::string ref = d == sql_dialect::sqlite ? "INTEGER" : "BIGINT";
  const std::string real = d == sql_dialect::sqlite ? "REAL" : "DOUBLE PRECISION";
  return {
      {
          fmt::format(
              "CREATE TABLE series (id {}, key TEXT NOT NULL UNIQUE, spec TEXT NOT NULL, workload TEXT NOT NULL, "
              "implementation TEXT NOT NULL, machine TEXT NOT NULL, unit TEXT NOT NULL)",
              id),
          fmt::format("CREATE TABLE points (id {}, series_id {} NOT NULL REFERENCES series(id), digest TEXT NOT NULL "
                      "UNIQUE, commit_hash TEXT NOT NULL, parent_hash TEXT NOT NULL, produced_at TEXT NOT NULL, "
                      "source TEXT NOT NULL, impl_tag TEXT NOT NULL, median {} NOT NULL, samples TEXT NOT NULL, "
                      "environment TEXT NOT NULL)",
                      id, ref, real),
          "CREATE INDEX points_by_series ON points (series_id, produced_at, id)",
          fmt::format(
              "CREATE TABLE verdicts (id {}, digest TEXT NOT NULL UNIQUE, spec TEXT NOT NULL, workload TEXT NOT "
              "NULL, baseline TEXT NOT NULL, candidate TEXT NOT NULL, machine TEXT NOT NULL, base_commit TEXT NOT "
              "NULL, head_commit TEXT NOT NULL, verdict TEXT NOT NULL, speedup {r} NOT NULL, ci_low {r} NOT NULL, "
              "ci_high {r} NOT NULL, p_value {r} NOT NULL, produced_at TEXT NOT NULL, source TEXT NOT NULL)",
              id, fmt::arg("r", real)),
      },
      // 2: sharded suite runs (run_store).
      {
          "CREATE TABLE suite_runs (run_id TEXT PRIMARY KEY, suite TEXT NOT NULL, source TEXT NOT NULL, kind TEXT "
          "NOT NULL, cases TEXT NOT NULL, cases_digest TEXT NOT NULL, created_at TEXT NOT NULL)",
          "CREATE TABLE suite_shards (run_id TEXT NOT NULL, shard_index INTEGER NOT NULL, shard_count INTEGER NOT "
          "NULL, attempt INTEGER NOT NULL, host TEXT NOT NULL, state TEXT NOT NULL, started_at TEXT NOT NULL, "
          "finished_at TEXT, PRIMARY KEY (run_id, shard_index))",
          "CREATE TABLE suite_cases (run_id TEXT NOT NULL, case_id TEXT NOT NULL, shard_index INTEGER NOT NULL, "
          "attempt INTEGER NOT NULL, status TEXT NOT NULL, elapsed_s " +
              real +
              " NOT NULL, record TEXT NOT NULL, "
              "recorded_at TEXT NOT NULL, PRIMARY KEY (run_id, case_id))",
      }};
}

std::string num(double x) {
  return fmt::format("{:.17g}", x);
}

double to_double(const sql_value& v) {
  return v ? std::stod(*v) : 0.0;
}
std::int64_t to_int(const sql_value& v) {
  return v ? std::stoll(*v) : 0;
}
std::string to_str(const sql_value& v) {
  return v.value_or("");
}

}  // namespace

store::store(const std::string& database) : store(connect(database)) {}

store::store(std::unique_ptr<sql_connection> connection) : m_db(std::move(connection)) {
  migrate();
}

void store::migrate() {
  // Everything under the write lock (PostgreSQL: an advisory lock), so two first users of an
  // empty database cannot both create the tables.
  write_transaction tx(*m_db);
  if (m_db->dialect() == sql_dialect::postgres) m_db->query("SELECT pg_advisory_xact_lock(74120001)");
  m_db->query("CREATE TABLE IF NOT EXISTS isobench_schema (version INTEGER NOT NULL)");
  auto rows = m_db->query("SELECT version FROM isobench_schema");
  int current = 0;
  if (rows.empty()) {
    m_db->query("INSERT INTO isobench_schema (version) VALUES (0)");
  } else {
    current = static_cast<int>(to_int(rows[0][0]));
  }
  if (current > schema_version) {
    throw io_error(fmt::format("{}: history schema version {} is newer than this isobench's {}; upgrade isobench",
                               m_db->describe(), current, schema_version));
  }
  const auto all = migrations(m_db->dialect());
  for (int v = current; v < schema_version; ++v) {
    for (const auto& statement : all[static_cast<std::size_t>(v)]) m_db->query(statement);
  }
  if (current != schema_version) {
    m_db->query("UPDATE isobench_schema SET version = ?", {std::to_string(schema_version)});
  }
  tx.commit();
}

int store::version() {
  auto rows = m_db->query("SELECT version FROM isobench_schema");
  return rows.empty() ? 0 : static_cast<int>(to_int(rows[0][0]));
}

record_counts store::record(const batch& b) {
  record_counts counts;
  write_transaction tx(*m_db);
  for (const auto& p : b.points) {
    const auto key = p.key.text();
    m_db->query(
        "INSERT INTO series (key, spec, workload, implementation, machine, unit) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (key) DO NOTHING",
        {key, p.key.spec, p.key.workload, p.key.implementation, p.key.machine, p.unit});
    const auto id = m_db->query("SELECT id FROM series WHERE key = ?", {key});
    nlohmann::json samples = p.samples;
    const auto inserted = m_db->query(
        "INSERT INTO points (series_id, digest, commit_hash, parent_hash, produced_at, source, impl_tag, median, "
        "samples, environment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING RETURNING id",
        {id.at(0).at(0), p.digest(), p.commit, p.parent, p.produced_at, p.source, p.impl_tag, num(p.median),
         samples.dump(), p.environment.dump()});
    (inserted.empty() ? counts.points_known : counts.points_new) += 1;
  }
  for (const auto& v : b.verdicts) {
    const auto inserted = m_db->query(
        "INSERT INTO verdicts (digest, spec, workload, baseline, candidate, machine, base_commit, head_commit, "
        "verdict, speedup, ci_low, ci_high, p_value, produced_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?) ON CONFLICT (digest) DO NOTHING RETURNING id",
        {v.digest(), v.spec, v.workload, v.baseline, v.candidate, v.machine, v.base_commit, v.head_commit, v.verdict,
         num(v.speedup), num(v.ci_low), num(v.ci_high), num(v.p_value), v.produced_at, v.source});
    (inserted.empty() ? counts.verdicts_known : counts.verdicts_new) += 1;
  }
  tx.commit();
  return counts;
}

std::vector<series_info> store::series() {
  std::vector<series_info> out;
  const auto rows = m_db->query(
      "SELECT s.id, s.spec, s.workload, s.implementation, s.machine, s.unit, COUNT(p.id), "
      "(SELECT commit_hash FROM points WHERE series_id = s.id ORDER BY produced_at, id LIMIT 1), "
      "(SELECT commit_hash FROM points WHERE series_id = s.id ORDER BY produced_at DESC, id DESC LIMIT 1), "
      "MAX(p.produced_at) FROM series s LEFT JOIN points p ON p.series_id = s.id "
      "GROUP BY s.id, s.spec, s.workload, s.implementation, s.machine, s.unit ORDER BY s.spec, s.workload, "
      "s.implementation, s.machine");
  for (const auto& r : rows) {
    series_info s;
    s.id = to_int(r[0]);
    s.key = {to_str(r[1]), to_str(r[2]), to_str(r[3]), to_str(r[4])};
    s.unit = to_str(r[5]);
    s.points = to_int(r[6]);
    s.first_commit = to_str(r[7]);
    s.last_commit = to_str(r[8]);
    s.last_produced_at = to_str(r[9]);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<stored_point> store::points(std::int64_t series_id) {
  std::vector<stored_point> out;
  const auto rows = m_db->query(
      "SELECT p.id, s.spec, s.workload, s.implementation, s.machine, s.unit, p.commit_hash, p.parent_hash, "
      "p.produced_at, p.source, p.impl_tag, p.median, p.samples, p.environment FROM points p JOIN series s ON "
      "s.id = p.series_id WHERE p.series_id = ? ORDER BY p.produced_at, p.id",
      {std::to_string(series_id)});
  for (const auto& r : rows) {
    stored_point sp;
    sp.id = to_int(r[0]);
    sp.p.key = {to_str(r[1]), to_str(r[2]), to_str(r[3]), to_str(r[4])};
    sp.p.unit = to_str(r[5]);
    sp.p.commit = to_str(r[6]);
    sp.p.parent = to_str(r[7]);
    sp.p.produced_at = to_str(r[8]);
    sp.p.source = to_str(r[9]);
    sp.p.impl_tag = to_str(r[10]);
    sp.p.median = to_double(r[11]);
    sp.p.samples = nlohmann::json::parse(to_str(r[12])).get<std::vector<double>>();
    sp.p.environment = nlohmann::json::parse(to_str(r[13]));
    out.push_back(std::move(sp));
  }
  return out;
}

std::vector<verdict_record> store::verdicts(std::size_t limit) {
  std::vector<verdict_record> out;
  const auto rows = m_db->query(
      "SELECT spec, workload, baseline, candidate, machine, base_commit, head_commit, verdict, speedup, ci_low, "
      "ci_high, p_value, produced_at, source FROM verdicts ORDER BY produced_at DESC, id DESC LIMIT ?",
      {std::to_string(limit)});
  for (const auto& r : rows) {
    verdict_record v;
    v.spec = to_str(r[0]);
    v.workload = to_str(r[1]);
    v.baseline = to_str(r[2]);
    v.candidate = to_str(r[3]);
    v.machine = to_str(r[4]);
    v.base_commit = to_str(r[5]);
    v.head_commit = to_str(r[6]);
    v.verdict = to_str(r[7]);
    v.speedup = to_double(r[8]);
    v.ci_low = to_double(r[9]);
    v.ci_high = to_double(r[10]);
    v.p_value = to_double(r[11]);
    v.produced_at = to_str(r[12]);
    v.source = to_str(r[13]);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace isobench::history
