#pragma once
// The static kernel registry. Kernels register at static-initialisation time with one macro that
// returns a builder for their metadata:
//
//   ISOBENCH_REGISTER_KERNEL("gemm", "blocked", gemm_blocked)
//       .category(isobench::category::kernel)
//       .dtypes({isobench::dtype::f32})
//       .int_param("m", "rows of A and C")
//       .flops([](const isobench::params& p) { return 2.0 * p.get_int("m") * ...; });
//
// Kernel object files must be linked whole (an OBJECT library) or their registrations vanish.

#include <deque>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "isobench/enum_string.hpp"
#include "isobench/kernel.hpp"

namespace isobench {

enum class category : std::uint8_t { kernel, algorithm, memory, parallelization };
std::string_view to_string(category c) noexcept;
template <>
std::optional<category> from_string<category>(std::string_view text) noexcept;

enum class param_type : std::uint8_t { integer, number, boolean, string };
std::string_view to_string(param_type t) noexcept;
template <>
std::optional<param_type> from_string<param_type>(std::string_view text) noexcept;

struct param_spec {
  std::string name;
  param_type type = param_type::integer;
  std::string description;
  std::optional<params::value> default_value;  // absent: required
  std::optional<double> min_value;             // inclusive, for integer/number
};

using formula = std::function<double(const params&)>;
using kernel_factory = std::function<std::unique_ptr<kernel>()>;

struct kernel_info {
  std::string op;    // e.g. "gemm"
  std::string impl;  // e.g. "blocked"
  isobench::category category = category::kernel;
  std::vector<device_kind> devices{device_kind::cpu};
  std::vector<dtype> dtypes{dtype::f32};
  std::string description;
  std::vector<param_spec> params;
  formula flops;  // floating-point operations per run() call; empty when meaningless
  formula bytes;  // bytes a run() must move at minimum; empty when meaningless
  kernel_factory factory;
  // The vector instruction set the registering file was compiled for (ISOBENCH_COMPILED_ISA):
  // "avx512", "avx2", "avx", "sse2", "neon" or "scalar". A kernel that picks its path at run time
  // says so through kernel::isa().
  std::string isa = "scalar";
  // Where the implementation lives: paths or globs relative to the repository that registers it
  // (e.g. "kernels/cpu/gemm_blocked.cpp", "src/attention/**"), so a commit's changed files can be
  // mapped to the kernels it touches.
  std::vector<std::string> sources;
  // Other names the op goes by in code and commit messages ("rms_norm", "matmul", "rope"), so
  // `isobench generate` can map a commit's identifiers and words to it.
  std::vector<std::string> keywords;

  [[nodiscard]] std::string full_name() const { return op + "." + impl; }
  [[nodiscard]] bool supports(device_kind d) const;
  [[nodiscard]] bool supports(dtype t) const;
  [[nodiscard]] const param_spec* find_param(std::string_view name) const;
  // `values` plus the declared default of every parameter it lacks (for driving a kernel directly;
  // specs go through the runner, which also validates).
  [[nodiscard]] isobench::params with_defaults(isobench::params values) const;
};

class kernel_builder {
public:
  explicit kernel_builder(kernel_info& info) : m_info(&info) {}

  kernel_builder& category(isobench::category c);
  kernel_builder& devices(std::initializer_list<device_kind> d);
  kernel_builder& dtypes(std::initializer_list<dtype> t);
  kernel_builder& description(std::string text);
  kernel_builder& isa(std::string name);
  kernel_builder& sources(std::initializer_list<std::string> paths);
  kernel_builder& keywords(std::initializer_list<std::string> words);
  kernel_builder& int_param(std::string name, std::string description,
                            std::optional<std::int64_t> default_value = std::nullopt, std::int64_t min_value = 0);
  kernel_builder& number_param(std::string name, std::string description,
                               std::optional<double> default_value = std::nullopt);
  kernel_builder& bool_param(std::string name, std::string description,
                             std::optional<bool> default_value = std::nullopt);
  kernel_builder& flops(formula f);
  kernel_builder& bytes(formula f);
  // Applies metadata shared by several implementations of one op: .with(gemm_common).
  template <class F>
  kernel_builder& with(F&& apply) {
    apply(*this);
    return *this;
  }

  [[nodiscard]] const kernel_info& info() const noexcept { return *m_info; }

private:
  kernel_info* m_info;
};

class registry {
public:
  // The process-wide registry that ISOBENCH_REGISTER_KERNEL fills.
  static registry& global();

  kernel_builder add(std::string op, std::string impl, kernel_factory factory);
  template <class Kernel>
  kernel_builder add(std::string op, std::string impl) {
    return add(std::move(op), std::move(impl), [] { return std::make_unique<Kernel>(); });
  }

  // The first registration of a name (CPU and CUDA implementations may share one), or the one that
  // runs on `device`.
  [[nodiscard]] const kernel_info* find(std::string_view full_name) const;
  [[nodiscard]] const kernel_info* find(std::string_view full_name, device_kind device) const;
  [[nodiscard]] bool has_op(std::string_view op) const;
  // Sorted by full name; all ops when op is empty.
  [[nodiscard]] std::vector<const kernel_info*> list(std::string_view op = {}) const;
  [[nodiscard]] std::vector<std::string> ops() const;
  // Registered names closest to `name` (edit distance), best first.
  [[nodiscard]] std::vector<std::string> suggest(std::string_view name, std::size_t max_count = 3) const;

  // Resolve an implementation of `op` for `device`: "gemm.blocked" or the short "blocked". Throws
  // exit_code::target_not_resolved with the closest names when there is no such kernel, and
  // exit_code::unsupported when it exists only for other devices.
  [[nodiscard]] const kernel_info& resolve(std::string_view op, std::string_view impl,
                                           device_kind device = device_kind::cpu) const;

  // Two registrations may share a name only for different devices; throws internal_error otherwise.
  // Checked once registration is over (the builder sets devices after add()).
  void validate() const;

private:
  std::deque<kernel_info> m_entries;  // a deque keeps builders' pointers valid
};

}  // namespace isobench

// The vector instruction set of the translation unit that expands it. A macro, not a function:
// kernel files may be compiled with other -march flags than the library, and a macro is evaluated
// with the flags of the file it appears in.
#if defined(__AVX512F__)
#define ISOBENCH_COMPILED_ISA "avx512"
#elif defined(__AVX2__) && defined(__FMA__)
#define ISOBENCH_COMPILED_ISA "avx2"
#elif defined(__AVX__)
#define ISOBENCH_COMPILED_ISA "avx"
#elif defined(__SSE2__)
#define ISOBENCH_COMPILED_ISA "sse2"
#elif defined(__ARM_NEON)
#define ISOBENCH_COMPILED_ISA "neon"
#else
#define ISOBENCH_COMPILED_ISA "scalar"
#endif

#define ISOBENCH_CONCAT_IMPL(a, b) a##b
#define ISOBENCH_CONCAT(a, b) ISOBENCH_CONCAT_IMPL(a, b)

// Registers Kernel as implementation `impl` of `op`; chain builder calls after it.
#define ISOBENCH_REGISTER_KERNEL(op, impl, Kernel)                                                        \
  [[maybe_unused]] static const ::isobench::kernel_builder ISOBENCH_CONCAT(isobench_kernel_registration_, \
                                                                           __COUNTER__) =                 \
      ::isobench::registry::global().add<Kernel>(op, impl).isa(ISOBENCH_COMPILED_ISA)
