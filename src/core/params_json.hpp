#pragma once
// A workload's parameters as a JSON object ({"m": 16, "name": "x", ...}): shared by results and
// references, which both record them.

#include <nlohmann/json.hpp>

#include "isobench/kernel.hpp"

namespace isobench::detail {

nlohmann::json params_to_json(const params& p);

}  // namespace isobench::detail
