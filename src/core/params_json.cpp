#include "core/params_json.hpp"

#include <variant>

namespace isobench::detail {

nlohmann::json params_to_json(const params& p) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : p.items()) std::visit([&](const auto& x) { j[k] = x; }, v);
  return j;
}

}  // namespace isobench::detail
