// `envmon train anomaly` as a user runs it: a CSV in, a registered isolation-forest model out,
// and clear errors (exit 2, naming the flag or the feature) for bad arguments.
#include <cmath>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "integration/run_envmon.h"

namespace envmon {
namespace {

namespace fs = std::filesystem;
using testing::CommandRun;
using testing::run_envmon;

class TrainAnomalyCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // Ten days of hourly PM2.5 with a daily cycle in the Beijing multi-site layout.
    std::ofstream csv(dir_ / "station.csv");
    csv << "\"No\",\"year\",\"month\",\"day\",\"hour\",\"PM2.5\",\"PM10\",\"SO2\",\"NO2\",\"CO\","
           "\"O3\",\"TEMP\",\"PRES\",\"DEWP\",\"RAIN\",\"wd\",\"WSPM\",\"station\"\n";
    for (int i = 0; i < 240; ++i) {
      const int day = 1 + i / 24, hour = i % 24;
      const double pm = 60 + 30 * std::cos((hour - 8) / 24.0 * 2 * M_PI) + (i * 7 % 5);
      csv << i + 1 << ",2013,3," << day << "," << hour << "," << pm
          << ",80,4,7,300,77,5,1020,-10,0,\"N\",2,\"Test\"\n";
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string base() const {
    return "train anomaly --dataset " + (dir_ / "station.csv").string() + " --registry " +
           (dir_ / "registry").string();
  }

  fs::path dir_ = fs::temp_directory_path() / ("envmon-train-anomaly-" + std::to_string(::getpid()));
};

TEST_F(TrainAnomalyCommand, RegistersTheModelTheStageLoads) {
  const CommandRun r = run_envmon(base() + " --trees 20");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find(R"({"name":"registered_version","value":1)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("registered anomaly_iforest_pm25 version 1"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::exists(dir_ / "registry/models/anomaly_iforest_pm25/aliases.json"));
  const CommandRun again = run_envmon(base() + " --trees 20");
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_NE(again.output.find("version 2"), std::string::npos) << again.output;
}

TEST_F(TrainAnomalyCommand, BadArgumentsExitTwoNamingTheProblem) {
  const CommandRun feature = run_envmon(base() + " --features value,lag_7");
  EXPECT_EQ(feature.status, 2) << feature.output;
  EXPECT_NE(feature.output.find("unknown feature 'lag_7'"), std::string::npos) << feature.output;
  const CommandRun target = run_envmon(base() + " --target pm99");
  EXPECT_EQ(target.status, 2) << target.output;
  EXPECT_NE(target.output.find("--target"), std::string::npos) << target.output;
  const CommandRun no_data = run_envmon("train anomaly --registry " + (dir_ / "registry").string());
  EXPECT_EQ(no_data.status, 2) << no_data.output;
  EXPECT_NE(no_data.output.find("--dataset"), std::string::npos) << no_data.output;
  const CommandRun trees = run_envmon(base() + " --trees 0");
  EXPECT_EQ(trees.status, 2) << trees.output;
  EXPECT_NE(trees.output.find("--trees"), std::string::npos) << trees.output;
  const CommandRun seed = run_envmon(base() + " --seed x");
  EXPECT_EQ(seed.status, 2) << seed.output;
  EXPECT_NE(seed.output.find("--seed: expected a number"), std::string::npos) << seed.output;
  // The bounds are the isolation_forest schema's (sample_size 2..1000000), not the command's own.
  const CommandRun big = run_envmon(base() + " --sample-size 1048576");
  EXPECT_EQ(big.status, 2) << big.output;
  EXPECT_NE(big.output.find("--sample-size: 1048576 is out of range [2.000000, 1000000.000000]"),
            std::string::npos)
      << big.output;
}

// A seed the config file accepts (beyond 2^32) the command accepts too.
TEST_F(TrainAnomalyCommand, FlagsTakeTheSchemaTablesBounds) {
  const CommandRun r = run_envmon(base() + " --trees 10 --seed 5000000000");
  EXPECT_EQ(r.status, 0) << r.output;
}

TEST_F(TrainAnomalyCommand, MalformedAnalyticsConfigIsAnErrorNotADefault) {
  std::ofstream(dir_ / "envmon.yaml")
      << "stations:\n  - {id: t, name: T, lat: 40, lon: 116, timezone: Asia/Shanghai, "
         "region: asia}\nanalytics:\n  isolation_forest_threshold: 2\n";
  const CommandRun r =
      run_envmon("train anomaly --dataset " + (dir_ / "station.csv").string() + " --config " +
                 (dir_ / "envmon.yaml").string() + " --data-dir " + dir_.string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("isolation_forest_threshold"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace envmon
