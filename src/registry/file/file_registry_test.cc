#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "config/node.h"
#include "registry/file/file_registry_config.h"

namespace envmon::registry::file {
namespace {

namespace fs = std::filesystem;

class FileRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("envmon-registry-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    reg_ = make_file_registry(FileRegistryConfig{root_.string(), 5000});
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string started_run() {
    auto exp = get_or_create_experiment(*reg_, "station_clusters");
    EXPECT_TRUE(exp.ok());
    auto run = reg_->create_run(*exp, "kmeans-pm25");
    EXPECT_TRUE(run.ok());
    return *run;
  }
  void overwrite(const std::string& rel, const std::string& text) {
    std::ofstream(root_ / rel, std::ios::trunc) << text;
  }

  fs::path root_;
  std::unique_ptr<Registry> reg_;
};

TEST_F(FileRegistryTest, ExperimentsAreUniqueByName) {
  auto a = reg_->create_experiment("forecast_pm25");
  ASSERT_TRUE(a.ok());
  auto b = reg_->create_experiment("anomaly");
  ASSERT_TRUE(b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_EQ(reg_->create_experiment("forecast_pm25").error().code(), Errc::invalid_argument);
  EXPECT_EQ(reg_->experiment_by_name("anomaly")->id, *b);
  EXPECT_EQ(reg_->experiment_by_name("nope").error().code(), Errc::not_found);
  EXPECT_EQ(*get_or_create_experiment(*reg_, "forecast_pm25"), *a);
  EXPECT_EQ(reg_->experiments()->size(), 2u);
}

TEST_F(FileRegistryTest, RunRecordsParamsMetricsTagsAndArtifacts) {
  const std::string run = started_run();
  ASSERT_TRUE(reg_->log_param(run, "k", "4").ok());
  ASSERT_TRUE(reg_->log_param(run, "k", "4").ok());  // same value again is fine
  EXPECT_EQ(reg_->log_param(run, "k", "5").error().code(), Errc::invalid_argument);
  ASSERT_TRUE(reg_->log_metric(run, "silhouette", 0.41, 2).ok());
  ASSERT_TRUE(reg_->log_metric(run, "silhouette", 0.57, 3).ok());
  ASSERT_TRUE(reg_->set_tag(run, "metric", "pm25").ok());
  ASSERT_TRUE(reg_->log_artifact(run, "model.json", "{\"x\":1}").ok());
  EXPECT_EQ(reg_->log_artifact(run, "model.json", "{}").error().code(), Errc::invalid_argument);
  ASSERT_TRUE(reg_->end_run(run, RunStatus::finished).ok());

  auto r = reg_->get_run(run);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->run_name, "kmeans-pm25");
  EXPECT_EQ(r->status, RunStatus::finished);
  EXPECT_TRUE(r->end_time.has_value());
  EXPECT_EQ(r->params.at("k"), "4");
  EXPECT_EQ(r->tags.at("metric"), "pm25");
  ASSERT_EQ(r->metrics.at("silhouette").size(), 2u);
  EXPECT_EQ(r->metrics.at("silhouette")[0].step, 2);
  EXPECT_DOUBLE_EQ(*r->latest("silhouette"), 0.57);
  EXPECT_EQ(r->artifacts, std::vector<std::string>{"model.json"});
  EXPECT_EQ(*reg_->load_artifact(run, "model.json"), "{\"x\":1}");
  EXPECT_EQ(reg_->load_artifact(run, "other.bin").error().code(), Errc::not_found);
}

TEST_F(FileRegistryTest, EndedRunRefusesMoreLogging) {
  const std::string run = started_run();
  ASSERT_TRUE(reg_->end_run(run, RunStatus::failed).ok());
  EXPECT_EQ(reg_->log_metric(run, "loss", 1.0).error().code(), Errc::invalid_argument);
  EXPECT_EQ(reg_->end_run(run, RunStatus::finished).error().code(), Errc::invalid_argument);
  EXPECT_EQ(reg_->get_run("0123abcd").error().code(), Errc::not_found);
  EXPECT_EQ(reg_->get_run("../../etc").error().code(), Errc::not_found);
}

TEST_F(FileRegistryTest, SearchRunsFiltersByExperimentStatusAndTags) {
  auto exp = *get_or_create_experiment(*reg_, "forecast_pm25");
  auto other = *get_or_create_experiment(*reg_, "anomaly");
  auto r1 = *reg_->create_run(exp, "a");
  auto r2 = *reg_->create_run(exp, "b");
  auto r3 = *reg_->create_run(other, "c");
  ASSERT_TRUE(reg_->set_tag(r2, "station", "delhi").ok());
  ASSERT_TRUE(reg_->end_run(r1, RunStatus::finished).ok());
  EXPECT_EQ(reg_->search_runs({exp, std::nullopt, {}, 100})->size(), 2u);
  EXPECT_EQ(reg_->search_runs({exp, RunStatus::finished, {}, 100})->front().run_id, r1);
  EXPECT_EQ(reg_->search_runs({exp, std::nullopt, {{"station", "delhi"}}, 100})->front().run_id, r2);
  EXPECT_EQ(reg_->search_runs({"", std::nullopt, {}, 100})->size(), 3u);
  EXPECT_EQ(reg_->search_runs({"", std::nullopt, {}, 1})->size(), 1u);
  (void)r3;
}

TEST_F(FileRegistryTest, RegisteredModelsHaveVersionsAndMovableAliases) {
  const std::string run1 = started_run();
  ASSERT_TRUE(reg_->log_artifact(run1, "model.json", "v1").ok());
  const std::string run2 = started_run();
  ASSERT_TRUE(reg_->log_artifact(run2, "model.json", "v2").ok());
  EXPECT_EQ(reg_->register_model("station_profiles", run1, "missing.json").error().code(),
            Errc::not_found);
  EXPECT_EQ(*reg_->register_model("station_profiles", run1, "model.json"), 1);
  EXPECT_EQ(*reg_->register_model("station_profiles", run2, "model.json"), 2);

  ASSERT_TRUE(reg_->set_alias("station_profiles", "champion", 1).ok());
  EXPECT_EQ(reg_->get_model_version_by_alias("station_profiles", "champion")->run_id, run1);
  ASSERT_TRUE(reg_->set_alias("station_profiles", "champion", 2).ok());
  auto champ = resolve_model(*reg_, "station_profiles", "champion");
  ASSERT_TRUE(champ.ok());
  EXPECT_EQ(champ->version, 2);
  EXPECT_EQ(champ->aliases, std::vector<std::string>{"champion"});
  EXPECT_EQ(*load_model_bytes(*reg_, *champ), "v2");
  EXPECT_EQ(resolve_model(*reg_, "station_profiles", "1")->run_id, run1);
  EXPECT_EQ(resolve_model(*reg_, "station_profiles", "latest")->version, 2);
  EXPECT_EQ(reg_->set_alias("station_profiles", "champion", 9).error().code(), Errc::not_found);
  EXPECT_EQ(reg_->set_alias("station_profiles", "7", 1).error().code(), Errc::invalid_argument);
  EXPECT_EQ(resolve_model(*reg_, "station_profiles", "staging").error().code(), Errc::not_found);
  EXPECT_EQ(reg_->model_versions("station_profiles")->size(), 2u);
  EXPECT_TRUE(reg_->model_versions("nothing")->empty());
}

TEST_F(FileRegistryTest, BadNamesAreRefused) {
  const std::string run = started_run();
  EXPECT_EQ(reg_->create_experiment("../x").error().code(), Errc::invalid_argument);
  EXPECT_EQ(reg_->log_artifact(run, "a/b", "x").error().code(), Errc::invalid_argument);
  EXPECT_EQ(reg_->log_param(run, "", "x").error().code(), Errc::invalid_argument);
  EXPECT_EQ(reg_->create_run("42", "x").error().code(), Errc::not_found);
}

TEST_F(FileRegistryTest, CorruptFilesAreReportedWithFileAndField) {
  const std::string run = started_run();
  overwrite("runs/" + run + "/run.json", "{\"run_id\": 5}");
  auto r = reg_->get_run(run);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Errc::decode_field);
  EXPECT_NE(r.error().message().find("runs/" + run + "/run.json"), std::string::npos);
  EXPECT_NE(r.error().message().find("'run_id'"), std::string::npos);

  overwrite("runs/" + run + "/run.json", "{\"run_id\": \"x\", tru");
  EXPECT_EQ(reg_->get_run(run).error().code(), Errc::decode_syntax);

  overwrite("experiments/0/meta.json", "[1,2]");
  auto e = reg_->experiments();
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message().find("experiments/0/meta.json: not a JSON object"),
            std::string::npos);
}

TEST_F(FileRegistryTest, CorruptMetricsAndAliasesAreReported) {
  const std::string run = started_run();
  ASSERT_TRUE(reg_->log_artifact(run, "m", "x").ok());
  ASSERT_TRUE(reg_->register_model("m", run, "m").ok());
  overwrite("models/m/aliases.json", "{\"champion\": \"one\"}");
  auto a = reg_->get_model_version_by_alias("m", "champion");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message().find("field 'champion' is not a version number"), std::string::npos);
  overwrite("runs/" + run + "/run.json",
            "{\"run_id\":\"" + run +
                "\",\"experiment_id\":\"0\",\"run_name\":\"x\",\"status\":\"RUNNING\","
                "\"start_ms\":1,\"metrics\":{\"loss\":[[1.0,0]]}}");
  auto r = reg_->get_run(run);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("metrics.loss[0]"), std::string::npos);
}

// Two processes log into one run at once: the lock makes every read-modify-write whole, so no
// metric point is lost.
TEST_F(FileRegistryTest, ConcurrentProcessesLoseNoUpdates) {
  const std::string run = started_run();
  constexpr int kPerProcess = 40;
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  auto log_all = [&](const std::string& key) {
    auto reg = make_file_registry(FileRegistryConfig{root_.string(), 30000});
    bool ok = true;
    for (int i = 0; i < kPerProcess; ++i) ok = ok && reg->log_metric(run, key, i, i).ok();
    return ok;
  };
  if (child == 0) ::_exit(log_all("child") ? 0 : 1);
  EXPECT_TRUE(log_all("parent"));
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  auto r = reg_->get_run(run);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->metrics.at("parent").size(), static_cast<size_t>(kPerProcess));
  EXPECT_EQ(r->metrics.at("child").size(), static_cast<size_t>(kPerProcess));
}

TEST(FileRegistryConfigTest, PathResolvesAgainstDataDirAndBadKeysAreNamed) {
  auto node = config::load_text("path: models\n", "reg.yaml");
  ASSERT_TRUE(node.ok());
  EXPECT_TRUE(make_file_registry(*node, "/tmp/d").ok());
  auto bad = config::load_text("path: models\nlock_timeout: 3\n", "reg.yaml");
  auto r = make_file_registry(*bad, "/tmp/d");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("lock_timeout"), std::string::npos);
  auto empty = config::load_text("path: ''\n", "reg.yaml");
  EXPECT_EQ(make_file_registry(*empty, "/tmp/d").error().code(), Errc::config_bad_value);
}

}  // namespace
}  // namespace envmon::registry::file
