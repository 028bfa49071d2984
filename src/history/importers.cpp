#include "history/importers.hpp"

#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "io/atomic_file.hpp"
#include "io/json_document.hpp"
#include "isobench/error.hpp"

namespace isobench::history {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
constexpr std::size_t k_max_bytes = std::size_t{1} << 30;

std::string str(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

[[noreturn]] void fail(const fs::path& file, const std::string& why) {
  throw config_error(fmt::format("{}: {}", file.string(), why));
}

void import_result(const fs::path& file, const json& r, const import_options& o, const std::string& source,
                   batch& out) {
  const auto& env = r.value("environment", json::object());
  const auto& spec = r.value("spec", json::object());
  const std::string spec_name = spec.is_object() ? str(spec, "name") : std::string();
  const std::string build_type = str(env, "build_type");
  const std::string cpu = str(env, "cpu_model");
  const auto& device_info = r.value("device_info", json::object());
  const std::string produced = str(r, "timestamp").empty() ? utc_now_iso8601() : str(r, "timestamp");
  std::string parent = o.parent;
  if (parent.empty() && spec.is_object() && spec.contains("commit")) parent = str(spec["commit"], "parent");
  // `ab` results: each side's commit is its build's revision.
  std::map<std::string, std::string> build_revision;
  for (const auto& b : r.value("builds", json::array())) {
    const auto rev = !str(b, "user_revision").empty() ? str(b, "user_revision") : str(b, "git_revision");
    build_revision[str(b, "role")] = rev;
  }
  for (const auto& c : r.value("results", json::array())) {
    point p;
    const std::string device = str(c, "device");
    std::string machine = o.machine;
    if (machine.empty()) {
      const std::string gpu = device == "cuda" && device_info.is_object() ? str(device_info, "name") : std::string();
      machine = fmt::format("{}|{}|{}", cpu, gpu.empty() ? device : device + ":" + gpu, build_type);
    }
    p.key = {spec_name, str(c, "workload"), str(c, "implementation"), machine};
    p.impl_tag = str(c, "impl_tag");
    p.commit = !o.commit.empty()                  ? o.commit
               : !str(c, "commit_hash").empty()   ? str(c, "commit_hash")
               : build_revision.count(p.impl_tag) ? build_revision[p.impl_tag]
                                                  : str(r, "commit_hash");
    p.parent = parent;
    p.produced_at = produced;
    p.source = source;
    p.samples = c.value("samples_ms", std::vector<double>{});
    if (p.samples.empty() && c.contains("p50_ms") && c["p50_ms"].is_number()) p.samples = {c["p50_ms"].get<double>()};
    if (p.samples.empty()) continue;
    p.median = median_of(p.samples);
    p.environment = env;
    out.points.push_back(std::move(p));
  }
  for (const auto& v : r.value("verdicts", json::array())) {
    verdict_record vr;
    vr.spec = !str(v, "spec").empty() ? str(v, "spec") : spec_name;
    vr.workload = str(v, "workload");
    vr.baseline = str(v, "baseline");
    vr.candidate = str(v, "candidate");
    vr.machine = o.machine.empty() ? fmt::format("{}|{}", cpu, build_type) : o.machine;
    vr.head_commit = !o.commit.empty() ? o.commit : str(r, "commit_hash");
    vr.base_commit = parent;
    vr.verdict = str(v, "verdict");
    vr.speedup = v.value("speedup", 0.0);
    vr.ci_low = v.value("ci_low", 0.0);
    vr.ci_high = v.value("ci_high", 0.0);
    vr.p_value = v.contains("p_value") && v["p_value"].is_number() ? v["p_value"].get<double>() : 1.0;
    vr.produced_at = produced;
    vr.source = source;
    out.verdicts.push_back(std::move(vr));
  }
  (void)file;
}

double to_ms(double value, const std::string& unit) {
  if (unit == "ns") return value * 1e-6;
  if (unit == "us") return value * 1e-3;
  if (unit == "s") return value * 1e3;
  return value;  // ms
}

void import_gbench(const fs::path& file, const json& j, const import_options& o, batch& out) {
  if (o.commit.empty()) fail(file, "Google Benchmark JSON does not record the commit: pass --commit REV");
  const auto& ctx = j["context"];
  const std::string exe = fs::path(str(ctx, "executable")).filename().string();
  const std::string machine = !o.machine.empty()
                                  ? o.machine
                                  : fmt::format("{} ({} CPUs)|cpu|{}", str(ctx, "host_name"), ctx.value("num_cpus", 0),
                                                str(ctx, "library_build_type"));
  const std::string produced = str(ctx, "date").empty() ? utc_now_iso8601() : str(ctx, "date");
  // Repetitions ("iteration" runs) are the samples; a run reported only as aggregates
  // contributes its median (else mean) as one sample.
  std::map<std::string, point> by_name;
  std::map<std::string, double> aggregate;
  std::vector<std::string> order;
  for (const auto& b : j["benchmarks"]) {
    if (!b.is_object() || b.contains("error_occurred")) continue;
    const std::string run_name = !str(b, "run_name").empty() ? str(b, "run_name") : str(b, "name");
    const double t = to_ms(b.value("real_time", 0.0), b.value("time_unit", std::string("ns")));
    if (!by_name.count(run_name)) {
      order.push_back(run_name);
      point& p = by_name[run_name];
      p.key = {o.spec.empty() ? exe : o.spec, run_name, "gbench", machine};
      p.commit = o.commit;
      p.parent = o.parent;
      p.produced_at = produced;
      p.source = "gbench";
      p.environment = ctx;
    }
    if (str(b, "run_type") == "aggregate") {
      const auto agg = str(b, "aggregate_name");
      if (agg == "median" || (agg == "mean" && !aggregate.count(run_name))) aggregate[run_name] = t;
    } else {
      by_name[run_name].samples.push_back(t);
    }
  }
  for (const auto& name : order) {
    auto& p = by_name[name];
    if (p.samples.empty() && aggregate.count(name)) p.samples = {aggregate[name]};
    if (p.samples.empty()) continue;
    p.median = median_of(p.samples);
    out.points.push_back(std::move(p));
  }
}

std::string nv_value(const json& summary, const char* name) {
  for (const auto& d : summary.value("data", json::array())) {
    if (str(d, "name") == name) return d["value"].is_string() ? d["value"].get<std::string>() : d["value"].dump();
  }
  return {};
}

void import_nvbench(const fs::path& file, const json& j, const import_options& o, batch& out) {
  if (o.commit.empty()) fail(file, "nvbench JSON does not record the commit: pass --commit REV");
  std::map<long long, std::string> device_names;
  for (const auto& d : j.value("devices", json::array())) device_names[d.value("id", 0LL)] = str(d, "name");
  for (const auto& b : j["benchmarks"]) {
    for (const auto& st : b.value("states", json::array())) {
      if (st.value("is_skipped", false)) continue;
      point p;
      const auto dev = st.value("device", 0LL);
      p.key = {o.spec.empty() ? str(b, "name") : o.spec, str(st, "name"), str(b, "name"),
               o.machine.empty() ? fmt::format("{}|cuda:{}|", device_names[dev], device_names[dev]) : o.machine};
      p.commit = o.commit;
      p.parent = o.parent;
      p.produced_at = utc_now_iso8601();
      p.source = "nvbench";
      double mean_s = -1.0;
      for (const auto& s : st.value("summaries", json::array())) {
        const auto tag = str(s, "tag");
        if (tag == "nv/cold/time/gpu/mean")
          mean_s = std::stod(nv_value(s, "value").empty() ? "-1" : nv_value(s, "value"));
        if (tag.starts_with("nv/json/bin:") && tag.ends_with("sample_times")) {
          // Every sample, as little-endian float32 seconds, in a file next to the JSON.
          fs::path bin = nv_value(s, "filename");
          if (bin.is_relative()) bin = file.parent_path() / bin;
          std::ifstream in(bin, std::ios::binary);
          char buf[4];
          while (in.read(buf, 4) && p.samples.size() < 10'000'000) {
            float f = 0;
            std::memcpy(&f, buf, 4);
            p.samples.push_back(static_cast<double>(f) * 1e3);
          }
        }
      }
      if (p.samples.empty() && mean_s >= 0.0) p.samples = {mean_s * 1e3};
      if (p.samples.empty()) continue;
      p.median = median_of(p.samples);
      out.points.push_back(std::move(p));
    }
  }
}

void import_lines(const fs::path& file, const std::string& text, const import_options& o, batch& out) {
  std::size_t start = 0, line_no = 0;
  const std::string spec = o.spec.empty() ? file.stem().string() : o.spec;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    const auto line = text.substr(start, nl - start);
    start = nl + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto j = parse_json_document(line, fmt::format("{}:{}", file.string(), line_no), exit_code::invalid_config);
    point p;
    const double p50 = j.value("p50_ms", j.value("avg_ms", -1.0));
    if (p50 < 0) fail(file, fmt::format("line {}: no p50_ms or avg_ms", line_no));
    p.key = {spec, j.value("workload", std::string("default")), j.value("implementation", str(j, "impl_tag")),
             o.machine.empty() ? fmt::format("|{}|", str(j, "device")) : o.machine};
    p.commit = !o.commit.empty() ? o.commit : str(j, "commit_hash");
    if (p.commit.empty()) fail(file, fmt::format("line {}: no commit_hash: pass --commit REV", line_no));
    p.parent = o.parent;
    p.impl_tag = str(j, "impl_tag");
    p.produced_at = utc_now_iso8601();
    p.source = "isobench-line";
    p.samples = {p50};
    p.median = p50;
    p.environment = j;
    out.points.push_back(std::move(p));
  }
}

}  // namespace

std::string detect_format(const fs::path& file, const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) fail(file, "empty file");
  // One JSON object per line (ISO-Bench summary lines) parses only line by line.
  const auto nl = text.find('\n', first);
  if (nl != std::string::npos && text.find_first_not_of(" \t\r\n", nl) != std::string::npos) {
    try {
      const auto j = json::parse(text.substr(first, nl - first));
      if (j.is_object() && j.contains("impl_tag") && (j.contains("p50_ms") || j.contains("avg_ms"))) {
        return "isobench-lines";
      }
    } catch (const json::exception&) {
    }
  }
  const auto j = parse_json_document(text, file.string(), exit_code::invalid_config);
  if (!j.is_object()) fail(file, "expected a JSON object (a result file) or JSON lines");
  if (j.contains("impl_tag") && (j.contains("p50_ms") || j.contains("avg_ms"))) return "isobench-lines";
  if (j.contains("schema_version") && j.contains("results")) return "isobench-result";
  if (j.contains("suite") && j.contains("cases")) return "isobench-suite";
  if (j.contains("verdict_policy") && j.contains("verdicts")) return "isobench-compare";
  if (j.contains("context") && j.contains("benchmarks")) return "gbench";
  if (j.contains("benchmarks") && j["benchmarks"].is_array() && !j["benchmarks"].empty() &&
      j["benchmarks"][0].contains("states")) {
    return "nvbench";
  }
  fail(file,
       "not a format isobench imports (an isobench result, compare, suite or summary-line file; Google "
       "Benchmark JSON; nvbench JSON)");
}

batch import_file(const fs::path& file, const import_options& o) {
  const auto text = read_file(file, k_max_bytes, exit_code::invalid_config, "result");
  const auto format = detect_format(file, text);
  batch out;
  if (format == "isobench-lines") {
    import_lines(file, text, o, out);
    return out;
  }
  const auto j = parse_json_document(text, file.string(), exit_code::invalid_config);
  if (format == "isobench-result") {
    import_result(file, j, o, j.contains("builds") && !j["builds"].empty() ? "ab" : "run", out);
  } else if (format == "isobench-suite") {
    for (const auto& c : j["cases"]) {
      const auto rf = str(c, "result_file");
      if (rf.empty()) continue;
      const auto case_file = file.parent_path() / rf;
      const auto ct = read_file(case_file, k_max_bytes, exit_code::invalid_config, "result");
      import_result(case_file, parse_json_document(ct, case_file.string(), exit_code::invalid_config), o, "suite", out);
    }
  } else if (format == "isobench-compare") {
    json wrapped{{"verdicts", j["verdicts"]}, {"commit_hash", o.commit}};
    import_result(file, wrapped, o, "compare", out);
  } else if (format == "gbench") {
    import_gbench(file, j, o, out);
  } else {
    import_nvbench(file, j, o, out);
  }
  return out;
}

}  // namespace isobench::history
