#include "timing/cache_flush.hpp"

namespace isobench::detail::timing {

cache_flusher::cache_flusher(std::size_t size_bytes) : m_buffer(size_bytes, 1) {}

void cache_flusher::flush() {
  // One read-modify-write per 64-byte line makes every line dirty and resident, evicting others.
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < m_buffer.size(); i += 64) {
    sum += m_buffer[i];
    m_buffer[i] = static_cast<std::uint8_t>(m_buffer[i] + 1);
  }
  m_sink += sum;
  asm volatile("" : : "r"(m_sink) : "memory");
}

}  // namespace isobench::detail::timing
