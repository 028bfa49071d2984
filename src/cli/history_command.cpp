// `isobench history record|show|export|detect|evaluate`: the results store and change points.
#include <algorithm>
#include <charconv>
#include <limits>
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/validators.hpp"
#include "history/detect_report.hpp"
#include "history/detect_series.hpp"
#include "history/evaluate.hpp"
#include "history/importers.hpp"
#include "history/store.hpp"
#include "history/stress.hpp"
#include "io/atomic_file.hpp"
#include "io/csv.hpp"
#include "isobench/error.hpp"

namespace isobench::detail::cli {

namespace {

std::string evaluation_table(const std::vector<history::scenario_result>& results,
                             const history::evaluation_options& o) {
  std::string t = fmt::format(
      "| series ({} x {} points, {} samples each, {:g}% noise) | E-divisive: found | at the exact commit | false "
      "alarms "
      "/ 1000 points | lookback z (z=5, 100 points): found | at the exact commit | false alarms / 1000 points |\n"
      "|---|---|---|---|---|---|---|\n",
      o.series, o.points, o.samples, 100.0 * o.noise);
  for (const auto& r : results) {
    const bool injected = r.s.step != 0.0 || r.s.drift != 0.0;
    const bool drift = r.s.drift != 0.0;
    auto cell = [&](double v) { return injected ? fmt::format("{:.1f}%", v) : std::string("—"); };
    auto exact = [&](double v) { return injected && !drift ? fmt::format("{:.1f}%", v) : std::string("—"); };
    t += fmt::format("| {} | {} | {} | {:.2f} | {} | {} | {:.2f} |\n", r.s.name, cell(r.edivisive.detected_pct()),
                     exact(r.edivisive.exact_pct()), r.edivisive.false_alarms_per_1000(), cell(r.zscore.detected_pct()),
                     exact(r.zscore.exact_pct()), r.zscore.false_alarms_per_1000());
  }
  return t;
}

long long parse_series_id(const std::string& text) {
  long long id = 0;
  const auto* end = text.data() + text.size();
  const auto [p, ec] = std::from_chars(text.data(), end, id);
  if (ec != std::errc() || p != end || id < 1) {
    throw config_error(fmt::format("--series '{}': expected a series id, 1..{} (`isobench history show` lists them)",
                                   text.size() > 40 ? text.substr(0, 37) + "..." : text,
                                   std::numeric_limits<long long>::max()));
  }
  return id;
}

struct options {
  std::string db = "history.sqlite";
  std::vector<std::string> files;
  history::import_options import;
  std::string output, since, json_file;
  std::string series_text;
  double threshold_pct = 1.0, alpha = 0.005;
  std::size_t eval_series = 100, eval_points = 200;
};

// `history stress`: the store under N concurrent shards x M cases.
int stress(const command_context& ctx, const options& o) {
  const auto r = history::stress_store(o.db, static_cast<int>(o.eval_series), static_cast<int>(o.eval_points));
  ctx.out << fmt::format(
      "{} shards x {} cases into {}: {:.1f} s, {} cases and {} points recorded "
      "({:.0f} cases/s), {} failed processes\n",
      o.eval_series, o.eval_points, history::is_postgres(o.db) ? history::register_connection_secrets(o.db) : o.db,
      r.wall_s, r.cases_recorded, r.points_recorded, r.cases_per_s, r.failed_processes);
  const bool ok = r.failed_processes == 0 && r.cases_recorded == o.eval_series * o.eval_points &&
                  r.points_recorded == r.cases_recorded;
  return ok ? 0 : static_cast<int>(exit_code::internal_error);
}

// `history evaluate`: the detector against a lookback z-score on synthetic series.
int evaluate(const command_context& ctx, const options& o) {
  history::evaluation_options eo;
  eo.series = o.eval_series;
  eo.points = std::max<std::size_t>(o.eval_points, 20);
  const auto r = history::evaluate_detectors(history::standard_scenarios(), eo);
  ctx.out << evaluation_table(r, eo);
  return 0;
}

// `history record FILES`: every file's points and verdicts into the store.
int record(const command_context& ctx, const options& o, history::store& db) {
  history::record_counts total;
  for (const auto& f : o.files) {
    const auto b = history::import_file(f, o.import);
    const auto c = db.record(b);
    total.points_new += c.points_new;
    total.points_known += c.points_known;
    total.verdicts_new += c.verdicts_new;
    total.verdicts_known += c.verdicts_known;
  }
  ctx.err << fmt::format(
      "isobench history: {} new points ({} already stored), {} new verdicts ({} already "
      "stored) in {}\n",
      total.points_new, total.points_known, total.verdicts_new, total.verdicts_known, db.describe());
  return 0;
}

// `history show [--series ID]`: the series, or one series' points.
int show(const command_context& ctx, const options& o, history::store& db) {
  const long long series_id = o.series_text.empty() ? 0 : parse_series_id(o.series_text);
  if (series_id == 0) {
    for (const auto& s : db.series()) {
      ctx.out << fmt::format("{:>4}  {}  {} points  {} .. {}\n", s.id, s.key.text(), s.points,
                             history::short_commit(s.first_commit), history::short_commit(s.last_commit));
    }
    return 0;
  }
  const auto all = db.series();
  if (std::none_of(all.begin(), all.end(), [&](const auto& s) { return s.id == series_id; })) {
    throw config_error(fmt::format("--series {}: no series {} in {} (`isobench history show` lists them)", series_id,
                                   series_id, db.describe()));
  }
  for (const auto& p : db.points(series_id)) {
    ctx.out << fmt::format("{}  {}  median {:.6g} {}  n={}  {}\n", p.p.produced_at, history::short_commit(p.p.commit),
                           p.p.median, p.p.unit, p.p.samples.size(), p.p.source);
  }
  return 0;
}

// `history export -o FILE`: every point as CSV.
int export_csv(const options& o, history::store& db) {
  std::string csv =
      "series_id,spec,workload,implementation,machine,unit,commit,parent,produced_at,source,median,"
      "samples,min,max\n";
  for (const auto& s : db.series()) {
    for (const auto& p : db.points(s.id)) {
      const auto [mn, mx] = std::minmax_element(p.p.samples.begin(), p.p.samples.end());
      const std::vector<std::string> f = {std::to_string(s.id),
                                          s.key.spec,
                                          s.key.workload,
                                          s.key.implementation,
                                          s.key.machine,
                                          p.p.unit,
                                          p.p.commit,
                                          p.p.parent,
                                          p.p.produced_at,
                                          p.p.source,
                                          fmt::format("{:.9g}", p.p.median),
                                          std::to_string(p.p.samples.size()),
                                          p.p.samples.empty() ? "" : fmt::format("{:.9g}", *mn),
                                          p.p.samples.empty() ? "" : fmt::format("{:.9g}", *mx)};
      for (std::size_t i = 0; i < f.size(); ++i) {
        if (i > 0) csv += ',';
        csv += csv_field(f[i]);
      }
      csv += '\n';
    }
  }
  write_file_atomic(o.output, csv, overwrite::allow);
  return 0;
}

// `history detect`: level shifts in every series; exit 7 when a new regression persists.
int detect(const command_context& ctx, const options& o, history::store& db) {
  history::detect_options dopt;
  dopt.min_change = o.threshold_pct / 100.0;
  dopt.alpha = o.alpha;
  const auto reports = history::analyse(db, dopt);
  const auto changes =
      history::detect_all(reports, db, o.since.empty() ? std::nullopt : std::optional<std::string>(o.since));
  const auto findings = history::print_changes(changes, ctx.out);
  const bool gate = findings.new_regression;
  const auto& j = findings.json;
  if (!o.json_file.empty()) write_file_atomic(o.json_file, j.dump(2) + "\n", overwrite::allow);
  ctx.err << fmt::format("isobench history detect: {} series, {} changes{}\n", reports.size(), changes.size(),
                         gate ? "; a new regression persists (exit 7)" : "");
  return gate ? static_cast<int>(exit_code::gate_failed) : 0;
}

}  // namespace

command add_history_command(CLI::App& parent, const command_context& ctx) {
  auto* sub = parent.add_subcommand("history", "Results across commits: record, show, export, detect change points");
  sub->require_subcommand(1);
  auto o = std::make_shared<options>();
  auto add_db = [o](CLI::App* a) {
    a->add_option("--db", o->db, "SQLite file or postgresql:// URL")->capture_default_str()->check(json_text(4096));
  };

  auto* record_cmd = sub->add_subcommand("record",
                                         "Store results: run/ab/suite/compare files, Google Benchmark, nvbench, "
                                         "ISO-Bench summary lines");
  add_db(record_cmd);
  record_cmd->add_option("files", o->files, "Result files")->required();
  record_cmd->add_option("--commit", o->import.commit, "Commit of the results (for formats that lack it)");
  record_cmd->add_option("--parent", o->import.parent, "Its parent commit");
  record_cmd->add_option("--spec", o->import.spec, "Series name for formats without one");
  record_cmd->add_option("--machine", o->import.machine, "Machine fingerprint to file them under");

  auto* show_cmd = sub->add_subcommand("show", "List series, or one series' points");
  add_db(show_cmd);
  // Text, parsed here: CLI11 saturates integers beyond 64 bits instead of refusing them.
  show_cmd->add_option("--series", o->series_text, "Series id (from the list)");

  auto* export_cmd = sub->add_subcommand("export", "Write every point as CSV");
  add_db(export_cmd);
  export_cmd->add_option("-o,--output", o->output, "CSV file")->required();

  auto* detect_cmd = sub->add_subcommand("detect", "Find level shifts in every series (exit 7 on a new regression)");
  add_db(detect_cmd);
  detect_cmd->add_option("--since", o->since, "Only changes at or after this commit are new");
  detect_cmd->add_option("--threshold", o->threshold_pct, "Smallest change reported, percent")
      ->check(finite_range(0.0, 1000.0))
      ->capture_default_str();
  detect_cmd->add_option("--alpha", o->alpha, "Permutation p-value a change must reach")
      ->check(finite_range(0.001, 0.5))
      ->capture_default_str();
  detect_cmd->add_option("--json", o->json_file, "Also write the changes as JSON");

  auto* eval_cmd =
      sub->add_subcommand("evaluate", "The detector vs a lookback z-score on synthetic series (README table)");
  eval_cmd->add_option("--series", o->eval_series, "Series per scenario")->capture_default_str();
  eval_cmd->add_option("--points", o->eval_points, "Points per series")->capture_default_str();

  auto* stress_cmd =
      sub->add_subcommand("stress", "Load the store as N concurrent shards x M cases would (README limits)");
  add_db(stress_cmd);
  stress_cmd->add_option("--shards", o->eval_series, "Concurrent shard processes")->capture_default_str();
  stress_cmd->add_option("--cases", o->eval_points, "Cases each")->capture_default_str();

  return {sub, [&ctx, o, record_cmd, show_cmd, export_cmd, eval_cmd, stress_cmd] {
            if (stress_cmd->parsed()) return stress(ctx, *o);
            if (eval_cmd->parsed()) return evaluate(ctx, *o);
            if (!record_cmd->parsed()) history::require_existing(o->db);
            history::store db(o->db, record_cmd->parsed() ? history::access::write : history::access::read);
            if (record_cmd->parsed()) return record(ctx, *o, db);
            if (show_cmd->parsed()) return show(ctx, *o, db);
            if (export_cmd->parsed()) return export_csv(*o, db);
            return detect(ctx, *o, db);
          }};
}

}  // namespace isobench::detail::cli
