#include "history/importers.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "io/atomic_file.hpp"
#include "io/json_document.hpp"
#include "isobench/error.hpp"
#include "report/result.hpp"

namespace isobench::detail::history {

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

const char* type_name(const json& j) {
  return j.is_string()    ? "a string"
         : j.is_object()  ? "an object"
         : j.is_array()   ? "an array"
         : j.is_boolean() ? "a boolean"
         : j.is_null()    ? "null"
                          : "a number";
}

// obj[key] when it is an object (absent: an empty one); anything else names the field.
const json& object_at(const fs::path& file, const json& obj, const std::string& where, const char* key) {
  static const json empty = json::object();
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return empty;
  if (!it->is_object()) fail(file, fmt::format("{}{}: is {}; expected an object", where, key, type_name(*it)));
  return *it;
}

const json& array_at(const fs::path& file, const json& obj, const std::string& where, const char* key) {
  static const json empty = json::array();
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return empty;
  if (!it->is_array()) fail(file, fmt::format("{}{}: is {}; expected an array", where, key, type_name(*it)));
  return *it;
}

// A time: a finite number above zero (absent: nullopt).
std::optional<double> time_at(const fs::path& file, const json& obj, const std::string& where, const char* key) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) fail(file, fmt::format("{}{}: is {}; expected a positive number", where, key, type_name(*it)));
  const double t = it->get<double>();
  if (!std::isfinite(t) || t <= 0.0) fail(file, fmt::format("{}{}: {}; expected a positive time", where, key, t));
  return t;
}

std::optional<double> number_at(const fs::path& file, const json& obj, const std::string& where, const char* key) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) fail(file, fmt::format("{}{}: is {}; expected a number", where, key, type_name(*it)));
  return it->get<double>();
}

std::vector<double> times_at(const fs::path& file, const json& obj, const std::string& where, const char* key) {
  std::vector<double> out;
  const auto& a = array_at(file, obj, where, key);
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto name = fmt::format("{}{}[{}]", where, key, i);
    if (!a[i].is_number()) fail(file, fmt::format("{}: is {}; expected a positive number", name, type_name(a[i])));
    const double t = a[i].get<double>();
    if (!std::isfinite(t) || t <= 0.0) fail(file, fmt::format("{}: {}; expected a positive time", name, t));
    out.push_back(t);
  }
  return out;
}

void import_result(const fs::path& file, const json& r, const import_options& o, const std::string& source,
                   batch& out) {
  if (r.contains("schema_version")) {
    const auto& v = r["schema_version"];
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() != static_cast<std::uint64_t>(result_schema_version)) {
      fail(file,
           fmt::format("schema_version: {}; this isobench reads result schema {}", v.dump(), result_schema_version));
    }
  }
  const auto& env = object_at(file, r, "", "environment");
  const auto& spec = object_at(file, r, "", "spec");
  const std::string spec_name = str(spec, "name");
  const std::string build_type = str(env, "build_type");
  const std::string cpu = str(env, "cpu_model");
  const auto& device_info = object_at(file, r, "", "device_info");
  const std::string produced = str(r, "timestamp").empty() ? utc_now_iso8601() : str(r, "timestamp");
  std::string parent = o.parent;
  if (parent.empty()) parent = str(object_at(file, spec, "spec.", "commit"), "parent");
  // `ab` results: each side's commit is its build's revision.
  std::map<std::string, std::string> build_revision;
  for (const auto& b : array_at(file, r, "", "builds")) {
    if (!b.is_object()) fail(file, fmt::format("builds: an entry is {}; expected an object", type_name(b)));
    const auto rev = !str(b, "user_revision").empty() ? str(b, "user_revision") : str(b, "git_revision");
    build_revision[str(b, "role")] = rev;
  }
  const auto& results = array_at(file, r, "", "results");
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& c = results[i];
    const auto where = fmt::format("results[{}].", i);
    if (!c.is_object()) fail(file, fmt::format("results[{}]: is {}; expected an object", i, type_name(c)));
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
    p.samples = times_at(file, c, where, "samples_ms");
    if (p.samples.empty()) {
      if (const auto p50 = time_at(file, c, where, "p50_ms")) p.samples = {*p50};
    }
    if (p.samples.empty()) continue;
    p.median = median_of(p.samples);
    p.environment = env;
    out.points.push_back(std::move(p));
  }
  const auto& verdicts = array_at(file, r, "", "verdicts");
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const auto& v = verdicts[i];
    const auto where = fmt::format("verdicts[{}].", i);
    if (!v.is_object()) fail(file, fmt::format("verdicts[{}]: is {}; expected an object", i, type_name(v)));
    verdict_record vr;
    vr.spec = !str(v, "spec").empty() ? str(v, "spec") : spec_name;
    vr.workload = str(v, "workload");
    vr.baseline = str(v, "baseline");
    vr.candidate = str(v, "candidate");
    vr.machine = o.machine.empty() ? fmt::format("{}|{}", cpu, build_type) : o.machine;
    vr.head_commit = !o.commit.empty() ? o.commit : str(r, "commit_hash");
    vr.base_commit = parent;
    vr.verdict = str(v, "verdict");
    vr.speedup = number_at(file, v, where, "speedup").value_or(0.0);
    vr.ci_low = number_at(file, v, where, "ci_low").value_or(0.0);
    vr.ci_high = number_at(file, v, where, "ci_high").value_or(0.0);
    vr.p_value = number_at(file, v, where, "p_value").value_or(1.0);
    vr.produced_at = produced;
    vr.source = source;
    out.verdicts.push_back(std::move(vr));
  }
}

void import_gbench(const fs::path& file, const json& j, const import_options& o, batch& out) {
  if (o.commit.empty()) fail(file, "Google Benchmark JSON does not record the commit: pass --commit REV");
  const auto& ctx = j["context"];
  if (!ctx.is_object()) fail(file, fmt::format("context: is {}; expected an object", type_name(ctx)));
  const auto cpus = number_at(file, ctx, "context.", "num_cpus").value_or(0.0);
  const std::string exe = fs::path(str(ctx, "executable")).filename().string();
  const std::string machine = !o.machine.empty() ? o.machine
                                                 : fmt::format("{} ({} CPUs)|cpu|{}", str(ctx, "host_name"), cpus,
                                                               str(ctx, "library_build_type"));
  const std::string produced = str(ctx, "date").empty() ? utc_now_iso8601() : str(ctx, "date");
  // Repetitions ("iteration" runs) are the samples; a run reported only as aggregates
  // contributes its median (else mean) as one sample.
  std::map<std::string, point> by_name;
  std::map<std::string, double> aggregate;
  std::vector<std::string> order;
  const auto& benchmarks = array_at(file, j, "", "benchmarks");
  for (std::size_t i = 0; i < benchmarks.size(); ++i) {
    const auto& b = benchmarks[i];
    const auto where = fmt::format("benchmarks[{}].", i);
    if (!b.is_object()) fail(file, fmt::format("benchmarks[{}]: is {}; expected an object", i, type_name(b)));
    if (b.contains("error_occurred")) continue;
    if (str(b, "run_type") == "aggregate" && str(b, "aggregate_name") != "median" &&
        str(b, "aggregate_name") != "mean") {
      continue;  // stddev, cv, BigO, ...: not times of a run (stddev may be 0)
    }
    const std::string run_name = !str(b, "run_name").empty() ? str(b, "run_name") : str(b, "name");
    if (run_name.empty()) fail(file, where + "name: missing; expected the benchmark's name");
    const auto real_time = time_at(file, b, where, "real_time");
    if (!real_time) fail(file, where + "real_time: missing; expected a positive number");
    const std::string unit = b.contains("time_unit") ? str(b, "time_unit") : "ns";
    static const std::map<std::string, double> to_ms{{"ns", 1e-6}, {"us", 1e-3}, {"ms", 1.0}, {"s", 1e3}};
    if (!to_ms.count(unit)) {
      fail(file, fmt::format("{}time_unit: {}; expected ns, us, ms or s", where, b["time_unit"].dump()));
    }
    const double t = *real_time * to_ms.at(unit);
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
      if (agg == "median" || !aggregate.count(run_name)) aggregate[run_name] = t;
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

// A summary's datum `name` ("value", "filename"): nvbench writes values as strings.
std::optional<std::string> nv_value(const fs::path& file, const json& summary, const std::string& where,
                                    const char* name) {
  for (const auto& d : array_at(file, summary, where, "data")) {
    if (!d.is_object() || str(d, "name") != name) continue;
    const auto it = d.find("value");
    if (it == d.end()) break;
    return it->is_string() ? it->get<std::string>() : it->dump();
  }
  return std::nullopt;
}

// The sample-time file: little-endian float32 seconds, read like every other input (regular,
// bounded, never blocking on a FIFO).
std::vector<double> nv_samples(const fs::path& file, const fs::path& bin) {
  constexpr std::size_t max_samples = 10'000'000;
  const auto bytes = read_file(bin, max_samples * 4, exit_code::invalid_config, "nvbench sample-time");
  if (bytes.size() % 4 != 0) {
    fail(file, fmt::format("sample-time file {}: {} bytes; expected whole float32 values (a multiple of 4)",
                           bin.string(), bytes.size()));
  }
  std::vector<double> out(bytes.size() / 4);
  for (std::size_t i = 0; i < out.size(); ++i) {
    float f = 0;
    std::memcpy(&f, bytes.data() + 4 * i, 4);
    if (!std::isfinite(f) || f <= 0.0f) {
      fail(file, fmt::format("sample-time file {}: sample {} is {}; expected a positive time", bin.string(), i, f));
    }
    out[i] = static_cast<double>(f) * 1e3;
  }
  return out;
}

// nvbench's mean GPU time: a string holding a positive number of seconds.
double nv_mean_s(const fs::path& file, const json& summary, const std::string& where) {
  const auto text = nv_value(file, summary, where + ".", "value");
  double v = 0.0;
  if (text) {
    const char* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, v);
    if (ec == std::errc() && ptr == end && std::isfinite(v) && v > 0.0) return v;
  }
  fail(file, fmt::format("{} (nv/cold/time/gpu/mean): value {}; expected a positive number of seconds", where,
                         text ? *text : "missing"));
}

void import_nvbench_state(const fs::path& file, const json& b, const json& st, const std::string& where,
                          const import_options& o, std::map<long long, std::string>& device_names, batch& out) {
  point p;
  const auto dev = static_cast<long long>(number_at(file, st, where + ".", "device").value_or(0.0));
  p.key = {o.spec.empty() ? str(b, "name") : o.spec, str(st, "name"), str(b, "name"),
           o.machine.empty() ? fmt::format("{}|cuda:{}|", device_names[dev], device_names[dev]) : o.machine};
  p.commit = o.commit;
  p.parent = o.parent;
  p.produced_at = utc_now_iso8601();
  p.source = "nvbench";
  std::optional<double> mean_s;
  const auto& summaries = array_at(file, st, where + ".", "summaries");
  for (std::size_t k = 0; k < summaries.size(); ++k) {
    const auto& sm = summaries[k];
    const auto swhere = fmt::format("{}.summaries[{}]", where, k);
    if (!sm.is_object()) fail(file, fmt::format("{}: is {}; expected an object", swhere, type_name(sm)));
    const auto tag = str(sm, "tag");
    if (tag == "nv/cold/time/gpu/mean") mean_s = nv_mean_s(file, sm, swhere);
    if (tag.starts_with("nv/json/bin:") && tag.ends_with("sample_times")) {
      // Every sample, as little-endian float32 seconds, in a file next to the JSON.
      const auto name = nv_value(file, sm, swhere + ".", "filename");
      if (!name || name->empty()) fail(file, fmt::format("{} ({}): no filename", swhere, tag));
      fs::path bin = *name;
      if (bin.is_relative()) bin = file.parent_path() / bin;
      p.samples = nv_samples(file, bin);
    }
  }
  if (p.samples.empty() && mean_s) p.samples = {*mean_s * 1e3};
  if (p.samples.empty()) return;
  p.median = median_of(p.samples);
  out.points.push_back(std::move(p));
}

void import_nvbench(const fs::path& file, const json& j, const import_options& o, batch& out) {
  if (o.commit.empty()) fail(file, "nvbench JSON does not record the commit: pass --commit REV");
  std::map<long long, std::string> device_names;
  for (const auto& d : array_at(file, j, "", "devices")) {
    if (!d.is_object()) fail(file, fmt::format("devices: an entry is {}; expected an object", type_name(d)));
    device_names[static_cast<long long>(number_at(file, d, "devices[].", "id").value_or(0.0))] = str(d, "name");
  }
  const auto& benchmarks = array_at(file, j, "", "benchmarks");
  for (std::size_t bi = 0; bi < benchmarks.size(); ++bi) {
    const auto& b = benchmarks[bi];
    if (!b.is_object()) fail(file, fmt::format("benchmarks[{}]: is {}; expected an object", bi, type_name(b)));
    const auto& states = array_at(file, b, fmt::format("benchmarks[{}].", bi), "states");
    for (std::size_t si = 0; si < states.size(); ++si) {
      const auto& st = states[si];
      const auto where = fmt::format("benchmarks[{}].states[{}]", bi, si);
      if (!st.is_object()) fail(file, fmt::format("{}: is {}; expected an object", where, type_name(st)));
      if (st.contains("is_skipped") && st["is_skipped"] == true) continue;
      import_nvbench_state(file, b, st, where, o, device_names, out);
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
    if (!j.is_object()) fail(file, fmt::format("line {}: is {}; expected an object", line_no, type_name(j)));
    const auto where = fmt::format("line {}: ", line_no);
    auto p50_or_avg = time_at(file, j, where, "p50_ms");
    if (!p50_or_avg) p50_or_avg = time_at(file, j, where, "avg_ms");
    if (!p50_or_avg) fail(file, fmt::format("line {}: no p50_ms or avg_ms", line_no));
    const double p50 = *p50_or_avg;
    p.key = {spec, str(j, "workload").empty() ? std::string("default") : str(j, "workload"),
             str(j, "implementation").empty() ? str(j, "impl_tag") : str(j, "implementation"),
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
    for (const auto& c : array_at(file, j, "", "cases")) {
      if (!c.is_object()) fail(file, fmt::format("cases: an entry is {}; expected an object", type_name(c)));
      const auto rf = str(c, "result_file");
      if (rf.empty()) continue;
      const auto case_file = file.parent_path() / rf;
      const auto ct = read_file(case_file, k_max_bytes, exit_code::invalid_config, "result");
      import_result(case_file, parse_json_document(ct, case_file.string(), exit_code::invalid_config), o, "suite", out);
    }
  } else if (format == "isobench-compare") {
    json wrapped{{"verdicts", array_at(file, j, "", "verdicts")}, {"commit_hash", o.commit}};
    import_result(file, wrapped, o, "compare", out);
  } else if (format == "gbench") {
    import_gbench(file, j, o, out);
  } else {
    import_nvbench(file, j, o, out);
  }
  return out;
}

}  // namespace isobench::detail::history
