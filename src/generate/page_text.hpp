#pragma once
// A GitHub page as a scraper flattens it: every post on one line, between the interface text
// ("Copy link Contributor NAME commented Mar 3, 2025 Loading Uh oh! There was an error while loading.
// Please reload this page .", "All reactions", "Sign up for free ..."). Splitting at that text gives
// each post its own line, starting with its "NAME commented DATE" header, so the extraction can
// tell who wrote it (review bots) and scan the post's sentences without the interface words.

#include <string>
#include <string_view>

namespace isobench::detail {

// The page with interface text replaced by line breaks and a line break after each post header's
// date. One pass over the text; the result is never longer than the input.
std::string split_page(std::string_view page);

// Where a post header ("Member alice commented Feb 13, 2026", "bob reviewed") ends in `low`, a
// lower-case line that starts with one; 0 when it does not.
std::size_t post_header_end(std::string_view low) noexcept;

// A post header ("Member alice commented Feb 13, 2026") at the start of `low_line`: its length (0
// when there is none), and in `is_bot` whether a review bot wrote the post.
std::size_t bot_header(std::string_view low_line, bool& is_bot);

}  // namespace isobench::detail
