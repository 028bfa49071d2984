#include "core/placement_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>

namespace isobench::detail {

std::uint64_t physical_frame(const void* address) noexcept {
  const int fd = ::open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  std::uint64_t entry = 0;
  const auto page = reinterpret_cast<std::uintptr_t>(address) / 4096;
  const auto got = ::pread(fd, &entry, sizeof entry, static_cast<off_t>(page * sizeof entry));
  ::close(fd);
  constexpr std::uint64_t present = std::uint64_t{1} << 63;
  constexpr std::uint64_t frame_mask = (std::uint64_t{1} << 55) - 1;
  return got == static_cast<ssize_t>(sizeof entry) && (entry & present) != 0 ? entry & frame_mask : 0;
}

void log_placement(const std::byte* arena, std::size_t used_bytes) noexcept {
  const char* path = std::getenv("ISOBENCH_PLACEMENT_LOG");
  if (path == nullptr || *path == '\0') return;
  std::array<char, 512> exe{};
  if (::readlink("/proc/self/exe", exe.data(), exe.size() - 1) < 0) exe[0] = '?';
  // Any function of ours stands for the executable's code: its page says where the text landed.
  const auto text_frame = physical_frame(reinterpret_cast<const void*>(&physical_frame));
  // O_APPEND: both workers of a launch write one line each to the same file without a lock. Only a
  // regular file: O_NONBLOCK keeps a FIFO from stalling the setup, and a device is left alone.
  const int fd = ::open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
  if (fd < 0) return;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return;
  }
  std::array<char, 768> line{};
  const int n = std::snprintf(
      line.data(), line.size(), "pid=%d exe=%s arena=%p arena_frame=0x%llx text_frame=0x%llx used_bytes=%zu\n",
      static_cast<int>(::getpid()), exe.data(), static_cast<const void*>(arena),
      static_cast<unsigned long long>(physical_frame(arena)), static_cast<unsigned long long>(text_frame), used_bytes);
  if (n > 0) (void)!::write(fd, line.data(), static_cast<std::size_t>(n) < line.size() ? n : line.size() - 1);
  ::close(fd);
}

}  // namespace isobench::detail
