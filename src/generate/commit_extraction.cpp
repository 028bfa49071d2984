#include "generate/commit_extraction.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "isobench/error.hpp"

namespace isobench::detail {

namespace {

// Text of a value of any shape: strings as they are, numbers and booleans as written, arrays one
// element per line, objects "key: value" per line (so {"before": "12 ms", "after": "9 ms"} still
// reads as a before/after block). Depth is bounded by the JSON reader.
void append_text(const nlohmann::json& v, std::string& out, std::string_view key) {
  const auto line = [&](const std::string& s) {
    if (!out.empty() && out.back() != '\n') out += '\n';
    if (!key.empty()) out += fmt::format("{}: ", key);
    out += s;
  };
  if (v.is_string()) {
    line(v.get<std::string>());
  } else if (v.is_number() || v.is_boolean()) {
    line(v.dump());
  } else if (v.is_array()) {
    for (const auto& e : v) append_text(e, out, key);
  } else if (v.is_object()) {
    for (const auto& [k, e] : v.items()) append_text(e, out, k);
  }
}

// Reads the fields the generator uses from one JSON object. Extractions come from many scrapers:
// a field of an unexpected shape is read as well as it can be (an object's text, a list's strings)
// and noted, never fatal, so no commit is lost over a field.
class field_reader {
public:
  field_reader(const nlohmann::json& doc, std::string where, std::vector<std::string>& notes)
      : m_doc(doc), m_where(std::move(where)), m_notes(notes) {}

  // Prose: any shape becomes its text.
  std::string text(std::string_view key) const {
    const auto it = m_doc.find(key);
    if (it == m_doc.end() || it->is_null()) return {};
    if (it->is_string()) return it->get<std::string>();
    std::string out;
    append_text(*it, out, {});
    if (!it->is_number()) note(key, it->type_name(), "read as its text");
    return out;
  }

  // An identifier or date: a string or a number; anything else is ignored.
  std::string scalar(std::string_view key) const {
    const auto it = m_doc.find(key);
    if (it == m_doc.end() || it->is_null()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer() || it->is_number_unsigned()) return it->dump();
    note(key, it->type_name(), "ignored");
    return {};
  }

  // Names: a list of strings, a single string, or objects carrying a name.
  std::vector<std::string> names(std::string_view key) const {
    std::vector<std::string> out;
    const auto it = m_doc.find(key);
    if (it == m_doc.end() || it->is_null()) return out;
    if (it->is_string()) return {it->get<std::string>()};
    if (it->is_object()) {  // {"name": [...]} or {"file.py": [...]}: the keys and string leaves
      for (const auto& [k, v] : it->items()) {
        out.push_back(k);
        if (v.is_string()) out.push_back(v.get<std::string>());
      }
      note(key, "object", "its keys and string values read as names");
      return out;
    }
    if (!it->is_array()) {
      note(key, it->type_name(), "ignored");
      return out;
    }
    std::size_t skipped = 0;
    for (const auto& v : *it) {
      if (auto name = name_of(v)) {
        out.push_back(std::move(*name));
      } else if (!v.is_null()) {
        ++skipped;
      }
    }
    if (skipped > 0) note(key, fmt::format("{} entries without a name", skipped), "skipped");
    return out;
  }

  const nlohmann::json* object(std::string_view key) const {
    const auto it = m_doc.find(key);
    if (it == m_doc.end() || it->is_null()) return nullptr;
    if (it->is_object()) return &*it;
    note(key, it->type_name(), "ignored");
    return nullptr;
  }

  static std::optional<std::string> name_of(const nlohmann::json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (!v.is_object()) return std::nullopt;
    for (const char* k : {"name", "file_path", "path", "filename", "function", "symbol"}) {
      const auto it = v.find(k);
      if (it != v.end() && it->is_string()) return it->get<std::string>();
    }
    return std::nullopt;
  }

  void note(std::string_view key, std::string_view got, std::string_view what) const {
    m_notes.push_back(fmt::format("{}/{}: {} {}", m_where, key, got, what));
  }

private:
  const nlohmann::json& m_doc;
  std::string m_where;
  std::vector<std::string>& m_notes;
};

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

// "a, b, c" (the CSV the prompt-style files come from) or a list.
std::vector<std::string> clue_list(const field_reader& meta) {
  std::vector<std::string> out;
  std::string item;
  for (const auto& part : meta.names("sample_clues")) {
    for (char ch : part + ",") {
      if (ch == ',' || ch == ';') {
        while (!item.empty() && item.front() == ' ') item.erase(0, 1);
        while (!item.empty() && item.back() == ' ') item.pop_back();
        if (!item.empty()) out.push_back(item);
        item.clear();
      } else {
        item += ch;
      }
    }
  }
  return out;
}

void read_prompt_fields(const field_reader& r, commit_extraction& c) {
  c.parent = r.scalar("parent_hash");
  c.author = r.text("author");
  first_line_split(r.text("message"), c.subject, c.message);
  c.summary = r.text("summary");
  if (const auto* meta = r.object("csv_metadata")) {
    const field_reader m(*meta, "/csv_metadata", c.notes);
    c.category = m.text("category");
    c.clues = clue_list(m);
  }
}

void read_iso_bench_fields(const field_reader& r, commit_extraction& c) {
  c.subject = r.text("commit_subject");
  const std::string message = r.text("commit_message");
  std::string first, rest;
  first_line_split(message, first, rest);
  if (c.subject.empty()) {
    c.subject = first;
    c.message = rest;
  } else {
    c.message = first == c.subject ? rest : message;  // the message usually repeats the subject
  }
  c.pr_url = r.scalar("pr_url");
  c.pr_text = r.text("timeline_text");
  c.diff_text = r.text("diff_text");
  c.perf_command = r.text("perf_command");
  c.functions = r.names("functions_changed");
  c.apis = r.names("apis");
  c.models = r.names("models");
  c.affected_paths = r.names("affected_paths");
}

void read_files(const nlohmann::json& doc, const field_reader& r, commit_extraction& c) {
  const auto files = doc.find("files_changed");
  if (files == doc.end() || files->is_null()) return;
  if (!files->is_array()) {
    for (auto& p : r.names("files_changed")) c.files.push_back(changed_file{std::move(p), {}, {}, false});
    return;
  }
  for (std::size_t i = 0; i < files->size(); ++i) {
    const auto& f = (*files)[i];
    changed_file cf;
    if (f.is_object()) {
      const field_reader fr(f, fmt::format("/files_changed/{}", i), c.notes);
      cf.path = fr.scalar("file_path");
      if (cf.path.empty()) cf.path = fr.scalar("path");
      if (cf.path.empty()) cf.path = fr.scalar("filename");
      cf.diff = fr.text("diff");
      if (cf.diff.empty()) cf.diff = fr.text("patch");
      cf.change_type = fr.scalar("change_type");
    } else if (auto name = field_reader::name_of(f)) {
      cf.path = std::move(*name);
    } else {
      if (!f.is_null()) r.note(fmt::format("files_changed/{}", i), f.type_name(), "skipped");
      continue;
    }
    cf.binary = binary_diff(cf.diff);
    if (cf.binary) c.notes.push_back(fmt::format("{}: binary diff, not read", cf.path));
    c.files.push_back(std::move(cf));
  }
}

}  // namespace

commit_extraction parse_commit_extraction(const nlohmann::json& doc, const std::string& source) {
  if (!doc.is_object()) {
    throw config_error(
        fmt::format("{}: expected a JSON object (a commit extraction), got {}", source, doc.type_name()));
  }
  commit_extraction c;
  c.source = source;
  const field_reader r(doc, "", c.notes);
  const auto files = doc.find("files_changed");
  bool object_files = false;
  if (files != doc.end() && files->is_array() && !files->empty()) object_files = (*files)[0].is_object();
  const bool prompt =
      object_files || doc.contains("parent_hash") || (doc.contains("message") && !doc.contains("commit_message"));
  c.format = prompt ? "prompt" : "iso-bench";

  c.hash = r.scalar("commit_hash");
  c.date = r.scalar(prompt ? "date" : "commit_date");
  c.repo = r.scalar("repo_path");
  if (c.repo.empty()) c.repo = r.scalar("repo");
  if (prompt) {
    read_prompt_fields(r, c);
  } else {
    read_iso_bench_fields(r, c);
  }
  // Fields either shape may carry.
  if (c.pr_text.empty()) c.pr_text = r.text(prompt ? "timeline_text" : "pr_body");
  if (const auto hp = doc.find("has_performance"); hp != doc.end() && !hp->is_null()) {
    if (hp->is_boolean()) {
      c.has_performance = hp->get<bool>();
    } else {
      r.note("has_performance", hp->type_name(), "ignored (expected true or false)");
    }
  }
  read_files(doc, r, c);
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
