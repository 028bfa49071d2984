#pragma once
// Linear layers y = x W + b on the host with the weight stored dense or quantized weight-only (what
// torchao's int8_weight_only and int4_weight_only do): activations stay fp32, weights are
// dequantised inside the product, so the quantized formats trade a little arithmetic for 4-8x
// fewer weight bytes read.
//
// Layout: x is m x k, W is k x n (in_features x out_features, i.e. PyTorch's weight transposed),
// y is m x n. Quantization groups run along k (the reduction), per output column, as in torchao.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "isobench/placement.hpp"

#include "cpu/gemm.hpp"

namespace isobench::kernels {

enum class weight_format : std::uint8_t {
  f32,   // 4 bytes per weight
  bf16,  // 2 bytes, round-to-nearest-even
  int8,  // 1 byte, symmetric, one fp32 scale per output column
  int4,  // 4 bits, asymmetric, fp32 scale and zero point per (group of k rows, output column)
};
std::string_view to_string(weight_format f) noexcept;

class linear_weight final : public gemm_b_source {
public:
  // Quantizes w (k x n, fp32). group_size applies to int4 and must be a positive multiple of 16.
  linear_weight(weight_format format, std::int64_t k, std::int64_t n, const float* w, std::int64_t group_size = 128);

  void read_row(std::int64_t p, std::int64_t j, std::int64_t count, float* out) const override;
  [[nodiscard]] float at(std::int64_t p, std::int64_t j) const;  // one dequantised weight

  [[nodiscard]] weight_format format() const noexcept { return m_format; }
  [[nodiscard]] std::int64_t k() const noexcept { return m_k; }
  [[nodiscard]] std::int64_t n() const noexcept { return m_n; }
  [[nodiscard]] std::int64_t group_size() const noexcept { return m_group; }
  // What the weight occupies in memory: values plus scales and zero points.
  [[nodiscard]] std::int64_t storage_bytes() const noexcept;

  // Raw storage, for the vectorised loops.
  struct storage_view {
    const float* f32;
    const std::uint16_t* bf16;
    const std::int8_t* int8;
    const std::uint8_t* int4;
    const float* scale;
    const float* zero;
    std::int64_t n, int4_row_bytes, group;
  };
  [[nodiscard]] storage_view storage() const noexcept;

private:
  weight_format m_format;
  std::int64_t m_k, m_n, m_group;
  std::int64_t m_int4_row_bytes = 0;  // n rounded up to 32 columns, two per byte
  scratch_vector<float> m_f32;
  scratch_vector<std::uint16_t> m_bf16;
  scratch_vector<std::int8_t> m_int8;
  scratch_vector<std::uint8_t> m_int4;  // per 32 columns: byte j holds column j (low) and j + 16 (high)
  scratch_vector<float> m_scale;        // int8: [n]; int4: [groups x n]
  scratch_vector<float> m_zero;         // int4: zero point, [groups x n]; w = (q - zero) x scale
};

// y = x W (+ bias). Decode-sized products (m <= gemv_max_rows) stream W once, a panel of 16 rows
// at a time, with every x row's accumulators in registers; larger ones go through gemm_blocked with
// W dequantised panel by panel while it is packed, so a full fp32 copy never exists.
class linear_op {
public:
  static constexpr std::int64_t gemv_max_rows = 4;

  linear_op(std::int64_t m, const linear_weight& w, int threads = 1);
  // `fusion` may add a LayerNorm of x and an epilogue (its b_source is replaced by the weight).
  void run(const float* x, const float* bias, float* y, const gemm_fusion& fusion = {});
  [[nodiscard]] bool gemv_path() const noexcept { return m_m <= gemv_max_rows; }

private:
  std::int64_t m_m;
  const linear_weight& m_w;
  gemm_blocked m_gemm;
  scratch_vector<float> m_x_norm;  // gemv path with a fused LayerNorm: the normalised rows
};

// How far a quantized layer's output is from the fp32 layer's: relative L2 error (||y - ref|| / ||ref||,
// or ||y - ref|| when ref is all zeros) and the largest absolute difference.
struct quant_error {
  double rel_l2 = 0.0;
  double max_abs = 0.0;
};
quant_error quantization_error(std::span<const float> y, std::span<const float> reference);

// Test oracle: double accumulation over the dequantised weight.
void linear_reference(std::int64_t m, const linear_weight& w, const float* x, const float* bias, float* y);

}  // namespace isobench::kernels
