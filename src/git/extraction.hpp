#pragma once
// `isobench generate --git REPO REV`: the commit extraction that ISO-Bench's JSON carries, read
// from git itself: subject, message, author, date, parent, every changed file with its diff and
// change type, and the functions named by the hunk headers (functions_changed).

#include <string>

#include "generate/commit_extraction.hpp"
#include "git/repository.hpp"

namespace isobench::detail::git {

// The first parent's diff (the root commit's whole tree for a root commit). Invalid UTF-8 becomes
// U+FFFD (noted); a diff beyond generate's input limit is a config_error.
commit_extraction extract_commit(const repository& repo, const std::string& rev);

}  // namespace isobench::detail::git
