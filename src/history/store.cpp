#include "history/store.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "isobench/error.hpp"

namespace isobench::detail::history {

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

std::string to_str(const sql_value& v) {
  return v.value_or("");
}

}  // namespace

// Rows are user data: a value that is not what the schema says names its table, row and column
// (exit 8), instead of escaping as a parse exception.
[[noreturn]] void corrupt_value(const std::string& db, const std::string& where, const sql_value& v,
                                std::string_view expected) {
  const std::string shown = !v ? "NULL" : v->size() > 40 ? "'" + v->substr(0, 37) + "...'" : "'" + *v + "'";
  throw reference_error(fmt::format("{}: corrupt history store: {} is {}; expected {}", db, where, shown, expected));
}

double stored_real(const std::string& db, const std::string& where, const sql_value& v) {
  double x = 0.0;
  if (v) {
    const auto* end = v->data() + v->size();
    const auto [p, ec] = std::from_chars(v->data(), end, x);
    if (ec == std::errc() && p == end) return x;
    // PostgreSQL's spelling of the values from_chars calls inf and nan.
    if (*v == "Infinity") return HUGE_VAL;
    if (*v == "-Infinity") return -HUGE_VAL;
    if (*v == "NaN") return std::nan("");
  }
  corrupt_value(db, where, v, "a number");
}
std::int64_t stored_int(const std::string& db, const std::string& where, const sql_value& v) {
  std::int64_t x = 0;
  if (v) {
    const auto* end = v->data() + v->size();
    const auto [p, ec] = std::from_chars(v->data(), end, x);
    if (ec == std::errc() && p == end) return x;
  }
  corrupt_value(db, where, v, "an integer");
}
nlohmann::json stored_json(const std::string& db, const std::string& where, const sql_value& v) {
  auto j = nlohmann::json::parse(v.value_or(""), nullptr, false);
  if (j.is_discarded()) corrupt_value(db, where, v, "JSON");
  return j;
}

store::store(const std::string& database, access mode) : store(connect(database, mode), mode) {}

store::store(std::unique_ptr<sql_connection> connection, access mode) : m_db(std::move(connection)) {
  // Someone else's database is refused before anything (even the journal mode) is changed.
  const auto tables = m_db->tables();
  const bool ours = std::find(tables.begin(), tables.end(), "isobench_schema") != tables.end();
  if (!ours && !tables.empty()) {
    throw config_error(fmt::format(
        "{}: not an isobench history store: it has tables ({}{}) but no isobench_schema; left unchanged (give "
        "isobench a database of its own)",
        m_db->describe(), fmt::join(tables.begin(), tables.begin() + std::min<std::ptrdiff_t>(5, tables.size()), ", "),
        tables.size() > 5 ? ", ..." : ""));
  }
  if (mode == access::read) {
    if (!ours) {
      throw config_error(
          fmt::format("{}: no history recorded here yet (isobench history record FILE --db ...)", m_db->describe()));
    }
    const int v = version();
    if (v != schema_version) {
      throw reference_error(fmt::format(
          "{}: history schema version {} {} this isobench's {}; {}", m_db->describe(), v,
          v > schema_version ? "is newer than" : "is older than", schema_version,
          v > schema_version ? "upgrade isobench" : "`isobench history record` migrates it (reading never does)"));
    }
    return;
  }
  m_db->enable_concurrent_writes();
  migrate();
}

void store::migrate() {
  // Everything under the write lock (PostgreSQL: an advisory lock), so two first users of an
  // empty database cannot both create the tables.
  write_transaction tx(*m_db);
  if (m_db->dialect() == sql_dialect::postgres) m_db->query("SELECT pg_advisory_xact_lock(74120001)");
  const auto tables = m_db->tables();
  if (std::find(tables.begin(), tables.end(), "isobench_schema") == tables.end()) {
    if (!tables.empty()) {
      throw config_error(
          fmt::format("{}: not an isobench history store (tables appeared without isobench_schema)", m_db->describe()));
    }
    m_db->query("CREATE TABLE isobench_schema (version INTEGER NOT NULL)");
    m_db->query("INSERT INTO isobench_schema (version) VALUES (0)");
  }
  const int current = version();
  if (current > schema_version) {
    throw reference_error(
        fmt::format("{}: history schema version {} is newer than this isobench's {}; upgrade isobench",
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
  const auto rows = m_db->query("SELECT version FROM isobench_schema");
  const std::string db = m_db->describe();
  if (rows.size() != 1) {
    throw reference_error(
        fmt::format("{}: corrupt history store: table isobench_schema has {} rows; expected 1", db, rows.size()));
  }
  const auto v = stored_int(db, "table isobench_schema, column version", rows[0].at(0));
  if (v < 0 || v > 1'000'000) {
    corrupt_value(db, "table isobench_schema, column version", rows[0][0],
                  fmt::format("a version 0..{}", schema_version));
  }
  return static_cast<int>(v);
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
  const std::string db = m_db->describe();
  for (const auto& r : rows) {
    series_info s;
    s.id = stored_int(db, "table series, column id", r[0]);
    const std::string where = fmt::format("table series, row id {}", s.id);
    s.key = {to_str(r[1]), to_str(r[2]), to_str(r[3]), to_str(r[4])};
    s.unit = to_str(r[5]);
    s.points = stored_int(db, where + ", point count", r[6]);
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
  const std::string db = m_db->describe();
  for (const auto& r : rows) {
    stored_point sp;
    sp.id = stored_int(db, "table points, column id", r[0]);
    const std::string where = fmt::format("table points, row id {}", sp.id);
    sp.p.key = {to_str(r[1]), to_str(r[2]), to_str(r[3]), to_str(r[4])};
    sp.p.unit = to_str(r[5]);
    sp.p.commit = to_str(r[6]);
    sp.p.parent = to_str(r[7]);
    sp.p.produced_at = to_str(r[8]);
    sp.p.source = to_str(r[9]);
    sp.p.impl_tag = to_str(r[10]);
    sp.p.median = stored_real(db, where + ", column median", r[11]);
    const auto samples = nlohmann::json::parse(to_str(r[12]), nullptr, false);
    if (!samples.is_array() || samples.empty() ||
        !std::all_of(samples.begin(), samples.end(), [](const auto& x) { return x.is_number(); })) {
      corrupt_value(db, where + ", column samples", r[12], "a JSON array of numbers");
    }
    sp.p.samples = samples.get<std::vector<double>>();
    sp.p.environment = nlohmann::json::parse(to_str(r[13]), nullptr, false);
    if (sp.p.environment.is_discarded()) corrupt_value(db, where + ", column environment", r[13], "JSON");
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
  const std::string db = m_db->describe();
  for (const auto& r : rows) {
    verdict_record v;
    const std::string where = fmt::format("table verdicts, row of {} {}", to_str(r[0]), to_str(r[1]));
    v.spec = to_str(r[0]);
    v.workload = to_str(r[1]);
    v.baseline = to_str(r[2]);
    v.candidate = to_str(r[3]);
    v.machine = to_str(r[4]);
    v.base_commit = to_str(r[5]);
    v.head_commit = to_str(r[6]);
    v.verdict = to_str(r[7]);
    v.speedup = stored_real(db, where + ", column speedup", r[8]);
    v.ci_low = stored_real(db, where + ", column ci_low", r[9]);
    v.ci_high = stored_real(db, where + ", column ci_high", r[10]);
    v.p_value = stored_real(db, where + ", column p_value", r[11]);
    v.produced_at = to_str(r[12]);
    v.source = to_str(r[13]);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace isobench::detail::history
