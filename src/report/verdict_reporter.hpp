#pragma once
// CI-facing outputs of verdicts (from `compare`, or an interleaved `run`): one file per format
// behind one interface, picked by name.

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "report/result.hpp"

namespace isobench::detail {

struct verdict_report {
  std::string title;  // e.g. "isobench compare parent -> child"
  verdict_policy policy;
  std::vector<verdict_result> verdicts;
  std::vector<std::string> notes;
  [[nodiscard]] std::size_t gate_failures() const;
};

class verdict_reporter {
public:
  verdict_reporter() = default;
  verdict_reporter(const verdict_reporter&) = delete;
  verdict_reporter& operator=(const verdict_reporter&) = delete;
  virtual ~verdict_reporter() = default;
  virtual void report(const verdict_report& r, std::ostream& os) const = 0;
};

// "text" (terminal), "json", "junit" (JUnit XML), "markdown" (PR comment / job summary).
std::unique_ptr<verdict_reporter> make_verdict_reporter(std::string_view format);

class text_verdict_reporter final : public verdict_reporter {
public:
  void report(const verdict_report& r, std::ostream& os) const override;
};

class json_verdict_reporter final : public verdict_reporter {
public:
  void report(const verdict_report& r, std::ostream& os) const override;
};

class junit_reporter final : public verdict_reporter {
public:
  void report(const verdict_report& r, std::ostream& os) const override;
};

class markdown_reporter final : public verdict_reporter {
public:
  void report(const verdict_report& r, std::ostream& os) const override;
};

std::string xml_escape(std::string_view s);

}  // namespace isobench::detail
