// `isobench history` and `isobench report` end to end: record real isobench results and a series
// with a 10% step, detect it at its commit (exit 7 when new, 0 with --since after it), export CSV,
// write the site and open it in headless Chromium: the screenshot is not blank, the plot has one
// circle per point, and the console stays quiet. And a series with one extreme sample: the 5% step
// between its medians is at least 10 pixels in the screenshot.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <regex>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "png_check.hpp"

namespace isobench::testing {
namespace {

namespace fs = std::filesystem;

void write_step_series(const fs::path& dir, int points, int step_at) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> z(0.0, 0.005);
  for (int i = 0; i < points; ++i) {
    const double level = 2.0 * (i >= step_at ? 1.10 : 1.0) * (1.0 + z(rng));
    const nlohmann::json line{{"impl_tag", "child"},
                              {"commit_hash", fmt::format("c{:03}", i)},
                              {"device", "cpu"},
                              {"dtype", "fp32"},
                              {"iters", 10},
                              {"warmup", 2},
                              {"avg_ms", level},
                              {"p50_ms", level},
                              {"p95_ms", level * 1.02},
                              {"eq_level", "numeric"},
                              {"workload", "w"},
                              {"implementation", "demo.impl"}};
    write_text(dir / fmt::format("line_{:03}.jsonl", i), line.dump() + "\n");
  }
}

// 30 result files of 20 samples around 0.022 ms, 5% slower from point 20 on, and at point 10 one
// sample of 0.89 ms: scaled to that sample, every median would sit on one line.
void write_outlier_series(const fs::path& dir) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> z(0.0, 0.01);
  for (int i = 0; i < 30; ++i) {
    std::vector<double> samples;
    for (int k = 0; k < 20; ++k) samples.push_back(0.022 * (i >= 20 ? 1.05 : 1.0) * (1.0 + z(rng)));
    if (i == 10) samples[7] = 0.89;
    const nlohmann::json result{{"schema_version", 1},
                                {"timestamp", fmt::format("2026-01-01T00:00:{:02}Z", i)},
                                {"spec", {{"name", "s"}}},
                                {"environment", {{"cpu_model", "test cpu"}, {"build_type", "Release"}}},
                                {"results",
                                 {{{"workload", "w"},
                                   {"implementation", "demo.outlier"},
                                   {"impl_tag", "child"},
                                   {"commit_hash", fmt::format("o{:03}", i)},
                                   {"device", "cpu"},
                                   {"samples_ms", samples}}}}};
    write_text(dir / fmt::format("outlier_{:03}.json", i), result.dump());
  }
}

// Mean row of each median mark in a screenshot, left to right: the pixels of the marks' colour,
// grouped by column runs.
std::vector<double> mark_rows(const png_stats& png) {
  auto found = png.found;
  std::sort(found.begin(), found.end());
  std::vector<double> rows;
  double sum = 0;
  std::size_t count = 0, last_x = 0;
  for (const auto& [x, y] : found) {
    if (count > 0 && x > last_x + 2) {
      rows.push_back(sum / static_cast<double>(count));
      sum = 0;
      count = 0;
    }
    sum += static_cast<double>(y);
    ++count;
    last_x = x;
  }
  if (count > 0) rows.push_back(sum / static_cast<double>(count));
  return rows;
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

TEST(history_cli, record_detect_export_report_and_a_browser) {
  temp_dir dir;
  const auto& d = dir.path();
  // Reading commands never create a database.
  EXPECT_EQ(run_isobench({"history", "show", "--db", "missing.sqlite"}, d).code, 6);
  EXPECT_FALSE(fs::exists(d / "missing.sqlite"));
  // A real isobench result and its ISO-Bench summary lines.
  write_text(d / "spin.json", R"({"name": "spin_demo", "target": "spin", "implementation": "spin.loop",
    "workloads": [{"name": "short", "iterations": 20000}],
    "timing": {"warmup": 1, "min_iters": 5, "min_time_s": 0.02, "max_time_s": 2},
    "commit": {"hash": "r1", "parent": "r0"}})");
  auto r = run_isobench({"run", "spin.json", "--out", "results", "-q", "--stdout-json"}, d);
  ASSERT_EQ(r.code, 0) << r.err;
  write_text(d / "lines.jsonl", r.out);
  r = run_isobench({"history", "record", "results/spin_demo_child.json", "--db", "h.sqlite"}, d);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("1 new points"), std::string::npos) << r.err;
  r = run_isobench({"history", "record", "results/spin_demo_child.json", "--db", "h.sqlite"}, d);
  EXPECT_NE(r.err.find("0 new points (1 already stored)"), std::string::npos) << r.err;
  r = run_isobench({"history", "record", "lines.jsonl", "--db", "h.sqlite", "--spec", "spin_lines"}, d);
  ASSERT_EQ(r.code, 0) << r.err;

  write_step_series(d, 60, 40);
  for (int i = 0; i < 60; ++i) {
    r = run_isobench({"history", "record", fmt::format("line_{:03}.jsonl", i), "--db", "h.sqlite", "--spec", "demo"},
                     d);
    ASSERT_EQ(r.code, 0) << r.err;
  }
  r = run_isobench({"history", "show", "--db", "h.sqlite"}, d);
  ASSERT_EQ(r.code, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(\s*(\d+)\s+demo/w/demo\.impl)"))) << r.out;
  const std::string demo_id = m[1];

  EXPECT_NE(r.out.find("spin_demo/short/spin.loop@"), std::string::npos) << r.out;

  r = run_isobench({"history", "detect", "--db", "h.sqlite", "--json", "changes.json"}, d);
  EXPECT_EQ(r.code, 7) << r.out << r.err;
  EXPECT_NE(r.out.find("REGRESSION demo/w/demo.impl"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("at c040 (last good c039), persists"), std::string::npos) << r.out;
  const auto changes = nlohmann::json::parse(read_text(d / "changes.json"));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_NEAR(changes[0]["change_pct"].get<double>(), 10.0, 1.0);
  EXPECT_LT(changes[0]["ci_low_pct"].get<double>(), 10.0);
  EXPECT_GT(changes[0]["ci_high_pct"].get<double>(), 9.0);
  EXPECT_EQ(run_isobench({"history", "detect", "--db", "h.sqlite", "--since", "c050"}, d).code, 0);
  EXPECT_EQ(run_isobench({"history", "detect", "--db", "h.sqlite", "--since", "c030"}, d).code, 7);
  EXPECT_EQ(run_isobench({"history", "detect", "--db", "h.sqlite", "--since", "nosuch"}, d).code, 6);

  ASSERT_EQ(run_isobench({"history", "export", "--db", "h.sqlite", "-o", "points.csv"}, d).code, 0);
  const auto csv = read_text(d / "points.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 60 + 1 + 1);  // header, demo, the run, its line

  r = run_isobench({"report", "--db", "h.sqlite", "-o", "site", "--markdown", "pr.md", "--repo-url",
                    "https://github.com/example/kernels"},
                   d);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto md = read_text(d / "pr.md");
  EXPECT_NE(md.find("[`c040`](https://github.com/example/kernels/commit/c040)"), std::string::npos) << md;
  const auto index = read_text(d / "site" / "index.html");
  EXPECT_NE(index.find(fmt::format("series/{}.html", demo_id)), std::string::npos);
  const auto page = read_text(d / "site" / "series" / (demo_id + ".html"));
  EXPECT_NE(page.find("https://github.com/example/kernels/commit/c040"), std::string::npos);

  // In a real browser, from disk, with no network.
  ASSERT_TRUE(fs::exists("/usr/bin/chromium")) << "headless Chromium is needed (.ci/deps installs Debian's chromium)";
  const std::string url = "file://" + (d / "site" / "series" / (demo_id + ".html")).string();
  const std::string flags = fmt::format(
      "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
      "--disable-component-update --disable-sync --user-data-dir='{}' --window-size=1100,800 --enable-logging=stderr "
      "--v=0",
      (d / "chrome-profile").string());
  const std::string shot =
      fmt::format("cd '{}' && timeout 90 /usr/bin/chromium {} --screenshot='{}' '{}' 2>console.txt", d.string(), flags,
                  (d / "shot.png").string(), url);
  ASSERT_EQ(std::system(shot.c_str()), 0) << read_text(d / "console.txt");
  const auto png = inspect_png(d / "shot.png");
  ASSERT_TRUE(png.error.empty()) << png.error;
  EXPECT_EQ(png.width, 1100u);
  EXPECT_GT(png.non_white, png.width * png.height / 100) << "the screenshot is (nearly) blank";
  EXPECT_GE(png.distinct_colors, 4u);
  const auto console = read_text(d / "console.txt");
  EXPECT_EQ(console.find("CONSOLE"), std::string::npos) << console;  // no script messages, no load errors
  EXPECT_EQ(console.find("Failed to load"), std::string::npos) << console;

  const std::string dump = fmt::format(
      "cd '{}' && timeout 90 /usr/bin/chromium {} --dump-dom '{}' >dom.html 2>/dev/null", d.string(), flags, url);
  ASSERT_EQ(std::system(dump.c_str()), 0);
  const auto dom = read_text(d / "dom.html");
  std::size_t circles = 0;
  for (std::size_t p = dom.find("class=\"point\""); p != std::string::npos; p = dom.find("class=\"point\"", p + 1))
    ++circles;
  EXPECT_EQ(circles, 60u);
  EXPECT_NE(dom.find("class=\"change\""), std::string::npos);
}

TEST(history_cli, a_five_percent_step_stays_visible_next_to_an_extreme_sample) {
  temp_dir dir;
  const auto& d = dir.path();
  write_outlier_series(d);
  std::vector<std::string> record{"history", "record", "--db", "h.sqlite"};
  for (int i = 0; i < 30; ++i) record.push_back(fmt::format("outlier_{:03}.json", i));
  auto r = run_isobench(record, d);
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_isobench({"history", "detect", "--db", "h.sqlite"}, d);
  EXPECT_EQ(r.code, 7) << r.out << r.err;
  EXPECT_NE(r.out.find("at o020 (last good o019)"), std::string::npos) << r.out;
  r = run_isobench({"report", "--db", "h.sqlite", "-o", "site"}, d);
  ASSERT_EQ(r.code, 0) << r.err;
  fs::path page;
  for (const auto& e : fs::directory_iterator(d / "site" / "series")) page = e.path();
  const auto html = read_text(page);
  EXPECT_NE(html.find("p50 time per call (ms)"), std::string::npos);
  EXPECT_NE(html.find("class=\"clipped\""), std::string::npos) << "the 0.89 ms sample is marked on the edge";
  EXPECT_NE(html.find("id=\"scale-log\""), std::string::npos);
  EXPECT_NE(html.find("no verdicts recorded"), std::string::npos);

  ASSERT_TRUE(fs::exists("/usr/bin/chromium")) << "headless Chromium is needed (.ci/deps installs Debian's chromium)";
  const std::string shot = fmt::format(
      "cd '{}' && timeout 90 /usr/bin/chromium --headless --no-sandbox --disable-gpu --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync --user-data-dir='{}' "
      "--window-size=1100,800 --screenshot='{}' 'file://{}' 2>console.txt",
      d.string(), (d / "chrome-profile").string(), (d / "shot.png").string(), page.string());
  ASSERT_EQ(std::system(shot.c_str()), 0) << read_text(d / "console.txt");
  const auto png = inspect_png(d / "shot.png", rgb{0x12, 0x3c, 0x8c});  // the median marks' colour
  ASSERT_TRUE(png.error.empty()) << png.error;
  const auto rows = mark_rows(png);
  ASSERT_EQ(rows.size(), 30u) << "one median mark per point, all inside the screenshot";
  const double before = median_of({rows.begin(), rows.begin() + 20});
  const double after = median_of({rows.begin() + 20, rows.end()});
  // Slower is higher up: the 5% step must be plainly visible, not a pixel or two.
  EXPECT_GE(before - after, 10.0) << "median rows before " << before << ", after " << after;
}

}  // namespace
}  // namespace isobench::testing
