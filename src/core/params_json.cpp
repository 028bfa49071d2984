#include "core/params_json.hpp"

#include <variant>

namespace isobench::detail {

nlohmann::json params_to_json(const params& p) {
  nlohmann::json j = nlohmann::json::object();
  // The key through an init-capture: clang before 16 cannot capture a structured binding.
  for (const auto& [k, v] : p.items()) std::visit([&j, &key = k](const auto& x) { j[key] = x; }, v);
  return j;
}

}  // namespace isobench::detail
