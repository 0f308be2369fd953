#include "eval/nab/nab_corpus.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "eval/nab/nab_detectors.h"
#include "eval/nab/nab_eval.h"
#include "eval/nab/roc_auc.h"

namespace envmon::eval::nab {
namespace {

namespace fs = std::filesystem;
const std::string kTiny = std::string(ENVMON_SOURCE_DIR) + "/src/eval/nab/testdata/tiny";

// A copy of the tiny fixture in a temp dir, to break one file at a time.
class BrokenCorpus : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("envmon-nab-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::copy(kTiny, dir_, fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& rel, const std::string& text) {
    std::ofstream(dir_ / rel, std::ios::trunc) << text;
  }
  std::string load_error() {
    auto c = load_corpus(dir_.string());
    return c.ok() ? "" : c.error().message();
  }
  fs::path dir_;
};

TEST(NabCorpus, LoadsTheTinyFixture) {
  auto c = load_corpus(kTiny);
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  ASSERT_EQ(c->series.size(), 2u);
  EXPECT_EQ(c->series[0].path, "synthetic/quiet.csv");
  EXPECT_EQ(c->series[1].path, "synthetic/spike.csv");
  EXPECT_EQ(c->series[1].size(), 400u);
  ASSERT_EQ(c->series[1].windows.size(), 1u);
  EXPECT_EQ(c->series[1].windows[0].first, 280u);
  EXPECT_EQ(c->series[1].windows[0].last, 319u);
  EXPECT_EQ(c->window_count(), 1u);
  ASSERT_EQ(c->profiles.size(), 3u);
  EXPECT_EQ(c->profiles[2].name, "reward_low_FN_rate");
  EXPECT_DOUBLE_EQ(c->profiles[2].a_fn, 2.0);
}

TEST(NabCorpus, ParsesTimestamps) {
  auto t = parse_nab_time("2014-10-30 15:30:00.000000");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, 1414683000);
  EXPECT_FALSE(parse_nab_time("2014-10-30T15:30:00").ok());
  EXPECT_FALSE(parse_nab_time("2014-13-30 15:30:00").ok());
}

TEST_F(BrokenCorpus, BadValueNamesFileAndLine) {
  write("data/synthetic/quiet.csv", "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,abc\n");
  EXPECT_NE(load_error().find("quiet.csv:3: value 'abc'"), std::string::npos) << load_error();
}

TEST_F(BrokenCorpus, BadHeaderTimeAndEmptyFile) {
  write("data/synthetic/quiet.csv", "time,v\n");
  EXPECT_NE(load_error().find("quiet.csv:1: header"), std::string::npos) << load_error();
  write("data/synthetic/quiet.csv", "timestamp,value\n2024-01-01 25:00:00,1\n");
  EXPECT_NE(load_error().find("quiet.csv:2: timestamp '2024-01-01 25:00:00'"), std::string::npos)
      << load_error();
  write("data/synthetic/quiet.csv", "timestamp,value\n");
  EXPECT_NE(load_error().find("quiet.csv: no rows"), std::string::npos) << load_error();
}

TEST_F(BrokenCorpus, WindowsMustMatchFilesAndTimestamps) {
  write("labels/combined_windows.json", R"({"synthetic/spike.csv": []})");
  EXPECT_NE(load_error().find("no entry for data file 'synthetic/quiet.csv'"), std::string::npos)
      << load_error();
  write("labels/combined_windows.json",
        R"({"synthetic/spike.csv": [["2024-01-01 23:21:00", "2024-01-02 02:35:00"]],
            "synthetic/quiet.csv": [], "synthetic/missing.csv": []})");
  EXPECT_NE(load_error().find("does not start and end on timestamps"), std::string::npos)
      << load_error();
  write("labels/combined_windows.json", R"({"synthetic/spike.csv": [["x"]]})");
  EXPECT_NE(load_error().find("a window must be [start, end]"), std::string::npos);
  write("labels/combined_windows.json", "{not json");
  EXPECT_NE(load_error().find("combined_windows.json: not a JSON object"), std::string::npos);
}

TEST_F(BrokenCorpus, ExtraLabelEntryAndBadProfiles) {
  write("labels/combined_windows.json",
        R"({"synthetic/spike.csv": [], "synthetic/quiet.csv": [], "synthetic/missing.csv": []})");
  EXPECT_NE(load_error().find("'synthetic/missing.csv' has no file"), std::string::npos);
  write("labels/combined_windows.json", R"({"synthetic/spike.csv": [], "synthetic/quiet.csv": []})");
  write("config/profiles.json", R"({"standard": {"CostMatrix": {"tpWeight": 1.0}}})");
  EXPECT_NE(load_error().find("profile 'standard' needs"), std::string::npos) << load_error();
}

TEST(NabDetectors, EveryDetectorScoresInRangeAndFindsTheFixtureJump) {
  auto c = load_corpus(kTiny);
  ASSERT_TRUE(c.ok());
  DetectorParams p;
  p.window_rows = 48;
  p.long_rows = 200;
  for (const auto& name : detector_names()) {
    auto r = evaluate(*c, name, p);
    ASSERT_TRUE(r.ok()) << name << ": " << r.error().to_string();
    ASSERT_EQ(r->size(), 3u);
    EXPECT_EQ((*r)[0].windows_detected, 1u) << name;
    EXPECT_GT((*r)[0].score, 50.0) << name;
  }
  EXPECT_FALSE(run_detector("nope", c->series[0], p).ok());
}

TEST(NabDetectors, SuppressionKeepsOnlyRisingEdges) {
  std::vector<double> s{0.1, 0.5, 0.4, 0.6, 0.2, 0.0, 0.3};
  suppress_repeats(s, 2);
  EXPECT_EQ(s, (std::vector<double>{0.1, 0.5, 0.0, 0.6, 0.0, 0.0, 0.3}));
}

TEST(RocAuc, RankFormulaWithTies) {
  const std::vector<double> scores{0.1, 0.4, 0.35, 0.8};
  const std::vector<int> labels{0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(roc_auc(scores, labels), 0.75);
  const std::vector<double> tied{0.5, 0.5};
  const std::vector<int> one_each{0, 1};
  EXPECT_DOUBLE_EQ(roc_auc(tied, one_each), 0.5);
}

}  // namespace
}  // namespace envmon::eval::nab
