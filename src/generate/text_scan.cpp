#include "generate/text_scan.hpp"

#include <algorithm>
#include <cstdlib>

namespace isobench::detail::text {

namespace {

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

struct unit_def {
  std::string_view spelling;  // lower case, as it may appear
  std::string_view canonical;
  unit_class cls;
  double scale;
};

// Longest spellings first where one is a prefix of another ("gb/s" before "gb", "ms" before "s").
constexpr unit_def k_units[] = {
    {"tokens per second", "tokens/s", unit_class::throughput, 1},
    {"requests per second", "requests/s", unit_class::throughput, 1},
    {"tokens/sec", "tokens/s", unit_class::throughput, 1},
    {"tokens/s", "tokens/s", unit_class::throughput, 1},
    {"token/s", "tokens/s", unit_class::throughput, 1},
    {"toks/s", "tokens/s", unit_class::throughput, 1},
    {"tok/sec", "tokens/s", unit_class::throughput, 1},
    {"tok/s", "tokens/s", unit_class::throughput, 1},
    {"t/s", "tokens/s", unit_class::throughput, 1},
    {"requests/s", "requests/s", unit_class::throughput, 1},
    {"request/s", "requests/s", unit_class::throughput, 1},
    {"reqs/s", "requests/s", unit_class::throughput, 1},
    {"req/s", "requests/s", unit_class::throughput, 1},
    {"samples/s", "samples/s", unit_class::throughput, 1},
    {"images/s", "images/s", unit_class::throughput, 1},
    {"seq/s", "sequences/s", unit_class::throughput, 1},
    {"it/s", "it/s", unit_class::throughput, 1},
    {"qps", "requests/s", unit_class::throughput, 1},
    {"tps", "tokens/s", unit_class::throughput, 1},
    {"tok / sec", "tokens/s", unit_class::throughput, 1},
    {"tok / s", "tokens/s", unit_class::throughput, 1},
    {"tflops/s", "TFLOP/s", unit_class::throughput, 1e12},  // "370GFlops/s": the rate said twice
    {"gflops/s", "GFLOP/s", unit_class::throughput, 1e9},
    {"tflop/s", "TFLOP/s", unit_class::throughput, 1e12},
    {"tflops", "TFLOP/s", unit_class::throughput, 1e12},
    {"gflop/s", "GFLOP/s", unit_class::throughput, 1e9},
    {"gflops", "GFLOP/s", unit_class::throughput, 1e9},
    {"tb/s", "TB/s", unit_class::throughput, 1e12},
    {"gb/s", "GB/s", unit_class::throughput, 1e9},
    {"gbps", "GB/s", unit_class::throughput, 1e9},
    {"ms/token", "ms", unit_class::time, 1e-3},  // time per token: a latency
    {"ms/tok", "ms", unit_class::time, 1e-3},
    {"ms/t", "ms", unit_class::time, 1e-3},
    {"ms/call", "ms", unit_class::time, 1e-3},
    {"ms/iter", "ms", unit_class::time, 1e-3},  // time per iteration, step or epoch: a latency
    {"us/iter", "us", unit_class::time, 1e-6},
    {"s/iter", "s", unit_class::time, 1},
    {"ms / step", "ms", unit_class::time, 1e-3},
    {"ms/step", "ms", unit_class::time, 1e-3},
    {"s/step", "s", unit_class::time, 1},
    {"sec/epoch", "s", unit_class::time, 1},
    {"s/epoch", "s", unit_class::time, 1},
    {"us/call", "us", unit_class::time, 1e-6},
    {"ns/call", "ns", unit_class::time, 1e-9},
    {"\xc2\xb5s/call", "us", unit_class::time, 1e-6},
    {"micro-seconds", "us", unit_class::time, 1e-6},
    {"milli-seconds", "ms", unit_class::time, 1e-3},
    {"milliseconds", "ms", unit_class::time, 1e-3},
    {"millisecond", "ms", unit_class::time, 1e-3},
    {"microseconds", "us", unit_class::time, 1e-6},
    {"microsecond", "us", unit_class::time, 1e-6},
    {"tokens/second", "tokens/s", unit_class::throughput, 1},
    {"msec", "ms", unit_class::time, 1e-3},
    {"ms", "ms", unit_class::time, 1e-3},
    {"us", "us", unit_class::time, 1e-6},
    {"\xc2\xb5s", "us", unit_class::time, 1e-6},  // micro sign
    {"\xce\xbcs", "us", unit_class::time, 1e-6},  // Greek mu
    {"ns", "ns", unit_class::time, 1e-9},
    {"seconds", "s", unit_class::time, 1},
    {"second", "s", unit_class::time, 1},
    {"secs", "s", unit_class::time, 1},
    {"sec", "s", unit_class::time, 1},
    {"minutes", "min", unit_class::time, 60},
    {"mins", "min", unit_class::time, 60},
    {"min", "min", unit_class::time, 60},
    {"hours", "h", unit_class::time, 3600},
    {"s", "s", unit_class::time, 1},
    {"gib", "GiB", unit_class::memory, 1073741824.0},
    {"mib", "MiB", unit_class::memory, 1048576.0},
    {"kib", "KiB", unit_class::memory, 1024.0},
    {"tb", "TB", unit_class::memory, 1e12},
    {"gb", "GB", unit_class::memory, 1e9},
    {"mb", "MB", unit_class::memory, 1e6},
    {"kb", "KB", unit_class::memory, 1e3},
    {"bytes", "bytes", unit_class::memory, 1},
    {"percent", "%", unit_class::percent, 1},
    {"%", "%", unit_class::percent, 1},
    {"times", "x", unit_class::factor, 1},
    {"\xc3\x97", "x", unit_class::factor, 1},  // multiplication sign
    {"x", "x", unit_class::factor, 1},
};

// Words after "8x " that make it a count of devices, not a factor.
constexpr std::string_view k_hardware[] = {"h100", "h200", "h800",   "h20",   "a100",   "a800",  "a10", "l4",    "l40",
                                           "v100", "t4",   "b200",   "gb200", "mi250",  "mi300", "gpu", "node",  "card",
                                           "rtx",  "tpu",  "device", "core",  "socket", "mi3",   "mi2", "gaudi", "npu"};

// The unit starting at `pos` of `low` (one space allowed before it, and the end of a code span:
// "`1.2` times").
std::optional<std::pair<const unit_def*, std::size_t>> unit_at(std::string_view low, std::size_t pos) {
  std::size_t p = pos;
  if (p < low.size() && low[p] == '`') ++p;
  if (p < low.size() && low[p] == ' ') ++p;
  for (const auto& u : k_units) {
    if (low.substr(p, u.spelling.size()) != u.spelling) continue;
    const std::size_t after = p + u.spelling.size();
    const char next = after < low.size() ? low[after] : ' ';
    if (u.spelling != "%" && (is_alnum(next) || next == '_')) continue;
    if (u.cls == unit_class::factor && p != pos && u.spelling == "x") {
      continue;  // "2 x 3" is arithmetic or a shape, not "2x"
    }
    if (u.spelling == "times" && next == ':') continue;  // "p-value: 0.006 times: [...]" labels a list
    if (next == '=' && p != pos) continue;               // "tps=7887 tflops=142": the next key, not a unit

    return std::make_pair(&u, after);
  }
  return std::nullopt;
}

// A number at `pos` (digits, thousands commas, one decimal point); its end, or npos.
std::size_t number_end(std::string_view s, std::size_t pos, double& value) {
  std::string digits;
  std::size_t i = pos;
  bool point = false;
  while (i < s.size() && digits.size() < 32) {
    const char c = s[i];
    if (is_digit(c)) {
      digits += c;
      ++i;
    } else if (c == ',' && !point && i + 3 < s.size() && is_digit(s[i + 1]) && is_digit(s[i + 2]) &&
               is_digit(s[i + 3]) && (i + 4 >= s.size() || !is_digit(s[i + 4]))) {
      ++i;  // 1,234
    } else if (c == '.' && !point && i + 1 < s.size() && is_digit(s[i + 1])) {
      point = true;
      digits += '.';
      ++i;
    } else {
      break;
    }
  }
  if (digits.empty() || digits.size() >= 32) return std::string_view::npos;
  // "5.6801e-06", "1.2E+3": an exponent, when digits follow it (not "2e2e", "5e" of a word).
  if (i + 2 < s.size() && (s[i] == 'e' || s[i] == 'E') && (s[i + 1] == '-' || s[i + 1] == '+') && is_digit(s[i + 2])) {
    std::size_t j = i + 2;
    while (j < s.size() && is_digit(s[j]) && j - i < 6) ++j;
    if (j == s.size() || !is_alpha(s[j])) {
      digits.append(s.substr(i, j - i));
      i = j;
    }
  }
  value = std::strtod(digits.c_str(), nullptr);
  return i;
}

// `sign_bytes`: how many bytes the written sign takes before the digit ("-": 1, U+2212 "−": 3).
bool starts_number(std::string_view s, std::size_t i, int& sign, std::size_t& sign_bytes) {
  if (!is_digit(s[i])) return false;
  sign = 0;
  sign_bytes = 0;
  if (i == 0) return true;
  if (i >= 3 && s.substr(i - 3, 3) == "\xe2\x88\x92") {  // the minus sign of typeset tables
    sign = -1;
    sign_bytes = 3;
    return true;
  }
  const char p = s[i - 1];
  if (is_alpha(p) || is_digit(p) || p == '_' || p == '#' || p == '.' || p == '/' || p == '\\' || p == '@') {
    return false;
  }
  if (p == '-' || p == '+') {
    if (i >= 2 && (is_alnum(s[i - 2]) || s[i - 2] == '_' || s[i - 2] == '.')) return false;  // llama-3, a-1
    sign = p == '+' ? 1 : -1;
    sign_bytes = 1;
  }
  // Bytes of a UTF-8 sequence before a digit ("\xc3\x97" in 2×3) leave it a number.
  return true;
}

// Where the clock reading that starts at `b` ends ("16:03:30,779": hours of one or two digits, then
// one or more ":MM" fields of two digits under 60, then an optional fraction), or npos.
std::size_t clock_end(std::string_view s, std::size_t b, std::size_t e) {
  if (e - b > 2 || e >= s.size() || s[e] != ':') return std::string_view::npos;
  for (std::size_t p = b; p < e; ++p) {
    if (!is_digit(s[p])) return std::string_view::npos;
  }
  std::size_t p = e;
  while (p + 2 < s.size() && s[p] == ':' && is_digit(s[p + 1]) && is_digit(s[p + 2]) && s[p + 1] < '6' &&
         (p + 3 >= s.size() || !is_digit(s[p + 3]))) {
    p += 3;
  }
  if (p == e) return std::string_view::npos;
  if (p + 1 < s.size() && (s[p] == ',' || s[p] == '.') && is_digit(s[p + 1])) {
    ++p;
    while (p < s.size() && is_digit(s[p])) ++p;
  }
  return p;
}

}  // namespace

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool is_alnum(char c) noexcept {
  return is_digit(c) || is_alpha(c);
}

std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes) noexcept {
  if (s.size() <= max_bytes) return s;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool word_at(std::string_view low, std::size_t pos, std::string_view kw, bool whole) noexcept {
  if (low.substr(pos, kw.size()) != kw) return false;
  if (pos > 0 && is_alnum(kw.front()) && (is_alnum(low[pos - 1]) || low[pos - 1] == '_')) return false;
  if (whole && is_alnum(kw.back())) {
    const std::size_t after = pos + kw.size();
    if (after < low.size() && (is_alnum(low[after]) || low[after] == '_')) return false;
  }
  return true;
}

bool contains_word(std::string_view low, std::span<const std::string_view> kws, bool whole) {
  for (auto kw : kws) {
    for (std::size_t p = low.find(kw); p != std::string_view::npos; p = low.find(kw, p + 1)) {
      if (word_at(low, p, kw, whole)) return true;
    }
  }
  return false;
}

std::optional<keyword_hit> nearest_keyword(std::string_view low, std::size_t begin, std::size_t end,
                                           std::span<const std::string_view> kws, std::size_t before_chars,
                                           std::size_t after_chars, bool whole) {
  const std::size_t from = begin > before_chars ? begin - before_chars : 0;
  const std::size_t to = std::min(low.size(), end + after_chars);
  std::optional<keyword_hit> best;
  for (std::size_t k = 0; k < kws.size(); ++k) {
    const auto kw = kws[k];
    for (std::size_t p = low.find(kw, from); p != std::string_view::npos && p < to; p = low.find(kw, p + 1)) {
      if (!word_at(low, p, kw, whole)) continue;
      keyword_hit h{k, 0, p < begin};
      if (p + kw.size() <= begin) {
        h.distance = begin - (p + kw.size());
      } else if (p >= end) {
        h.distance = p - end + 8;
      } else {
        continue;  // overlaps the number itself
      }
      if (!best || h.distance < best->distance) best = h;
    }
  }
  return best;
}

std::vector<quantity> find_quantities(std::string_view text, std::string_view low) {
  std::vector<quantity> out;
  std::size_t i = 0;
  while (i < text.size()) {
    int sign = 0;
    std::size_t sign_bytes = 0;
    if (!starts_number(text, i, sign, sign_bytes)) {
      ++i;
      continue;
    }
    quantity q;
    q.begin = i - sign_bytes;
    q.sign = sign;
    std::size_t e = number_end(text, i, q.value);
    if (e == std::string_view::npos) {
      while (i < text.size() && is_digit(text[i])) ++i;
      continue;
    }
    // A shape such as 4096x4096 or 16x128x8: skip every part.
    if (e + 1 < text.size() && (low[e] == 'x') && is_digit(text[e + 1])) {
      i = e + 1;
      while (i < text.size() && (is_digit(text[i]) || low[i] == 'x')) ++i;
      continue;
    }
    // A time of day or a duration on a clock ("16:03:30,779" in a log line, "0:01:40"): no figure.
    if (const auto clock = clock_end(text, q.begin, e); clock != std::string_view::npos) {
      i = clock;
      continue;
    }
    auto unit = unit_at(low, e);
    // A range: 2-3x, 20 - 30%, 2x-3x, 1.5 to 2x.
    std::size_t r = unit ? unit->second : e;
    {
      std::size_t p = r;
      while (p < low.size() && low[p] == ' ') ++p;
      std::size_t sep_end = std::string_view::npos;
      if (p < low.size() && (low[p] == '-' || low[p] == '~')) sep_end = p + 1;
      if (low.substr(p, 3) == "\xe2\x80\x93") sep_end = p + 3;  // en dash
      // A dash joins the two ends of a range; "to" also joins a change ("4.88 to 15.24 t/s"), so it
      // makes a range only of a ratio.
      const bool worded = word_at(low, p, "to", true) || word_at(low, p, "and", true);
      if (word_at(low, p, "to", true)) sep_end = p + 2;
      // "between 1.36 and 1.82x"
      if (word_at(low, p, "and", true) && low.substr(0, q.begin).ends_with("between ")) sep_end = p + 3;
      if (sep_end != std::string_view::npos) {
        std::size_t n = sep_end;
        while (n < low.size() && low[n] == ' ') ++n;
        double high = 0.0;
        // "6.25 -10.1%": a space before the dash and none after it make a signed number, not a range.
        const bool signed_next = low[sep_end - 1] == '-' && p > r && n == sep_end;
        const std::size_t e2 =
            !signed_next && n < text.size() && is_digit(text[n]) ? number_end(text, n, high) : std::string_view::npos;
        if (e2 != std::string_view::npos) {
          auto unit2 = unit_at(low, e2);
          const bool same = unit2 && (!unit || unit->first->cls == unit2->first->cls);
          // "2-3x", "5-8%", and a range of one measure ("3-5 tok/s", "1.5-2 GB") with its unit once, at
          // the end.
          const bool ratio =
              unit2 && (unit2->first->cls == unit_class::factor || unit2->first->cls == unit_class::percent);
          if (same && high > q.value && (ratio || (!unit && !worded && unit2->first->cls != unit_class::none))) {
            q.high = high;
            unit = unit2;
            r = unit2->second;
          }
        }
      }
    }
    if (unit) {
      q.unit = std::string(unit->first->canonical);
      q.cls = unit->first->cls;
      q.scale = unit->first->scale;
      e = unit->second;
      if (q.cls == unit_class::factor) {
        std::size_t p = e;
        while (p < low.size() && (low[p] == ' ' || low[p] == '-')) ++p;
        bool hardware = false;
        for (auto hw : k_hardware) hardware = hardware || word_at(low, p, hw, false);
        if (hardware) {
          i = e;
          continue;
        }
      }
    }
    q.end = q.high ? r : e;
    out.push_back(q);
    i = q.end;
  }
  return out;
}

std::optional<quantity> measure_unit(std::string_view word) {
  for (const auto& u : k_units) {
    if (word == u.spelling && u.cls != unit_class::factor && u.cls != unit_class::percent) {
      quantity q;
      q.unit = std::string(u.canonical);
      q.cls = u.cls;
      q.scale = u.scale;
      return q;
    }
  }
  return std::nullopt;
}

}  // namespace isobench::detail::text
