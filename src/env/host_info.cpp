#include "env/host_info.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "env/affinity.hpp"
#include "env/build_info.hpp"
#include "env/cpu_isa.hpp"

// Defined by the source isobench_add_executable() generates into a user's benchmark executable;
// weak, so they are null in executables built otherwise.
extern "C" {
__attribute__((weak)) extern const char* const isobench_user_project;
__attribute__((weak)) extern const char* const isobench_user_revision;
}

namespace isobench::detail {

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n\"");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n\"");
  return s.substr(b, e - b + 1);
}

// Value of the first "key<sep>value" line whose key matches.
std::string_view line_value(std::string_view text, std::string_view key, char sep) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const auto line = text.substr(0, nl);
    const auto colon = line.find(sep);
    if (colon != std::string_view::npos && trim(line.substr(0, colon)) == key) return trim(line.substr(colon + 1));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return {};
}

std::vector<cache_info> read_caches() {
  std::vector<cache_info> out;
  const std::filesystem::path base = "/sys/devices/system/cpu/cpu0/cache";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(base, ec)) {
    if (entry.path().filename().string().rfind("index", 0) != 0) continue;
    cache_info c;
    const auto level = std::string(trim(slurp(entry.path() / "level")));
    std::from_chars(level.data(), level.data() + level.size(), c.level);
    c.type = std::string(trim(slurp(entry.path() / "type")));
    c.size_bytes = parse_cache_size(trim(slurp(entry.path() / "size"))).value_or(0);
    if (c.level > 0 && c.size_bytes > 0) out.push_back(std::move(c));
  }
  if (out.empty()) {
    // Some VMs expose no cache sysfs; glibc's sysconf reads the sizes from CPUID instead.
    const std::pair<int, std::pair<int, const char*>> levels[] = {{_SC_LEVEL1_DCACHE_SIZE, {1, "Data"}},
                                                                  {_SC_LEVEL1_ICACHE_SIZE, {1, "Instruction"}},
                                                                  {_SC_LEVEL2_CACHE_SIZE, {2, "Unified"}},
                                                                  {_SC_LEVEL3_CACHE_SIZE, {3, "Unified"}},
                                                                  {_SC_LEVEL4_CACHE_SIZE, {4, "Unified"}}};
    for (const auto& [name, what] : levels) {
      const long size = ::sysconf(name);
      if (size > 0) out.push_back({what.first, what.second, static_cast<std::size_t>(size)});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.level != b.level ? a.level < b.level : a.type < b.type; });
  return out;
}

}  // namespace

std::optional<std::size_t> parse_cache_size(std::string_view text) {
  text = trim(text);
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end == text.data()) return std::nullopt;
  const std::string_view unit = trim(std::string_view(end, static_cast<std::size_t>(text.data() + text.size() - end)));
  if (unit.empty()) return value;
  if (unit == "K" || unit == "KB" || unit == "KiB") return value << 10;
  if (unit == "M" || unit == "MB" || unit == "MiB") return value << 20;
  if (unit == "G" || unit == "GB" || unit == "GiB") return value << 30;
  return std::nullopt;
}

std::string parse_cpu_model(std::string_view cpuinfo) {
  auto v = line_value(cpuinfo, "model name", ':');
  if (v.empty()) v = line_value(cpuinfo, "Model", ':');  // some ARM kernels
  return std::string(v.empty() ? "unknown" : v);
}

std::optional<std::size_t> parse_meminfo_total_bytes(std::string_view meminfo) {
  const auto v = line_value(meminfo, "MemTotal", ':');  // "24588888 kB"
  std::size_t kb = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), kb);
  if (ec != std::errc{} || end == v.data()) return std::nullopt;
  return kb * 1024;
}

std::string parse_thp_mode(std::string_view enabled) {
  const auto open = enabled.find('[');
  const auto close = enabled.find(']', open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos) return {};
  return std::string(enabled.substr(open + 1, close - open - 1));
}

std::string parse_os_pretty_name(std::string_view os_release) {
  const auto v = line_value(os_release, "PRETTY_NAME", '=');
  return std::string(v.empty() ? "unknown" : v);
}

std::size_t host_info::last_level_cache_bytes() const noexcept {
  std::size_t best = 0;
  int level = 0;
  for (const auto& c : caches) {
    if (c.type != "Instruction" && c.level >= level) {
      level = c.level;
      best = c.size_bytes;
    }
  }
  return best;
}

host_info collect_host_info() {
  host_info h;
  h.cpu_model = parse_cpu_model(slurp("/proc/cpuinfo"));
  const long online = ::sysconf(_SC_NPROCESSORS_ONLN);
  h.logical_cpus = online > 0 ? static_cast<unsigned>(online) : std::thread::hardware_concurrency();
  h.caches = read_caches();
  h.memory_bytes = parse_meminfo_total_bytes(slurp("/proc/meminfo")).value_or(0);
  h.os = parse_os_pretty_name(slurp("/etc/os-release"));
  utsname u{};
  if (::uname(&u) == 0) {
    h.kernel = fmt::format("{} {} {}", u.sysname, u.release, u.machine);
    h.hostname = u.nodename;
  }
  h.cpu_governor = std::string(trim(slurp("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")));
  h.transparent_hugepage = parse_thp_mode(slurp("/sys/kernel/mm/transparent_hugepage/enabled"));
  const char* placement = std::getenv("ISOBENCH_PLACEMENT");
  h.placement = placement != nullptr && std::string_view(placement) == "heap" ? "heap" : "arena";
  h.cpu_affinity = current_affinity();
  h.compiler = build::compiler;
  h.cxx_flags = build::cxx_flags;
  h.kernel_cxx_flags = build::kernel_cxx_flags;
  h.build_type = build::build_type;
  h.kernel_arch = build::kernel_arch;
  h.cpu_isa = best_cpu_isa();
  h.isobench_version = build::version;
  h.git_revision = build::git_revision;
  if (&isobench_user_project != nullptr) h.user_project = isobench_user_project;
  if (&isobench_user_revision != nullptr) h.user_revision = isobench_user_revision;
  return h;
}

nlohmann::json to_json(const host_info& h) {
  nlohmann::json caches = nlohmann::json::array();
  for (const auto& c : h.caches) {
    caches.push_back({{"level", c.level}, {"type", c.type}, {"size_bytes", c.size_bytes}});
  }
  return {{"cpu_model", h.cpu_model},
          {"logical_cpus", h.logical_cpus},
          {"caches", caches},
          {"memory_bytes", h.memory_bytes},
          {"os", h.os},
          {"kernel", h.kernel},
          {"hostname", h.hostname},
          {"cpu_governor", h.cpu_governor},
          {"transparent_hugepage", h.transparent_hugepage},
          {"placement", h.placement},
          {"cpu_affinity", h.cpu_affinity},
          {"compiler", h.compiler},
          {"cxx_flags", h.cxx_flags},
          {"kernel_cxx_flags", h.kernel_cxx_flags},
          {"build_type", h.build_type},
          {"kernel_arch", h.kernel_arch},
          {"cpu_isa", h.cpu_isa},
          {"timer_overhead_ns", h.timer_overhead_ns ? nlohmann::json(*h.timer_overhead_ns) : nlohmann::json(nullptr)},
          {"isobench_version", h.isobench_version},
          {"git_revision", h.git_revision},
          {"user_project", h.user_project},
          {"user_revision", h.user_revision}};
}

}  // namespace isobench::detail
