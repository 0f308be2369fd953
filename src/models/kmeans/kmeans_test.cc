#include <cmath>
#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "config/node.h"
#include "models/kmeans/kmeans.h"
#include "models/kmeans/station_profiles.h"

namespace envmon::models::kmeans {
namespace {

// `per` points around each of three centres in 4 dimensions.
std::vector<double> three_blobs(size_t per, uint32_t seed) {
  const double centres[3][4] = {{0, 0, 0, 0}, {10, 10, 0, 0}, {0, 10, 10, 5}};
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, 0.8);
  std::vector<double> out;
  for (size_t i = 0; i < 3 * per; ++i)
    for (double c : centres[i % 3]) out.push_back(c + noise(rng));
  return out;
}

TEST(KMeansTest, SilhouettePicksTheTrueNumberOfClusters) {
  const auto data = three_blobs(20, 1);
  const Points x{data, 4};
  auto sel = select_k(x, KMeansConfig{});
  ASSERT_TRUE(sel.ok()) << sel.error().to_string();
  EXPECT_EQ(sel->model.k, 3u);
  EXPECT_GT(sel->silhouette, 0.8);
  EXPECT_EQ(sel->tried.size(), 7u);  // k = 2..8
  for (size_t i = 3; i < x.rows(); ++i) EXPECT_EQ(sel->labels[i], sel->labels[i % 3]) << i;
  EXPECT_EQ(sel->silhouettes.size(), x.rows());
}

TEST(KMeansTest, SameSeedSameModelAndRestartsNeverHurt) {
  const auto data = three_blobs(10, 2);
  const Points x{data, 4};
  KMeansConfig one;
  one.restarts = 1;
  auto a = fit(x, 4, KMeansConfig{});
  auto b = fit(x, 4, KMeansConfig{});
  auto single = fit(x, 4, one);
  ASSERT_TRUE(a.ok() && b.ok() && single.ok());
  EXPECT_EQ(a->centroids, b->centroids);
  EXPECT_LE(a->inertia, single->inertia);
}

TEST(KMeansTest, SilhouetteOfKnownLayout) {
  // Two tight pairs far apart: a = 1, b = 10 (mean distance to the other pair): s = 0.9.
  const std::vector<double> data = {0, 1, 10, 11};
  const std::vector<int32_t> labels = {0, 0, 1, 1};
  const auto s = silhouette_values(Points{data, 1}, labels, 2);
  EXPECT_NEAR(s[0], (10.5 - 1) / 10.5, 1e-12);
  EXPECT_NEAR(s[1], (9.5 - 1) / 9.5, 1e-12);
  const std::vector<int32_t> alone = {0, 1, 1, 1};
  EXPECT_EQ(silhouette_values(Points{data, 1}, alone, 2)[0], 0.0);
}

TEST(KMeansTest, SavedModelAssignsTheSame) {
  const auto data = three_blobs(5, 3);
  const Points x{data, 4};
  auto m = fit(x, 3, KMeansConfig{});
  ASSERT_TRUE(m.ok());
  auto loaded = KMeansModel::load(m->save());
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  EXPECT_EQ(loaded->assign_all(x), m->assign_all(x));
  auto doc = nlohmann::json::parse(m->save());
  doc["body"]["centroids"].erase(0);
  EXPECT_NE(KMeansModel::load(doc.dump()).error().message().find("'centroids'"), std::string::npos);
  EXPECT_EQ(KMeansModel::load(R"({"format":"envmon-model","kind":"robust_zscore","version":1,"body":{}})")
                .error()
                .code(),
            Errc::decode_field);
}

TEST(KMeansTest, BadInputIsAnErrorNotACrash) {
  const std::vector<double> nan = {0, 1, std::nan(""), 2, 3, 4};
  EXPECT_NE(fit(Points{nan, 2}, 2, {}).error().message().find("point 1"), std::string::npos);
  const std::vector<double> two = {0, 1};
  EXPECT_EQ(select_k(Points{two, 1}, {}).error().code(), Errc::invalid_argument);
  EXPECT_EQ(fit(Points{two, 1}, 3, {}).error().code(), Errc::invalid_argument);
  EXPECT_EQ(fit(Points{{}, 1}, 1, {}).error().code(), Errc::invalid_argument);
}

TEST(KMeansConfigTest, KRangeIsChecked) {
  auto bad = config::load_text("k_min: 6\nk_max: 3\n", "c.yaml");
  auto r = parse_kmeans_config(*bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("k_min"), std::string::npos);
}

// Hourly aggregates over `days` days of a series peaking at UTC hour `peak`.
std::vector<Aggregate> hourly(int days, int peak) {
  std::vector<Aggregate> out;
  const Timestamp start = from_unix_ms(1767571200000);  // 2026-01-05T00:00Z, a Monday
  for (int h = 0; h < days * 24; ++h) {
    Aggregate a;
    a.bucket_start = start + std::chrono::hours(h);
    a.mean = 50 + 20 * std::cos((h % 24 - peak) / 24.0 * 2 * M_PI) + (h / 24 == 5 ? 10 : 0);
    a.count = 12;
    out.push_back(a);
  }
  return out;
}

TEST(StationProfileTest, DailyAndWeeklyShapeInLocalTime) {
  auto p = build_profile("london", "UTC", hourly(7, 8), 24);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  ASSERT_EQ(p->features.size(), kProfileDims);
  const auto peak = std::max_element(p->features.begin(), p->features.begin() + 24);
  EXPECT_EQ(peak - p->features.begin(), 8);
  const auto day = std::max_element(p->features.begin() + 24, p->features.end());
  EXPECT_EQ(day - p->features.begin() - 24, 5);  // the Saturday bump
  // The same UTC series seen from Delhi (UTC+05:30) peaks at 13:00 local.
  auto delhi = build_profile("delhi", "Asia/Kolkata", hourly(7, 8), 24);
  ASSERT_TRUE(delhi.ok());
  EXPECT_EQ(std::max_element(delhi->features.begin(), delhi->features.begin() + 24) -
                delhi->features.begin(),
            13);
}

TEST(StationProfileTest, RefusesTooLittleDataAndUnknownZones) {
  EXPECT_NE(build_profile("a", "UTC", hourly(1, 3), 48).error().message().find("24 hourly"),
            std::string::npos);
  EXPECT_NE(build_profile("a", "Mars/Olympus", hourly(3, 3), 24).error().message().find("Mars"),
            std::string::npos);
  auto flat = hourly(2, 3);
  for (auto& a : flat) a.mean = 7;
  EXPECT_NE(build_profile("a", "UTC", flat, 24).error().message().find("flat"), std::string::npos);
}

}  // namespace
}  // namespace envmon::models::kmeans
