#pragma once
// Results into history points: isobench's own (`run` and `ab` result files, `compare` verdict
// JSON, `suite` results with their case files, the ISO-Bench summary lines of `run --stdout-json`)
// and other tools' (Google Benchmark `--benchmark_format=json` with repetitions or aggregates
// only, nvbench `--json` with its sample-time files). The format is recognised from the content.

#include <filesystem>
#include <string>

#include "history/model.hpp"

namespace isobench::detail::history {

struct import_options {
  std::string commit;  // for formats that do not record it (Google Benchmark, nvbench, compare)
  std::string parent;
  std::string spec;     // series name for formats without one (ISO-Bench lines: the file stem)
  std::string machine;  // overrides the machine fingerprint
};

// What a file is: "isobench-result", "isobench-compare", "isobench-suite", "isobench-lines",
// "gbench", "nvbench"; config_error for anything else.
std::string detect_format(const std::filesystem::path& file, const std::string& text);

// Throws config_error (exit 6) naming the file and what is missing.
batch import_file(const std::filesystem::path& file, const import_options& o);

}  // namespace isobench::detail::history
