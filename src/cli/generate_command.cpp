// `isobench generate EXTRACTION [-o SPEC]` or `generate --git REPO REV`: a spec from a commit
// extraction (a file, or read from git), decisions on stderr.
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "generate/generate.hpp"
#include "git/extraction.hpp"
#include "io/atomic_file.hpp"
#include "isobench/error.hpp"

namespace isobench::detail::cli {

command add_generate_command(CLI::App& parent, const command_context& ctx) {
  auto* sub = parent.add_subcommand(
      "generate", "Derive a spec from a commit extraction (ISO-Bench or prompt-style JSON), explaining each decision");
  struct options {
    std::string extraction, output, target, workloads_from, git_repo;
    bool force = false, quiet = false;
  };
  auto o = std::make_shared<options>();
  sub->add_option("extraction", o->extraction, "Commit extraction (JSON), or with --git the commit (a revision)")
      ->required();
  sub->add_option("--git", o->git_repo, "Read the commit from this git repository instead of an extraction file");
  sub->add_option("-o,--output", o->output, "Write the spec here (default: standard output)");
  sub->add_flag("--force", o->force, "Replace an existing --output file");
  sub->add_option("--target", o->target, "Use this implementation (op.impl) instead of matching one");
  sub->add_option("--workloads-from", o->workloads_from,
                  "Take workloads, timing and equivalence from this spec of the target's op");
  sub->add_flag("-q,--quiet", o->quiet, "No explanation on stderr (it stays in the spec's _generated)");
  return {sub, [&ctx, o] {
            const std::filesystem::path out = o->output;
            if (!out.empty()) {
              // Devices and FIFOs are written through, not replaced: only a file needs --force.
              if (check_output_target(out, "spec") == output_node::regular && !o->force) {
                throw config_error(fmt::format("{}: exists; pass --force to replace it", out.string()));
              }
            }
            const auto extraction = o->git_repo.empty()
                                        ? load_commit_extraction(o->extraction)
                                        : git::extract_commit(git::repository(o->git_repo), o->extraction);
            generate_options go;
            if (!o->target.empty()) go.target = o->target;
            if (!o->workloads_from.empty()) go.workloads_from = o->workloads_from;
            const auto g = generate_spec(extraction, ctx.reg, go);
            if (!o->quiet) {
              for (const auto& line : g.explanation) ctx.err << "generate: " << line << '\n';
            }
            const auto text = g.spec.dump(2) + "\n";
            if (out.empty()) {
              ctx.out << text;
            } else {
              write_file_atomic(out, text, overwrite::allow);
              if (!o->quiet) ctx.err << fmt::format("generate: wrote {}\n", out.string());
            }
            if (g.unresolved) {
              // Exit 1 as before, but the document (claims, type, candidates) is written all the same.
              ctx.err << "isobench: error: " << *g.unresolved << '\n';
              return static_cast<int>(exit_code::target_not_resolved);
            }
            return 0;
          }};
}

}  // namespace isobench::detail::cli
