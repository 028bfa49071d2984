#include "runner/executable_copy.hpp"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "isobench/error.hpp"

namespace isobench::detail {

namespace {

// The strings of DT_RPATH / DT_RUNPATH in a 64-bit little-endian ELF file's dynamic section (found
// through the section headers: .dynamic and the string table it links to); empty for anything else.
std::vector<std::string> run_paths(std::ifstream& in) {
  Elf64_Ehdr eh{};
  if (!in.read(reinterpret_cast<char*>(&eh), sizeof eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
      eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_shentsize != sizeof(Elf64_Shdr) ||
      eh.e_shnum == 0 || eh.e_shnum > 4096) {
    return {};
  }
  std::vector<Elf64_Shdr> sections(eh.e_shnum);
  in.seekg(static_cast<std::streamoff>(eh.e_shoff));
  if (!in.read(reinterpret_cast<char*>(sections.data()), static_cast<std::streamsize>(sections.size() * sizeof(Elf64_Shdr)))) {
    return {};
  }
  std::vector<std::string> out;
  for (const auto& sh : sections) {
    if (sh.sh_type != SHT_DYNAMIC || sh.sh_link >= sections.size() || sh.sh_size > (std::uint64_t{1} << 24)) continue;
    const auto& strtab = sections[sh.sh_link];
    if (strtab.sh_size > (std::uint64_t{1} << 26)) continue;
    std::vector<Elf64_Dyn> dyn(sh.sh_size / sizeof(Elf64_Dyn));
    std::string strings(strtab.sh_size, '\0');
    in.seekg(static_cast<std::streamoff>(sh.sh_offset));
    if (!in.read(reinterpret_cast<char*>(dyn.data()), static_cast<std::streamsize>(dyn.size() * sizeof(Elf64_Dyn)))) {
      return out;
    }
    in.seekg(static_cast<std::streamoff>(strtab.sh_offset));
    if (!in.read(strings.data(), static_cast<std::streamsize>(strings.size()))) return out;
    for (const auto& d : dyn) {
      if ((d.d_tag == DT_RPATH || d.d_tag == DT_RUNPATH) && d.d_un.d_val < strings.size()) {
        out.emplace_back(strings.c_str() + d.d_un.d_val);
      }
    }
  }
  return out;
}

}  // namespace

bool finds_files_by_its_own_path(const std::filesystem::path& exe) {
  std::ifstream in(exe, std::ios::binary);
  if (!in) return false;  // ab's option checks already said it is readable and executable
  for (const auto& path : run_paths(in)) {
    if (path.find("$ORIGIN") != std::string::npos || path.find("${ORIGIN}") != std::string::npos) return true;
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
