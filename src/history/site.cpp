#include "history/site.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "io/atomic_file.hpp"

namespace isobench::history {

namespace {

constexpr const char* k_style = R"(<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1d1d1f;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.9rem}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}
th{background:#f4f4f6}.num{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:#b00020;font-weight:600}.good{color:#1b7f3b}.muted{color:#777}
svg text{font-size:11px;fill:#444}a{color:#0b57d0}
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

// The series plot: x = point index, y = time; a bar from the fastest to the slowest sample, a
// circle at the median, a dashed line before each change's first bad point.
std::string plot(const series_report& r, const site_options& o) {
  const double w = 960, h = 380, left = 70, right = 40, top = 20, bottom = 70;
  const auto& pts = r.points;
  if (pts.empty()) return "<p class=\"muted\">no points</p>";
  double lo = 1e300, hi = -1e300;
  for (const auto& p : pts) {
    for (double s : p.p.samples) {
      lo = std::min(lo, s);
      hi = std::max(hi, s);
    }
  }
  if (!(hi > lo)) {
    lo *= 0.99;
    hi = hi * 1.01 + 1e-12;
  }
  const double pad = 0.05 * (hi - lo);
  lo -= pad;
  hi += pad;
  const std::size_t n = pts.size();
  auto x = [&](std::size_t i) {
    return left + (n == 1 ? 0.5 : static_cast<double>(i) / static_cast<double>(n - 1)) * (w - left - right);
  };
  auto y = [&](double v) { return top + (hi - v) / (hi - lo) * (h - top - bottom); };
  std::string svg = fmt::format(
      "<svg class=\"plot\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-label=\"{} over commits\">",
      w, h, w, h, html_escape(r.series.key.text()));
  svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fafafa\" stroke=\"#ccc\"/>", left, top,
                     w - left - right, h - top - bottom);
  for (int t = 0; t <= 4; ++t) {
    const double v = lo + (hi - lo) * t / 4.0;
    svg += fmt::format(
        "<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e5e5e5\"/><text x=\"{}\" "
        "y=\"{:.1f}\" text-anchor=\"end\">{:.4g}</text>",
        left, w - right, y(v), y(v), left - 6, y(v) + 4, v);
  }
  svg += fmt::format("<text x=\"14\" y=\"{}\" transform=\"rotate(-90 14 {})\">{}</text>", h / 2, h / 2,
                     html_escape(r.series.unit));
  for (const auto& c : r.changes) {
    const double cx = (x(c.index - 1) + x(c.index)) / 2.0;
    svg += fmt::format(
        "<line class=\"change\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\" "
        "stroke-dasharray=\"5,4\" stroke-width=\"1.5\"/><text x=\"{:.1f}\" y=\"{}\">{}</text>",
        cx, cx, top, h - bottom, c.magnitude > 1 ? "#b00020" : "#1b7f3b", cx + 3, top + 12, pct(c.magnitude));
  }
  const std::size_t label_every = std::max<std::size_t>(1, n / 12);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& p = pts[i].p;
    const auto [mn, mx] = std::minmax_element(p.samples.begin(), p.samples.end());
    svg += fmt::format(
        "<line class=\"spread\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" "
        "stroke=\"#9bb7e0\"/>",
        x(i), x(i), y(*mn), y(*mx));
    svg += fmt::format(
        "<circle class=\"point\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"#0b57d0\"><title>{} "
        "median {:.6g} {} ({} samples)</title></circle>",
        x(i), y(p.median), html_escape(short_commit(p.commit)), p.median, html_escape(p.unit), p.samples.size());
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

void write_site(const std::filesystem::path& dir, const std::vector<series_report>& reports,
                const std::vector<series_change>& changes, const std::vector<verdict_record>& verdicts,
                const site_options& o) {
  auto page = [&](const std::string& title, const std::string& body) {
    return fmt::format(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>{}</head>"
        "<body>{}</body></html>\n",
        html_escape(title), k_style, body);
  };
  std::string index = fmt::format("<h1>{}</h1><p class=\"muted\">{} series, {} changes detected</p>",
                                  html_escape(o.title), reports.size(), changes.size());
  index +=
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
    index += fmt::format(
        "<tr><td><a href=\"series/{}.html\">{}/{}/{}</a></td><td>{}</td><td class=\"num\">{}</td>"
        "<td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
        s.id, html_escape(s.key.spec), html_escape(s.key.workload), html_escape(s.key.implementation),
        html_escape(s.key.machine), s.points, sparkline(r.points),
        r.points.empty() ? std::string() : fmt::format("{:.4g} {}", r.points.back().p.median, html_escape(s.unit)),
        last_change, latest_verdict);
  }
  index +=
      "</table><h2>Latest pairwise verdicts</h2><table><tr><th>spec</th><th>workload</th><th>implementations</th>"
      "<th class=\"num\">speedup [95% CI]</th><th>verdict</th><th>when</th></tr>" +
      verdict_rows(verdicts, "", "", 20) + "</table>";
  write_file_atomic(dir / "index.html", page(o.title, index), overwrite::allow);

  std::filesystem::create_directories(dir / "series");
  for (const auto& r : reports) {
    std::string body = fmt::format(
        "<p><a href=\"../index.html\">&larr; all series</a></p><h1>{}</h1><p class=\"muted\">"
        "{} &middot; {} points &middot; bars span the fastest to the slowest sample, circles "
        "are medians, dashed lines mark detected changes</p>",
        html_escape(r.series.key.text()), html_escape(r.series.key.machine), r.points.size());
    body += plot(r, o);
    body += "<h2>Detected changes</h2>";
    if (r.changes.empty()) {
      body += "<p class=\"muted\">none</p>";
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
    body +=
        "<h2>Pairwise verdicts</h2><table><tr><th>spec</th><th>workload</th><th>implementations</th><th class=\"num\">"
        "speedup [95% CI]</th><th>verdict</th><th>when</th></tr>" +
        verdict_rows(verdicts, r.series.key.spec, r.series.key.workload, 10) + "</table>";
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
  if (!verdicts.empty()) {
    md += "| latest verdicts | speedup [95% CI] | verdict |\n|---|---|---|\n";
    for (std::size_t i = 0; i < verdicts.size() && i < 10; ++i) {
      const auto& v = verdicts[i];
      md += fmt::format("| {}/{} {} vs {} | {:.3f}x [{:.3f}, {:.3f}] | {} |\n", md_cell(v.spec), md_cell(v.workload),
                        md_cell(v.candidate), md_cell(v.baseline), v.speedup, v.ci_low, v.ci_high, v.verdict);
    }
  }
  return md;
}

}  // namespace isobench::history
