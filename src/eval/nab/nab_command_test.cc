// `envmon eval anomaly` as a user runs it: the tiny fixture, bad arguments and broken corpora,
// and the shared NAB part when it is present.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sys/wait.h>

namespace {

namespace fs = std::filesystem;
const std::string kEnvmon = std::string(ENVMON_BINARY_DIR) + "/envmon";
const std::string kTiny = std::string(ENVMON_SOURCE_DIR) + "/src/eval/nab/testdata/tiny";

struct CommandRun {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

CommandRun envmon(const std::string& args) {
  CommandRun r;
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen((kEnvmon + " " + args + " 2>&1").c_str(), "r"),
                                          pclose);
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p.get())) r.out.append(buf, n);
  r.exit_code = WEXITSTATUS(pclose(p.release()));
  return r;
}

class EvalAnomalyCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kEnvmon)) GTEST_SKIP() << "no envmon binary at " << kEnvmon;
  }
};

TEST_F(EvalAnomalyCommand, PrintsTheThreeProfileScoresOfTheFixture) {
  const CommandRun r = envmon("eval anomaly --nab " + kTiny);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* name : {"nab_standard", "nab_low_fp", "nab_low_fn"}) {
    EXPECT_NE(r.out.find(std::string("{\"name\": \"") + name + "\", \"value\": "), std::string::npos)
        << name << " missing in:\n" << r.out;
  }
  EXPECT_NE(r.out.find("windows=1"), std::string::npos) << r.out;
}

TEST_F(EvalAnomalyCommand, BadArgumentsExitTwoWithTheReason) {
  CommandRun r = envmon("eval anomaly");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("needs --nab DIR"), std::string::npos) << r.out;
  r = envmon("eval anomaly --nab " + kTiny + " --detector magic");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("unknown detector 'magic' (choices:"), std::string::npos) << r.out;
  r = envmon("eval anomaly --nab " + kTiny + " --suppress-rows -3");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  r = envmon("eval anomaly --nab " + kTiny + " --input-range whole");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("--input-range: expected probation or series, got 'whole'"),
            std::string::npos)
      << r.out;
  r = envmon("eval anomaly --nab " + kTiny + " --detector seasonal_zscore --input-range series");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("--input-range series: detector 'seasonal_zscore' has no value range"),
            std::string::npos)
      << r.out;
}

// NAB's own convention (each file's min..max given to the detectors) is an explicit option.
TEST_F(EvalAnomalyCommand, TheSeriesInputRangeIsAnOption) {
  const CommandRun r =
      envmon("eval anomaly --nab " + kTiny + " --detector cad_ose --input-range series");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("{\"name\": \"nab_standard\", \"value\": "), std::string::npos) << r.out;
}

TEST_F(EvalAnomalyCommand, BrokenCorpusExitsOneNamingTheFile) {
  CommandRun r = envmon("eval anomaly --nab /nonexistent/nab");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("/nonexistent/nab/data: not a directory"), std::string::npos) << r.out;
  const fs::path dir = fs::temp_directory_path() / ("envmon-nab-cmd-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::copy(kTiny, dir, fs::copy_options::recursive);
  std::ofstream(dir / "data/synthetic/quiet.csv", std::ios::trunc)
      << "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,\n";
  r = envmon("eval anomaly --nab " + dir.string());
  fs::remove_all(dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("quiet.csv:3: value '' is not a finite number"), std::string::npos) << r.out;
}

TEST_F(EvalAnomalyCommand, ScoresTheSharedNabPart) {
  const std::string shared = std::string(ENVMON_SOURCE_DIR) + "/../shared/data/nab";
  if (!fs::exists(shared + "/labels/combined_windows.json")) {
    GTEST_SKIP() << "shared NAB data absent at " << shared;
  }
  const CommandRun r = envmon("eval anomaly --nab " + shared);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("series=35 windows=55"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"name\": \"nab_low_fn\""), std::string::npos) << r.out;
}

}  // namespace
