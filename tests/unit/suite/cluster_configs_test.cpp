// The shipped cluster examples stay consistent: the Slurm script parses and requests what the README
// says, the Kubernetes manifest is an Indexed Job whose shard count matches its completions and
// whose database URL comes from a Secret.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

namespace isobench::detail {
namespace {

const std::filesystem::path k_dir = std::filesystem::path(ISOBENCH_CONFIGS_DIR) / "cluster";

std::string text_of(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(cluster_configs, slurm_script) {
  const auto script = (k_dir / "slurm_suite.sbatch").string();
  EXPECT_EQ(std::system(("bash -n '" + script + "'").c_str()), 0);
  const auto text = text_of(script);
  for (const char* want : {"#SBATCH --gres=gpu:1", "#SBATCH --requeue", "--db \"$ISOBENCH_DB\"", "isobench suite"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want;
  }
}

TEST(cluster_configs, kubernetes_indexed_job) {
  const auto docs = YAML::LoadAllFromFile((k_dir / "k8s_indexed_job.yaml").string());
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0]["kind"].as<std::string>(), "Secret");
  const auto& job = docs[1];
  EXPECT_EQ(job["kind"].as<std::string>(), "Job");
  EXPECT_EQ(job["spec"]["completionMode"].as<std::string>(), "Indexed");
  EXPECT_GE(job["spec"]["backoffLimitPerIndex"].as<int>(), 1);
  const auto container = job["spec"]["template"]["spec"]["containers"][0];
  int shard_count = -1;
  bool secret = false;
  for (const auto& e : container["env"]) {
    if (e["name"].as<std::string>() == "ISOBENCH_SHARD_COUNT") shard_count = std::stoi(e["value"].as<std::string>());
    if (e["name"].as<std::string>() == "ISOBENCH_DB") {
      secret =
          e["valueFrom"]["secretKeyRef"]["name"].as<std::string>() == docs[0]["metadata"]["name"].as<std::string>();
    }
  }
  EXPECT_EQ(shard_count, job["spec"]["completions"].as<int>());
  EXPECT_TRUE(secret);
  EXPECT_EQ(container["resources"]["limits"]["nvidia.com/gpu"].as<int>(), 1);
}

}  // namespace
}  // namespace isobench::detail
