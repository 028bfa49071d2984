#include "runner/executable_copy.hpp"

#include <fstream>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "isobench/error.hpp"

namespace isobench::detail {

bool finds_files_by_its_own_path(const std::filesystem::path& exe) {
  std::ifstream in(exe, std::ios::binary);
  if (!in) return false;  // ab's option checks already said it is readable and executable
  constexpr std::string_view needle = "$ORIGIN";
  std::vector<char> buf(1 << 20);
  std::string carry;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    if (n == 0) break;
    std::string window = carry + std::string(buf.data(), n);
    if (window.find(needle) != std::string::npos) return true;
    carry = window.substr(window.size() - std::min(window.size(), needle.size() - 1));
  }
  return false;
}

executable_copy::executable_copy(const std::filesystem::path& original, const std::filesystem::path& dir,
                                 const std::string& name, bool copy)
    : m_path(original) {
  if (!copy) return;
  const auto target = dir / name;
  std::error_code ec;
  // copy_options::none: fails rather than replace an existing file.
  if (!std::filesystem::copy_file(original, target, std::filesystem::copy_options::none, ec)) {
    throw io_error(fmt::format("cannot copy {} to {}: {}", original.string(), target.string(), ec.message()));
  }
  m_path = target;
  m_owned = true;
}

executable_copy::~executable_copy() {
  if (!m_owned) return;
  std::error_code ec;
  std::filesystem::remove(m_path, ec);
}

}  // namespace isobench::detail
