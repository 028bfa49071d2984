#pragma once
// Just enough PNG decoding (8-bit RGB/RGBA, not interlaced: what Chromium's screenshots are) to tell
// whether a screenshot shows something.
#include <cstddef>
#include <filesystem>
#include <string>

namespace isobench::testing {

struct png_stats {
  std::size_t width = 0, height = 0;
  std::size_t non_white = 0;        // pixels that are not (near) white
  std::size_t distinct_colors = 0;  // up to 4096, on 4-bit-per-channel buckets
  std::string error;                // why it could not be read
};

png_stats inspect_png(const std::filesystem::path& file);

}  // namespace isobench::testing
