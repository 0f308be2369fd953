#include "eval/nab/nab_scorer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace envmon::eval::nab {
namespace {

const Profile kStandard{"standard", 1.0, 0.11, 1.0};
const Profile kLowFp{"reward_low_FP_rate", 1.0, 0.22, 1.0};
const Profile kLowFn{"reward_low_FN_rate", 1.0, 0.11, 2.0};

Series series_with(size_t n, std::vector<Window> windows) {
  Series s;
  s.path = "test/series.csv";
  for (size_t i = 0; i < n; ++i) {
    s.unix_secs.push_back(static_cast<int64_t>(i) * 300);
    s.values.push_back(0.0);
  }
  s.windows = std::move(windows);
  return s;
}

std::vector<double> fire_at(size_t n, std::initializer_list<size_t> rows) {
  std::vector<double> out(n, 0.0);
  for (size_t r : rows) out[r] = 1.0;
  return out;
}

TEST(NabScorer, ProbationIsFifteenPercentCappedAt750) {
  EXPECT_EQ(probationary_rows(1000), 150u);
  EXPECT_EQ(probationary_rows(4033), 604u);
  EXPECT_EQ(probationary_rows(10000), 750u);
}

TEST(NabScorer, ScaledSigmoidValuesFromTheSpec) {
  EXPECT_NEAR(scaled_sigmoid(-1.0), 0.9866142981514305, 1e-12);
  EXPECT_NEAR(scaled_sigmoid(-0.5), 0.84828, 1e-5);
  EXPECT_NEAR(scaled_sigmoid(0.0), 0.0, 1e-12);
  EXPECT_EQ(scaled_sigmoid(3.01), -1.0);
}

TEST(NabScorer, SweepScoresByPosition) {
  const Series s = series_with(1000, {{500, 599}});
  const auto sw = sweep_scores(s, kStandard);
  EXPECT_DOUBLE_EQ(sw[300], -0.11);                       // before any window: full penalty
  EXPECT_DOUBLE_EQ(sw[500], 1.0);                         // left edge earns A_TP
  EXPECT_NEAR(sw[599], 0.0253, 1e-4);                     // right edge, y = -1/100
  EXPECT_NEAR(sw[600], -0.025 * 0.11, 1e-4);              // just after: almost free
  EXPECT_DOUBLE_EQ(sw[999], -0.11);                       // beyond 3 (w - 1) rows
}

// The worked example of nab-scoring.md §4: detections at rows 100, 300, 520 and 700.
TEST(NabScorer, WorkedExampleRawScores) {
  const std::vector<Series> corpus{series_with(1000, {{500, 599}})};
  const Scores scores{fire_at(1000, {100, 300, 520, 700})};
  auto standard = raw_at_threshold(corpus, scores, kStandard, 0.5);
  auto low_fp = raw_at_threshold(corpus, scores, kLowFp, 0.5);
  ASSERT_TRUE(standard.ok() && low_fp.ok());
  EXPECT_NEAR(*standard, 0.75844, 5e-5);
  EXPECT_NEAR(*low_fp, 0.53977, 5e-5);
}

TEST(NabScorer, PerfectDetectorScores100AndNullScores0) {
  const std::vector<Series> corpus{series_with(1000, {{500, 599}, {800, 849}}),
                                   series_with(600, {}), series_with(2000, {{1500, 1599}})};
  const Scores perfect{fire_at(1000, {500, 800}), fire_at(600, {}), fire_at(2000, {1500})};
  Scores null;
  for (const auto& s : corpus) null.emplace_back(s.size(), 0.5);
  for (const Profile& p : {kStandard, kLowFp, kLowFn}) {
    auto best = score_corpus(corpus, perfect, p);
    ASSERT_TRUE(best.ok());
    EXPECT_NEAR(best->score, 100.0, 1e-9) << p.name;
    EXPECT_EQ(best->windows_detected, 3u);
    EXPECT_DOUBLE_EQ(best->raw_null, -p.a_fn * 3);
    auto none = score_corpus(corpus, null, p);
    ASSERT_TRUE(none.ok());
    EXPECT_NEAR(none->score, 0.0, 1e-9) << p.name;
    EXPECT_DOUBLE_EQ(none->threshold, 1.1);
  }
}

TEST(NabScorer, SweepPicksTheBestThresholdAndTiesKeepTheHigher) {
  const std::vector<Series> corpus{series_with(1000, {{500, 599}})};
  std::vector<double> s(1000, 0.1);
  s[550] = 0.9;   // a detection inside the window
  s[300] = 0.4;   // a false positive at a lower score
  auto r = score_corpus(corpus, {s}, kStandard);
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->threshold, 0.9);
  EXPECT_EQ(r->false_positive_rows, 0u);
  EXPECT_NEAR(r->raw, sweep_scores(corpus[0], kStandard)[550], 1e-12);
  // Score of raw 0 against null -1 and perfect 1: 50 + half the window reward.
  EXPECT_NEAR(r->score, 100.0 * (r->raw + 1.0) / 2.0, 1e-9);
}

TEST(NabScorer, ProbationaryDetectionsCountForNothing) {
  const std::vector<Series> corpus{series_with(1000, {{500, 599}})};
  auto r = raw_at_threshold(corpus, {fire_at(1000, {10, 149, 500})}, kStandard, 0.5);
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(*r, 1.0);
}

TEST(NabScorer, BadDetectorOutputIsAnError) {
  const std::vector<Series> corpus{series_with(100, {})};
  std::vector<double> s(100, 0.0);
  s[7] = 1.5;
  auto r = score_corpus(corpus, {s}, kStandard);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("row 7"), std::string::npos);
  EXPECT_FALSE(score_corpus(corpus, {std::vector<double>(99, 0.0)}, kStandard).ok());
  EXPECT_FALSE(score_corpus(corpus, {}, kStandard).ok());
}

}  // namespace
}  // namespace envmon::eval::nab
