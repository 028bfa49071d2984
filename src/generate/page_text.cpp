#include "generate/page_text.hpp"

#include <array>

#include "generate/text_scan.hpp"

namespace isobench::detail {

namespace {

// Interface text a flattened GitHub page carries between and inside posts (longest first where
// one contains another).
constexpr std::string_view k_interface[] = {
    "Loading Uh oh! There was an error while loading. Please reload this page .",
    "Uh oh! There was an error while loading. Please reload this page .",
    "Sign up for free to join this conversation on GitHub . Already have an account? Sign in to comment",
    "Sorry, something went wrong.",
    "All reactions",
    "Copy link",
};

constexpr std::string_view k_actions[] = {" commented", " reviewed", " left a comment", " approved these changes"};

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// After " commented": an optional date "Mar 3, 2025" (and "edited"); the end of the header.
std::size_t date_end(std::string_view low, std::size_t p) {
  std::size_t q = p;
  while (q < low.size() && low[q] == ' ') ++q;
  const std::size_t limit = std::min(low.size(), q + 16);
  for (std::size_t i = q; i < limit && i + 5 < low.size(); ++i) {
    if (low[i] == ',' && low[i + 1] == ' ' && is_digit(low[i + 2]) && is_digit(low[i + 3]) && is_digit(low[i + 4]) &&
        is_digit(low[i + 5])) {
      std::size_t e = i + 6;
      constexpr std::string_view edited = " \xe2\x80\xa2 edited";
      if (low.substr(e, edited.size()) == edited) e += edited.size();
      return e;
    }
  }
  return p;
}

}  // namespace

std::size_t post_header_end(std::string_view low) noexcept {
  // The header is a role, a name and the action: a few words at most.
  const auto head = low.substr(0, std::min<std::size_t>(low.size(), 80));
  for (auto a : k_actions) {
    const auto p = head.find(a);
    if (p == std::string_view::npos) continue;
    std::size_t words = 0;
    for (std::size_t i = 0; i < p; ++i) words += head[i] == ' ' ? 1 : 0;
    if (words > 3) continue;
    return date_end(low, p + a.size());
  }
  return 0;
}

std::string split_page(std::string_view page) {
  std::string out;
  out.reserve(page.size());
  // Next occurrence of each interface text: every search moves forward, so the pass is linear.
  std::array<std::size_t, std::size(k_interface)> next{};
  for (std::size_t k = 0; k < next.size(); ++k) next[k] = page.find(k_interface[k]);
  std::size_t pos = 0;
  while (pos < page.size()) {
    std::size_t best = std::string_view::npos, which = 0;
    for (std::size_t k = 0; k < next.size(); ++k) {
      if (next[k] != std::string_view::npos && next[k] < pos) next[k] = page.find(k_interface[k], pos);
      if (next[k] < best) {
        best = next[k];
        which = k;
      }
    }
    if (best == std::string_view::npos) {
      out.append(page.substr(pos));
      break;
    }
    out.append(page.substr(pos, best - pos));
    out += '\n';
    pos = best + k_interface[which].size();
    while (pos < page.size() && page[pos] == ' ') ++pos;
  }
  return out;
}

namespace {

constexpr std::string_view k_bots[] = {"bot",        "github-actions", "mergify",   "codecov",  "gemini-code-assist",
                                       "coderabbit", "copilot",        "dosu",      "sourcery", "netlify",
                                       "vercel",     "sonarcloud",     "dependabot"};

}  // namespace

std::size_t bot_header(std::string_view low_line, bool& is_bot) {
  std::size_t end = post_header_end(low_line);
  if (end == 0 && low_line.find("[bot]") != std::string::npos) end = low_line.size();
  if (end == 0) return 0;
  const auto header = low_line.substr(0, end);
  is_bot = header.find("[bot]") != std::string::npos;
  for (auto b : k_bots) is_bot = is_bot || text::contains_word(header, std::span(&b, 1), false);
  return end;
}

}  // namespace isobench::detail
