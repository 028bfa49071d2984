#pragma once
// What a kernel implementation provides: untimed setup, the timed run, untimed outputs.

#include <cstddef>
#include <cstdint>
#include <new>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "isobench/enum_string.hpp"
#include "isobench/placement.hpp"
#include "isobench/tensor.hpp"

namespace isobench {

enum class device_kind : std::uint8_t { cpu, cuda };
std::string_view to_string(device_kind kind) noexcept;
template <>
std::optional<device_kind> from_string<device_kind>(std::string_view text) noexcept;

// A workload's parameters as written in the spec (e.g. m, k, n), already validated against the
// kernel's declared parameters, with declared defaults filled in.
class params {
public:
  using value = std::variant<std::int64_t, double, bool, std::string>;

  void set(std::string name, value v);
  [[nodiscard]] bool contains(std::string_view name) const;
  // Typed access; a missing or mistyped parameter throws config_error naming it.
  [[nodiscard]] std::int64_t get_int(std::string_view name) const;
  [[nodiscard]] double get_double(std::string_view name) const;  // ints widen
  [[nodiscard]] bool get_bool(std::string_view name) const;
  [[nodiscard]] const std::string& get_string(std::string_view name) const;
  [[nodiscard]] const std::map<std::string, value, std::less<>>& items() const noexcept { return m_values; }
  friend bool operator==(const params&, const params&) = default;

private:
  const value& at(std::string_view name) const;
  std::map<std::string, value, std::less<>> m_values;
};

std::string to_string(const params::value& v);

// A figure a kernel reports next to its time (google/benchmark's user counters), e.g. the bytes its
// weights occupy or its error against a higher-precision result. The name carries the unit.
struct counter {
  std::string name;
  double value = 0.0;
  friend bool operator==(const counter&, const counter&) = default;
};

struct setup_context {
  const params& values;
  dtype type;
  std::uint64_t seed;  // derive per-input seeds from this (isobench/random.hpp)
  device_kind device;
  void* stream = nullptr;  // device kernels: the cudaStream_t to launch on (opaque here)
};

class kernel {
public:
  kernel() = default;
  kernel(const kernel&) = delete;
  kernel& operator=(const kernel&) = delete;
  virtual ~kernel() = default;

  // A kernel object is placed like its buffers (isobench/placement.hpp): run() reads its members
  // on every call, so where the object lands is part of what is timed.
  static void* operator new(std::size_t bytes) { return placed_allocate(bytes); }
  static void* operator new(std::size_t bytes, std::align_val_t al) {
    return al <= std::align_val_t{placed_alignment} ? placed_allocate(bytes) : ::operator new(bytes, al);
  }
  static void operator delete(void* p) noexcept { placed_deallocate(p); }
  static void operator delete(void* p, std::align_val_t al) noexcept {
    if (al <= std::align_val_t{placed_alignment}) {
      placed_deallocate(p);
    } else {
      ::operator delete(p, al);
    }
  }

  // Untimed: allocate and fill inputs deterministically from ctx.seed.
  virtual void setup(const setup_context& ctx) = 0;
  // Timed: the work being measured, and nothing else. Called many times; must be idempotent.
  virtual void run() = 0;
  // Untimed: the results to check for equivalence, in a fixed order.
  [[nodiscard]] virtual std::vector<named_tensor> outputs() const = 0;
  // Whether the optimised code path was taken for this workload (ISO-Bench's opt_path_hit).
  [[nodiscard]] virtual bool opt_path_hit() const { return true; }
  // The vector path run() took, for kernels that choose it at run time (e.g. a library's dispatch);
  // empty: the instruction set its file was compiled for (kernel_info::isa).
  [[nodiscard]] virtual std::string isa() const { return {}; }
  // Untimed, after the runs: extra figures for the result (none by default).
  [[nodiscard]] virtual std::vector<counter> counters() const { return {}; }
};

}  // namespace isobench
