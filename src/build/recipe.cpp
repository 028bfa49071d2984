#include "build/recipe.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "env/build_info.hpp"
#include "history/model.hpp"
#include "io/atomic_file.hpp"
#include "io/json_document.hpp"
#include "isobench/error.hpp"
#include "spec/json_reader.hpp"

namespace isobench::detail {

namespace {

constexpr std::array<std::string_view, 5> k_placeholders = {"source_dir", "worktree", "build_dir", "isobench_source",
                                                            "jobs"};

// Every "{name}" in `text` (at `pointer` of `source`) must be a placeholder; "${NAME}" (a shell's)
// is left alone.
void check_placeholders(const std::string& source, const std::string& pointer, std::string_view text) {
  for (auto open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
    const auto close = text.find('}', open);
    if (close == std::string_view::npos || (open > 0 && text[open - 1] == '$')) continue;
    const auto name = text.substr(open + 1, close - open - 1);
    const bool word = !name.empty() && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string_view::npos;
    if (word && std::find(k_placeholders.begin(), k_placeholders.end(), name) == k_placeholders.end()) {
      throw_spec_error(
          source, pointer,
          fmt::format("unknown placeholder {{{}}} (known: {{{}}})", name, fmt::join(k_placeholders, "}, {")));
    }
  }
}

std::vector<std::string> read_argv(json_reader& r, const std::string& source, std::string_view key, bool required) {
  std::vector<std::string> argv;
  const auto* v = r.get(key);
  if (v == nullptr && !required) return argv;
  if (v == nullptr || !v->is_array() || v->empty()) {
    r.fail(key, fmt::format("expected a non-empty array of strings (a command and its arguments), got {}",
                            v == nullptr ? std::string("nothing") : describe_json(*v)));
  }
  for (std::size_t i = 0; i < v->size(); ++i) {
    const auto& a = (*v)[i];
    if (!a.is_string() || (i == 0 && a.get<std::string>().empty())) {
      throw_spec_error(source, fmt::format("{}/{}", r.child_pointer(key), i),
                       fmt::format("expected {}string, got {}", i == 0 ? "a non-empty " : "a ", describe_json(a)));
    }
    argv.push_back(a.get<std::string>());
    check_placeholders(source, fmt::format("{}/{}", r.child_pointer(key), i), argv.back());
  }
  return argv;
}

bool mentions(const recipe& r, std::string_view placeholder) {
  auto in = [&](const std::string& s) { return s.find(placeholder) != std::string::npos; };
  return std::any_of(r.configure.begin(), r.configure.end(), in) || std::any_of(r.build.begin(), r.build.end(), in) ||
         in(r.executable) || std::any_of(r.env.begin(), r.env.end(), [&](const auto& e) { return in(e.second); });
}

}  // namespace

recipe load_recipe(const std::filesystem::path& file) {
  const auto text = read_file(file, std::size_t{1} << 20, exit_code::invalid_config, "recipe");
  const auto doc = parse_json_document(text, file.string(), exit_code::invalid_config);
  json_reader r(doc, file.string(), "");
  recipe out;
  out.file = file;
  out.name = r.optional_string("name").value_or(file.stem().string());
  out.source_subdir = r.optional_string("source_subdir").value_or("");
  const std::filesystem::path sub(out.source_subdir);
  if (sub.is_absolute() || std::any_of(sub.begin(), sub.end(), [](const auto& part) { return part == ".."; })) {
    r.fail("source_subdir", "expected a directory inside the repository (relative, without '..')");
  }
  out.configure = read_argv(r, out.file.string(), "configure", false);
  out.build = read_argv(r, out.file.string(), "build", true);
  const auto* exe = r.get("executable");
  if (exe == nullptr || !exe->is_string() || exe->get<std::string>().empty()) {
    r.fail("executable", fmt::format("expected the path of the benchmark executable the build produces, got {}",
                                     exe == nullptr ? std::string("nothing") : describe_json(*exe)));
  }
  out.executable = exe->get<std::string>();
  check_placeholders(out.file.string(), r.child_pointer("executable"), out.executable);
  if (auto env = r.optional_object("env")) {
    for (const auto& [name, value] : doc.at("env").items()) {
      const auto v = env->optional_string(name);
      if (!v) env->fail(name, "expected a string");
      if (name.empty() || name.find('=') != std::string::npos) env->fail(name, "expected a variable name");
      check_placeholders(out.file.string(), env->child_pointer(name), *v);
      out.env.emplace_back(name, *v);
    }
    env->finish();
  }
  out.timeout_s = r.optional_number("timeout_s", 0.0, true, 7 * 86400.0).value_or(out.timeout_s);
  r.finish();
  std::string identity = text;
  if (mentions(out, "{isobench_source}"))
    identity += fmt::format("\nisobench {} {}", build::source_dir, build::git_revision);
  out.digest = history::stable_digest(identity);
  return out;
}

std::filesystem::path recipe_file(const std::optional<std::filesystem::path>& option,
                                  const std::filesystem::path& repo_top) {
  if (option) return *option;
  const auto found = repo_top / ".isobench" / "recipe.json";
  std::error_code ec;
  if (!std::filesystem::exists(found, ec)) {
    throw config_error(
        fmt::format("{}: no build recipe (write one there, or name one with --recipe FILE)", found.string()));
  }
  return found;
}

namespace {

std::optional<std::string> placeholder_value(std::string_view name, const recipe_paths& p) {
  if (name == "source_dir") return p.source_dir.string();
  if (name == "worktree") return p.worktree.string();
  if (name == "build_dir") return p.build_dir.string();
  if (name == "isobench_source") return std::string(build::source_dir);
  if (name == "jobs") return std::to_string(p.jobs);
  return std::nullopt;
}

}  // namespace

std::string expand_placeholders(std::string_view text, const recipe_paths& p) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool shell = i > 0 && text[i - 1] == '$';
    const auto close = text[i] == '{' && !shell ? text.find('}', i) : std::string_view::npos;
    const auto value =
        close == std::string_view::npos ? std::nullopt : placeholder_value(text.substr(i + 1, close - i - 1), p);
    if (!value) {
      out += text[i];
      continue;
    }
    out += *value;
    i = close;
  }
  return out;
}

}  // namespace isobench::detail
