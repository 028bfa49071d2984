#include "isobench/error.hpp"

#include <fmt/format.h>

#include "isobench/cuda.hpp"

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

template <>
std::optional<exit_code> from_string<exit_code>(std::string_view text) noexcept {
  static constexpr exit_code all[] = {exit_code::ok,
                                      exit_code::target_not_resolved,
                                      exit_code::unsupported,
                                      exit_code::opt_path_not_hit,
                                      exit_code::out_of_memory,
                                      exit_code::equivalence_failed,
                                      exit_code::invalid_config,
                                      exit_code::gate_failed,
                                      exit_code::reference_error,
                                      exit_code::io_error,
                                      exit_code::internal_error};
  return from_string_among(text, all);
}

void throw_error(exit_code code, const std::string& message) {
  switch (code) {
    case exit_code::invalid_config: throw config_error(message);
    case exit_code::reference_error: throw reference_error(message);
    case exit_code::io_error: throw io_error(message);
    default: throw error(code, message);
  }
}

namespace cuda {

void throw_cuda_error(int code, const char* name, const char* text, const char* call, const char* file, int line) {
  const auto message = fmt::format("{} failed at {}:{}: {} ({})", call, file, line, text, name);
  switch (code) {
    case 2: throw error(exit_code::out_of_memory, message);  // cudaErrorMemoryAllocation
    case 35:                                                 // cudaErrorInsufficientDriver
    case 100:                                                // cudaErrorNoDevice
    case 209:                                                // cudaErrorNoKernelImageForDevice
    case 222: throw error(exit_code::unsupported, message);  // cudaErrorUnsupportedPtxVersion
    default: throw error(exit_code::internal_error, message);
  }
}

}  // namespace cuda

}  // namespace isobench
