#pragma once
// Cold-cache support: between samples, write a buffer larger than the last-level cache so the
// kernel's data is evicted. The buffer is allocated once, not per sample.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace isobench::detail::timing {

class cache_flusher {
public:
  // size_bytes: at least twice the last-level cache is a safe choice.
  explicit cache_flusher(std::size_t size_bytes);
  void flush();
  [[nodiscard]] std::size_t size_bytes() const noexcept { return m_buffer.size(); }

private:
  std::vector<std::uint8_t> m_buffer;
  std::uint64_t m_sink = 0;  // keeps the reads observable
};

}  // namespace isobench::detail::timing
