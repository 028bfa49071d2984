// Every enum written to or read from a file: from_string is the exact inverse of to_string.
#include <gtest/gtest.h>

#include "isobench/error.hpp"
#include "isobench/registry.hpp"
#include "report/result.hpp"
#include "spec/spec.hpp"
#include "verdict/verdict.hpp"

namespace isobench::detail {
namespace {

template <class Enum, std::size_t N>
void expect_round_trip(const Enum (&all)[N]) {
  for (Enum e : all) {
    EXPECT_EQ(from_string<Enum>(to_string(e)), e) << to_string(e);
  }
  EXPECT_EQ(from_string<Enum>("no such value"), std::nullopt);
  EXPECT_EQ(from_string<Enum>(""), std::nullopt);
}

TEST(enum_string, from_string_inverts_to_string) {
  expect_round_trip({category::kernel, category::algorithm, category::memory, category::parallelization});
  expect_round_trip({param_type::integer, param_type::number, param_type::boolean, param_type::string});
  expect_round_trip({dtype::f32, dtype::f64, dtype::f16, dtype::bf16, dtype::i8, dtype::u8, dtype::i32, dtype::i64});
  expect_round_trip({device_kind::cpu, device_kind::cuda});
  expect_round_trip({eq_level::none, eq_level::behavioral, eq_level::numeric, eq_level::exact});
  expect_round_trip({device_request::cpu, device_request::cuda, device_request::automatic});
  expect_round_trip({cache_mode::warm, cache_mode::cold});
  expect_round_trip({role::baseline, role::candidate, role::single});
  expect_round_trip({verdict::pass, verdict::partial, verdict::fail, verdict::error, verdict::improved,
                     verdict::unchanged, verdict::regressed});
  expect_round_trip({run_mode::measure, run_mode::reference, run_mode::eqcheck});
  expect_round_trip({exit_code::ok, exit_code::target_not_resolved, exit_code::unsupported, exit_code::opt_path_not_hit,
                     exit_code::out_of_memory, exit_code::equivalence_failed, exit_code::invalid_config,
                     exit_code::gate_failed, exit_code::reference_error, exit_code::io_error,
                     exit_code::internal_error});
}

}  // namespace
}  // namespace isobench::detail
