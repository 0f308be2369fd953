#include <cmath>

#include <gtest/gtest.h>

#include "analytics/station_clusters.h"
#include "models/kmeans/kmeans.h"
#include "analytics/test_store.h"
#include "registry/file/file_registry_config.h"

namespace envmon::analytics {
namespace {

class StationClustersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reg_ = registry::file::make_file_registry({(temp_.dir() / "registry").string(), 5000});
  }

  // `days` of hourly pm25 peaking at local hour `peak` around `level`.
  void add_station(const std::string& id, const std::string& tz, int peak, double level, int days) {
    stations_.push_back({id, id, 0, 0, tz, "test"});
    ASSERT_TRUE(store_->upsert_stations(stations_).ok());
    const int offset = tz == "Asia/Kolkata" ? 5 : 0;  // whole hours are enough here
    store::WriteBatch b;
    const Timestamp start = from_unix_ms(1767225600000);
    for (int h = 0; h < days * 24; ++h) {
      const double local = (h + offset) % 24;
      const double v = level * (1 + 0.5 * std::cos((local - peak) / 24 * 2 * M_PI)) + (h % 7) * 0.1;
      b.aggregates.push_back(Aggregate{SourceId("sim"), StationId(id), Metric::pm25,
                                       start + std::chrono::hours(h), Seconds(3600), v, v, v, 12, 0, ""});
    }
    ASSERT_TRUE(store_->write(b).ok());
  }

  testing::TempStore temp_{"clusters"};
  store::Store* store_ = &temp_.store();
  std::vector<config::StationConfig> stations_;
  std::unique_ptr<registry::Registry> reg_;
};

TEST_F(StationClustersTest, MorningAndEveningStationsFormTwoClustersStoredAndRegistered) {
  add_station("a1", "UTC", 8, 40, 10);
  add_station("a2", "UTC", 9, 120, 10);
  add_station("a3", "Asia/Kolkata", 8, 80, 10);  // peaks at 08 local, not 08 UTC
  add_station("b1", "UTC", 20, 30, 10);
  add_station("b2", "UTC", 21, 200, 10);
  add_station("b3", "UTC", 19, 60, 10);
  add_station("short", "UTC", 8, 40, 0);
  ClusterRequest req;
  req.kmeans.k_max = 4;
  req.now = from_unix_ms(1767225600000);
  auto out = train_station_clusters(*store_, *reg_, req);
  ASSERT_TRUE(out.ok()) << out.error().to_string();
  EXPECT_EQ(out->k, 2u);
  EXPECT_GT(out->silhouette, 0.5);
  ASSERT_EQ(out->labels.size(), 6u);
  EXPECT_EQ(out->labels[0].cluster, out->labels[1].cluster);
  EXPECT_EQ(out->labels[0].cluster, out->labels[2].cluster);
  EXPECT_NE(out->labels[0].cluster, out->labels[3].cluster);
  ASSERT_EQ(out->skipped.size(), 1u);
  EXPECT_NE(out->skipped[0].find("short"), std::string::npos);

  auto stored = store_->cluster_labels();
  ASSERT_TRUE(stored.ok()) << stored.error().to_string();
  ASSERT_EQ(stored->size(), 6u);
  EXPECT_EQ(stored->front().model, "station_clusters_pm25/1");

  auto champion = registry::resolve_model(*reg_, "station_clusters_pm25", "champion");
  ASSERT_TRUE(champion.ok());
  EXPECT_EQ(champion->version, 1);
  auto model = models::kmeans::KMeansModel::load(*registry::load_model_bytes(*reg_, *champion));
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model->k, 2u);
  auto run = reg_->get_run(out->run_id);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->status, registry::RunStatus::finished);
  EXPECT_EQ(run->params.at("stations"), "6");
  EXPECT_EQ(run->metrics.at("silhouette_by_k").size(), 3u);  // k = 2, 3, 4

  auto again = train_station_clusters(*store_, *reg_, req);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version, 2);
  EXPECT_EQ(store_->cluster_labels()->front().model, "station_clusters_pm25/2");
}

TEST_F(StationClustersTest, TooFewStationsIsAClearError) {
  add_station("a1", "UTC", 8, 40, 3);
  add_station("b1", "UTC", 20, 40, 3);
  auto out = train_station_clusters(*store_, *reg_, ClusterRequest{});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message().find("2 stations with enough pm25 history"), std::string::npos);
}

}  // namespace
}  // namespace envmon::analytics
