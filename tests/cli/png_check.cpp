#include "png_check.hpp"

#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <vector>

namespace isobench::testing {

namespace {

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

int paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

}  // namespace

png_stats inspect_png(const std::filesystem::path& file, std::optional<rgb> find, int tolerance) {
  png_stats st;
  std::ifstream in(file, std::ios::binary);
  std::vector<unsigned char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (data.size() < 8 || data[1] != 'P' || data[2] != 'N' || data[3] != 'G') {
    st.error = "not a PNG";
    return st;
  }
  std::size_t pos = 8;
  int color_type = -1, depth = 0, interlace = 0;
  std::vector<unsigned char> idat;
  while (pos + 12 <= data.size()) {
    const auto len = be32(&data[pos]);
    const std::string type(reinterpret_cast<const char*>(&data[pos + 4]), 4);
    if (pos + 12 + len > data.size()) break;
    const unsigned char* body = &data[pos + 8];
    if (type == "IHDR") {
      st.width = be32(body);
      st.height = be32(body + 4);
      depth = body[8];
      color_type = body[9];
      interlace = body[12];
    } else if (type == "IDAT") {
      idat.insert(idat.end(), body, body + len);
    }
    pos += 12 + len;
  }
  if (depth != 8 || (color_type != 2 && color_type != 6) || interlace != 0) {
    st.error = "only 8-bit RGB/RGBA non-interlaced PNGs are read";
    return st;
  }
  const std::size_t bpp = color_type == 6 ? 4 : 3, stride = st.width * bpp;
  std::vector<unsigned char> raw((stride + 1) * st.height);
  uLongf raw_len = raw.size();
  if (uncompress(raw.data(), &raw_len, idat.data(), idat.size()) != Z_OK || raw_len != raw.size()) {
    st.error = "cannot inflate the image data";
    return st;
  }
  std::vector<unsigned char> prev(stride, 0), cur(stride);
  std::set<int> colors;
  for (std::size_t y = 0; y < st.height; ++y) {
    const unsigned char* line = &raw[y * (stride + 1)];
    const int filter = line[0];
    for (std::size_t x = 0; x < stride; ++x) {
      const int a = x >= bpp ? cur[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
      int v = line[x + 1];
      switch (filter) {
        case 1: v += a; break;
        case 2: v += b; break;
        case 3: v += (a + b) / 2; break;
        case 4: v += paeth(a, b, c); break;
        default: break;
      }
      cur[x] = static_cast<unsigned char>(v & 0xFF);
    }
    for (std::size_t x = 0; x < st.width; ++x) {
      const unsigned char r = cur[x * bpp], g = cur[x * bpp + 1], bl = cur[x * bpp + 2];
      if (r < 240 || g < 240 || bl < 240) ++st.non_white;
      if (colors.size() < 4096) colors.insert(((r >> 4) << 8) | ((g >> 4) << 4) | (bl >> 4));
      if (find && std::abs(r - find->r) <= tolerance && std::abs(g - find->g) <= tolerance &&
          std::abs(bl - find->b) <= tolerance) {
        st.found.emplace_back(x, y);
      }
    }
    prev.swap(cur);
  }
  st.distinct_colors = colors.size();
  return st;
}

}  // namespace isobench::testing
