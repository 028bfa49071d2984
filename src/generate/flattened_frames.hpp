#pragma once
// Data frames (pandas, a benchmark script's table) pasted without a code fence, or whose fence a
// page's flattening took away. The lines keep their runs of spaces, but a caption ran onto the
// header line ("Summary: Before:     N_CTX  kernel (TFLOPS)") and the prose between two frames onto
// the last row of the first ("3  8192.0    928.55 After:     N_CTX  kernel (TFLOPS)"). Each frame
// comes back as a table with its caption, to pair with the same table shown again (table_pairs.hpp).

#include <span>
#include <string_view>
#include <vector>

#include "generate/table_pairs.hpp"

namespace isobench::detail {

// Whether a line has the runs of spaces a frame's columns are split at.
bool spaced_line(std::string_view line);

// The frames in consecutive spaced lines (views into a text that outlives the tables);
// `caption_above` is the text line before them, the caption of a first frame that has none.
std::vector<captioned_table> flattened_frames(std::span<const std::string_view> lines, std::string_view caption_above);

}  // namespace isobench::detail
