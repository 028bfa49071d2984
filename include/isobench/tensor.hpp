#pragma once
// Host tensors: one type shared by kernels (their outputs), the reference store and the
// comparison. fp16/bf16 are stored as raw 16-bit patterns with conversion helpers.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "isobench/enum_string.hpp"
#include "isobench/placement.hpp"

namespace isobench {

enum class dtype : std::uint8_t { f32, f64, f16, bf16, i8, u8, i32, i64 };

std::size_t size_bytes(dtype type) noexcept;
bool is_floating(dtype type) noexcept;
// The spec's spelling: fp32, fp64, fp16, bf16, int8, uint8, int32, int64.
std::string_view to_string(dtype type) noexcept;
template <>
std::optional<dtype> from_string<dtype>(std::string_view text) noexcept;
// The safetensors spelling: F32, F64, F16, BF16, I8, U8, I32, I64.
std::string_view safetensors_name(dtype type) noexcept;
std::optional<dtype> parse_safetensors_dtype(std::string_view name) noexcept;

// Size arithmetic for buffers whose dimensions come from a spec: every product is overflow-checked.
// Elements (or bytes) of a shape; nullopt when a dimension is negative or a product exceeds 2^63.
std::optional<std::size_t> checked_numel(std::span<const std::int64_t> shape) noexcept;
std::optional<std::size_t> checked_size_bytes(dtype type, std::span<const std::int64_t> shape) noexcept;
// The product of `dims` as an element count for a buffer of `element_bytes`-byte elements; throws
// isobench::error (exit 4, out of memory) naming `what` when it overflows or its bytes exceed this
// machine's physical memory. Kernels size their own std::vectors with it.
std::size_t checked_count(std::initializer_list<std::int64_t> dims, std::size_t element_bytes, std::string_view what);
// Physical memory of this machine (no single buffer may exceed it).
std::size_t physical_memory_bytes() noexcept;

float half_to_float(std::uint16_t bits) noexcept;
std::uint16_t float_to_half(float value) noexcept;  // round to nearest even
float bf16_to_float(std::uint16_t bits) noexcept;
std::uint16_t float_to_bf16(float value) noexcept;  // round to nearest even

template <class T>
constexpr dtype dtype_of() = delete;
template <>
constexpr dtype dtype_of<float>() {
  return dtype::f32;
}
template <>
constexpr dtype dtype_of<double>() {
  return dtype::f64;
}
template <>
constexpr dtype dtype_of<std::int8_t>() {
  return dtype::i8;
}
template <>
constexpr dtype dtype_of<std::uint8_t>() {
  return dtype::u8;
}
template <>
constexpr dtype dtype_of<std::int32_t>() {
  return dtype::i32;
}
template <>
constexpr dtype dtype_of<std::int64_t>() {
  return dtype::i64;
}

// A dense row-major tensor in 64-byte aligned host memory, zero-initialised. Created inside a
// kernel's setup, its memory is placed by the arena (isobench/placement.hpp).
class tensor {
public:
  static constexpr std::size_t alignment_bytes = 64;

  tensor() = default;
  tensor(dtype type, std::vector<std::int64_t> shape);
  tensor(const tensor& other);
  tensor& operator=(const tensor& other);
  tensor(tensor&&) noexcept = default;
  tensor& operator=(tensor&&) noexcept = default;
  ~tensor() = default;

  [[nodiscard]] dtype type() const noexcept { return m_type; }
  [[nodiscard]] const std::vector<std::int64_t>& shape() const noexcept { return m_shape; }
  [[nodiscard]] std::size_t numel() const noexcept { return m_numel; }
  [[nodiscard]] std::size_t size_bytes() const noexcept { return m_numel * isobench::size_bytes(m_type); }

  [[nodiscard]] std::span<std::byte> bytes() noexcept { return {m_data.data(), size_bytes()}; }
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return {m_data.data(), size_bytes()}; }

  // Typed views; the element type must match dtype (std::uint16_t for fp16/bf16).
  template <class T>
  [[nodiscard]] std::span<T> as() {
    check_view(sizeof(T), is_typed_match<T>());
    return {reinterpret_cast<T*>(m_data.data()), m_numel};
  }
  template <class T>
  [[nodiscard]] std::span<const T> as() const {
    check_view(sizeof(T), is_typed_match<T>());
    return {reinterpret_cast<const T*>(m_data.data()), m_numel};
  }

  // Element i widened to double (fp16/bf16 decoded); used by comparison and reports.
  [[nodiscard]] double element(std::size_t i) const noexcept;

private:
  template <class T>
  bool is_typed_match() const noexcept {
    if constexpr (std::is_same_v<T, std::uint16_t>) {
      return m_type == dtype::f16 || m_type == dtype::bf16;
    } else {
      return m_type == dtype_of<std::remove_const_t<T>>();
    }
  }
  void check_view(std::size_t element_bytes, bool type_matches) const;

  dtype m_type = dtype::f32;
  std::vector<std::int64_t> m_shape;
  std::size_t m_numel = 0;
  placed_bytes m_data;
};

struct named_tensor {
  std::string name;
  tensor value;
};

std::string shape_to_string(std::span<const std::int64_t> shape);

}  // namespace isobench
