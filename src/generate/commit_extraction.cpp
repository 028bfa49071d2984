#include "generate/commit_extraction.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "isobench/error.hpp"

namespace isobench::detail {

namespace {

const char* type_name(const nlohmann::json& v) {
  return v.type_name();
}

[[noreturn]] void fail(const std::string& source, std::string_view field, std::string_view expected,
                       const nlohmann::json& got) {
  throw config_error(fmt::format("{}: /{}: expected {}, got {}", source, field, expected, type_name(got)));
}

// A string field; numbers are accepted as their text (hashes and dates are sometimes numbers).
std::string string_field(const nlohmann::json& doc, std::string_view key, const std::string& source) {
  const auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer() || it->is_number_unsigned()) return it->dump();
  fail(source, key, "a string", *it);
}

std::vector<std::string> string_list(const nlohmann::json& doc, std::string_view key, const std::string& source) {
  std::vector<std::string> out;
  const auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) return out;
  if (it->is_string()) {  // one value where a list was expected: take it as a list of one
    out.push_back(it->get<std::string>());
    return out;
  }
  if (!it->is_array()) fail(source, key, "an array of strings", *it);
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& v = (*it)[i];
    if (v.is_null()) continue;
    if (v.is_string()) {
      out.push_back(v.get<std::string>());
    } else if (v.is_object() && v.contains("name") && v["name"].is_string()) {
      out.push_back(v["name"].get<std::string>());  // {"name": ...} entries (some apis[] lists)
    } else {
      fail(source, fmt::format("{}/{}", key, i), "a string", v);
    }
  }
  return out;
}

bool binary_diff(std::string_view diff) {
  return diff.find("GIT binary patch") != std::string_view::npos ||
         (diff.find("Binary files ") != std::string_view::npos && diff.find(" differ") != std::string_view::npos);
}

void first_line_split(const std::string& text, std::string& subject, std::string& rest) {
  const auto nl = text.find('\n');
  subject = text.substr(0, nl);
  rest = nl == std::string::npos ? std::string() : text.substr(nl + 1);
  while (!subject.empty() && (subject.back() == '\r' || subject.back() == ' ')) subject.pop_back();
}

// csv_metadata (prompt format): the person's category and clues ("a, b, c" in the CSV it comes from).
void read_csv_metadata(const nlohmann::json& doc, const std::string& source, commit_extraction& c) {
  const auto meta = doc.find("csv_metadata");
  if (meta == doc.end() || meta->is_null()) return;
  if (!meta->is_object()) fail(source, "csv_metadata", "an object", *meta);
  c.category = string_field(*meta, "category", source);
  const auto clues = meta->find("sample_clues");
  if (clues != meta->end() && clues->is_string()) {
    std::string all = clues->get<std::string>(), item;
    for (char ch : all + ",") {
      if (ch == ',' || ch == ';') {
        while (!item.empty() && item.front() == ' ') item.erase(0, 1);
        while (!item.empty() && item.back() == ' ') item.pop_back();
        if (!item.empty()) c.clues.push_back(item);
        item.clear();
      } else {
        item += ch;
      }
    }
  } else {
    c.clues = string_list(*meta, "sample_clues", source + ": /csv_metadata");
  }
}

// ISO-Bench's fields: subject and message (which usually repeats the subject), the PR page, the
// diff, and the declared functions, APIs, models and paths.
void read_iso_bench_fields(const nlohmann::json& doc, const std::string& source, commit_extraction& c) {
  c.subject = string_field(doc, "commit_subject", source);
  std::string message = string_field(doc, "commit_message", source);
  std::string first, rest;
  first_line_split(message, first, rest);
  if (c.subject.empty()) {
    c.subject = first;
    c.message = rest;
  } else {
    c.message = first == c.subject ? rest : message;  // the message usually repeats the subject
  }
  c.pr_url = string_field(doc, "pr_url", source);
  c.pr_text = string_field(doc, "timeline_text", source);
  c.diff_text = string_field(doc, "diff_text", source);
  c.perf_command = string_field(doc, "perf_command", source);
  c.functions = string_list(doc, "functions_changed", source);
  c.apis = string_list(doc, "apis", source);
  c.models = string_list(doc, "models", source);
  c.affected_paths = string_list(doc, "affected_paths", source);
  if (const auto hp = doc.find("has_performance"); hp != doc.end() && !hp->is_null()) {
    if (!hp->is_boolean()) fail(source, "has_performance", "true or false", *hp);
    c.has_performance = hp->get<bool>();
  }
}

// files_changed: paths (ISO-Bench) or file objects with their diffs (prompt format).
void read_files(const nlohmann::json& files, const std::string& source, commit_extraction& c) {
  if (!files.is_array()) fail(source, "files_changed", "an array of paths or of file objects", files);
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto& f = files[i];
    const auto where = fmt::format("files_changed/{}", i);
    changed_file cf;
    if (f.is_string()) {
      cf.path = f.get<std::string>();
    } else if (f.is_object()) {
      cf.path = string_field(f, "file_path", source + ": /" + where);
      if (cf.path.empty()) cf.path = string_field(f, "path", source + ": /" + where);
      cf.diff = string_field(f, "diff", source + ": /" + where);
      cf.change_type = string_field(f, "change_type", source + ": /" + where);
    } else if (f.is_null()) {
      continue;
    } else {
      fail(source, where, "a path or an object with file_path", f);
    }
    cf.binary = binary_diff(cf.diff);
    if (cf.binary) c.notes.push_back(fmt::format("{}: binary diff, not read", cf.path));
    c.files.push_back(std::move(cf));
  }
}

}  // namespace

commit_extraction parse_commit_extraction(const nlohmann::json& doc, const std::string& source) {
  if (!doc.is_object()) {
    throw config_error(fmt::format("{}: expected a JSON object (a commit extraction), got {}", source, type_name(doc)));
  }
  commit_extraction c;
  c.source = source;
  const auto files = doc.find("files_changed");
  bool object_files = false;
  if (files != doc.end() && files->is_array() && !files->empty()) object_files = (*files)[0].is_object();
  const bool prompt =
      object_files || doc.contains("parent_hash") || (doc.contains("message") && !doc.contains("commit_message"));
  c.format = prompt ? "prompt" : "iso-bench";

  c.hash = string_field(doc, "commit_hash", source);
  c.date = string_field(doc, prompt ? "date" : "commit_date", source);
  c.repo = string_field(doc, "repo_path", source);
  if (c.repo.empty()) c.repo = string_field(doc, "repo", source);
  if (prompt) {
    c.parent = string_field(doc, "parent_hash", source);
    c.author = string_field(doc, "author", source);
    first_line_split(string_field(doc, "message", source), c.subject, c.message);
    c.summary = string_field(doc, "summary", source);
    read_csv_metadata(doc, source, c);
  } else {
    read_iso_bench_fields(doc, source, c);
  }
  if (files != doc.end() && !files->is_null()) read_files(*files, source, c);
  if (binary_diff(c.diff_text)) c.notes.push_back("diff_text has binary parts; they are skipped");
  if (c.hash.empty()) c.notes.push_back("no commit_hash: the spec records none");
  if (c.subject.empty() && c.message.empty()) c.notes.push_back("empty commit message");
  return c;
}

std::vector<std::string> diff_identifiers(const commit_extraction& c, std::size_t max_count,
                                          std::size_t max_scan_bytes) {
  std::map<std::string, int> counts;
  std::size_t scanned = 0;
  auto scan = [&](std::string_view diff) {
    bool binary = false;
    std::size_t start = 0;
    while (start < diff.size() && scanned < max_scan_bytes) {
      std::size_t nl = diff.find('\n', start);
      if (nl == std::string_view::npos) nl = diff.size();
      const auto line = diff.substr(start, std::min<std::size_t>(nl - start, 4096));
      scanned += nl - start + 1;
      start = nl + 1;
      if (line.starts_with("diff --git")) binary = false;
      if (line.starts_with("GIT binary patch") || line.starts_with("Binary files")) binary = true;
      if (binary) continue;
      const bool changed = (line.starts_with("+") && !line.starts_with("+++")) ||
                           (line.starts_with("-") && !line.starts_with("---")) || line.starts_with("@@");
      if (!changed) continue;
      std::string word;
      for (std::size_t i = 0; i <= line.size(); ++i) {
        const char ch = i < line.size() ? line[i] : ' ';
        const bool id = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
        if (id) {
          word += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        } else {
          if (word.size() >= 3 && word.size() <= 64 && !(word[0] >= '0' && word[0] <= '9')) ++counts[word];
          word.clear();
        }
      }
    }
  };
  scan(c.diff_text);
  for (const auto& f : c.files) {
    if (!f.binary) scan(f.diff);
  }
  std::vector<std::pair<std::string, int>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < sorted.size() && i < max_count; ++i) out.push_back(sorted[i].first);
  return out;
}

}  // namespace isobench::detail
