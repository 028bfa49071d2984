// Claim extraction on the shapes real pages take (issue 20): flattened GitHub pages, rows with a
// relative-change column, wrapped commit messages, reversed pairs, tool output pasted twice. The
// phrasings are written for this test, not copied from the corpus.
#include <algorithm>
#include <chrono>
#include <initializer_list>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "generate/claims.hpp"
#include "generate/page_text.hpp"

namespace isobench::detail {
namespace {

// Whether `c` is the pair before -> after.
::testing::AssertionResult is_pair(const perf_claim& c, double before, double after) {
  if (c.value == before && c.value_to == after) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "got " << c.value << " -> " << c.value_to.value_or(-1) << " ('" << c.text
                                       << "')";
}

// Whether `claims` are exactly these before -> after pairs, in order.
::testing::AssertionResult are_pairs(const std::vector<perf_claim>& claims,
                                     std::initializer_list<std::pair<double, double>> pairs) {
  if (claims.size() != pairs.size()) {
    return ::testing::AssertionFailure() << claims.size() << " claims, " << pairs.size() << " expected";
  }
  std::size_t i = 0;
  for (const auto& [before, after] : pairs) {
    if (auto r = is_pair(claims[i++], before, after); !r) return r << " (claim " << i << ")";
  }
  return ::testing::AssertionSuccess();
}

TEST(claims_real_text, flattened_page_is_split_into_posts) {
  const std::string page =
      "Copy link Contributor ana commented Jan 5, 2025 Loading Uh oh! There was an error while loading. Please "
      "reload this page . The new reduction makes decode 1.4x faster on our box. Copy link Member "
      "helper-bot commented Jan 6, 2025 The bot thinks this is 9x faster. All reactions";
  const auto split = split_page(page);
  EXPECT_EQ(split.find("Uh oh"), std::string::npos);
  EXPECT_EQ(post_header_end("member bob commented feb 2, 2026 text"),
            std::string_view("member bob commented feb 2, 2026").size());
  EXPECT_EQ(post_header_end("this sentence has many words before it commented on the change"), 0u);
  const auto claims = extract_claims(page, claim_source::pr_text);
  ASSERT_EQ(claims.size(), 1u);  // the bot's post is skipped, the author's is read
  EXPECT_DOUBLE_EQ(claims[0].value, 1.4);
}

TEST(claims_real_text, relative_change_column_confirms_a_pair) {
  // Flattened rows: label, old, new, ratio, unit from the header before them.
  const auto rows = extract_claims("batch old (us) new (us) speedup 8 40.0 20.0 2.00x 16 80.0 50.0 1.60x 32 7 9 11",
                                   claim_source::pr_text);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].unit, "us");
  EXPECT_DOUBLE_EQ(rows[0].value, 40.0);
  EXPECT_DOUBLE_EQ(*rows[0].value_to, 20.0);
  EXPECT_EQ(rows[0].direction, claim_direction::improvement);
  // A percentage column; spreads ("+/- 0.3") are not columns; the unit rides on the spread.
  const auto pct = extract_claims("Mean ITL 5.00 +/- 0.10 ms 4.00 +/- 0.20 ms -20.0%", claim_source::message);
  ASSERT_EQ(pct.size(), 1u);
  EXPECT_EQ(pct[0].unit, "ms");
  EXPECT_DOUBLE_EQ(*pct[0].value_to, 4.0);
  // Three numbers whose last does not restate the first two are not a pair.
  EXPECT_TRUE(extract_claims("shape 128 256 3.5 and more", claim_source::message).empty());
  // Markdown with a ratio column and no before/after headers; equal values are not a claim.
  const auto md = extract_claims(
      "| size | v1 (ms) | v2 (ms) | gain |\n|---|---|---|---|\n| 1 | 12.0 | 10.0 | 16.7% |\n"
      "| 2 | 5.0 | 5.0 | 0.0% |\n",
      claim_source::message);
  ASSERT_EQ(md.size(), 1u);
  EXPECT_EQ(md[0].unit, "ms");
  EXPECT_DOUBLE_EQ(md[0].value, 12.0);
}

TEST(claims_real_text, wrapped_sentences_and_reversed_pairs) {
  const auto wrapped = extract_claims("The new tiling gives a steady 25%\nimprovement in prefill time on\nall sizes.",
                                      claim_source::message);
  ASSERT_EQ(wrapped.size(), 1u);
  EXPECT_DOUBLE_EQ(wrapped[0].value, 25.0);
  const auto vs = extract_claims("Decode now runs at 30.5 tok/s vs 25.0 tok/s on the old path.", claim_source::message);
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_DOUBLE_EQ(vs[0].value, 25.0);
  EXPECT_DOUBLE_EQ(*vs[0].value_to, 30.5);
  // "vs." ends no sentence, and a short clause about the first figure may sit before the link.
  const auto abbreviated =
      extract_claims("Decode reaches about 41 tok/s on one GPU, vs. roughly 33 tok/s before.", claim_source::message);
  ASSERT_EQ(abbreviated.size(), 1u);
  EXPECT_TRUE(is_pair(abbreviated[0], 33.0, 41.0));
  const auto from = extract_claims("Prefill rises to 900 t/s from 750 t/s.", claim_source::message);
  ASSERT_EQ(from.size(), 1u);
  EXPECT_DOUBLE_EQ(from[0].value, 750.0);
  // The unit a word or two after each figure: "from 70.5 decode tok/s to 80.25 decode tok/s".
  const auto phrase =
      extract_claims("Decode went from 70.5 decode tok/s to 80.25 decode tok/s here.", claim_source::message);
  ASSERT_EQ(phrase.size(), 1u);
  EXPECT_EQ(phrase[0].unit, "tokens/s");
  EXPECT_DOUBLE_EQ(*phrase[0].value_to, 80.25);
  EXPECT_TRUE(extract_claims("Ran 70 decode steps to 80 decode steps.", claim_source::message).empty());
  // A pair restated by a percentage in parentheses is one claim.
  EXPECT_EQ(extract_claims("step time 80 ms -> 60 ms (-25%)", claim_source::message).size(), 1u);
  // "times:" labels a list; it is no factor.
  for (const auto& c : extract_claims("mean: 3.2785 p-value: 0.006 times: [87696ms, 87967ms]", claim_source::message)) {
    EXPECT_NE(c.unit, "x") << c.text;
  }
  // A share is not a change.
  EXPECT_TRUE(extract_claims("it reaches 85% of the fp16 speed", claim_source::message).empty());
  // Memory left over is better when it grows; memory used, when it shrinks.
  const auto spare = extract_claims("Available KV cache memory: 20.5 GiB -> 24.25 GiB", claim_source::message);
  ASSERT_EQ(spare.size(), 1u);
  EXPECT_EQ(spare[0].direction, claim_direction::improvement);
  const auto used = extract_claims("Peak memory: 20.5 GiB -> 24.25 GiB", claim_source::message);
  ASSERT_EQ(used.size(), 1u);
  EXPECT_EQ(used[0].direction, claim_direction::regression);
  // Units in seconds and milliseconds: the before value is stated in the after value's unit.
  const auto mixed = extract_claims("warm start 2.5 s -> 40 ms", claim_source::message);
  ASSERT_EQ(mixed.size(), 1u);
  EXPECT_EQ(mixed[0].unit, "ms");
  EXPECT_DOUBLE_EQ(mixed[0].value, 2500.0);
}

TEST(claims_real_text, tool_output_pasted_twice_pairs_by_label) {
  const std::string text =
      "Numbers from the baseline build:\n```\nRequests done: 500\nOutput token throughput (tok/s): 1200.5\nMean TTFT "
      "(ms): "
      "80.0\n```\nAnd with the change:\n```\nRequests done: 500\nOutput token throughput (tok/s): 1500.5\nMean TTFT "
      "(ms): 70.0\n```\n";
  const auto claims = extract_claims(text, claim_source::pr_text);
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_DOUBLE_EQ(claims[0].value, 1200.5);
  EXPECT_DOUBLE_EQ(*claims[0].value_to, 1500.5);
  EXPECT_DOUBLE_EQ(*claims[1].value_to, 70.0);
  // The same label three times is a sweep, not a comparison.
  const std::string sweep = "Sizes, on the baseline:\nlatency: 10 ms\n\nlatency: 12 ms\n\nlatency: 14 ms\n";
  EXPECT_TRUE(extract_claims(sweep, claim_source::message).empty());
  // Three runs, each under a caption on one flattened line: the baseline's pairs with the PR's;
  // the third run (another project's) is not part of the change.
  const std::string three =
      "Slower than hoped. Reference: run 512/512 done, decode speed: 40.25 tok/s, serve rate: 7.5 req/s "
      "PR: run 512/512 done, decode speed: 44.5 tok/s, serve rate: 8.25 req/s Other-lib: run 512/512 done, "
      "decode speed: 39.0 tok/s, serve rate: 7.0 req/s";
  EXPECT_TRUE(extract_claims(three, claim_source::pr_text).empty());  // "Reference:" names no side
  auto captioned = three;
  captioned.replace(captioned.find("Reference:"), 10, "Baseline:");
  const auto runs = extract_claims(captioned, claim_source::pr_text);
  EXPECT_TRUE(are_pairs(runs, {{40.25, 44.5}, {7.5, 8.25}}));
}

TEST(claims_real_text, timestamped_log_lines_pasted_twice_pair_by_label) {
  // A runner's log pasted before and after, tab-separated but no table: each figure's unit follows
  // it in parentheses, and a "Total ... time" is a measure, not a count.
  const std::string text =
      "Prefill got faster. Before:\n"
      "D 10:01:02.000111 runner.cc:40] \tTotal run time:\t\t2.500000 (seconds)\n"
      "D 10:01:02.000222 runner.cc:41] \tTime to first token:\t0.400000 (seconds)\n"
      "After:\n"
      "D 10:07:31.000931 runner.cc:40] \tTotal run time:\t\t2.000000 (seconds)\n"
      "D 10:07:31.000944 runner.cc:41] \tTime to first token:\t0.300000 (seconds)\n";
  const auto claims = extract_claims(text, claim_source::pr_text);
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_TRUE(is_pair(claims[0], 2.5, 2.0));
  EXPECT_EQ(claims[0].unit, "s");
  EXPECT_DOUBLE_EQ(*claims[1].value_to, 0.3);
  // The same two runs without captions over them, one after the other: the lines are read one by
  // one and each label seen twice pairs.
  auto uncaptioned = text;
  uncaptioned.replace(uncaptioned.find("Before:\n"), 8, "Runs before and after the change:\n");
  uncaptioned.replace(uncaptioned.find("After:\n"), 7, "");
  const auto runs = extract_claims(uncaptioned, claim_source::pr_text);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_TRUE(is_pair(runs[0], 2.5, 2.0));
  EXPECT_EQ(runs[1].unit, "s");
}

TEST(claims_real_text, a_label_over_a_list_and_a_label_repeated_within_each_run_pair_in_order) {
  // Two runs flattened onto one line, each under its caption. "Rate:" follows each of two timings
  // in every run: the k-th under the before caption pairs with the k-th under the after caption.
  // One label over a comma list names each figure of the list.
  const std::string text =
      "Decode got faster. Baseline: run time: 3.2 s rate: 20.5 tok/s warm-up time: 0.8 s rate: 150.0 tok/s "
      "served: 11.5 req/s, 2400.0 tok/s PR: run time: 2.9 s rate: 22.5 tok/s warm-up time: 0.7 s rate: 170.0 tok/s "
      "served: 12.5 req/s, 2600.0 tok/s";
  const auto claims = extract_claims(text, claim_source::pr_text);
  std::vector<std::pair<double, double>> pairs;
  for (const auto& c : claims) pairs.emplace_back(c.value, c.value_to.value_or(-1));
  const std::vector<std::pair<double, double>> want = {{3.2, 2.9},     {20.5, 22.5}, {0.8, 0.7},
                                                       {150.0, 170.0}, {11.5, 12.5}, {2400.0, 2600.0}};
  for (const auto& w : want) {
    EXPECT_NE(std::find(pairs.begin(), pairs.end(), w), pairs.end()) << w.first << " -> " << w.second;
  }
  EXPECT_EQ(claims.size(), want.size());
  // Without captions the repeated "rate:" is four figures of one label: a sweep, no pair.
  auto uncaptioned = text;
  uncaptioned.replace(uncaptioned.find("Baseline:"), 9, "Before and after:");
  uncaptioned.replace(uncaptioned.find("PR:"), 3, "");
  for (const auto& c : extract_claims(uncaptioned, claim_source::pr_text)) EXPECT_NE(c.unit, "tokens/s") << c.text;
}

TEST(claims_real_text, a_sentence_ending_in_a_caption_opens_its_block) {
  // "...faster. Before:" then the run's lines, then "After:" and the other run's lines.
  const std::string text =
      "Decode got faster. Before:\nTotal run time: 3.2 (seconds)\nAfter:\nTotal run time: 2.9 (seconds)\n";
  const auto claims = extract_claims(text, claim_source::pr_text);
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_TRUE(is_pair(claims[0], 3.2, 2.9));
}

TEST(claims_real_text, bare_figures_pair_where_their_label_names_the_measure) {
  // A tool's summary with an arrow edited in: the label's "(s)" is the unit.
  const auto tool = extract_claims(
      "Serving summary\nCompleted requests:        300\nWall time (s):             512.40    ->  478.25\n"
      "Input tokens:              153600\n",
      claim_source::pr_text);
  ASSERT_EQ(tool.size(), 1u);
  EXPECT_TRUE(is_pair(tool[0], 512.40, 478.25));
  EXPECT_EQ(tool[0].unit, "s");
  // Prose: a latency word says which way is better, no unit needed.
  const auto prose =
      extract_claims("The new scan cuts the sampler's latency from 4.80 to 1.10 at batch 16.", claim_source::message);
  ASSERT_EQ(prose.size(), 1u);
  EXPECT_TRUE(is_pair(prose[0], 4.80, 1.10));
  EXPECT_EQ(prose[0].direction, claim_direction::improvement);
  // Bare numbers with no measure named, or counting something, are not claims.
  EXPECT_TRUE(extract_claims("We went from 3 to 5 stages.", claim_source::message).empty());
  EXPECT_TRUE(extract_claims("Latency: 2 -> 3 stages in the pipeline.", claim_source::message).empty());
}

TEST(claims_real_text, of_the_before_a_percentage_is_its_object_after_it_a_share) {
  const auto gain =
      extract_claims("It improves the decode throughput of the 70B model by 6% on two GPUs.", claim_source::message);
  ASSERT_EQ(gain.size(), 1u);
  EXPECT_DOUBLE_EQ(gain[0].value, 6.0);
  EXPECT_EQ(gain[0].direction, claim_direction::improvement);
  EXPECT_TRUE(extract_claims("Now 6% of the requests are faster.", claim_source::message).empty());
}

TEST(claims_real_text, a_second_percentage_led_by_by_continues_the_verb_before_it) {
  const auto claims = extract_claims(
      "Splitting the work differently improved the prefill speed by about 4% for the Q4_0 kernels and by "
      "roughly 12% for the Q8_0 kernels on the test machine.",
      claim_source::message);
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_DOUBLE_EQ(claims[1].value, 12.0);
  EXPECT_EQ(claims[1].direction, claim_direction::improvement);
}

TEST(claims_real_text, figures_in_code_spans_keep_their_units) {
  const auto factor =
      extract_claims("The fused path gives `1.3` times higher decode throughput.", claim_source::message);
  ASSERT_EQ(factor.size(), 1u);
  EXPECT_DOUBLE_EQ(factor[0].value, 1.3);
  EXPECT_EQ(factor[0].unit, "x");
  const auto pair = extract_claims("Step time goes from `41 ms` to `37 ms`.", claim_source::message);
  ASSERT_EQ(pair.size(), 1u);
  EXPECT_TRUE(is_pair(pair[0], 41.0, 37.0));
}

TEST(claims_real_text, box_drawn_tables_pasted_twice_pair_by_row) {
  // Two tables drawn with box characters under captions ending in a full-width colon; the line
  // above them states a claim of its own, which must not hide the rows from the pairing.
  const std::string rule = "\xe2\x94\x9c\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\xa4\n";  // ├───┤
  const std::string bar = "\xe2\x94\x82";                                                     // │
  const auto table = [&](const std::string& ttft, const std::string& rate) {
    return rule + bar + " TTFT " + bar + " " + ttft + " ms " + bar + "\n" + rule + bar + " Output rate " + bar + " " +
           rate + " token/s " + bar + "\n" + rule;
  };
  const std::string text = "Compared with and without the flag, 19% better overall\xef\xbc\x9a\n" +
                           std::string("flag off\xef\xbc\x9a\n") + table("1400.5", "100.25") + "flag on\xef\xbc\x9a\n" +
                           table("375.5", "125.5");
  const auto claims = extract_claims(text, claim_source::message);
  bool ttft = false, rate = false;
  for (const auto& c : claims) {
    ttft = ttft || (c.value == 1400.5 && c.value_to == 375.5 && c.direction == claim_direction::improvement);
    rate = rate || (c.value == 100.25 && c.value_to == 125.5 && c.direction == claim_direction::improvement);
  }
  EXPECT_TRUE(ttft);
  EXPECT_TRUE(rate);
}

TEST(claims_real_text, a_long_flattened_tables_later_pieces_keep_its_header_unit) {
  // A page's prose, then a flattened table long enough to be cut into pieces: rows far from the
  // header still take its "(ms)".
  std::string text = "Intro. " + std::string(1200, 'w') + " Shapes | Old (ms) | New (ms) | Speedup";
  for (int r = 0; r < 40; ++r) {  // old = 2 x new, each row its own values
    text += " S" + std::to_string(r) + "=(" + std::to_string(r) + "x64) | " + std::to_string(20 + r / 5) + "." +
            std::to_string(2 * (r % 5)) + " | 1" + std::to_string(r / 10) + "." + std::to_string(r % 10) + " | 2.00";
  }
  const auto claims = extract_claims(text, claim_source::pr_text);
  ASSERT_GE(claims.size(), 30u);
  for (const auto& c : claims) {
    EXPECT_EQ(c.unit, "ms") << c.text;
    EXPECT_EQ(c.direction, claim_direction::improvement);
  }
}

TEST(claims_real_text, tab_separated_table_with_side_headers) {
  const auto claims = extract_claims(
      "model\ttest\tBase t/s\tPatch t/s\nqwen 1B\tpp64\t100.0 \xc2\xb1 1.0\t125.0 \xc2\xb1 2.0\n"
      "qwen 1B\ttg32\t40.0 \xc2\xb1 0.5\t40.0 \xc2\xb1 0.5\n",
      claim_source::message);
  ASSERT_EQ(claims.size(), 1u);  // the unchanged row is not a claim
  EXPECT_EQ(claims[0].unit, "tokens/s");
  EXPECT_DOUBLE_EQ(claims[0].value, 100.0);
  EXPECT_DOUBLE_EQ(*claims[0].value_to, 125.0);
}

TEST(claims_real_text, one_named_value_column_names_the_other_and_tps_is_a_throughput) {
  // Two value columns, only one named as a side: the other is the other side.
  const auto md = extract_claims(
      "| Shape | Wide search (#1234) | Narrow (this PR) |\n|---|---|---|\n| (64, 512) | 8.20 ms | 6.10 ms |\n",
      claim_source::message);
  ASSERT_EQ(md.size(), 1u);
  EXPECT_DOUBLE_EQ(md[0].value, 8.2);
  EXPECT_DOUBLE_EQ(*md[0].value_to, 6.1);
  EXPECT_EQ(md[0].direction, claim_direction::improvement);
  // A third column keeps it ambiguous: no pair is guessed.
  EXPECT_TRUE(
      extract_claims("| Shape | run A | run B (this PR) | run C |\n|---|---|---|---|\n| 1 | 8 ms | 6 ms | 7 ms |\n",
                     claim_source::message)
          .empty());
  // Only the new side named, among several columns of its unit: the first of them is the reference.
  const auto wide = extract_claims(
      "| Rows | Padded | Copy path (us) | Split path (us) | This PR (us) |\n|---|---|---|---|---|\n"
      "| 1000 | yes | 90.5 | 42.0 | 40.25 |\n| 1024 | no | 41.0 | 42.0 | 41.5 |\n",
      claim_source::message);
  ASSERT_EQ(wide.size(), 2u);
  EXPECT_TRUE(is_pair(wide[0], 90.5, 40.25));
  EXPECT_EQ(wide[0].unit, "us");
  EXPECT_EQ(wide[1].direction, claim_direction::regression);
  const auto tps = extract_claims("- Batch 2: 120 TPS -> 300 TPS (2.5x)", claim_source::message);
  ASSERT_GE(tps.size(), 1u);
  EXPECT_EQ(tps[0].unit, "tokens/s");
}

TEST(claims_real_text, a_wrapped_caption_names_each_measures_unit) {
  // The caption above the table runs over three lines of a commit message and names the unit of
  // each measure; the headers name none.
  const std::string text =
      "Serving results (mine = this patch, ref = main; rate in mean\ngenerated tok/s, TPOT is the\nmedian in "
      "ms):\n\n| users | rate (mine) | rate (ref) | TPOT (mine) | TPOT (ref) |\n|---|---|---|---|---|\n"
      "| 4 | 210.5 | 200.5 | 12.25 | 13.5 |\n| 16 | 640.0 | 600.0 | 20.75 | 22.0 |\n";
  const auto claims = extract_claims(text, claim_source::message);
  ASSERT_EQ(claims.size(), 4u);
  for (const auto& c : claims) {
    EXPECT_EQ(c.unit, c.value > 100 ? "tokens/s" : "ms") << c.text;
    EXPECT_EQ(c.direction, claim_direction::improvement) << c.text;
  }
}

TEST(claims_real_text, a_flattened_tables_side_header_pairs_the_figures_below_it) {
  // The header names the two columns by side, old first; each row's two figures follow.
  const auto claims = extract_claims(
      "Bigger tiles help. 13B model main this PR L2 hit rate 41 % 55 % decode 1 64ms/tok 51ms/tok prefill 2 "
      "900 t/s 1020 t/s",
      claim_source::pr_text);
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_TRUE(is_pair(claims[0], 64.0, 51.0));
  EXPECT_EQ(claims[0].direction, claim_direction::improvement);
  EXPECT_DOUBLE_EQ(*claims[1].value_to, 1020.0);
  // Without such a header two figures side by side are two figures.
  for (const auto& c : extract_claims("Sizes tried: 64 ms 51 ms and 900 t/s 1020 t/s", claim_source::pr_text)) {
    EXPECT_FALSE(c.before_after) << c.text;
  }
}

TEST(claims_real_text, time_and_memory_taken_away_are_absolute_improvements) {
  for (const auto& [text, value, unit] : std::vector<std::tuple<std::string, double, std::string>>{
           {"Drop the 120us extra copy kernel: this removes 120us per step", 120.0, "us"},
           {"The new sampler can reduce ~30ms TPOT at batch 16", 30.0, "ms"},
           {"Caching the graph is the main change, cutting ~90s of latency on cold start", 90.0, "s"},
           {"For long videos we save around 1.5GiB.", 1.5, "GiB"},
           {"At 2k frames it goes up to 3.1GiB of peak memory saved.", 3.1, "GiB"},
           {"Keep weights in ND format (Improve TPOT 4ms performance)", 4.0, "ms"}}) {
    const auto claims = extract_claims(text, claim_source::message);
    ASSERT_EQ(claims.size(), 1u) << text;
    EXPECT_DOUBLE_EQ(claims[0].value, value) << text;
    EXPECT_EQ(claims[0].unit, unit) << text;
    EXPECT_EQ(claims[0].direction, claim_direction::improvement) << text;
  }
  // A figure that only sits near such a verb is not taken away.
  EXPECT_TRUE(extract_claims("We reduce the batch and run for 30 s", claim_source::message).empty());
  EXPECT_TRUE(extract_claims("To improve it we wait 1.5, then 30 ms", claim_source::message).empty());
}

TEST(claims_real_text, figures_attributed_to_a_side_by_the_words_beside_them_pair) {
  const auto after =
      extract_claims("On an M2 the 13B model is 40.5 ms/t on master, 38.0 ms/t with this PR.", claim_source::pr_text);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_DOUBLE_EQ(after[0].value, 40.5);
  EXPECT_DOUBLE_EQ(*after[0].value_to, 38.0);
  EXPECT_EQ(after[0].direction, claim_direction::improvement);
  const auto before = extract_claims("decode step latency baseline: ~80ms | decode step latency this change: ~61ms",
                                     claim_source::pr_text);
  ASSERT_EQ(before.size(), 1u);
  EXPECT_DOUBLE_EQ(before[0].value, 80.0);
  EXPECT_DOUBLE_EQ(*before[0].value_to, 61.0);
  // Rows named by side with a count column between the name and the figure.
  const auto rows =
      extract_claims("Run Slots Latency Baseline 4096 12.5 sec + PR 4000 11.25 sec Done", claim_source::pr_text);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(is_pair(rows[0], 12.5, 11.25));
  // Two figures beside words that name no side are not a pair.
  EXPECT_TRUE(extract_claims("It takes 40.5 ms on an M2 and 38.0 ms on an M3.", claim_source::pr_text).empty());
}

// A runtime's log pasted before and after: a sub-label ("Rate:") repeats on several lines of each
// run, each after its own line label, and the after run lost its last line. The units follow the
// figures in parentheses, and the key before "Rate:" holds the previous figure's unit.
TEST(claims_real_text, a_sub_label_repeated_on_each_line_pairs_within_its_line_label) {
  const std::string text =
      "The new packing helps prefill a lot. Before:\n"
      "[log] runner.cc:90]\tLoad phase:\t\t2.500 (seconds)\t\t Rate: \t120.50 (tokens/second)\n"
      "[log] runner.cc:95]\tDecode phase:\t\t4.000 (seconds)\t\t Rate: \t31.25 (tokens/second)\n"
      "[log] runner.cc:99]\tWarmup phase:\t\t0.900 (seconds)\t\t Rate: \t14.00 (tokens/second)\n"
      "After\n"
      "[log] runner.cc:90]\tLoad phase:\t\t2.000 (seconds)\t\t Rate: \t150.60 (tokens/second)\n"
      "[log] runner.cc:95]\tDecode phase:\t\t3.200 (seconds)\t\t Rate: \t39.00 (tokens/second)\n";
  const auto claims = extract_claims(text, claim_source::message);
  const auto has = [&](double before, double after, std::string_view unit) {
    return std::any_of(claims.begin(), claims.end(),
                       [&](const perf_claim& c) { return c.value == before && c.value_to == after && c.unit == unit; });
  };
  EXPECT_TRUE(has(120.5, 150.6, "tokens/s"));
  EXPECT_TRUE(has(31.25, 39.0, "tokens/s"));
  EXPECT_TRUE(has(2.5, 2.0, "s"));
  EXPECT_TRUE(has(4.0, 3.2, "s"));
  for (const auto& c : claims) EXPECT_NE(c.value, 14.0) << c.text;  // the before run's extra line pairs nothing
}

// A data frame shown before and after, without code fences: once on lines of its own under
// "Before:"/"After:", once as a page's flattening leaves it (the caption ran onto the header line,
// the next caption onto the last row). Cells that differ pair; the index and settings do not.
TEST(claims_real_text, frames_without_fences_pair_cell_by_cell) {
  const std::string own_lines =
      "Before:\n"
      "      seq  kernel (us)\n"
      "0   512         41.5\n"
      "1  1024         80.2\n"
      "After:\n"
      "      seq  kernel (us)\n"
      "0   512         30.1\n"
      "1  1024         55.0\n";
  const std::string flattened =
      "Numbers: Before:     seq  kernel (us)\n"
      "0   512         41.5\n"
      "1  1024         80.2 After:     seq  kernel (us)\n"
      "0   512         30.1\n"
      "1  1024         55.0\n"
      " Output unchanged.";
  for (const auto& text : {own_lines, flattened}) {
    const auto claims = extract_claims(text, claim_source::pr_text);
    ASSERT_EQ(claims.size(), 2u) << text;
    EXPECT_TRUE(is_pair(claims[0], 41.5, 30.1));
    EXPECT_TRUE(is_pair(claims[1], 80.2, 55.0));
    EXPECT_EQ(claims[0].unit, "us");
    EXPECT_EQ(claims[0].direction, claim_direction::improvement);
  }
}

// A page's post on one line, both runs of a progress-bar tool in it under "main:" and "this PR:":
// not a block labelled "main", and the rate after the bar's bare numbers takes the bar's label.
TEST(claims_real_text, both_captioned_runs_on_one_line_pair_through_their_progress_bars) {
  const std::string text =
      "Numbers from the sampler bench. main: Sampling batches: 100%|#####| 512/512 [00:41<00:00, 12.40it/s] "
      "this PR: Sampling batches: 100%|#####| 512/512 [00:33<00:00, 15.51it/s] Looks good to me.";
  const auto claims = extract_claims(text, claim_source::pr_text);
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_TRUE(is_pair(claims[0], 12.4, 15.51));
  EXPECT_EQ(claims[0].unit, "it/s");
  EXPECT_EQ(claims[0].direction, claim_direction::improvement);
  // "Before this PR:" names one side only: its block below still pairs with "With this PR:".
  const std::string blocks = "Before this PR:\nPeak memory: 25.5 GiB\nWith this PR:\nPeak memory: 22.0 GiB\n";
  const auto pairs = extract_claims(blocks, claim_source::message);
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_TRUE(is_pair(pairs[0], 25.5, 22.0));
}

// Two runs whose captions are all that names them ("With this branch:", "Main:"), the newer
// first, in a text with no other comparison word: the captions' sides pair them.
TEST(claims_real_text, runs_named_only_by_their_captions_pair) {
  const auto claims =
      extract_claims("Measured on the long prompt. With this branch: 2.41 ms per step. Main: 3.05 ms per step.",
                     claim_source::pr_text);
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_TRUE(is_pair(claims[0], 3.05, 2.41));
  EXPECT_EQ(claims[0].direction, claim_direction::improvement);
  // Without captions, two figures of one unit are no comparison.
  EXPECT_TRUE(extract_claims("Run one: 2.41 ms per step. Run two: 3.05 ms per step.", claim_source::pr_text).empty());
}

// One sentence with a speedup per machine, some below 1: each is a figure of its own (however close
// in value), and a speedup below 1 is a slowdown. An extra amount of memory is a regression.
TEST(claims_real_text, speedups_below_one_and_extra_memory) {
  const auto claims = extract_claims(
      "Mean speedup over main across 60 shapes (timed interleaved): 0.995x on box A, 0.991x on box B, 1.006x on "
      "box C.",
      claim_source::message);
  ASSERT_EQ(claims.size(), 3u);
  EXPECT_EQ(claims[0].direction, claim_direction::regression);
  EXPECT_DOUBLE_EQ(*claims[0].expected_speedup, 0.995);
  EXPECT_DOUBLE_EQ(claims[1].value, 0.991);
  EXPECT_EQ(claims[2].direction, claim_direction::improvement);
  const auto memory = extract_claims("The cache costs an extra ~120 MB of device memory.", claim_source::message);
  ASSERT_EQ(memory.size(), 1u);
  EXPECT_EQ(memory[0].kind, claim_kind::memory);
  EXPECT_EQ(memory[0].direction, claim_direction::regression);
  // "reduces latency to 0.8x" is no slowdown.
  const auto latency = extract_claims("This reduces decode latency to 0.8x of main.", claim_source::message);
  for (const auto& c : latency) EXPECT_NE(c.direction, claim_direction::regression) << c.text;
}

// A flattened table of signed changes under a header of measures: each change takes its column's
// measure, and the sign says more or less of it (more tokens/s and less TTFT are both gains).
TEST(claims_real_text, signed_changes_take_their_columns_measure) {
  const auto claims = extract_claims(
      "Results against main: Setting Decode tok/s Req/s Mean TTFT Short prompts +4.10% +3.90% -2.50% Long prompts "
      "+11.20% +10.80% +6.00% Done.",
      claim_source::pr_text);
  ASSERT_EQ(claims.size(), 6u);
  EXPECT_EQ(claims[0].metric, "tokens/s");
  EXPECT_EQ(claims[0].direction, claim_direction::improvement);
  EXPECT_EQ(claims[1].metric, "requests/s");
  EXPECT_EQ(claims[2].metric, "TTFT");
  EXPECT_EQ(claims[2].direction, claim_direction::improvement);
  EXPECT_NEAR(*claims[2].expected_speedup, 1.0 / 0.975, 1e-12);
  EXPECT_EQ(claims[5].metric, "TTFT");
  EXPECT_EQ(claims[5].direction, claim_direction::regression);  // +6% TTFT is slower
}

// A 72-column message wrapped a table's body row between two cells: the rest of the row, on the
// next line, joins it while the row is short of the header's cells.
TEST(claims_real_text, a_body_row_wrapped_between_cells_is_joined) {
  const std::string text =
      "| Case | Base | This PR |\n"
      "| --- | ---: | ---: |\n"
      "| Cold lookup of the plan cache (500 calls) | 310.2 us/call |\n"
      "4.1 us/call |\n"
      "| Warm lookup (500 calls) | 12.5 us/call | 3.3 us/call |\n";
  const auto claims = extract_claims(text, claim_source::message);
  EXPECT_TRUE(are_pairs(claims, {{310.2, 4.1}, {12.5, 3.3}}));
}

// A memory table whose last column is the saving: the new kernel's column comes first, and the
// saving (of the larger value) says the larger value is the one before.
TEST(claims_real_text, a_savings_column_puts_the_larger_value_first) {
  const std::string text =
      "### Peak memory, MB\n\n"
      "| Tokens | Fused | Two kernels | Savings |\n"
      "|---:|---:|---:|---:|\n"
      "| 1024 | 40.50 | 64.50 | 37.2% |\n"
      "| 4096 | 150.25 | 246.25 | 39.0% |\n";
  const auto claims = extract_claims(text, claim_source::message);
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_TRUE(is_pair(claims[0], 64.5, 40.5));
  EXPECT_EQ(claims[0].direction, claim_direction::improvement);
  EXPECT_TRUE(is_pair(claims[1], 246.25, 150.25));
}

// One row, two measures: each pair takes the unit of its own columns' headers.
TEST(claims_real_text, each_column_group_takes_its_headers_unit) {
  const std::string text =
      "| Length | Old (ms) | New (ms) | Time | Old (MB) | New (MB) | Memory |\n"
      "|---|---|---|---|---|---|---|\n"
      "| 2048 | 5.10 | 4.08 | -20% | 300.5 | 240.4 | -20% |\n";
  const auto claims = extract_claims(text, claim_source::message);
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_EQ(claims[0].unit, "ms");
  EXPECT_EQ(claims[1].unit, "MB");
  EXPECT_EQ(claims[1].kind, claim_kind::memory);
  EXPECT_TRUE(is_pair(claims[1], 300.5, 240.4));
}

// A table whose value cells are all signed changes: each cell is a claim, its column's header
// ("min", "avg", "max") its qualifier; a table that names no measure is of time (less is a gain).
TEST(claims_real_text, a_table_of_signed_changes_claims_each_cell) {
  const std::string text =
      "### Change across batch sizes\n\n"
      "| GPU | min | avg | max |\n"
      "|---|--:|--:|--:|\n"
      "| A100 | -3% | -7% | -12% |\n"
      "| L40S | +1% | -2% | -0% |\n";
  const auto claims = extract_claims(text, claim_source::message);
  ASSERT_EQ(claims.size(), 5u);  // "-0%" states no change
  EXPECT_DOUBLE_EQ(claims[0].value, 3.0);
  EXPECT_EQ(claims[0].qualifier, claim_qualifier::at_least);
  EXPECT_EQ(claims[0].direction, claim_direction::improvement);
  EXPECT_EQ(claims[1].qualifier, claim_qualifier::average);
  EXPECT_EQ(claims[2].qualifier, claim_qualifier::up_to);
  EXPECT_NEAR(*claims[2].expected_speedup, 1.0 / 0.88, 1e-12);
  EXPECT_EQ(claims[3].direction, claim_direction::regression);  // +1% of time
  // A throughput column: more is a gain.
  const auto rate =
      extract_claims("| Model | tokens/s |\n|---|---|\n| 7B | +6.5% |\n| 13B | +4.0% |\n", claim_source::message);
  ASSERT_EQ(rate.size(), 2u);
  EXPECT_EQ(rate[0].kind, claim_kind::throughput);
  EXPECT_EQ(rate[0].direction, claim_direction::improvement);
}

// A change table with a memory column and columns that name no measure: the memory change's sign
// says the gain; a column of rises is of speed. The typeset minus sign (U+2212) is a sign.
TEST(claims_real_text, a_change_table_reads_memory_and_unnamed_speed_columns) {
  const std::string text =
      "|  | Forward | Backward | Memory |\n"
      "|---|---|---|---|\n"
      "| `hidden=4096` | **+41%** | **+95%** | \xe2\x88\x92"
      "18% |\n"
      "| `hidden=8192` | **+44%** | **+102%** | \xe2\x88\x92"
      "18% |\n";
  const auto claims = extract_claims(text, claim_source::message);
  ASSERT_EQ(claims.size(), 6u);  // the second row's memory change equals the first's: another row
  EXPECT_DOUBLE_EQ(claims[0].value, 41.0);
  EXPECT_EQ(claims[0].direction, claim_direction::improvement);
  EXPECT_NEAR(*claims[0].expected_speedup, 1.41, 1e-12);
  EXPECT_EQ(claims[2].kind, claim_kind::memory);
  EXPECT_DOUBLE_EQ(claims[2].value, 18.0);
  EXPECT_EQ(claims[2].direction, claim_direction::improvement);
}

// A markdown table of prose (a summary of results), one row wrapped: its rows are read as
// sentences.
TEST(claims_real_text, a_table_of_prose_is_read_as_sentences) {
  const std::string text =
      "| Evaluation | Result |\n"
      "|---|---|\n"
      "| Kernels alone | Up to **28% lower forward latency**, **6%\n"
      "lower backward latency** vs the fastest other kernel |\n"
      "| Whole model | **1.9x speedup** in training step time |\n"
      "| Multi-node | **15-30% higher\n"
      "throughput** than the old path in the larger\n"
      "cases |\n";
  const auto claims = extract_claims(text, claim_source::message);
  ASSERT_EQ(claims.size(), 4u);
  EXPECT_DOUBLE_EQ(claims[3].value, 15.0);  // a row wrapped over three lines
  EXPECT_DOUBLE_EQ(*claims[3].value_to, 30.0);
  EXPECT_DOUBLE_EQ(claims[0].value, 28.0);
  EXPECT_EQ(claims[0].qualifier, claim_qualifier::up_to);
  EXPECT_DOUBLE_EQ(claims[1].value, 6.0);
  EXPECT_DOUBLE_EQ(claims[2].value, 1.9);
}

// Speedups over one baseline in a "before" and an "after" column (the header wrapped with its last
// cell alone on the next line): each row is a pair of factors, a larger one the better.
TEST(claims_real_text, speedup_columns_before_and_after_pair_as_factors) {
  const std::string text =
      "| shape | `compiled` | `fused+compiled` before |\n"
      "`fused+compiled` after |\n"
      "|---|---|---|---|\n"
      "| 4x1024 | 1.80x | 1.76x | **1.98x** |\n"
      "| 4x4096 | 1.52x | 1.47x | **1.61x** |\n";
  const auto claims = extract_claims(text, claim_source::message);
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_TRUE(is_pair(claims[0], 1.76, 1.98));
  EXPECT_EQ(claims[0].unit, "x");
  EXPECT_EQ(claims[0].direction, claim_direction::improvement);
  EXPECT_NEAR(*claims[0].expected_speedup, 1.98 / 1.76, 1e-12);
  // In prose too: a speedup that went from one factor to another.
  const auto prose = extract_claims("The speedup over eager went from 1.4x to 1.9x.", claim_source::message);
  ASSERT_EQ(prose.size(), 1u);
  EXPECT_TRUE(is_pair(prose[0], 1.4, 1.9));
}

// Two tables (two kernels measured alike) with a row of equal figures: two rows, two measurements.
// A sentence that repeats a row's figure stays one claim with it.
TEST(claims_real_text, equal_figures_in_two_table_rows_are_two_claims) {
  const std::string text =
      "GEGLU:\n\n| Tokens | Old (MB) | New (MB) | Memory |\n|---|---|---|---|\n| 1024 | 230.5 | 180.5 | -22% |\n\n"
      "SwiGLU:\n\n| Tokens | Old (MB) | New (MB) | Memory |\n|---|---|---|---|\n| 1024 (swiglu) | 230.5 | 180.5 | -22% "
      "|\n\n"
      "Peak memory drops from 230.5 MB to 180.5 MB.\n";
  auto claims = extract_claims(text, claim_source::message);
  drop_repeated_claims(claims);
  EXPECT_TRUE(are_pairs(claims, {{230.5, 180.5}, {230.5, 180.5}}));
}

// A table without leading pipes, its header wrapped and ruled by dashes, in a ~~~ fence: the
// "Original" and "Optimized" columns pair, in the unit their headers name.
TEST(claims_real_text, a_table_without_leading_pipes_in_a_tilde_fence) {
  const std::string text =
      "Benchmark:\n~~~\n"
      "Experts | Original (ms) | Optimized (ms) | Block |\n"
      "Speedup | Note\n"
      "\n"
      "------------------------------------------\n"
      "256 | 0.300 | 0.025 | 128 | 12.00x | ok\n"
      "64 | 0.280 | 0.040 | 128 | 7.00x | ok\n"
      "~~~\n";
  const auto claims = extract_claims(text, claim_source::message);
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_TRUE(is_pair(claims[0], 0.3, 0.025));
  EXPECT_EQ(claims[0].unit, "ms");
  EXPECT_TRUE(is_pair(claims[1], 0.28, 0.04));
}

// Unsigned percentages in a table under a caption that calls them gains; an HTML comment between
// the caption and the table (a spreadsheet's paste marker, a template's note) is not read.
TEST(claims_real_text, a_caption_makes_a_tables_percentages_gains_past_an_html_comment) {
  const std::string text =
      "Across the parallelisms I measured an average speedup of 2.5% as follows:\n\n"
      "<!-- pasted from a sheet: 99% of rows\n"
      "kept -->\n"
      "Model | FSDP | 2.2%\n"
      "-- | -- | --\n"
      "8B | TP | 3.1%\n"
      "8B | PP | 1.9%\n";
  const auto claims = extract_claims(text, claim_source::message);
  ASSERT_EQ(claims.size(), 3u);
  EXPECT_DOUBLE_EQ(claims[1].value, 3.1);
  EXPECT_EQ(claims[1].direction, claim_direction::improvement);
  EXPECT_NEAR(*claims[1].expected_speedup, 1.031, 1e-12);
  for (const auto& c : claims) EXPECT_NE(c.value, 99.0) << c.text;
}

// A test log in a code block: its summary table's header names the unit a few lines above each
// row, and the speedup column says which side is new.
TEST(claims_real_text, a_code_blocks_rows_read_their_header_above) {
  const std::string text =
      "```\n"
      "Backward Performance Summary:\n"
      "Shape New (ms) Reference (ms) Speedup\n"
      "------------------------------------\n"
      "M=256, K=64 0.210 0.630 3.00\n"
      "M=512, K=128 0.400 1.100 2.75\n"
      "```\n";
  const auto claims = extract_claims(text, claim_source::message);
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_TRUE(is_pair(claims[0], 0.63, 0.21));
  EXPECT_EQ(claims[0].unit, "ms");
  EXPECT_EQ(claims[0].direction, claim_direction::improvement);
}

// Runs captioned "With change:" / "Without change:" in adjacent pairs, for two settings; the rate
// is named by the label ("Tokens/Second"), not after the figure; "key=value" logs keep their keys
// out of the units ("tps=7887 tflops=142").
TEST(claims_real_text, adjacent_captioned_runs_and_key_value_logs) {
  const std::string text =
      "### bf16\nWith change:\n```\nMedian Tokens/Second (excluding step 1): 2100.0\n```\n"
      "Without change:\n```\nMedian Tokens/Second (excluding step 1): 1700.0\n```\n"
      "### fp8\nWith change:\n```\nMedian Tokens/Second (excluding step 1): 2600.0\n```\n"
      "Without change:\n```\nMedian Tokens/Second (excluding step 1): 2300.0\n```\n";
  const auto claims = extract_claims(text, claim_source::message);
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_TRUE(is_pair(claims[0], 1700.0, 2100.0));
  EXPECT_EQ(claims[0].unit, "tokens/s");
  EXPECT_TRUE(is_pair(claims[1], 2300.0, 2600.0));
  const auto logs = extract_claims(
      "Before:\nstep=100 loss=4.75\nmax_reserved=60.5GiB tps=7800.5 tflops=140.2\n\n"
      "After:\nstep=100 loss=4.75\nmax_reserved=60.5GiB tps=8300.0 tflops=149.9\n",
      claim_source::message);
  ASSERT_FALSE(logs.empty());
  EXPECT_TRUE(is_pair(logs[0], 7800.5, 8300.0));
  EXPECT_EQ(logs[0].unit, "tokens/s");
}

TEST(claims_real_text, multi_megabyte_flattened_page_is_fast) {
  std::string page;
  page.reserve(6u << 20);
  while (page.size() < (6u << 20)) {
    page +=
        "Copy link Contributor zed commented Mar 1, 2025 Loading Uh oh! There was an error while loading. Please "
        "reload this page . batch base (ms) pr (ms) ratio 1 10.0 8.0 0.80x 2 7 9 Output throughput: 5.5 tok/s "
        "and 3% faster in some runs ";
  }
  const auto t0 = std::chrono::steady_clock::now();
  const auto claims = extract_claims(page, claim_source::pr_text);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_FALSE(claims.empty());
#ifdef NDEBUG
  EXPECT_LT(seconds, 1.5) << "6 MB page";
#else
  EXPECT_LT(seconds, 30.0) << "6 MB page (sanitizer build)";
#endif
}

}  // namespace
}  // namespace isobench::detail
