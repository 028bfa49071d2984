#include "isobench/tensor.hpp"

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <new>

#include <fmt/format.h>

#include "isobench/error.hpp"

namespace isobench {

namespace {

struct dtype_row {
  dtype type;
  std::size_t bytes;
  std::string_view spec_name;
  std::string_view st_name;
  bool floating;
};

constexpr dtype_row k_dtypes[] = {
    {dtype::f32, 4, "fp32", "F32", true},   {dtype::f64, 8, "fp64", "F64", true},
    {dtype::f16, 2, "fp16", "F16", true},   {dtype::bf16, 2, "bf16", "BF16", true},
    {dtype::i8, 1, "int8", "I8", false},    {dtype::u8, 1, "uint8", "U8", false},
    {dtype::i32, 4, "int32", "I32", false}, {dtype::i64, 8, "int64", "I64", false},
};

const dtype_row& row(dtype t) noexcept {
  return k_dtypes[static_cast<std::size_t>(t)];
}

}  // namespace

std::size_t size_bytes(dtype type) noexcept {
  return row(type).bytes;
}
bool is_floating(dtype type) noexcept {
  return row(type).floating;
}
std::string_view to_string(dtype type) noexcept {
  return row(type).spec_name;
}

template <>
std::optional<dtype> from_string<dtype>(std::string_view text) noexcept {
  static constexpr dtype all[] = {dtype::f32, dtype::f64, dtype::f16, dtype::bf16,
                                  dtype::i8,  dtype::u8,  dtype::i32, dtype::i64};
  return from_string_among(text, all);
}

std::string_view safetensors_name(dtype type) noexcept {
  return row(type).st_name;
}

std::optional<dtype> parse_safetensors_dtype(std::string_view name) noexcept {
  for (const auto& r : k_dtypes) {
    if (r.st_name == name) return r.type;
  }
  return std::nullopt;
}

float half_to_float(std::uint16_t h) noexcept {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  std::uint32_t exponent = (h >> 10) & 0x1fu;
  std::uint32_t mantissa = h & 0x3ffu;
  std::uint32_t bits = 0;
  if (exponent == 0x1f) {  // inf / nan
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else if (exponent == 0) {
    if (mantissa == 0) {
      bits = sign;
    } else {  // subnormal: renormalise
      int shift = 0;
      while ((mantissa & 0x400u) == 0) {
        mantissa <<= 1;
        ++shift;
      }
      mantissa &= 0x3ffu;
      bits = sign | (static_cast<std::uint32_t>(127 - 15 - shift + 1) << 23) | (mantissa << 13);
    }
  } else {
    bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
  }
  return std::bit_cast<float>(bits);
}

std::uint16_t float_to_half(float value) noexcept {
  const std::uint32_t f = std::bit_cast<std::uint32_t>(value);
  const std::uint32_t sign = (f >> 16) & 0x8000u;
  const std::uint32_t abs = f & 0x7fffffffu;
  if (abs >= 0x7f800000u) {  // inf or nan (keep nan quiet and non-zero)
    return static_cast<std::uint16_t>(sign | 0x7c00u | (abs > 0x7f800000u ? 0x200u : 0u));
  }
  if (abs >= 0x477ff000u) return static_cast<std::uint16_t>(sign | 0x7c00u);  // overflow
  if (abs < 0x38800000u) {                                                    // subnormal or zero in half precision
    if (abs < 0x33000000u) return static_cast<std::uint16_t>(sign);           // below half of min subnormal
    const std::uint32_t mantissa = (abs & 0x7fffffu) | 0x800000u;
    const int shift = 126 - static_cast<int>(abs >> 23);  // 14..24
    const std::uint32_t half_m = mantissa >> shift;
    const std::uint32_t rem = mantissa & ((1u << shift) - 1u);
    const std::uint32_t halfway = 1u << (shift - 1);
    std::uint32_t result = half_m;
    if (rem > halfway || (rem == halfway && (half_m & 1u))) ++result;
    return static_cast<std::uint16_t>(sign | result);
  }
  std::uint32_t result = ((abs >> 23) - 127 + 15) << 10 | ((abs >> 13) & 0x3ffu);
  const std::uint32_t rem = abs & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (result & 1u))) ++result;  // may carry into exponent
  return static_cast<std::uint16_t>(sign | result);
}

float bf16_to_float(std::uint16_t bits) noexcept {
  return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16);
}

std::uint16_t float_to_bf16(float value) noexcept {
  const std::uint32_t f = std::bit_cast<std::uint32_t>(value);
  if ((f & 0x7fffffffu) > 0x7f800000u) return static_cast<std::uint16_t>((f >> 16) | 0x40u);  // nan
  const std::uint32_t rounding = 0x7fffu + ((f >> 16) & 1u);
  return static_cast<std::uint16_t>((f + rounding) >> 16);
}

std::optional<std::size_t> checked_numel(std::span<const std::int64_t> shape) noexcept {
  constexpr auto limit = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  std::size_t n = 1;
  for (auto d : shape) {
    if (d < 0) return std::nullopt;
    if (d != 0 && n > limit / static_cast<std::size_t>(d)) {
      // Overflow, unless a later dimension is zero.
      if (std::find(shape.begin(), shape.end(), 0) != shape.end()) return 0;
      return std::nullopt;
    }
    n *= static_cast<std::size_t>(d);
  }
  return n;
}

std::optional<std::size_t> checked_size_bytes(dtype type, std::span<const std::int64_t> shape) noexcept {
  const auto n = checked_numel(shape);
  const std::size_t e = size_bytes(type);
  if (!n || *n > static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max()) / e) return std::nullopt;
  return *n * e;
}

std::size_t physical_memory_bytes() noexcept {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return std::numeric_limits<std::size_t>::max();
  return static_cast<std::size_t>(pages) * static_cast<std::size_t>(page);
}

namespace {

[[noreturn]] void too_large(std::string_view what, std::optional<std::size_t> bytes) {
  throw error(exit_code::out_of_memory,
              bytes ? fmt::format("{} needs {} bytes, more than this machine's {} bytes of memory", what, *bytes,
                                  physical_memory_bytes())
                    : fmt::format("{}: size overflows 64-bit arithmetic", what));
}

}  // namespace

std::size_t checked_count(std::initializer_list<std::int64_t> dims, std::size_t element_bytes, std::string_view what) {
  const auto n = checked_numel(std::span(dims.begin(), dims.size()));
  if (!n) too_large(what, std::nullopt);
  if (element_bytes != 0 && *n > static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max()) / element_bytes) {
    too_large(what, std::nullopt);
  }
  if (*n * element_bytes > physical_memory_bytes()) too_large(what, *n * element_bytes);
  return *n;
}

tensor::tensor(dtype type, std::vector<std::int64_t> shape) : m_type(type), m_shape(std::move(shape)) {
  const auto needed = checked_size_bytes(type, m_shape);
  if (!needed || *needed > physical_memory_bytes()) {
    too_large(fmt::format("a {} tensor of shape {}", to_string(type), shape_to_string(m_shape)), needed);
  }
  m_numel = *needed / isobench::size_bytes(type);
  m_data = placed_bytes(size_bytes());  // zeroed
}

tensor::tensor(const tensor& other) : tensor(other.m_type, other.m_shape) {
  if (other.size_bytes() != 0) std::memcpy(m_data.data(), other.m_data.data(), other.size_bytes());
}

tensor& tensor::operator=(const tensor& other) {
  if (this != &other) *this = tensor(other);
  return *this;
}

void tensor::check_view(std::size_t element_bytes, bool type_matches) const {
  if (!type_matches || element_bytes != isobench::size_bytes(m_type)) {
    throw error(exit_code::internal_error,
                fmt::format("tensor: typed view does not match dtype {}", to_string(m_type)));
  }
}

double tensor::element(std::size_t i) const noexcept {
  const std::byte* p = m_data.data() + i * isobench::size_bytes(m_type);
  auto load = [p]<class T>(T) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
  };
  switch (m_type) {
    case dtype::f32: return load(float{});
    case dtype::f64: return load(double{});
    case dtype::f16: return half_to_float(load(std::uint16_t{}));
    case dtype::bf16: return bf16_to_float(load(std::uint16_t{}));
    case dtype::i8: return load(std::int8_t{});
    case dtype::u8: return load(std::uint8_t{});
    case dtype::i32: return load(std::int32_t{});
    case dtype::i64: return static_cast<double>(load(std::int64_t{}));
  }
  return 0.0;
}

std::string shape_to_string(std::span<const std::int64_t> shape) {
  return fmt::format("[{}]", fmt::join(shape, ", "));
}

}  // namespace isobench
