// `isobench suite FILE`: every case of a torchao config or JSON suite, each in its own process;
// optionally one shard of it, recorded into a shared store. `isobench suite merge RUN_ID`: the
// shards' records as one run.
#include <unistd.h>

#include <ctime>
#include <memory>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/command.hpp"
#include "cli/validators.hpp"
#include "device/device.hpp"
#include "history/importers.hpp"
#include "history/run_store.hpp"
#include "isobench/error.hpp"
#include "suite/shard.hpp"
#include "suite/suite.hpp"
#include "suite/suite_runner.hpp"

namespace isobench::detail::cli {

namespace {

struct options {
  std::vector<std::string> args;
  std::string out, pin_cpu, db, run_id, shard, commit;
  int shard_count = 0;
  bool resume = false, force = false, list = false;
  double timeout_s = 600.0;
  double memory_mib = 0.0;
};

int merge(const command_context& ctx, const options& o) {
  if (o.args.size() != 2) throw config_error("usage: isobench suite merge RUN_ID --db DB [--out DIR]");
  if (o.db.empty()) throw config_error("suite merge: give --db (the store the shards recorded into)");
  history::require_existing(o.db);
  history::store db(o.db, history::access::read);
  history::run_store runs(db);
  const auto m = merge_run(runs, o.args[1]);
  const std::filesystem::path out =
      !o.out.empty() ? std::filesystem::path(o.out)
                     : std::filesystem::path("suite_results") / m.s.name / fmt::format("merged-{}", case_id(o.args[1]));
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec || !std::filesystem::is_directory(out)) {
    throw io_error(fmt::format("--out {}: cannot create the output directory: {}", out.string(),
                               ec ? ec.message() : "a file is in the way"));
  }
  const nlohmann::json extra{{"run_id", o.args[1]},  {"merged", true},
                             {"missing", m.missing}, {"failed", m.failed},
                             {"retried", m.retried}, {"shards_never_started", m.shards_never_started}};
  write_suite_outputs(m.s, m.records, false, out, out / "suite_results.json", out / "results.csv", extra);
  ctx.err << fmt::format(
      "isobench suite merge {}: {} of {} cases recorded; {} missing{}, {} failed{}, {} retried -> {}\n", o.args[1],
      m.records.size(), m.s.cases.size(), m.missing.size(),
      m.missing.empty() ? "" : fmt::format(" ({})", fmt::join(m.missing, ", ")), m.failed.size(),
      m.failed.empty() ? "" : fmt::format(" ({})", fmt::join(m.failed, ", ")), m.retried.size(),
      (out / "results.csv").string());
  return m.missing.empty() && m.failed.empty() ? 0 : static_cast<int>(exit_code::gate_failed);
}

// A run recorded into a shared store (--db): its id, this shard, and the cases finished before.
struct shared_run {
  std::unique_ptr<history::store> db;
  std::unique_ptr<history::run_store> runs;
  std::string run_id;
  shard_spec me{0, 1, "none"};
  int attempt = 1;
};

// Registers the run, claims this shard, reads the records finished by an earlier attempt into
// `so.known`, and keeps only this shard's cases of `s`.
void join_shared_run(shared_run& sr, suite& s, suite_options& so, const options& o,
                     const std::optional<shard_spec>& shard, const command_context& ctx) {
  if (sr.run_id.empty()) sr.run_id = fmt::format("{}-{}-{}", s.name, std::time(nullptr), ::getpid());
  sr.db = std::make_unique<history::store>(o.db);
  sr.runs = std::make_unique<history::run_store>(*sr.db);
  nlohmann::json identities = nlohmann::json::array();
  for (const auto& c : s.cases) identities.push_back(case_identity(c));
  sr.runs->register_run(sr.run_id, s.name, s.source, s.kind, identities);
  sr.attempt = sr.runs->claim_shard(sr.run_id, sr.me.index, sr.me.count);
  for (const auto& row : sr.runs->cases(sr.run_id)) {
    try {
      so.known.push_back(case_record_from_json(row.record));
    } catch (const nlohmann::json::exception&) {
      throw reference_error(
          fmt::format("{}: corrupt history store: table suite_cases, run {} case {}, column record: expected a case "
                      "record (id, status, ...)",
                      sr.db->describe(), sr.run_id, row.case_id));
    }
  }
  if (shard) {
    const auto mine = select_shard(s, sr.me, sr.runs->expected_times(s.name));
    suite part = s;
    part.cases.clear();
    for (const auto i : mine) part.cases.push_back(s.cases[i]);
    s = std::move(part);
    if (o.out.empty()) s.output_dir /= fmt::format("shard-{}-of-{}", sr.me.index, sr.me.count);
  }
  so.extra = {
      {"run_id", sr.run_id},
      {"shard", {{"index", sr.me.index}, {"count", sr.me.count}, {"source", sr.me.source}, {"attempt", sr.attempt}}}};
  ctx.err << fmt::format("isobench suite: run {}, shard {}/{} ({}), attempt {}: {} cases\n", sr.run_id, sr.me.index,
                         sr.me.count, sr.me.source, sr.attempt, s.cases.size());
}

// The runner's options from the command line (and the records finished before).
void set_run_options(suite_options& so, const options& o) {
  so.out_dir = o.out;
  so.resume = o.resume || !so.known.empty();
  so.force = o.force;
  so.case_timeout_s = o.timeout_s;
  if (o.memory_mib > 0) so.case_memory_bytes = static_cast<std::size_t>(o.memory_mib * 1048576.0);
  if (!o.pin_cpu.empty()) so.run_args = {"--pin-cpu", o.pin_cpu};
  so.terminal = ::isatty(STDERR_FILENO) == 1;
}

// `isobench suite FILE`: every case (or this shard's), each in its own process.
int run_file(const command_context& ctx, const options& o) {
  if (o.args.size() != 1) throw config_error("suite: one suite file (or: suite merge RUN_ID)");
  if (o.resume && o.force) throw config_error("--resume and --force exclude each other");
  const auto cuda = probe_cuda();
  auto s = load_suite(o.args[0], ctx.reg, {cuda.available, cuda.reason});
  for (const auto& n : s.notes) ctx.err << "isobench suite: " << n << '\n';
  const auto shard = shard_from(o.shard, o.shard_count, &process_env);
  shared_run sr;
  sr.run_id = run_id_from(o.run_id, &process_env);
  if (shard && o.db.empty()) {
    throw config_error("a sharded run records into a shared store: give --db (postgresql:// on a cluster)");
  }
  if (shard && sr.run_id.empty()) {
    throw config_error(
        "a sharded run needs one id for all its shards: --run-id, ISOBENCH_RUN_ID or "
        "SLURM_ARRAY_JOB_ID");
  }
  sr.me = shard.value_or(shard_spec{0, 1, "none"});
  suite_options so;
  if (!o.db.empty()) join_shared_run(sr, s, so, o, shard, ctx);
  if (o.list) {
    for (const auto& c : s.cases) {
      ctx.out << c.id << (c.skip_reason.empty() ? "" : "  [skipped: " + c.skip_reason + "]") << '\n';
    }
    return 0;
  }
  set_run_options(so, o);
  const std::filesystem::path out_dir = o.out.empty() ? s.output_dir : std::filesystem::path(o.out);
  if (sr.runs) {
    so.on_case = [&](const suite_case& c, const case_record& r) {
      sr.runs->record_case(sr.run_id, c.id, sr.me.index, sr.attempt, std::string(to_string(r.status)), r.elapsed_s,
                           to_json(r));
      if (!r.result_file.empty()) {
        history::import_options io;
        io.commit = o.commit;
        sr.db->record(history::import_file(out_dir / r.result_file, io));
      }
    };
  }
  ctx.err << fmt::format("isobench suite {}: {} cases ({})\n", s.name, s.cases.size(), s.source);
  const auto r = run_suite(s, so, ctx.err);
  if (sr.runs) sr.runs->finish_shard(sr.run_id, sr.me.index, r.interrupted ? "interrupted" : "finished");
  ctx.err << fmt::format(
      "isobench suite {}: {} ok, {} failed, {} crashed, {} timed out, {} skipped{} -> {}\n", s.name,
      r.count(case_status::ok), r.count(case_status::failed), r.count(case_status::crashed),
      r.count(case_status::timed_out), r.count(case_status::skipped),
      r.interrupted ? fmt::format(", interrupted after {} of {} (--resume continues)", r.records.size(), s.cases.size())
                    : "",
      r.results_csv.string());
  if (r.interrupted) return 130;
  const bool bad = r.count(case_status::failed) + r.count(case_status::crashed) + r.count(case_status::timed_out) > 0;
  return bad ? static_cast<int>(exit_code::gate_failed) : 0;
}

}  // namespace

command add_suite_command(CLI::App& parent, const command_context& ctx) {
  auto* sub = parent.add_subcommand(
      "suite",
      "Run a suite (torchao microbenchmark YAML or JSON): each case in a child process with limits, "
      "results as JSON and torchao's CSV; `suite merge RUN_ID` joins a sharded run");
  auto o = std::make_shared<options>();
  sub->add_option("suite", o->args, "Suite file (.yaml/.yml torchao, or .json), or: merge RUN_ID")
      ->required()
      ->expected(1, 2);
  sub->add_option("--out", o->out, "Output directory (default: the suite's output_dir)");
  sub->add_flag("--resume", o->resume, "Keep the finished cases of an earlier run and run the rest");
  sub->add_flag("--force", o->force, "Start over even if results of an earlier run exist");
  sub->add_flag("--list", o->list, "List the cases (and why any would be skipped) without running them");
  sub->add_option("--case-timeout-s", o->timeout_s, "Wall-time limit of one case (its process group is killed)")
      ->check(finite_range(0.1, 7 * 24 * 3600.0))
      ->capture_default_str();
  sub->add_option("--case-memory-mib", o->memory_mib,
                  "Address-space limit of one CPU case in MiB (default: 90% of physical memory)")
      ->check(finite_range(16.0, 1e9));
  sub->add_option("--pin-cpu", o->pin_cpu, "Passed to every case's `isobench run`, e.g. 1 or 2-3");
  sub->add_option("--db", o->db, "Record every case into this history store (postgresql:// for a cluster)")
      ->check(json_text(4096));
  sub->add_option("--run-id", o->run_id,
                  "Suite-run id shared by all shards (default: ISOBENCH_RUN_ID, "
                  "slurm-$SLURM_ARRAY_JOB_ID)")
      ->check(json_text(200));
  sub->add_option("--shard", o->shard, "Run shard I of N (0-based, e.g. 0/4); default from Slurm or Kubernetes");
  sub->add_option("--shard-count", o->shard_count, "Shard count with Kubernetes' JOB_COMPLETION_INDEX")
      ->check(CLI::Range(1, 1000000));
  sub->add_option("--commit", o->commit, "Commit the cases measured, for the history points");
  return {sub, [&ctx, o] { return o->args.front() == "merge" ? merge(ctx, *o) : run_file(ctx, *o); }};
}

}  // namespace isobench::detail::cli
