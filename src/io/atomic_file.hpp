#pragma once
// Results and references are never left half-written: data goes to a temporary file in the target
// directory, is flushed to disk, and is then renamed (or hard-linked, to refuse an existing file)
// onto the final name.
//
// One rule for every output path (both the writer and check_output_target apply it): a symlink is
// followed and its final target written (the link itself is kept); a character device or FIFO is
// written through in place, never replaced (a FIFO needs a reader when the data is written); a
// directory, block device or socket is refused with io_error (exit 9). Only a regular file, or
// nothing, is replaced atomically.

#include <filesystem>
#include <string>
#include <string_view>

#include "isobench/error.hpp"

namespace isobench::detail {

enum class overwrite : bool { forbid = false, allow = true };

// Throws io_error on failure; with overwrite::forbid and an existing regular target, throws
// reference_error (the only files isobench refuses to replace are references).
void write_file_atomic(const std::filesystem::path& target, std::string_view data, overwrite mode);

// The path an output is written to: `target` with symlinks followed (up to 40), or `target` itself.
std::filesystem::path resolve_output(const std::filesystem::path& target);

enum class output_node { absent, regular, write_through };

// Before any work: what is at `target` (after symlinks) and whether it may be written; throws
// io_error naming the path and `what` ("result", "report") for a directory, block device or socket.
output_node check_output_target(const std::filesystem::path& target, std::string_view what);

// The whole of `file`, which must be a regular file (not a directory, FIFO or device) of at most
// max_bytes. Every failure throws isobench::error with `code`, naming the path and, as `what`, the
// kind of file expected ("spec", "result", "reference").
std::string read_file(const std::filesystem::path& file, std::size_t max_bytes, exit_code code, std::string_view what);

}  // namespace isobench::detail
