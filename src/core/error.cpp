#include "isobench/error.hpp"

namespace isobench {

const char* to_string(exit_code code) noexcept {
  switch (code) {
    case exit_code::ok: return "ok";
    case exit_code::target_not_resolved: return "target not resolved";
    case exit_code::unsupported: return "capability unsupported";
    case exit_code::opt_path_not_hit: return "optimized path not triggered";
    case exit_code::out_of_memory: return "memory insufficient";
    case exit_code::equivalence_failed: return "equivalence failed";
    case exit_code::invalid_config: return "invalid config or usage";
    case exit_code::gate_failed: return "gate failed";
    case exit_code::reference_error: return "reference error";
    case exit_code::io_error: return "I/O error";
    case exit_code::internal_error: return "internal error";
  }
  return "unknown";
}

void throw_error(exit_code code, const std::string& message) {
  switch (code) {
    case exit_code::invalid_config: throw config_error(message);
    case exit_code::reference_error: throw reference_error(message);
    case exit_code::io_error: throw io_error(message);
    default: throw error(code, message);
  }
}

}  // namespace isobench
