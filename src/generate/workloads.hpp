#pragma once
// Realistic workloads for an op, from the model a commit names (Llama 3 8B when none) and
// torchao's shape rules for matrix products: every registered op's parameters filled the way its
// production callers would. An op without a rule gets its parameters' defaults, or a config_error
// naming the parameters that have none.

#include <string>

#include <nlohmann/json.hpp>

#include "generate/commit_clues.hpp"
#include "isobench/registry.hpp"

namespace isobench::detail {

struct generated_workloads {
  nlohmann::json workloads = nlohmann::json::array();
  std::string rule;  // how they were chosen, for the explanation
};

generated_workloads workloads_for(const kernel_info& k, device_kind device, const model_dims& model, bool model_named);

}  // namespace isobench::detail
