#include "suite/suite_report.hpp"

#include <fmt/format.h>

#include "io/csv.hpp"

namespace isobench::detail {

namespace {

std::string number(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return {};
  if (j[key].is_number_float()) return fmt::format("{:.6g}", j[key].get<double>());
  if (j[key].is_number()) return j[key].dump();
  return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

std::string opt(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : std::string();
}

}  // namespace

nlohmann::json rows_from_result(const nlohmann::json& result, bool baseline_only) {
  nlohmann::json rows = nlohmann::json::array();
  const auto& results = result.value("results", nlohmann::json::array());
  auto peak_device = [&](const std::string& workload) {
    nlohmann::json peak = nullptr;
    for (const auto& r : results) {
      if (r.value("workload", "") != workload || !r.contains("peak_device_memory_bytes")) continue;
      const auto& p = r["peak_device_memory_bytes"];
      if (p.is_number() && (peak.is_null() || p.get<double>() > peak.get<double>())) peak = p;
    }
    return peak;
  };
  const auto& verdicts = result.value("verdicts", nlohmann::json::array());
  if (!verdicts.empty()) {
    for (const auto& v : verdicts) {
      const auto counters = v.value("candidate_counters", nlohmann::json::object());
      const auto workload = v.value("workload", "");
      rows.push_back({{"workload", workload},
                      {"baseline_ms", v.value("base_p50_ms", nlohmann::json(nullptr))},
                      {"candidate_ms", v.value("head_p50_ms", nlohmann::json(nullptr))},
                      {"speedup", v.value("speedup", nlohmann::json(nullptr))},
                      {"ci_low", v.value("ci_low", nlohmann::json(nullptr))},
                      {"ci_high", v.value("ci_high", nlohmann::json(nullptr))},
                      {"verdict", v.value("verdict", "")},
                      {"eq_level", v.value("candidate_eq_level", "")},
                      {"weight_bytes", counters.value("weight_bytes", nlohmann::json(nullptr))},
                      {"quant_rel_err", counters.value("quant_rel_err", nlohmann::json(nullptr))},
                      {"peak_device_memory_bytes", peak_device(workload)}});
    }
    return rows;
  }
  for (const auto& r : results) {
    const auto counters = r.value("counters", nlohmann::json::object());
    const auto workload = r.value("workload", "");
    nlohmann::json row{{"workload", workload},
                       {"implementation", r.value("implementation", "")},
                       {"baseline_ms", r.value("p50_ms", nlohmann::json(nullptr))},
                       {"candidate_ms", nullptr},
                       {"speedup", nullptr},
                       {"ci_low", nullptr},
                       {"ci_high", nullptr},
                       {"verdict", ""},
                       {"eq_level", r.value("eq_level", nlohmann::json(nullptr))},
                       {"weight_bytes", counters.value("weight_bytes", nlohmann::json(nullptr))},
                       {"quant_rel_err", counters.value("quant_rel_err", nlohmann::json(nullptr))},
                       {"peak_device_memory_bytes", r.value("peak_device_memory_bytes", nlohmann::json(nullptr))}};
    if (baseline_only) {
      // torchao's baseline row: the quantised model is the baseline, speedup 1.
      row["candidate_ms"] = row["baseline_ms"];
      row["speedup"] = 1.0;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

const std::vector<std::string>& suite_csv_columns() {
  static const std::vector<std::string> cols = {
      // torchao's microbenchmark CSV
      "name", "quantization", "sparsity", "m", "k", "n", "high_precision_dtype", "torch_compile_mode", "device",
      "model_type", "output_dir", "enable_profiler", "enable_memory_profiler",
      "baseline_model_eager_inference_time_in_ms", "quantized_model_eager_inference_time_in_ms",
      "baseline_model_compiled_inference_time_in_ms", "quantized_model_compiled_inference_time_in_ms",
      "eager speedup on baseline", "compile speedup on baseline", "eager vs compile speedup", "profiler_json_path",
      "memory_profile_path", "memory_visualization_path", "memory_stats",
      // isobench's
      "case_id", "workload", "status", "exit_code", "signal", "reason", "speedup_ci_low", "speedup_ci_high", "verdict",
      "eq_level", "weight_bytes", "quant_rel_err", "peak_host_memory_bytes", "peak_device_memory_bytes", "elapsed_s",
      "result_file"};
  return cols;
}

std::string suite_csv(const suite& s, const std::vector<case_record>& records, const std::string& output_dir) {
  std::string out;
  bool first = true;
  for (const auto& c : suite_csv_columns()) {
    if (!first) out += ',';
    out += csv_field(c);
    first = false;
  }
  out += '\n';
  for (const auto& r : records) {
    if (r.status == case_status::interrupted) continue;
    const suite_case* c = nullptr;
    for (const auto& k : s.cases) {
      if (k.id == r.id) c = &k;
    }
    if (c == nullptr) continue;
    auto line = [&](const nlohmann::json& row) {
      const std::string bool_profiler = c->enable_profiler ? "True" : "False";
      const std::string bool_mem = c->enable_memory_profiler ? "True" : "False";
      const std::vector<std::string> fields = {
          c->name,
          c->quantization,
          c->sparsity,
          opt(c->m),
          opt(c->k),
          opt(c->n),
          c->high_precision_dtype,
          c->torch_compile_mode,
          c->device,
          c->model_type,
          output_dir,
          bool_profiler,
          bool_mem,
          number(row, "baseline_ms"),
          number(row, "candidate_ms"),
          "",
          "",
          number(row, "speedup"),
          "",
          "",
          "",
          "",
          "",
          "",
          r.id,
          row.value("workload", ""),
          std::string(to_string(r.status)),
          r.exit_code ? std::to_string(*r.exit_code) : "",
          r.signal ? std::to_string(*r.signal) : "",
          r.reason,
          number(row, "ci_low"),
          number(row, "ci_high"),
          row.value("verdict", ""),
          row.contains("eq_level") && row["eq_level"].is_string() ? row["eq_level"].get<std::string>() : "",
          number(row, "weight_bytes"),
          number(row, "quant_rel_err"),
          r.peak_host_memory_bytes ? std::to_string(*r.peak_host_memory_bytes) : "",
          number(row, "peak_device_memory_bytes"),
          fmt::format("{:.3f}", r.elapsed_s),
          r.result_file};
      bool f = true;
      for (const auto& x : fields) {
        if (!f) out += ',';
        out += csv_field(x);
        f = false;
      }
      out += '\n';
    };
    if (r.rows.empty()) {
      line(nlohmann::json::object());
    } else {
      for (const auto& row : r.rows) line(row);
    }
  }
  return out;
}

}  // namespace isobench::detail
