// Tool output pasted once per run (issue 20): the runs' captions say which is before and which after
// ("Before" / "After", "main:" / "this:", "w/o the change:", a switch "X: False" / "X: True"), and each
// measured line pairs with the same line of the other run. One case per form, as real messages write
// them; the texts are written for this test, not copied from the corpus.
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "claim_matchers.hpp"

namespace isobench::detail {

namespace {

constexpr auto improvement = claim_direction::improvement;
constexpr auto regression = claim_direction::regression;

struct pasted_runs {
  std::string_view form;
  std::string message;
  std::vector<expected_claim> claims;
};

// A Google Benchmark run: rules, a header, and "name  time unit  cpu unit  iterations" rows.
std::string google_benchmark_run(std::string_view caption, std::string_view forward, std::string_view backward) {
  const std::string rule = "------------------------------------------------------\n";
  return std::string(caption) + "\n```\n" + rule + "Benchmark                   Time             CPU   Iterations\n" +
         rule + std::string(forward) + "\n" + std::string(backward) + "\n```\n\n";
}

const std::vector<pasted_runs>& cases() {
  static const std::vector<pasted_runs> all = {
      {"runs captioned by a switch pair off with on; JSON keys carry their unit",
       "Add jump-forward decoding\n\nResults:\n```\n"
       "Jump forward: False, Batch: 1\n{\n    \"decode_tokens_per_s\": 132.5,\n    \"mean_ttft_ms\": 20.0,\n}\n"
       "Jump forward: True, Batch: 1\n{\n    \"decode_tokens_per_s\": 182.5,\n    \"mean_ttft_ms\": 18.0,\n}\n"
       "Jump forward: False, Batch: 4\n{\n    \"decode_tokens_per_s\": 286.5,\n    \"mean_ttft_ms\": 30.0,\n}\n"
       "Jump forward: True, Batch: 4\n{\n    \"decode_tokens_per_s\": 388.5,\n    \"mean_ttft_ms\": 26.0,\n}\n```\n",
       {{.value = 132.5, .to = 182.5, .unit = "tokens/s", .direction = improvement},
        {.value = 286.5, .to = 388.5, .unit = "tokens/s", .direction = improvement},
        {.value = 20.0, .to = 18.0, .unit = "ms", .direction = improvement},
        {.value = 30.0, .to = 26.0, .unit = "ms", .direction = improvement}}},
      {"a training log gives its speed and memory, not its clock, loss or grad norm",
       "Save more activations\n\nBefore\n"
       "[rank0]: 2025-09-01 16:03:30,779 - INFO - step: 10  loss: 11.2800  grad_norm:  2.4321  "
       "memory: 70.02GiB  tps: 708\n"
       "After\n"
       "[rank0]: 2025-09-01 16:02:25,603 - INFO - step: 10  loss: 11.2801  grad_norm:  2.4322  "
       "memory: 74.53GiB  tps: 803\n",
       {{.value = 70.02, .to = 74.53, .unit = "GiB", .direction = regression},
        {.value = 708.0, .to = 803.0, .unit = "tokens/s", .direction = improvement}}},
      {"Google Benchmark under main: / this: pairs wall times, not the CPU column",
       "Reduce CPU overhead\n\n" +
           google_benchmark_run("main:", "LayerNormForward          46.1 us         46.0 us        15050",
                                "LayerNormBackward          129 us          129 us         5434") +
           google_benchmark_run("this:", "LayerNormForward          33.9 us         33.8 us        21020",
                                "LayerNormBackward          120 us          120 us         5769"),
       {{.value = 46.1, .to = 33.9, .unit = "us", .direction = improvement},
        {.value = 129.0, .to = 120.0, .unit = "us", .direction = improvement}}},
      {"log lines under 'w/o the change:' / 'With the change:'",
       "Parallelise the bucketize kernel\n\nw/o the change:\n```\n"
       "INFO:root:uneven forward: torch.int64, 50.14 ms, 31.40 GB/s\n"
       "INFO:root:even forward: torch.int64, 38.90 ms, 40.47 GB/s\n```\n"
       "With the change:\n```\n"
       "INFO:root:uneven forward: torch.int64, 5.50 ms, 214.70 GB/s\n"
       "INFO:root:even forward: torch.int64, 5.07 ms, 232.57 GB/s\n```\n",
       {{.value = 50.14, .to = 5.50, .unit = "ms", .direction = improvement},
        {.value = 38.90, .to = 5.07, .unit = "ms", .direction = improvement},
        {.value = 31.40, .to = 214.70, .unit = "GB/s", .direction = improvement},
        {.value = 40.47, .to = 232.57, .unit = "GB/s", .direction = improvement}}},
      {"a settings line or a rule inside a Before: block does not end it",
       "Inline memset\n\nBefore:\n\nbf16 inputs 32 bit indices, lengths_sum 1110\n"
       "  SLS   cache flushed   b/w   5.95 GB/s\n------------------\n  SLS   cache kept   b/w   25.80 GB/s\n\n"
       "After:\n\nbf16 inputs 32 bit indices, lengths_sum 1110\n"
       "  SLS   cache flushed   b/w   6.14 GB/s\n------------------\n  SLS   cache kept   b/w   29.47 GB/s\n",
       {{.value = 5.95, .to = 6.14, .unit = "GB/s", .direction = improvement},
        {.value = 25.80, .to = 29.47, .unit = "GB/s", .direction = improvement}}},
  };
  return all;
}

TEST(claim_runs, each_measured_line_pairs_with_the_same_line_of_the_other_run) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.form);
    EXPECT_TRUE(are_claims(message_claims(c.message), c.claims));
  }
}

// Result lines of one run, one line per implementation and configuration (no header): lines of
// one configuration under two names compare them, the last one listed being the new one.
TEST(claim_runs, result_lines_of_one_configuration_pair_their_measures) {
  const std::string lines =
      "Swap the scatter for a segment reduce\n\nBenchmark\n"
      "  [old] scatter_reduce     | rows: 512  | device: cuda | Latency (P50):   2.4 ms | Peak memory (P50):  48.0\n"
      "  [new] segment_reduce     | rows: 512  | device: cuda | Latency (P50):   1.2 ms | Peak memory (P50):  32.0\n"
      "  [old] scatter_reduce     | rows: 4096 | device: cuda | Latency (P50):  10.0 ms | Peak memory (P50): 384.0\n"
      "  [new] segment_reduce     | rows: 4096 | device: cuda | Latency (P50):  12.5 ms | Peak memory (P50): 384.0\n";
  EXPECT_TRUE(
      are_claims(message_claims(lines),
                 {{.value = 2.4, .to = 1.2, .unit = "ms", .direction = improvement, .qualifier = claim_qualifier::p50},
                  {.value = 48.0, .to = 32.0, .unit = "", .direction = improvement},
                  {.value = 10.0, .to = 12.5, .unit = "ms", .direction = regression}}));
  // Three implementations per configuration: the last is compared with the one listed before it,
  // unless a name says which is the old one.
  const std::string three =
      "Add a cached regroup\n\n"
      "  torch_fallback | B: 64 | Runtime (P90): 9.0 ms\n"
      "  regroup        | B: 64 | Runtime (P90): 3.0 ms\n"
      "  cached_regroup | B: 64 | Runtime (P90): 1.0 ms\n";
  EXPECT_TRUE(are_claims(message_claims(three), {{.value = 3.0, .to = 1.0, .unit = "ms", .direction = improvement}}));
  const std::string named =
      "Cache the lookup\n\n"
      "  lookup          | keys: 10 | Runtime (P90): 0.3 ms\n"
      "  lookup_previous | keys: 10 | Runtime (P90): 0.5 ms\n";
  EXPECT_TRUE(are_claims(message_claims(named), {{.value = 0.5, .to = 0.3, .unit = "ms", .direction = improvement}}));
  // Equal pairs in two configurations are two measurements, not one figure said twice.
  const std::string equal =
      "Regroup on the GPU\n\n"
      "  [fallback] regroup | B: 512  | Memory (P90): 96.0\n"
      "  [prod] regroup     | B: 512  | Memory (P90): 144.0\n"
      "  [fallback] regroup | B: 1024 | Memory (P90): 96.0\n"
      "  [prod] regroup     | B: 1024 | Memory (P90): 144.0\n";
  EXPECT_TRUE(are_claims(message_claims(equal), {{.value = 96.0, .to = 144.0, .direction = regression},
                                                 {.value = 96.0, .to = 144.0, .direction = regression}}));
  // One implementation over many configurations compares nothing.
  const std::string sweep =
      "Add a benchmark\n\n"
      "  segment_reduce | rows: 512  | Latency (P50): 1.2 ms\n"
      "  segment_reduce | rows: 4096 | Latency (P50): 9.5 ms\n";
  EXPECT_TRUE(message_claims(sweep).empty());
}

}  // namespace

}  // namespace isobench::detail
