#pragma once
// A commit as the pipelines that grade performance commits extract it, in either shape:
//   ISO-Bench's:   commit_hash, commit_subject, commit_message, timeline_text (the PR page),
//                  files_changed[] (paths), functions_changed[], apis[], diff_text, models[], ...
//   prompt-style:  commit_hash, parent_hash, message, files_changed[] as objects {file_path, diff,
//                  change_type, ...}, summary, csv_metadata{category, sample_clues}
// normalised into one struct. Fields this does not use are ignored. Scrapers disagree on shapes, so
// a used field of another shape is read as well as it can be (an object or list as its text, names
// from objects) and noted in `notes`, never fatal: a commit is never lost over a field. Only a
// document that is not a JSON object is an error. Null counts as absent.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace isobench::detail {

struct changed_file {
  std::string path;
  std::string diff;  // unified diff of this file, when the extraction has it per file
  std::string change_type;
  bool binary = false;  // "Binary files ... differ" or a GIT binary patch
};

struct commit_extraction {
  std::string source;  // the file, for messages
  std::string format;  // "iso-bench", "prompt", or "git" (generate --git: git/extraction.hpp)
  std::string hash, parent, subject, message, date, author, pr_url, repo, perf_command;
  std::string pr_text;  // ISO-Bench's timeline_text
  std::string summary;  // prompt-style summary (a restatement: not scanned for claims)
  std::string category;
  std::vector<std::string> clues;  // csv_metadata.sample_clues
  std::vector<changed_file> files;
  std::vector<std::string> functions, apis, models, affected_paths;
  std::string diff_text;  // ISO-Bench's whole diff
  std::optional<bool> has_performance;
  std::vector<std::string> notes;  // what was ignored or repaired, for the explanation
};

commit_extraction parse_commit_extraction(const nlohmann::json& document, const std::string& source);

// Identifiers (a-z, 0-9, _) on the changed lines and hunk headers of every diff, most frequent
// first, at most `max_count`; at most `max_scan_bytes` of diff text is read.
std::vector<std::string> diff_identifiers(const commit_extraction& c, std::size_t max_count = 400,
                                          std::size_t max_scan_bytes = std::size_t{8} << 20);

}  // namespace isobench::detail
