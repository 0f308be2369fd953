// The real OpenWeatherMap, WAQI and Open-Meteo clients, on the real polling engine and the real
// pipeline, against the local fake of the three APIs: faults come and go, and afterwards every
// station is fetched again and every reading the fake served in full is stored exactly once.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include "app/components.h"
#include "app/runtime.h"
#include "config/node.h"
#include "integration/sqlite_rows.h"
#include "tools/fake_providers/fake_providers.h"

namespace envmon {
namespace {

namespace fp = fake_providers;
using std::chrono::seconds;

constexpr const char* kOwmKey = "owm-secret-7f3a9c";
constexpr const char* kWaqiKey = "waqi-secret-41be02";

// Stations with 4-decimal coordinates: the fake keys its statistics by "lat,lon" at 4 decimals.
constexpr const char* kStations = R"(
stations:
  - {id: delhi,  name: Delhi,  lat: 28.6469, lon: 77.3159,  timezone: Asia/Kolkata,     region: south-asia}
  - {id: london, name: London, lat: 51.5225, lon: -0.1546,  timezone: Europe/London,    region: europe}
  - {id: berlin, name: Berlin, lat: 52.5200, lon: 13.4050,  timezone: Europe/Berlin,    region: europe}
  - {id: nyc,    name: NYC,    lat: 40.7282, lon: -73.7949, timezone: America/New_York, region: north-america}
)";

// Fast engine settings for a test: second-level cadence, short backoff and circuit.
std::string engine_keys(const std::string& extra) {
  return "      refresh_floor_secs: 1\n      connect_timeout_ms: 2000\n      timeout_ms: 4000\n"
         "      backoff_initial_ms: 100\n      backoff_max_secs: 1\n      "
         "circuit_failure_threshold: 3\n"
         "      circuit_open_secs: 1\n" +
         extra;
}

std::string config_yaml(const std::string& base, const std::string& data_dir) {
  std::ostringstream y;
  y << "version: 1\ndata_dir: " << data_dir << "\n"
    << kStations << "sources:\n"
    << "  - name: owm\n    type: openweathermap\n    poll_interval_secs: 1\n    openweathermap:\n"
    << "      base_url: " << base << "\n      api_key_env: ENVMON_TEST_OWM_KEY\n"
    << engine_keys("      limit_per_minute: 120\n      limit_per_month: 0\n")
    << "  - name: waqi\n    type: waqi\n    poll_interval_secs: 1\n    raw_lake_retention: keep\n"
    << "    waqi:\n      base_url: " << base << "\n      api_key_env: ENVMON_TEST_WAQI_KEY\n"
    << engine_keys("")
    << "  - name: om\n    type: openmeteo\n    poll_interval_secs: 1\n    openmeteo:\n"
    << "      forecast_base_url: " << base << "\n      endpoints: [forecast]\n"
    << engine_keys("      limit_per_hour: 0\n      limit_per_day: 0\n")
    << "bus: {type: memory}\nstore: {type: sqlite}\nlake: {type: file}\ncache: {type: memory}\n";
  return y.str();
}

config::AppConfig parse_config(const std::string& yaml) {
  auto node = config::load_text(yaml, "live_sources_test.yaml");
  EXPECT_TRUE(node.ok()) << node.error().message();
  auto app = config::parse_app_config(*node, app::known_types());
  EXPECT_TRUE(app.ok()) << app.error().message();
  return *app;
}

// Everything written to stderr (the logs) while it lives, for the secrets check.
class StderrCapture {
 public:
  explicit StderrCapture(std::string path) : path_(std::move(path)) {
    fflush(stderr);
    saved_ = dup(2);
    FILE* f = fopen(path_.c_str(), "w");
    dup2(fileno(f), 2);
    fclose(f);
  }
  ~StderrCapture() { restore(); }
  std::string restore() {
    if (saved_ >= 0) {
      fflush(stderr);
      dup2(saved_, 2);
      close(saved_);
      saved_ = -1;
    }
    std::ifstream in(path_);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  std::string path_;
  int saved_ = -1;
};

const std::map<std::string, std::string> kStationByKey = {{"28.6469,77.3159", "delhi"},
                                                          {"51.5225,-0.1546", "london"},
                                                          {"52.5200,13.4050", "berlin"},
                                                          {"40.7282,-73.7949", "nyc"}};

// Open-Meteo's `current.time` has minute resolution: compare it at that resolution.
int64_t resolution_secs(const std::string& provider) {
  return provider == "openmeteo" ? 60 : 1;
}

std::set<int64_t> served(const fp::ProviderStats& s, const std::string& key, int64_t res) {
  std::set<int64_t> out;
  auto it = s.station_observations.find(key);
  if (it == s.station_observations.end()) return out;
  for (int64_t t : it->second)
    out.insert(t / res * res);
  return out;
}

class LiveSourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("envmon-live-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    setenv("ENVMON_TEST_OWM_KEY", kOwmKey, 1);
    setenv("ENVMON_TEST_WAQI_KEY", kWaqiKey, 1);
    fp::FakeOptions opt;
    opt.samples_dir = ENVMON_SOURCE_DIR "/src/tools/fake_providers/testdata";
    opt.keys = {{"openweathermap", kOwmKey}, {"waqi", kWaqiKey}};
    opt.time_mode = fp::TimeMode::now;
    opt.time_step_secs = 1;
    fake_ = std::make_unique<fp::FakeProviders>(opt);
    ASSERT_TRUE(fake_->start().ok());
  }
  void TearDown() override {
    fake_->stop();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<fp::FakeProviders> fake_;
};

TEST_F(LiveSourcesTest, FaultsComeAndGoAndNothingIsLostOrDoubled) {
  StderrCapture logs((dir_ / "stderr.log").string());
  app::RuntimeOptions options;
  options.clock = app::ClockMode::wall;
  options.roles = app::Roles::of({app::Role::sources, app::Role::processor, app::Role::sinks});
  app::Runtime runtime(parse_config(config_yaml(fake_->base_url(), dir_.string())), options);
  ASSERT_TRUE(runtime.start().ok());
  std::this_thread::sleep_for(seconds(4));

  fp::Faults faults;
  faults.status_429_every = 7;
  faults.retry_after_secs = 1;
  faults.burst_5xx = 5;
  faults.reset_rate = 0.08;
  faults.malformed_rate = 0.15;
  faults.truncated_rate = 0.08;
  faults.html_rate = 0.05;
  faults.slow_drip_ms = 2;
  ASSERT_TRUE(fake_->set_faults("*", faults).ok());
  std::this_thread::sleep_for(seconds(6));
  ASSERT_TRUE(fake_->set_faults("*", fp::Faults{}).ok());
  const int64_t cleared =
      std::chrono::duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  std::this_thread::sleep_for(seconds(10));
  const std::string metrics = runtime.metrics().serialize_text();
  runtime.stop();
  const std::string log_text = logs.restore();
  const fp::Stats stats = fake_->stats();

  // Quotas: OWM was limited to 120 calls a minute; the fake saw no more in any 60 s window.
  EXPECT_LE(stats.providers.at("openweathermap").max_per_minute, 120);
  // Faults really happened, and the engine answered them with backoff, pauses and the circuit.
  EXPECT_GT(stats.providers.at("waqi").faults.size(), 0u);
  EXPECT_NE(metrics.find("envmon_source_http_circuit_transitions_total"), std::string::npos);
  EXPECT_NE(metrics.find("to=\"open\""), std::string::npos) << "no circuit opened";
  EXPECT_NE(metrics.find("to=\"closed\""), std::string::npos) << "no circuit closed again";

  const auto db = (dir_ / "envmon.db").string();
  for (const auto& [provider, source] : std::map<std::string, std::string>{
           {"openweathermap", "owm"}, {"waqi", "waqi"}, {"openmeteo", "om"}}) {
    const auto& ps = stats.providers.at(provider);
    const int64_t res = resolution_secs(provider);
    for (const auto& [key, station] : kStationByKey) {
      const auto want = served(ps, key, res);
      // After the faults stopped, every station was fetched again.
      EXPECT_TRUE(!want.empty() && *want.rbegin() >= cleared / res * res)
          << provider << " " << station << " not fetched after the faults stopped";
      const auto got = test::observed_times(db, source, station, res);
      EXPECT_EQ(got.times, want) << provider << " " << station;
      EXPECT_EQ(got.duplicates, 0) << provider << " " << station;
    }
  }
  // Secrets: not in logs, metrics, or anything stored (dead letters included).
  for (const char* key : {kOwmKey, kWaqiKey}) {
    EXPECT_EQ(log_text.find(key), std::string::npos) << "key in logs";
    EXPECT_EQ(metrics.find(key), std::string::npos) << "key in metrics";
    EXPECT_FALSE(test::database_contains(db, key)) << "key in the store";
  }
  EXPECT_GT(test::count_rows(db, "SELECT count(*) FROM dead_letters"), 0)
      << "bad payloads were not dead-lettered";
}

TEST_F(LiveSourcesTest, MissingKeyDisablesTheSourceAndSaysSoOnce) {
  unsetenv("ENVMON_TEST_WAQI_KEY");
  StderrCapture logs((dir_ / "stderr.log").string());
  app::RuntimeOptions options;
  options.clock = app::ClockMode::wall;
  options.roles = app::Roles::of({app::Role::sources, app::Role::processor, app::Role::sinks});
  app::Runtime runtime(parse_config(config_yaml(fake_->base_url(), dir_.string())), options);
  ASSERT_TRUE(runtime.start().ok());
  std::this_thread::sleep_for(seconds(2));
  runtime.stop();
  const std::string text = logs.restore();
  ASSERT_EQ(runtime.disabled_sources().size(), 1u);
  EXPECT_EQ(runtime.disabled_sources()[0].name, "waqi");
  EXPECT_NE(runtime.disabled_sources()[0].reason.find("ENVMON_TEST_WAQI_KEY"), std::string::npos);
  size_t said = 0;
  for (size_t pos = text.find("Source disabled"); pos != std::string::npos;
       pos = text.find("Source disabled", pos + 1))
    ++said;
  EXPECT_EQ(said, 1u);
  EXPECT_EQ(fake_->stats().providers["waqi"].total, 0);
  EXPECT_GT(fake_->stats().providers["openmeteo"].total, 0);
}

}  // namespace
}  // namespace envmon
