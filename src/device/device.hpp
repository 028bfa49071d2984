#pragma once
// Which device a run uses. CPU is always there; CUDA only when compiled in and a device answers.

#include <string>

#include "isobench/kernel.hpp"
#include "spec/spec.hpp"

namespace isobench {

struct cuda_status {
  bool compiled = false;   // this binary has the CUDA backend
  bool available = false;  // a usable device is present
  std::string reason;      // why not, when unavailable
};

cuda_status probe_cuda();

// auto: CUDA when available, else CPU. cuda without a device throws exit_code::unsupported
// saying why.
device_kind resolve_device(device_request request, const cuda_status& cuda);

}  // namespace isobench
