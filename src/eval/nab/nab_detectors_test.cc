#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <random>

#include <gtest/gtest.h>

#include "eval/nab/nab_eval.h"

namespace envmon::eval::nab {
namespace {

// Two weeks of hourly-ish data with a daily cycle, noise and a spike and a level shift late on.
Series synthetic() {
  std::mt19937 rng(9);
  std::normal_distribution<double> noise(0, 0.3);
  Series s;
  s.path = "synthetic/daily.csv";
  for (int i = 0; i < 2000; ++i) {
    s.unix_secs.push_back(1400000000 + int64_t{i} * 600);
    s.values.push_back(5 + 2 * std::sin(i * 2 * M_PI / 144) + noise(rng) + (i >= 1700 ? 4 : 0));
  }
  s.values[1500] += 12;
  s.windows = {{1480, 1520}, {1680, 1720}};
  return s;
}

TEST(NabDetectorsTest, EveryDetectorScoresEveryRowInZeroOne) {
  const Series s = synthetic();
  const auto names = detector_names();
  EXPECT_NE(std::find(names.begin(), names.end(), kDefaultDetector), names.end());
  for (const auto& name : names) {
    auto r = run_detector(name, s, DetectorParams{});
    ASSERT_TRUE(r.ok()) << name << ": " << r.error().to_string();
    ASSERT_EQ(r->size(), s.size()) << name;
    for (double v : *r) ASSERT_TRUE(v >= 0 && v <= 1) << name << " " << v;
  }
}

// Row t's score may use rows 0..t only: changing the future leaves the past's scores alone.
TEST(NabDetectorsTest, DetectorsAreCausal) {
  const Series s = synthetic();
  Series changed = s;
  for (size_t i = 1600; i < changed.size(); ++i) changed.values[i] = -changed.values[i] * 3;
  for (const auto& name : detector_names()) {
    if (name == "autoencoder") continue;  // trained on the probationary rows; slow to run twice
    const auto a = run_detector(name, s, DetectorParams{});
    const auto b = run_detector(name, changed, DetectorParams{});
    ASSERT_TRUE(a.ok() && b.ok()) << name;
    for (size_t i = 0; i < 1600; ++i) ASSERT_EQ((*a)[i], (*b)[i]) << name << " row " << i;
  }
}

// NAB's convention (each file's whole min..max) is opt-in and reaches only the detectors that
// quantise values; the later rows beyond the probationary range change what they see.
TEST(NabDetectorsTest, TheSeriesRangeReachesOnlyTheQuantisingDetectors) {
  const Series s = synthetic();
  DetectorParams series;
  ASSERT_TRUE(set_detector_option(series, "input-range", "series").ok());
  EXPECT_FALSE(set_detector_option(series, "input-range", "file").ok());
  for (const char* name : {"context", "cad_ose", "artime"}) {
    EXPECT_NE(*run_detector(name, s, DetectorParams{}), *run_detector(name, s, series)) << name;
  }
  const auto ranged = ranged_detector_names();
  EXPECT_NE(std::find(ranged.begin(), ranged.end(), "context_zscore"), ranged.end());
  EXPECT_EQ(std::find(ranged.begin(), ranged.end(), "seasonal_zscore"), ranged.end());
}

// A detector without a value range does not silently ignore the series convention: the error
// names it and the detectors that have one.
TEST(NabDetectorsTest, TheSeriesRangeOnADetectorWithoutOneIsAnError) {
  DetectorParams series;
  series.input_range = InputRange::series;
  const auto r = run_detector("seasonal_zscore", synthetic(), series);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("detector 'seasonal_zscore' has no value range"),
            std::string::npos)
      << r.error().message();
  EXPECT_NE(r.error().message().find("artime"), std::string::npos) << r.error().message();
}

TEST(NabDetectorsTest, TheDefaultFindsTheSpikeWithoutFiringInQuietRows) {
  const Series s = synthetic();
  const auto r = run_detector(kDefaultDetector, s, DetectorParams{});
  ASSERT_TRUE(r.ok());
  const double at_spike = *std::max_element(r->begin() + 1480, r->begin() + 1521);
  const double quiet = *std::max_element(r->begin() + 600, r->begin() + 1400);
  EXPECT_GT(at_spike, quiet);
}

// The evaluation-only detectors are in `envmon config schema`, each saying it is evaluation only.
TEST(NabDetectorsTest, EvaluationOnlyDetectorsDocumentTheirConfigAsSuch) {
  std::vector<std::string> sections;
  for (const auto& d : nab_detector_schema_docs()) {
    sections.push_back(d.section);
    EXPECT_EQ(d.description.rfind("Evaluation only", 0), 0U) << d.section;
    EXPECT_FALSE(d.fields.empty()) << d.section;
  }
  for (const char* want : {"eval.anomaly.context_novelty", "eval.anomaly.cad_ose",
                           "eval.anomaly.knn_cad", "eval.anomaly.anomaly_likelihood",
                           "eval.anomaly.artime"}) {
    EXPECT_NE(std::find(sections.begin(), sections.end(), want), sections.end()) << want;
  }
}

// The ARTime port against NAB's published per-file results (results/ARTime/
// ARTime_standard_scores.csv, numenta/NAB 5a98e4f): under NAB's convention (whole-file range) at
// the published threshold, each file's raw standard score is the published one.
TEST(NabDetectorsTest, ArtimeMatchesNabsPublishedPerFileScores) {
  const std::string shared = std::string(ENVMON_SOURCE_DIR) + "/../shared/data/nab";
  if (!std::filesystem::exists(shared + "/labels/combined_windows.json")) {
    GTEST_SKIP() << "shared NAB data absent at " << shared;
  }
  auto corpus = load_corpus(shared);
  ASSERT_TRUE(corpus.ok()) << corpus.error().to_string();
  const std::map<std::string, double> published = {
      {"artificialWithAnomaly/art_daily_jumpsup.csv", 0.8589086704377245},
      {"realAWSCloudwatch/elb_request_count_8c0756.csv", 1.3635913854419892},
      {"realAWSCloudwatch/ec2_cpu_utilization_77c1ca.csv", 0.25006277563507817},
      {"realKnownCause/nyc_taxi.csv", 3.775210013719179}};
  DetectorParams nab_convention;
  nab_convention.input_range = InputRange::series;
  size_t checked = 0;
  for (const Series& s : corpus->series) {
    const auto it = published.find(s.path);
    if (it == published.end()) continue;
    auto scores = run_detector("artime", s, nab_convention);
    ASSERT_TRUE(scores.ok());
    auto raw = raw_at_threshold({s}, {*scores}, corpus->profiles.front(), 0.317486);
    ASSERT_TRUE(raw.ok());
    EXPECT_NEAR(*raw, it->second, 1e-9) << s.path;
    ++checked;
  }
  EXPECT_EQ(checked, published.size());
}

}  // namespace
}  // namespace envmon::eval::nab
