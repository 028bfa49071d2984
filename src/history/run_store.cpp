#include "history/run_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <ctime>

#include <fmt/format.h>

#include "isobench/error.hpp"

namespace isobench::detail::history {

namespace {

std::string host_name() {
  char buf[256] = {};
  ::gethostname(buf, sizeof buf - 1);
  return fmt::format("{}:{}", buf, ::getpid());
}

// Shard indexes, counts and attempts: small non-negative integers.
int shard_number(const std::string& db, const std::string& where, const sql_value& v) {
  const auto n = stored_int(db, where, v);
  if (n < 0 || n > 1'000'000) corrupt_value(db, where, v, "an integer 0..1000000");
  return static_cast<int>(n);
}

}  // namespace

run_store::~run_store() {
  if (m_lock_fd >= 0) ::close(m_lock_fd);
}

void run_store::register_run(const std::string& run_id, const std::string& suite, const std::string& source,
                             const std::string& kind, const nlohmann::json& cases) {
  auto& c = m_db.connection();
  const auto text = cases.dump();
  const auto digest = stable_digest(text);
  write_transaction tx(c);
  c.query(
      "INSERT INTO suite_runs (run_id, suite, source, kind, cases, cases_digest, created_at) VALUES (?, ?, ?, ?, "
      "?, ?, ?) ON CONFLICT (run_id) DO NOTHING",
      {run_id, suite, source, kind, text, digest, utc_now_iso8601()});
  const auto rows = c.query("SELECT cases_digest, suite FROM suite_runs WHERE run_id = ?", {run_id});
  if (rows.empty() || rows[0][0] != digest) {
    throw config_error(
        fmt::format("run {}: already registered for suite '{}' with other cases; give this run its own "
                    "--run-id",
                    run_id, rows.empty() ? "" : rows[0][1].value_or("")));
  }
  tx.commit();
}

int run_store::claim_shard(const std::string& run_id, int index, int count) {
  auto& c = m_db.connection();
  const std::string taken = fmt::format(
      "shard {}/{} of run {} is held by a live process: two shards were given the same index (check the array or "
      "completion indexes)",
      index, count, run_id);
  if (c.dialect() == sql_dialect::postgres) {
    // Held by this connection until it closes: a killed shard releases it, a live one keeps it.
    const auto key = stable_digest(run_id).substr(0, 7);
    const auto got = c.query(fmt::format("SELECT pg_try_advisory_lock({}, {})", std::stoll(key, nullptr, 16), index));
    if (got.empty() || got[0][0] != "t") throw config_error(taken);
  } else {
    const auto file = fmt::format("{}.run-{}.shard-{}.lock", c.describe(), stable_digest(run_id).substr(0, 12), index);
    m_lock_fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_lock_fd < 0) throw io_error(fmt::format("{}: cannot create the shard lock", file));
    if (::flock(m_lock_fd, LOCK_EX | LOCK_NB) != 0) throw config_error(taken);
  }
  write_transaction tx(c);
  const auto counts = c.query("SELECT DISTINCT shard_count FROM suite_shards WHERE run_id = ?", {run_id});
  for (const auto& r : counts) {
    if (stored_int(c.describe(), "table suite_shards, column shard_count", r[0]) != count) {
      throw config_error(fmt::format("run {} was sharded {} ways; this shard says {}", run_id, *r[0], count));
    }
  }
  const auto prev =
      c.query("SELECT attempt FROM suite_shards WHERE run_id = ? AND shard_index = ?", {run_id, std::to_string(index)});
  const int attempt =
      prev.empty() ? 1 : shard_number(c.describe(), "table suite_shards, column attempt", prev[0][0]) + 1;
  c.query(
      "INSERT INTO suite_shards (run_id, shard_index, shard_count, attempt, host, state, started_at) VALUES (?, ?, "
      "?, ?, ?, 'running', ?) ON CONFLICT (run_id, shard_index) DO UPDATE SET attempt = excluded.attempt, host = "
      "excluded.host, state = 'running', started_at = excluded.started_at, finished_at = NULL",
      {run_id, std::to_string(index), std::to_string(count), std::to_string(attempt), host_name(), utc_now_iso8601()});
  tx.commit();
  return attempt;
}

void run_store::finish_shard(const std::string& run_id, int index, const std::string& state) {
  auto& c = m_db.connection();
  c.query("UPDATE suite_shards SET state = ?, finished_at = ? WHERE run_id = ? AND shard_index = ?",
          {state, utc_now_iso8601(), run_id, std::to_string(index)});
}

void run_store::record_case(const std::string& run_id, const std::string& case_id, int shard_index, int attempt,
                            const std::string& status, double elapsed_s, const nlohmann::json& record) {
  auto& c = m_db.connection();
  write_transaction tx(c);
  c.query(
      "INSERT INTO suite_cases (run_id, case_id, shard_index, attempt, status, elapsed_s, record, recorded_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, case_id) DO UPDATE SET shard_index = "
      "excluded.shard_index, attempt = excluded.attempt, status = excluded.status, elapsed_s = excluded.elapsed_s, "
      "record = excluded.record, recorded_at = excluded.recorded_at",
      {run_id, case_id, std::to_string(shard_index), std::to_string(attempt), status, fmt::format("{:.9g}", elapsed_s),
       record.dump(), utc_now_iso8601()});
  tx.commit();
}

std::optional<run_info> run_store::run(const std::string& run_id) {
  auto& c = m_db.connection();
  const auto rows = c.query("SELECT suite, source, kind, cases FROM suite_runs WHERE run_id = ?", {run_id});
  if (rows.empty()) return std::nullopt;
  run_info r;
  r.run_id = run_id;
  r.suite = rows[0][0].value_or("");
  r.source = rows[0][1].value_or("");
  r.kind = rows[0][2].value_or("");
  const std::string db = c.describe();
  r.cases = stored_json(db, fmt::format("table suite_runs, run {}, column cases", run_id), rows[0][3]);
  if (!r.cases.is_array())
    corrupt_value(db, fmt::format("table suite_runs, run {}, column cases", run_id), rows[0][3], "a JSON array");
  for (const auto& s : c.query("SELECT shard_index, shard_count, attempt FROM suite_shards WHERE run_id = ? ORDER BY "
                               "shard_index",
                               {run_id})) {
    const auto where = fmt::format("table suite_shards, run {}, column ", run_id);
    const int index = shard_number(db, where + "shard_index", s[0]);
    r.shard_count = shard_number(db, where + "shard_count", s[1]);
    if (index >= r.shard_count) corrupt_value(db, where + "shard_index", s[0], "an index below shard_count");
    if (r.shard_attempts.size() <= static_cast<std::size_t>(index)) r.shard_attempts.resize(index + 1, 0);
    r.shard_attempts[index] = shard_number(db, where + "attempt", s[2]);
  }
  return r;
}

std::vector<run_case_row> run_store::cases(const std::string& run_id) {
  std::vector<run_case_row> out;
  for (const auto& r : m_db.connection().query(
           "SELECT case_id, shard_index, attempt, status, elapsed_s, record FROM suite_cases WHERE run_id = ? ORDER BY "
           "case_id",
           {run_id})) {
    run_case_row row;
    row.case_id = r[0].value_or("");
    const std::string db = m_db.describe();
    const auto where = fmt::format("table suite_cases, run {} case {}, column ", run_id, row.case_id);
    row.shard_index = shard_number(db, where + "shard_index", r[1]);
    row.attempt = shard_number(db, where + "attempt", r[2]);
    row.status = r[3].value_or("");
    row.elapsed_s = stored_real(db, where + "elapsed_s", r[4]);
    row.record = stored_json(db, where + "record", r[5]);
    if (!row.record.is_object()) corrupt_value(db, where + "record", r[5], "a JSON object");
    out.push_back(std::move(row));
  }
  return out;
}

std::map<std::string, double> run_store::expected_times(const std::string& suite) {
  std::map<std::string, double> out;
  for (const auto& r : m_db.connection().query("SELECT c.case_id, c.elapsed_s FROM suite_cases c JOIN suite_runs r ON "
                                               "r.run_id = c.run_id WHERE r.suite = ? "
                                               "AND c.status <> 'skipped' ORDER BY c.recorded_at",
                                               {suite})) {
    // Later rows overwrite: the latest time.
    out[r[0].value_or("")] = stored_real(m_db.describe(), "table suite_cases, column elapsed_s", r[1]);
  }
  return out;
}

}  // namespace isobench::detail::history
