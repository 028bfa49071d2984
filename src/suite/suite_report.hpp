#pragma once
// A suite's results as torchao's CSV (its columns first, compiled-mode columns empty), then
// isobench's: status, reason, speedup CI, verdict, eq_level, weight_bytes, quant_rel_err, memory.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "suite/suite.hpp"
#include "suite/suite_runner.hpp"

namespace isobench::detail {

// One row per workload of an `isobench run` result (verdicts when baseline and candidate ran).
nlohmann::json rows_from_result(const nlohmann::json& result, bool baseline_only);

// The CSV header line's fields.
const std::vector<std::string>& suite_csv_columns();

// Every finished case: one line per row, or one line with its status when it has no rows.
std::string suite_csv(const suite& s, const std::vector<case_record>& records, const std::string& output_dir);

}  // namespace isobench::detail
