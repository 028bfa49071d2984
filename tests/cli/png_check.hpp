#pragma once
// Just enough PNG decoding (8-bit RGB/RGBA, not interlaced: what Chromium's screenshots are) to tell
// whether a screenshot shows something.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace isobench::testing {

struct png_stats {
  std::size_t width = 0, height = 0;
  std::size_t non_white = 0;                               // pixels that are not (near) white
  std::size_t distinct_colors = 0;                         // up to 4096, on 4-bit-per-channel buckets
  std::string error;                                       // why it could not be read
  std::vector<std::pair<std::size_t, std::size_t>> found;  // (x, y) of the pixels of the colour looked for
};

struct rgb {
  int r = 0, g = 0, b = 0;
};

// With `find`: also where the pixels within `tolerance` of that colour (each channel) are.
png_stats inspect_png(const std::filesystem::path& file, std::optional<rgb> find = std::nullopt, int tolerance = 12);

}  // namespace isobench::testing
