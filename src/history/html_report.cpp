#include "history/html_report.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "io/atomic_file.hpp"

namespace isobench::detail::history {

namespace {

constexpr const char* k_style = R"(<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1d1d1f;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.9rem}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}
th{background:#f4f4f6}.num{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:#b00020;font-weight:600}.good{color:#1b7f3b}.muted{color:#777}
svg text{font-size:11px;fill:#444}a{color:#0b57d0}
.plot-log{display:none}#scale-log:checked~.plot-log{display:block}#scale-log:checked~.plot-linear{display:none}
</style>)";

std::string short_commit(const std::string& c) {
  return c.size() > 10 ? c.substr(0, 10) : c;
}

std::string commit_link(const std::string& commit, const site_options& o) {
  if (commit.empty()) return "<span class=\"muted\">?</span>";
  if (o.repo_url.empty()) return "<code>" + html_escape(short_commit(commit)) + "</code>";
  return fmt::format("<a href=\"{}/commit/{}\"><code>{}</code></a>", html_escape(o.repo_url), html_escape(commit),
                     html_escape(short_commit(commit)));
}

std::string pct(double ratio) {
  return fmt::format("{:+.2f}%", 100.0 * (ratio - 1.0));
}

std::string sparkline(const std::vector<stored_point>& pts) {
  const std::size_t n = std::min<std::size_t>(pts.size(), 60);
  if (n < 2) return "";
  const auto first = pts.size() - n;
  double lo = 1e300, hi = -1e300;
  for (std::size_t i = first; i < pts.size(); ++i) {
    lo = std::min(lo, pts[i].p.median);
    hi = std::max(hi, pts[i].p.median);
  }
  const double span = hi > lo ? hi - lo : 1.0;
  std::string poly;
  for (std::size_t i = first; i < pts.size(); ++i) {
    const double x = 2.0 + 116.0 * static_cast<double>(i - first) / static_cast<double>(n - 1);
    const double y = 22.0 - 20.0 * (pts[i].p.median - lo) / span;
    poly += fmt::format("{:.1f},{:.1f} ", x, y);
  }
  return fmt::format(
      "<svg class=\"spark\" width=\"120\" height=\"24\" viewBox=\"0 0 120 24\"><polyline points=\"{}\" "
      "fill=\"none\" stroke=\"#0b57d0\" stroke-width=\"1.5\"/></svg>",
      poly);
}

// Robust summary of one point's samples: the plot's bar, whiskers and marks.
struct point_box {
  double p5 = 0, q1 = 0, median = 0, q3 = 0, p95 = 0, min = 0, max = 0;
  std::size_t below = 0, above = 0;  // samples outside the whiskers
};

double quantile_sorted(const std::vector<double>& v, double q) {
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto i = static_cast<std::size_t>(pos);
  if (i + 1 >= v.size()) return v.back();
  return v[i] + (pos - static_cast<double>(i)) * (v[i + 1] - v[i]);
}

// Whisker ends are order statistics rounded inwards, not interpolated: interpolating towards one
// 40x sample among 20 would stretch the whisker (and so the plot's range) most of the way to it.
double whisker_sorted(const std::vector<double>& v, double q) {
  const double pos = q * static_cast<double>(v.size() - 1);
  return v[static_cast<std::size_t>(q < 0.5 ? std::ceil(pos) : std::floor(pos))];
}

point_box box_of(const point& p) {
  std::vector<double> v = p.samples;
  if (v.empty()) v = {p.median};
  std::sort(v.begin(), v.end());
  point_box b{whisker_sorted(v, 0.05),
              quantile_sorted(v, 0.25),
              p.median,
              quantile_sorted(v, 0.75),
              whisker_sorted(v, 0.95),
              v.front(),
              v.back()};
  b.below = static_cast<std::size_t>(std::lower_bound(v.begin(), v.end(), b.p5) - v.begin());
  b.above = static_cast<std::size_t>(v.end() - std::upper_bound(v.begin(), v.end(), b.p95));
  return b;
}

// Value -> pixel row. The range comes from the whiskers (p5-p95), never the extreme samples: one
// slow sample must not squash every median onto one line and hide a 5% step.
struct y_scale {
  double lo = 0, hi = 1, top = 0, height = 1;
  bool log = false;
  [[nodiscard]] double t(double v) const { return log ? std::log10(v) : v; }
  [[nodiscard]] double operator()(double v) const { return top + (t(hi) - t(v)) / (t(hi) - t(lo)) * height; }
  [[nodiscard]] bool inside(double v) const { return v >= lo && v <= hi; }
};

y_scale make_scale(const std::vector<point_box>& boxes, bool log, double top, double height) {
  double lo = 1e300, hi = -1e300;
  for (const auto& b : boxes) {
    lo = std::min(lo, b.p5);
    hi = std::max(hi, b.p95);
  }
  y_scale s{lo, hi, top, height, log};
  if (log) {
    const double pad = std::pow(hi / lo, 0.05);
    s.lo = !(hi > lo) ? lo / 1.01 : lo / pad;
    s.hi = !(hi > lo) ? hi * 1.01 : hi * pad;
  } else {
    const double pad = hi > lo ? 0.05 * (hi - lo) : 0.01 * std::abs(hi) + 1e-12;
    s.lo = lo - pad;
    s.hi = hi + pad;
  }
  return s;
}

std::string y_label(const std::string& unit) {
  static const std::vector<std::string> times{"ns", "us", "µs", "ms", "s"};
  const bool time = std::find(times.begin(), times.end(), unit) != times.end();
  return fmt::format("p50 {}({})", time ? "time per call " : "", unit);
}

// A sample beyond the whiskers: a small mark, or, past the plot's edge, a triangle on the edge.
std::string outlier_mark(double x, double v, std::size_t count, const y_scale& y, const std::string& unit) {
  const std::string title =
      fmt::format("<title>{} sample(s) beyond the whisker, extreme {:.6g} {}</title>", count, v, html_escape(unit));
  if (y.inside(v)) {
    return fmt::format(
        "<circle class=\"outlier\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2\" fill=\"none\" stroke=\"#888\">{}"
        "</circle>",
        x, y(v), title);
  }
  const bool up = v > y.hi;
  const double e = up ? y.top : y.top + y.height;
  const double tip = up ? e - 1 : e + 1, base = up ? e + 7 : e - 7;
  return fmt::format(
      "<polygon class=\"clipped\" points=\"{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}\" fill=\"#e07000\">{}</polygon>",
      x, tip, x - 4, base, x + 4, base, title);
}

std::string plot_frame(const series_report& r, const y_scale& y, double w, double h, double left, double right) {
  std::string svg = fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fafafa\" stroke=\"#ccc\"/>",
                                left, y.top, w - left - right, y.height);
  for (int t = 0; t <= 4; ++t) {
    const double f = t / 4.0;
    const double v = y.log ? std::pow(10.0, y.t(y.lo) + (y.t(y.hi) - y.t(y.lo)) * f) : y.lo + (y.hi - y.lo) * f;
    svg += fmt::format(
        "<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e5e5e5\"/><text x=\"{}\" "
        "y=\"{:.1f}\" text-anchor=\"end\">{:.4g}</text>",
        left, w - right, y(v), y(v), left - 6, y(v) + 4, v);
  }
  svg += fmt::format(
      "<text class=\"ylabel\" x=\"14\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {})\">{}{}</text>",
      h / 2 - 20, h / 2 - 20, html_escape(y_label(r.series.unit)), y.log ? ", log scale" : "");
  return svg;
}

// The series plot: x = point index; per point a whisker (p5-p95), a bar (interquartile range), a
// mark at the median, marks for the extreme samples beyond the whiskers; a dashed line before each
// change's first bad point.
std::string plot(const series_report& r, const site_options& o, bool log) {
  const double w = 960, h = 380, left = 70, right = 40, top = 20, bottom = 70;
  const auto& pts = r.points;
  if (pts.empty()) return "<p class=\"muted\">no points</p>";
  std::vector<point_box> boxes;
  for (const auto& p : pts) boxes.push_back(box_of(p.p));
  const y_scale y = make_scale(boxes, log, top, h - top - bottom);
  const std::size_t n = pts.size();
  auto x = [&](std::size_t i) {
    return left + (n == 1 ? 0.5 : static_cast<double>(i) / static_cast<double>(n - 1)) * (w - left - right);
  };
  std::string svg = fmt::format(
      "<svg class=\"plot\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-label=\"{} over commits\">",
      w, h, w, h, html_escape(r.series.key.text()));
  svg += plot_frame(r, y, w, h, left, right);
  for (const auto& c : r.changes) {
    const double cx = (x(c.index - 1) + x(c.index)) / 2.0;
    svg += fmt::format(
        "<line class=\"change\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\" "
        "stroke-dasharray=\"5,4\" stroke-width=\"1.5\"/><text x=\"{:.1f}\" y=\"{}\">{}</text>",
        cx, cx, top, h - bottom, c.magnitude > 1 ? "#b00020" : "#1b7f3b", cx + 3, top + 12, pct(c.magnitude));
  }
  const auto clip = [&](double v) { return std::clamp(y(v), top, h - bottom); };
  const std::size_t label_every = std::max<std::size_t>(1, n / 12);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& p = pts[i].p;
    const auto& b = boxes[i];
    svg += fmt::format(
        "<line class=\"whisker\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\" stroke=\"#9bb7e0\"/>"
        "<rect class=\"iqr\" x=\"{3:.1f}\" y=\"{4:.1f}\" width=\"6\" height=\"{5:.1f}\" fill=\"#c9daf3\" "
        "stroke=\"#7a9fd6\" stroke-width=\"0.8\"/>",
        x(i), clip(b.p5), clip(b.p95), x(i) - 3, clip(b.q3), std::max(0.5, clip(b.q1) - clip(b.q3)));
    if (b.below > 0) svg += outlier_mark(x(i), b.min, b.below, y, p.unit);
    if (b.above > 0) svg += outlier_mark(x(i), b.max, b.above, y, p.unit);
    svg += fmt::format(
        "<circle class=\"{}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3.5\" fill=\"#123c8c\"><title>{} median {:.6g} {}, "
        "IQR [{:.6g}, {:.6g}], p5-p95 [{:.6g}, {:.6g}] ({} samples)</title></circle>",
        log ? "point log" : "point", x(i), y(b.median), html_escape(short_commit(p.commit)), b.median,
        html_escape(p.unit), b.q1, b.q3, b.p5, b.p95, p.samples.size());
    if (i % label_every == 0 || i + 1 == n) {
      const std::string label = html_escape(short_commit(p.commit).substr(0, 7));
      const std::string text = fmt::format("<text x=\"{:.1f}\" y=\"{}\" transform=\"rotate(45 {:.1f} {})\">{}</text>",
                                           x(i), h - bottom + 14, x(i), h - bottom + 14, label);
      svg += o.repo_url.empty() || p.commit.empty()
                 ? text
                 : fmt::format("<a href=\"{}/commit/{}\">{}</a>", html_escape(o.repo_url), html_escape(p.commit), text);
    }
  }
  return svg + "</svg>";
}

// Linear and log renderings of one plot, switched by two radio buttons and CSS alone (static HTML:
// no script, nothing loaded). A log scale needs positive values.
std::string plots(const series_report& r, const site_options& o) {
  if (r.points.empty()) return "<p class=\"muted\">no points</p>";
  bool positive = true;
  for (const auto& p : r.points) {
    const auto b = box_of(p.p);
    positive = positive && b.p5 > 0;
  }
  if (!positive) return plot(r, o, false);
  return "<div class=\"scales\"><input type=\"radio\" name=\"scale\" id=\"scale-linear\" checked>"
         "<label for=\"scale-linear\">linear</label> <input type=\"radio\" name=\"scale\" id=\"scale-log\">"
         "<label for=\"scale-log\">log scale</label><div class=\"plot-linear\">" +
         plot(r, o, false) + "</div><div class=\"plot-log\">" + plot(r, o, true) + "</div></div>";
}

std::string verdict_rows(const std::vector<verdict_record>& verdicts, const std::string& spec,
                         const std::string& workload, std::size_t limit) {
  std::string rows;
  std::size_t shown = 0;
  for (const auto& v : verdicts) {
    if ((!spec.empty() && v.spec != spec) || (!workload.empty() && v.workload != workload)) continue;
    if (shown++ == limit) break;
    const bool bad = v.verdict == "REGRESSED" || v.verdict == "FAIL" || v.verdict == "ERROR";
    rows += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{} vs {}</td><td class=\"num\">{:.3f}x [{:.3f}, {:.3f}]</td>"
        "<td class=\"{}\">{}</td><td>{}</td></tr>",
        html_escape(v.spec), html_escape(v.workload), html_escape(v.candidate), html_escape(v.baseline), v.speedup,
        v.ci_low, v.ci_high, bad ? "bad" : "good", html_escape(v.verdict), html_escape(v.produced_at));
  }
  return rows;
}

// A table, or a sentence saying there is nothing to show (never a bare header).
std::string verdict_table(const std::vector<verdict_record>& verdicts, const std::string& spec,
                          const std::string& workload, std::size_t limit) {
  const std::string rows = verdict_rows(verdicts, spec, workload, limit);
  if (rows.empty()) return "<p class=\"muted\">no verdicts recorded</p>";
  return "<table><tr><th>spec</th><th>workload</th><th>implementations</th><th class=\"num\">speedup [95% CI]</th>"
         "<th>verdict</th><th>when</th></tr>" +
         rows + "</table>";
}

}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

namespace {

// index.html: every series with a sparkline, its latest median, last change and latest verdict.
std::string index_body(const std::vector<series_report>& reports, const std::vector<series_change>& changes,
                       const std::vector<verdict_record>& verdicts, const site_options& o) {
  std::string index = fmt::format("<h1>{}</h1><p class=\"muted\">{} series, {} changes detected</p>",
                                  html_escape(o.title), reports.size(), changes.size());
  std::string series_rows =
      "<table><tr><th>series</th><th>machine</th><th class=\"num\">points</th><th>recent</th><th class=\"num\">"
      "latest median</th><th>last change</th><th>latest verdict</th></tr>";
  for (const auto& r : reports) {
    const auto& s = r.series;
    std::string last_change = "<span class=\"muted\">none</span>";
    if (!r.changes.empty()) {
      const auto& c = r.changes.back();
      last_change =
          fmt::format("<span class=\"{}\">{}</span> at {}{}", c.magnitude > 1 ? "bad" : "good", pct(c.magnitude),
                      commit_link(r.points[c.index].p.commit, o), c.persists ? "" : " (gone)");
    }
    std::string latest_verdict = "<span class=\"muted\">none</span>";
    for (const auto& v : verdicts) {
      if (v.spec == s.key.spec && v.workload == s.key.workload) {
        latest_verdict =
            fmt::format("{} {:.3f}x [{:.3f}, {:.3f}]", html_escape(v.verdict), v.speedup, v.ci_low, v.ci_high);
        break;
      }
    }
    series_rows += fmt::format(
        "<tr><td><a href=\"series/{}.html\">{}/{}/{}</a></td><td>{}</td><td class=\"num\">{}</td>"
        "<td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
        s.id, html_escape(s.key.spec), html_escape(s.key.workload), html_escape(s.key.implementation),
        html_escape(s.key.machine), s.points, sparkline(r.points),
        r.points.empty() ? std::string() : fmt::format("{:.4g} {}", r.points.back().p.median, html_escape(s.unit)),
        last_change, latest_verdict);
  }
  index += reports.empty() ? "<p class=\"muted\">no series recorded</p>" : series_rows + "</table>";
  index += "<h2>Latest pairwise verdicts</h2>" + verdict_table(verdicts, "", "", 20);
  return index;
}

}  // namespace

void write_site(const std::filesystem::path& dir, const std::vector<series_report>& reports,
                const std::vector<series_change>& changes, const std::vector<verdict_record>& verdicts,
                const site_options& o) {
  auto page = [&](const std::string& title, const std::string& body) {
    return fmt::format(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>{}</head>"
        "<body>{}</body></html>\n",
        html_escape(title), k_style, body);
  };
  const std::string index = index_body(reports, changes, verdicts, o);
  write_file_atomic(dir / "index.html", page(o.title, index), overwrite::allow);

  std::filesystem::create_directories(dir / "series");
  for (const auto& r : reports) {
    std::string body = fmt::format(
        "<p><a href=\"../index.html\">&larr; all series</a></p><h1>{}</h1><p class=\"muted\">"
        "{} &middot; {} points &middot; circles are medians, bars the middle half of the samples (25th-75th "
        "percentile), whiskers the 5th-95th; a sample beyond them is a ring, or a triangle on the edge when it "
        "lies outside the plot; dashed lines mark detected changes</p>",
        html_escape(r.series.key.text()), html_escape(r.series.key.machine), r.points.size());
    body += plots(r, o);
    body += "<h2>Detected changes</h2>";
    if (r.changes.empty()) {
      body += "<p class=\"muted\">no changes detected</p>";
    } else {
      body +=
          "<table class=\"changes\"><tr><th>first bad commit</th><th>last good commit</th><th class=\"num\">change "
          "[95% CI]</th><th class=\"num\">p</th><th>persists</th></tr>";
      for (const auto& c : r.changes) {
        body += fmt::format(
            "<tr><td>{}</td><td>{}</td><td class=\"num {}\">{} [{}, {}]</td><td class=\"num\">{:.2g}"
            "</td><td>{}</td></tr>",
            commit_link(r.points[c.index].p.commit, o),
            commit_link(c.index > 0 ? r.points[c.index - 1].p.commit : std::string(), o),
            c.magnitude > 1 ? "bad" : "good", pct(c.magnitude), pct(c.ci_low), pct(c.ci_high), c.p_value,
            c.persists ? "yes" : "no");
      }
      body += "</table>";
    }
    body += "<h2>Pairwise verdicts</h2>" + verdict_table(verdicts, r.series.key.spec, r.series.key.workload, 10);
    write_file_atomic(dir / "series" / fmt::format("{}.html", r.series.id), page(r.series.key.text(), body),
                      overwrite::allow);
  }
}

namespace {
std::string md_cell(std::string_view s) {
  std::string out;
  for (char ch : s) {
    if (ch == '|') out += '\\';
    if (ch != '\n') out += ch;
  }
  return out;
}
}  // namespace

std::string markdown_summary(const std::vector<series_report>& reports, const std::vector<series_change>& changes,
                             const std::vector<verdict_record>& verdicts, const site_options& o) {
  std::string md =
      fmt::format("### {}\n\n{} series, {} detected changes.\n\n", o.title, reports.size(), changes.size());
  if (!changes.empty()) {
    md += "| series | change [95% CI] | first bad | last good | p | persists |\n|---|---|---|---|---|---|\n";
    auto sorted = changes;
    std::stable_sort(sorted.begin(), sorted.end(), [](const series_change& a, const series_change& b) {
      return (a.is_new && a.regression) > (b.is_new && b.regression);
    });
    for (const auto& c : sorted) {
      auto link = [&](const std::string& h) {
        if (h.empty()) return std::string("?");
        return o.repo_url.empty() ? fmt::format("`{}`", short_commit(h))
                                  : fmt::format("[`{}`]({}/commit/{})", short_commit(h), o.repo_url, h);
      };
      md += fmt::format("| {}{} | {} [{}, {}] | {} | {} | {:.2g} | {} |\n", c.regression ? "🔴 " : "🟢 ",
                        md_cell(c.series.key.text()), pct(c.c.magnitude), pct(c.c.ci_low), pct(c.c.ci_high),
                        link(c.first_bad_commit), link(c.last_good_commit), c.c.p_value, c.c.persists ? "yes" : "no");
    }
    md += "\n";
  }
  if (verdicts.empty()) {
    md += "No verdicts recorded.\n";
  } else {
    md += "| latest verdicts | speedup [95% CI] | verdict |\n|---|---|---|\n";
    for (std::size_t i = 0; i < verdicts.size() && i < 10; ++i) {
      const auto& v = verdicts[i];
      md += fmt::format("| {}/{} {} vs {} | {:.3f}x [{:.3f}, {:.3f}] | {} |\n", md_cell(v.spec), md_cell(v.workload),
                        md_cell(v.candidate), md_cell(v.baseline), v.speedup, v.ci_low, v.ci_high, v.verdict);
    }
  }
  return md;
}

}  // namespace isobench::detail::history
