#include "git/diff.hpp"

#include <algorithm>
#include <array>

namespace isobench::detail::git {

namespace {

// A path as git writes it in headers: plain, or C-quoted ("a/tab\there") when it holds control
// characters, quotes or backslashes; without its "a/" or "b/".
std::string header_path(std::string_view s) {
  while (!s.empty() && (s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  std::string out;
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
      if (s[i] != '\\' || i + 2 >= s.size()) {
        out += s[i];
        continue;
      }
      const char e = s[++i];
      if (e >= '0' && e <= '7' && i + 2 < s.size() - 1) {  // \ooo: one byte of a UTF-8 sequence
        out += static_cast<char>((e - '0') * 64 + (s[i + 1] - '0') * 8 + (s[i + 2] - '0'));
        i += 2;
      } else {
        out += e == 't' ? '\t' : e == 'n' ? '\n' : e;
      }
    }
  } else {
    out = s;
  }
  if (out.starts_with("a/") || out.starts_with("b/")) out.erase(0, 2);
  return out;
}

// "diff --git a/P b/P": P when both halves agree (the only unambiguous case with spaces in P).
std::string git_line_path(std::string_view rest) {
  if (rest.size() % 2 == 1) {
    const auto half = rest.size() / 2;
    const auto a = rest.substr(0, half), b = rest.substr(half + 1);
    if (rest[half] == ' ' && a.size() > 2 && a.substr(2) == b.substr(2)) return header_path(b);
  }
  const auto space = rest.rfind(" b/");
  return header_path(space == std::string_view::npos ? rest : rest.substr(space + 1));
}

void read_header_line(std::string_view line, file_diff& f) {
  auto after = [&](std::string_view prefix) { return line.substr(prefix.size()); };
  if (line.starts_with("new file mode")) f.change_type = "added";
  if (line.starts_with("deleted file mode")) f.change_type = "deleted";
  if (line.starts_with("rename from ")) f.old_path = header_path(after("rename from "));
  if (line.starts_with("rename to ")) f.path = header_path(after("rename to ")), f.change_type = "renamed";
  if (line.starts_with("copy from ")) f.old_path = header_path(after("copy from "));
  if (line.starts_with("copy to ")) f.path = header_path(after("copy to ")), f.change_type = "copied";
  if (line.starts_with("--- ") && after("--- ") != "/dev/null") f.old_path = header_path(after("--- "));
  if (line.starts_with("+++ ") && after("+++ ") != "/dev/null") f.path = header_path(after("+++ "));
  if (line.starts_with("Binary files ") || line.starts_with("GIT binary patch")) f.binary = true;
}

bool identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':' || c == '~';
}

}  // namespace

std::vector<file_diff> split_diff(std::string_view diff) {
  std::vector<file_diff> files;
  bool in_header = false;
  std::size_t start = 0;
  while (start < diff.size()) {
    auto nl = diff.find('\n', start);
    if (nl == std::string_view::npos) nl = diff.size();
    const auto line = diff.substr(start, nl - start);
    if (line.starts_with("diff --git ")) {
      files.push_back({});
      files.back().path = git_line_path(line.substr(11));
      files.back().change_type = "modified";
      in_header = true;
    } else if (in_header && line.starts_with("@@")) {
      in_header = false;
    } else if (in_header && !files.empty()) {
      read_header_line(line, files.back());
    }
    if (!files.empty()) files.back().text.append(diff.substr(start, std::min(nl + 1, diff.size()) - start));
    start = nl + 1;
  }
  for (auto& f : files) {
    if (f.change_type == "deleted" && f.path.empty()) f.path = f.old_path;
    if (f.old_path.empty() || f.change_type == "added") f.old_path = f.path;
  }
  return files;
}

std::string context_function(std::string_view context) {
  const auto paren = context.find('(');
  if (paren == std::string_view::npos) return {};
  std::size_t end = paren;
  while (end > 0 && context[end - 1] == ' ') --end;
  if (end > 0 && context[end - 1] == '>') {  // name<T>(...): skip the template arguments
    int depth = 0;
    while (end > 0) {
      const char c = context[--end];
      depth += c == '>' ? 1 : c == '<' ? -1 : 0;
      if (depth == 0) break;
    }
  }
  std::size_t begin = end;
  while (begin > 0 && identifier_char(context[begin - 1])) --begin;
  std::string name(context.substr(begin, end - begin));
  while (name.starts_with(":")) name.erase(0, 1);
  static constexpr std::array<std::string_view, 12> keywords = {
      "if", "for", "while", "switch", "return", "sizeof", "catch", "elif", "decltype", "alignof", "defined", "assert"};
  if (name.empty() || (name[0] >= '0' && name[0] <= '9') ||
      std::find(keywords.begin(), keywords.end(), name) != keywords.end()) {
    return {};
  }
  return name;
}

std::vector<std::string> hunk_functions(std::string_view diff) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < diff.size()) {
    auto nl = diff.find('\n', start);
    if (nl == std::string_view::npos) nl = diff.size();
    const auto line = diff.substr(start, nl - start);
    start = nl + 1;
    if (!line.starts_with("@@ ")) continue;
    const auto close = line.find(" @@", 3);
    if (close == std::string_view::npos) continue;
    const auto name = context_function(line.substr(std::min(close + 3, line.size())));
    if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

}  // namespace isobench::detail::git
