#include "commits/backfill.hpp"

#include <chrono>
#include <ctime>
#include <set>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "env/host_info.hpp"
#include "history/importers.hpp"
#include "history/store.hpp"
#include "io/child_process.hpp"
#include "io/scratch.hpp"
#include "isobench/error.hpp"
#include "runner/run.hpp"
#include "spec/spec.hpp"

namespace isobench::detail {

namespace {

namespace fs = std::filesystem;

// Commits already recorded for a spec on this machine (or the --machine given).
std::set<std::string> recorded_commits(history::store& db, const std::string& spec_name, const std::string& machine) {
  const auto cpu = collect_host_info().cpu_model + "|";
  std::set<std::string> out;
  for (const auto& s : db.series()) {
    if (s.key.spec != spec_name) continue;
    if (machine.empty() ? !s.key.machine.starts_with(cpu) : s.key.machine != machine) continue;
    for (const auto& p : db.points(s.id)) out.insert(p.p.commit);
  }
  return out;
}

std::string utc_iso8601(long long seconds) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(static_cast<std::time_t>(seconds)));
}

std::string duration_text(double s) {
  const auto whole = static_cast<long long>(s + 0.5);
  return whole >= 3600 ? fmt::format("{}h{:02}m", whole / 3600, whole / 60 % 60)
                       : fmt::format("{}m{:02}s", whole / 60, whole % 60);
}

struct spec_run {
  fs::path result;     // empty when the run failed
  std::string reason;  // why it failed
};

// The build's own isobench runs the spec (its kernels, its registry) and writes its result file.
spec_run run_spec_with(const fs::path& exe, const fs::path& spec_file, const std::string& spec_name,
                       const std::string& commit, const fs::path& dir, const backfill_options& o) {
  const auto tag = "backfill-" + git::short_sha(commit);
  std::vector<std::string> argv = {
      exe.string(), "run", fs::absolute(spec_file).string(), "--out", dir.string(), "--impl-tag", tag, "--commit-hash",
      commit,       "-q"};
  for (const auto& w : o.workloads) argv.insert(argv.end(), {"--workload", w});
  const auto log = dir / fmt::format("{}_{}.log", spec_name, tag);
  child_outcome co;
  {
    interrupt_guard guard;
    co = run_child(argv, log, child_limits{o.run_timeout_s, std::nullopt, 2.0});
  }
  if (co.end == child_end::interrupted) throw interrupted_error("backfill: interrupted");
  const auto result = result_path(dir, "", spec_name, tag);
  std::error_code ec;
  if (fs::is_regular_file(result, ec)) return {result, {}};  // written, whatever the exit code (3, 5 keep results)
  const auto how = co.end == child_end::timed_out  ? fmt::format("timed out after {:g} s", o.run_timeout_s)
                   : co.end == child_end::signaled ? fmt::format("killed by signal {}", co.signal)
                                                   : fmt::format("exited with code {}", co.exit_code);
  return {{}, fmt::format("run {} (log: {}): {}", how, log.string(), file_tail(log, 400))};
}

// The result recorded exactly as `history record --commit C --parent P` would, dated by the commit.
history::record_counts record_result(history::store& db, const fs::path& result, const git::commit_meta& meta,
                                     const std::string& machine) {
  history::import_options io;
  io.commit = meta.sha;
  io.parent = meta.parents.empty() ? std::string() : meta.parents.front();
  io.machine = machine;
  auto batch = history::import_file(result, io);
  const auto date = utc_iso8601(meta.commit_time_s);
  for (auto& p : batch.points) p.produced_at = date;
  for (auto& v : batch.verdicts) v.produced_at = date;
  return db.record(batch);
}

}  // namespace

std::vector<std::string> every_nth(const std::vector<std::string>& commits, int steps) {
  std::vector<std::string> out;
  const auto n = static_cast<std::size_t>(std::max(steps, 1));
  for (std::size_t i = 0; i < commits.size(); i += n) out.push_back(commits[i]);
  if (!commits.empty() && out.back() != commits.back()) out.push_back(commits.back());
  return out;
}

namespace {

struct backfill_context {
  builder& b;
  history::store& db;
  const backfill_options& o;
  std::vector<std::pair<fs::path, std::string>> specs;  // file, name
  std::vector<std::set<std::string>> known;             // per spec
  fs::path dir;
  backfill_outcome out;
};

// One commit: built, each spec not yet recorded run and recorded. A line of progress on `err`.
std::string backfill_commit(backfill_context& c, const std::string& commit) {
  std::vector<std::size_t> todo;
  for (std::size_t k = 0; k < c.specs.size(); ++k) {
    if (c.known[k].count(commit)) {
      ++c.out.known;
    } else {
      todo.push_back(k);
    }
  }
  if (todo.empty()) return "already recorded";
  const auto built = c.b.build(commit);
  if (!built.ok) {
    ++c.out.build_failures;
    return fmt::format("does not build{} (log: {})", built.cached ? " (cached)" : "", built.log.string());
  }
  const auto meta = c.b.repository().describe(commit);
  std::string text = built.cached ? "built (cached)" : fmt::format("built in {:.1f} s", built.seconds);
  for (const auto k : todo) {
    const auto& [file, name] = c.specs[k];
    const auto run = run_spec_with(built.executable, file, name, commit, c.dir, c.o);
    ++c.out.runs;
    if (run.result.empty()) {
      ++c.out.run_failures;
      text += fmt::format("; {}: {}", name, run.reason);
      continue;
    }
    const auto counts = record_result(c.db, run.result, meta, c.o.machine);
    c.out.points_new += counts.points_new;
    c.known[k].insert(commit);
    text += fmt::format("; {}: {} new points", name, counts.points_new);
  }
  return text;
}

}  // namespace

backfill_outcome run_backfill(builder& b, const backfill_options& o, std::ostream& err) {
  const auto& repo = b.repository();
  const auto commits = every_nth(repo.list(o.range, o.since), o.steps);
  if (commits.empty()) throw config_error(fmt::format("backfill: no commits in {}", o.range));
  history::store db(o.db, history::access::write);
  backfill_context c{b, db, o, {}, {}, {}, {}};
  for (const auto& f : o.specs) {
    c.specs.emplace_back(f, load_spec(f).name);
    c.known.push_back(recorded_commits(db, c.specs.back().second, o.machine));
  }
  std::optional<fs::path> scratch;
  if (o.out_dir) {
    c.dir = *o.out_dir;
    std::error_code ec;
    fs::create_directories(c.dir, ec);
    if (ec) throw io_error(fmt::format("{}: cannot create: {}", c.dir.string(), ec.message()));
  } else {
    scratch = c.dir = make_scratch_dir("isobench-backfill");
  }
  if (!o.quiet) {
    err << fmt::format("isobench backfill: {} commits of {} in {}, into {}\n", commits.size(), o.range,
                       repo.top().string(), db.describe());
  }
  const auto start = std::chrono::steady_clock::now();
  std::size_t worked = 0;  // commits that cost time (not already recorded)
  for (std::size_t i = 0; i < commits.size(); ++i) {
    const auto before = c.out.known;
    const auto text = backfill_commit(c, commits[i]);
    worked += c.out.known - before == c.specs.size() ? 0 : 1;
    const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double eta_s =
        worked > 0 ? elapsed_s / static_cast<double>(worked) * static_cast<double>(commits.size() - i - 1) : 0.0;
    if (!o.quiet) {
      err << fmt::format("  [{}/{}] {}: {} (elapsed {}, ETA {})\n", i + 1, commits.size(), git::short_sha(commits[i]),
                         text, duration_text(elapsed_s), duration_text(eta_s))
          << std::flush;
    }
  }
  c.out.commits = commits.size();
  if (scratch) {
    std::error_code ec;
    fs::remove_all(*scratch, ec);
  }
  const auto reports = history::analyse(db, o.detect);
  for (auto& change : history::detect_all(reports, db, std::nullopt)) {
    for (const auto& s : c.specs) {
      if (change.series.key.spec == s.second) c.out.changes.push_back(change);
    }
  }
  return c.out;
}

}  // namespace isobench::detail
