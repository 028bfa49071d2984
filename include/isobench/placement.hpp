#pragma once
// Memory whose placement isobench controls. Two processes of one build can time a small kernel
// apart when their buffers land at other addresses (README, "Layout"). Memory allocated while a
// kernel is set up (isobench::tensor, isobench::scratch) therefore comes from a per-kernel arena of
// 2 MiB-aligned, huge-page-advised chunks, at offsets that depend only on the order of allocation
// within that setup and on the run's layout seed: not on what was allocated before, the
// executable's path, the environment's size or the process. Outside a setup (tests, copies of
// outputs) the same types use the ordinary heap, 64-byte aligned.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>
#include <span>
#include <type_traits>
#include <vector>

namespace isobench {

// Zeroed bytes, 64-byte aligned, placed by the arena inside a kernel's setup. Move-only.
class placed_bytes {
public:
  placed_bytes() = default;
  explicit placed_bytes(std::size_t bytes);  // throws std::bad_alloc
  placed_bytes(placed_bytes&& other) noexcept;
  placed_bytes& operator=(placed_bytes&& other) noexcept;
  placed_bytes(const placed_bytes&) = delete;
  placed_bytes& operator=(const placed_bytes&) = delete;
  ~placed_bytes();

  [[nodiscard]] std::byte* data() const noexcept { return m_data; }
  [[nodiscard]] std::size_t size() const noexcept { return m_size; }
  // Whether the arena placed it (false: the heap, outside a kernel's setup).
  [[nodiscard]] bool placed() const noexcept { return m_chunk != nullptr; }

private:
  void release() noexcept;
  std::byte* m_data = nullptr;
  std::size_t m_size = 0;
  void* m_chunk = nullptr;  // the arena chunk holding it; nullptr: heap
};

// A kernel's scratch array (workspaces, packed weights, intermediate rows): use it instead of
// std::vector for anything run() touches, so its placement is controlled like the tensors'.
// Zero-initialised; T must be trivially copyable.
template <class T>
class scratch {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

public:
  scratch() = default;
  explicit scratch(std::size_t count) : m_bytes(bytes_for(count)), m_count(count) {}
  // A placed copy of `values` (e.g. a table computed into a std::vector during setup).
  explicit scratch(std::span<const T> values) : scratch(values.size()) {
    if (!values.empty()) std::memcpy(data(), values.data(), values.size() * sizeof(T));
  }

  [[nodiscard]] T* data() noexcept { return reinterpret_cast<T*>(m_bytes.data()); }
  [[nodiscard]] const T* data() const noexcept { return reinterpret_cast<const T*>(m_bytes.data()); }
  [[nodiscard]] std::size_t size() const noexcept { return m_count; }
  [[nodiscard]] bool empty() const noexcept { return m_count == 0; }
  T& operator[](std::size_t i) noexcept { return data()[i]; }
  const T& operator[](std::size_t i) const noexcept { return data()[i]; }
  T* begin() noexcept { return data(); }
  T* end() noexcept { return data() + m_count; }
  const T* begin() const noexcept { return data(); }
  const T* end() const noexcept { return data() + m_count; }
  [[nodiscard]] std::span<T> span() noexcept { return {data(), m_count}; }
  [[nodiscard]] std::span<const T> span() const noexcept { return {data(), m_count}; }

private:
  static std::size_t bytes_for(std::size_t count) {
    if (count > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw std::bad_alloc();
    return count * sizeof(T);
  }
  placed_bytes m_bytes;
  std::size_t m_count = 0;
};

// The same placement for code written with std::vector: kernels keep their resize/assign code and
// change the type to isobench::scratch_vector<T>. A 64-byte header before each block names its
// arena chunk.
inline constexpr std::size_t placed_alignment = 64;  // of what placed_allocate returns
void* placed_allocate(std::size_t bytes);           // throws std::bad_alloc
void placed_deallocate(void* p) noexcept;

template <class T>
struct placed_allocator {
  using value_type = T;
  placed_allocator() = default;
  template <class U>
  placed_allocator(const placed_allocator<U>& /*other*/) noexcept {}  // NOLINT(google-explicit-constructor)
  T* allocate(std::size_t n) {
    if (n > std::numeric_limits<std::size_t>::max() / sizeof(T) - 64) throw std::bad_alloc();
    return static_cast<T*>(placed_allocate(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t /*n*/) noexcept { placed_deallocate(p); }
  template <class U>
  bool operator==(const placed_allocator<U>& /*other*/) const noexcept {
    return true;
  }
};

template <class T>
using scratch_vector = std::vector<T, placed_allocator<T>>;

}  // namespace isobench
