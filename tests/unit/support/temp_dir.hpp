#pragma once
// A fresh directory per test: ctest runs tests in parallel processes, so fixed names would collide.

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace isobench::detail::testing {

class unique_temp_dir {
public:
  unique_temp_dir() {
    std::string templ = (std::filesystem::temp_directory_path() / "isobench_unit_XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    m_path = templ;
  }
  ~unique_temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  unique_temp_dir(const unique_temp_dir&) = delete;
  unique_temp_dir& operator=(const unique_temp_dir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }

private:
  std::filesystem::path m_path;
};

}  // namespace isobench::detail::testing
