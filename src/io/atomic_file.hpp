#pragma once
// Results and references are never left half-written: data goes to a temporary file in the target
// directory, is flushed to disk, and is then renamed (or hard-linked, to refuse an existing file)
// onto the final name.

#include <filesystem>
#include <string>
#include <string_view>

#include "isobench/error.hpp"

namespace isobench {

enum class overwrite : bool { forbid = false, allow = true };

// Throws io_error on failure; with overwrite::forbid and an existing target, throws
// reference_error (the only files isobench refuses to replace are references).
void write_file_atomic(const std::filesystem::path& target, std::string_view data, overwrite mode);

// The whole of `file`, which must be a regular file (not a directory, FIFO or device) of at most
// max_bytes. Every failure throws isobench::error with `code`, naming the path and, as `what`, the
// kind of file expected ("spec", "result", "reference").
std::string read_file(const std::filesystem::path& file, std::size_t max_bytes, exit_code code, std::string_view what);

}  // namespace isobench
