#include "cli_runner.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace isobench::testing {

namespace {

std::string quote(const std::string& s) {
  std::string out;
  out.push_back('\'');
  for (char c : s) {
    if (c == '\'') {
      out.append("'\\''");
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

}  // namespace

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

cli_result run_isobench(const std::vector<std::string>& args, const std::filesystem::path& cwd) {
  return run_binary(ISOBENCH_BINARY, args, cwd);
}

cli_result run_binary(const std::string& binary, const std::vector<std::string>& args,
                      const std::filesystem::path& cwd) {
  const auto out_file = cwd / ".stdout";
  const auto err_file = cwd / ".stderr";
  std::string cmd = fmt::format("cd {} && {}", quote(cwd.string()), quote(binary));
  for (const auto& a : args) cmd += fmt::format(" {}", quote(a));
  cmd += fmt::format(" >{} 2>{} </dev/null", quote(out_file.string()), quote(err_file.string()));
  const int status = std::system(cmd.c_str());
  cli_result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(out_file);
  r.err = read_text(err_file);
  std::filesystem::remove(out_file);
  std::filesystem::remove(err_file);
  return r;
}

temp_dir::temp_dir() {
  auto templ = (std::filesystem::temp_directory_path() / "isobench_cli_XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  m_path = templ;
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

}  // namespace isobench::testing
