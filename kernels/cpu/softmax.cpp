#include "cpu/softmax.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace isobench::kernels {

void softmax_reference(std::int64_t rows, std::int64_t cols, const float* in, float* out) {
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* x = in + r * cols;
    float* y = out + r * cols;
    double mx = -std::numeric_limits<double>::infinity();
    for (std::int64_t j = 0; j < cols; ++j) mx = std::max(mx, static_cast<double>(x[j]));
    double sum = 0.0;
    for (std::int64_t j = 0; j < cols; ++j) sum += std::exp(x[j] - mx);
    for (std::int64_t j = 0; j < cols; ++j) y[j] = static_cast<float>(std::exp(x[j] - mx) / sum);
  }
}

void softmax_three_pass(std::int64_t rows, std::int64_t cols, const float* in, float* out) {
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* x = in + r * cols;
    float* y = out + r * cols;
    float mx = -std::numeric_limits<float>::infinity();
    for (std::int64_t j = 0; j < cols; ++j) mx = std::max(mx, x[j]);
    float sum = 0.0F;
    for (std::int64_t j = 0; j < cols; ++j) {
      y[j] = std::exp(x[j] - mx);
      sum += y[j];
    }
    const float inv = 1.0F / sum;
    for (std::int64_t j = 0; j < cols; ++j) y[j] *= inv;
  }
}

void softmax_online(std::int64_t rows, std::int64_t cols, const float* in, float* out) {
  // Chunks keep the max comparison vectorisable; the running sum is rescaled once per chunk.
  constexpr std::int64_t chunk = 64;
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* x = in + r * cols;
    float* y = out + r * cols;
    float mx = -std::numeric_limits<float>::infinity();
    float sum = 0.0F;
    for (std::int64_t j0 = 0; j0 < cols; j0 += chunk) {
      const std::int64_t j1 = std::min(cols, j0 + chunk);
      float cmx = mx;
      for (std::int64_t j = j0; j < j1; ++j) cmx = std::max(cmx, x[j]);
      if (cmx > mx) {
        sum *= std::exp(mx - cmx);  // exp(-inf) = 0 on the first chunk
        mx = cmx;
      }
      for (std::int64_t j = j0; j < j1; ++j) sum += std::exp(x[j] - mx);
    }
    const float inv = 1.0F / sum;
    for (std::int64_t j = 0; j < cols; ++j) y[j] = std::exp(x[j] - mx) * inv;
  }
}

}  // namespace isobench::kernels
