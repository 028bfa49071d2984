#include "device/device.hpp"

#include <fmt/format.h>

#include "isobench/error.hpp"

namespace isobench {

cuda_status probe_cuda() {
  cuda_status s;
  s.reason = "this isobench was built without the CUDA backend";
  return s;
}

device_kind resolve_device(device_request request, const cuda_status& cuda) {
  switch (request) {
    case device_request::cpu: return device_kind::cpu;
    case device_request::automatic: return cuda.available ? device_kind::cuda : device_kind::cpu;
    case device_request::cuda:
      if (!cuda.available) throw error(exit_code::unsupported, fmt::format("device cuda requested, but {}", cuda.reason));
      return device_kind::cuda;
  }
  return device_kind::cpu;
}

}  // namespace isobench
