// Interoperability of what envmon writes to the lake, checked by other readers (test-only, from
// PyPI via tests/integration/lake/setup): pyarrow and DuckDB read every curated Parquet file and
// see the same values, types and row counts as written; boto3 lists and reads what envmon put on
// the S3 server (S3Proxy, fixture `s3`). Skips with the reason when the venv cannot be set up.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "lake/curated_lake.h"
#include "lake/file/file_object_store.h"
#include "lake/raw_lake.h"
#include "lake/s3/s3_fault_proxy.h"
#include "lake/s3/s3_object_store.h"
#include "model/codec.h"

namespace envmon::lake {
namespace {

namespace fs = std::filesystem;
const Timestamp kT0 = from_unix_ms(1767222000000);  // 2025-12-31T23:00:00Z: spans two dates

// Runs `cmd`, returns (exit code, output).
std::pair<int, std::string> run(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return {-1, "popen failed"};
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, p))
    out.append(buf, n);
  const int rc = ::pclose(p);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

const std::string kDir = ENVMON_SOURCE_DIR "/tests/integration/lake";

std::string python_or_empty(std::string* why) {
  auto [rc, out] = run(kDir + "/setup");
  if (rc != 0) {
    *why = out;
    return "";
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
    out.pop_back();
  return out.substr(out.rfind('\n') + 1);
}

// Records every object written (key -> SHA-256), the way a client would see the bucket.
class RecordingStore final : public ObjectStore {
 public:
  explicit RecordingStore(ObjectStore& inner) : inner_(inner) {}
  Result<std::string> put(const std::string& key, const std::string& data, bool if_absent) override {
    auto r = inner_.put(key, data, if_absent);
    if (r.ok()) written_[key] = *r;
    return r;
  }
  Result<std::string> get(const std::string& key) override { return inner_.get(key); }
  Result<std::vector<ObjectInfo>> list(const std::string& p) override { return inner_.list(p); }
  Result<bool> exists(const std::string& key) override { return inner_.exists(key); }
  Status remove(const std::string& key) override {
    written_.erase(key);
    return inner_.remove(key);
  }
  const std::map<std::string, std::string>& written() const { return written_; }

 private:
  ObjectStore& inner_;
  std::map<std::string, std::string> written_;
};

// Deterministic readings with what makes readers stumble: non-ASCII names, a missing region,
// masked values (null, raw kept), -0.0, huge and tiny numbers, two UTC dates, many row groups.
std::vector<Reading> readings(int n) {
  const char* stations[] = {"delhi", "são-paulo", "zürich", "tokyo", "nowhere"};
  const char* regions[] = {"south-asia", "south-america", "europe", "east-asia", ""};
  const double specials[] = {-0.0, 1e300, -273.15, 5e-324, 0.1};
  std::vector<Reading> out;
  for (int i = 0; i < n; ++i) {
    Reading r;
    const int s = i % 5;
    r.source = SourceId(i % 7 == 0 ? "openmeteo" : "sim");
    r.station = StationRef{StationId(stations[s]), stations[s], 1, 2};
    r.observed_at = kT0 + Seconds(60 * (i / 5));
    r.ingested_at = r.observed_at + Millis(1500 + i % 3);
    r.measurements.push_back({Metric::temperature, 15.0 + 0.37 * i, std::nan(""), "", 0});
    r.measurements.push_back({Metric::pm25, i % 11 == 0 ? std::nan("") : specials[i % 5],
                              i % 11 == 0 ? 9999.5 : std::nan(""), "", static_cast<FlagSet>(i % 11 == 0 ? 1 : 0)});
    if (regions[s][0] != '\0') r.enrichment = Enrichment{regions[s], "UTC", 0, ""};
    out.push_back(std::move(r));
  }
  return out;
}

nlohmann::json row_json(const Reading& r, const Measurement& m) {
  auto num = [](double v) { return std::isnan(v) ? nlohmann::json() : nlohmann::json(v); };
  return {{"source", r.source.get()},
          {"station", r.station.id.get()},
          {"region", r.enrichment ? nlohmann::json(r.enrichment->region) : nlohmann::json()},
          {"metric", std::string(metric_id(m.metric))},
          {"unit", std::string(metric_info(m.metric).unit)},
          {"observed_at", to_unix_ms(r.observed_at)},
          {"ingested_at", to_unix_ms(r.ingested_at)},
          {"value", num(m.value)},
          {"raw", num(m.raw)},
          {"flags", m.flags}};
}

// Writes `rs` through the curated lake in several flushes (then compacts), and the expected
// rows as JSON lines.
void write_curated(ObjectStore& store, const std::vector<Reading>& rs, const fs::path& expected,
                   size_t flush_every) {
  CuratedLakeConfig cfg;
  cfg.row_group_rows = 1000;
  cfg.compact_min_files = 3;
  CuratedLake lake(store, cfg);
  ASSERT_TRUE(lake.start().ok());
  std::ofstream exp(expected);
  for (size_t i = 0; i < rs.size(); ++i) {
    lake.append(rs[i], encode_reading(rs[i]));
    for (const Measurement& m : rs[i].measurements)
      exp << row_json(rs[i], m).dump() << "\n";
    if (i % flush_every == flush_every - 1) {
      ASSERT_TRUE(lake.flush().ok());
    }
  }
  ASSERT_TRUE(lake.flush().ok());
  ASSERT_TRUE(lake.compact().ok());
  EXPECT_GT(lake.files_compacted(), 0);
}

class LakeInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    python_ = python_or_empty(&why);
    if (python_.empty()) GTEST_SKIP() << "pyarrow/duckdb/boto3 venv unavailable: " << why;
    dir_ = fs::temp_directory_path() /
           ("envmon_interop_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string python_;
  fs::path dir_;
};

TEST_F(LakeInteropTest, PyarrowAndDuckDbReadEveryCuratedFileAsWritten) {
  auto store = make_file_object_store((dir_ / "lake").string());
  write_curated(*store, readings(6000), dir_ / "expected.jsonl", 1500);
  auto [rc, out] = run(python_ + " " + kDir + "/check_parquet.py --root " +
                       (dir_ / "lake").string() + " --expected " +
                       (dir_ / "expected.jsonl").string());
  EXPECT_EQ(rc, 0) << out;
  std::cout << out;
}

TEST_F(LakeInteropTest, Boto3ListsAndReadsWhatEnvmonWroteToS3) {
  const char* endpoint = std::getenv("ENVMON_S3_ENDPOINT");
  if (endpoint == nullptr) GTEST_SKIP() << "ENVMON_S3_ENDPOINT not set (run through ctest)";
  s3::S3Config cfg;
  cfg.endpoint = endpoint;
  cfg.bucket = "envmon-test";
  cfg.prefix = "interop-" + std::to_string(::getpid()) + "/";
  auto key = s3::credentials_from_env(cfg);
  ASSERT_TRUE(key.ok()) << key.error().to_string();
  auto s3store = s3::make_s3_object_store(std::make_unique<s3::S3Client>(cfg, *key));
  RecordingStore store(*s3store);
  RawLakeConfig rc;
  rc.max_part_bytes = 4096;
  RawLake raw(store, rc);
  ASSERT_TRUE(raw.start().ok());
  const auto rs = readings(600);
  for (const Reading& r : rs)
    ASSERT_TRUE(raw.append(r.source.get(), r.station.id.get(), r.ingested_at, encode_reading(r)).ok());
  ASSERT_TRUE(raw.flush().ok());
  write_curated(store, rs, dir_ / "expected.jsonl", 100);
  nlohmann::json written(store.written());
  std::ofstream(dir_ / "written.json") << written.dump();
  EXPECT_GT(written.size(), 20U);
  auto [code, out] = run(python_ + " " + kDir + "/check_s3.py --endpoint " + endpoint +
                         " --bucket envmon-test --prefix " + cfg.prefix + " --expected " +
                         (dir_ / "written.json").string());
  EXPECT_EQ(code, 0) << out;
  std::cout << out;
}

// The whole pipeline: `envmon demo` writes the curated lake from the simulator; pyarrow and
// DuckDB read every file, and the lake holds the same measurements as the store.
TEST_F(LakeInteropTest, EnvmonDemoWritesCuratedParquetMatchingTheStore) {
  const std::string data = (dir_ / "data").string();
  auto [rc, out] = run(std::string(ENVMON_BINARY) + " demo --duration 15 --speed 900 --port 18482" +
                       " --log-level warn --data-dir " + data);
  ASSERT_EQ(rc, 0) << out;
  auto [code, check] = run(python_ + " " + kDir + "/check_pipeline.py --data-dir " + data);
  EXPECT_EQ(code, 0) << check;
  std::cout << check;
}

// The pipeline on S3 while S3 fails: after start-up, 503 SlowDown for 5 s, then some 500s, then
// healthy. (S3 down at start-up is a clear start-up error: the sinks cannot load checkpoints.)
// The sinks back off and retry (saying so), nothing is committed meanwhile, and afterwards the
// curated lake on S3 holds exactly the store's measurements: nothing lost, nothing doubled.
TEST_F(LakeInteropTest, EnvmonOnS3SurvivesSlowDownAnd500sWithNothingLostOrDoubled) {
  const char* endpoint = std::getenv("ENVMON_S3_ENDPOINT");
  if (endpoint == nullptr) GTEST_SKIP() << "ENVMON_S3_ENDPOINT not set (run through ctest)";
  const std::string ep(endpoint);
  s3::S3FaultProxy proxy("127.0.0.1", std::stoi(ep.substr(ep.rfind(':') + 1)));
  const std::string prefix = "pipeline-" + std::to_string(::getpid()) + "/";
  std::ofstream(dir_ / "s3.yaml")
      << "version: 1\nstations:\n"
      << "  - {id: delhi, name: Delhi, lat: 28.6, lon: 77.3, timezone: Asia/Kolkata, region: south-asia}\n"
      << "  - {id: london, name: London, lat: 51.5, lon: -0.15, timezone: Europe/London, region: europe}\n"
      << "sources:\n  - {name: sim, type: simulator, poll_interval_secs: 300, simulator: {seed: 7}}\n"
      << "lake:\n  type: s3\n  s3:\n    endpoint: http://127.0.0.1:" << proxy.port()
      << "\n    bucket: envmon-test\n    prefix: " << prefix
      << "\n    retry_initial_ms: 50\n    retry_max_ms: 400\n    max_attempts: 4\n"
      << "    flush_interval_ms: 1000\n    curated: {flush_interval_ms: 1000}\n";
  std::thread faults([&] {
    for (int i = 0; i < 400 && proxy.puts_forwarded() < 4; ++i)  // running and writing, then
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    proxy.set(s3::S3FaultProxy::Mode::slow_down_503);  // S3 throttles for a while,
    std::this_thread::sleep_for(std::chrono::seconds(5));
    proxy.set(s3::S3FaultProxy::Mode::internal_500, 6);  // then a few 500s, then healthy
  });
  const std::string data = (dir_ / "data").string();
  auto [rc, out] = run(std::string(ENVMON_BINARY) + " demo --config " + (dir_ / "s3.yaml").string() +
                       " --duration 14 --speed 900 --port 18484 --log-level warn --data-dir " +
                       data);
  faults.join();
  ASSERT_EQ(rc, 0) << out;
  // Each retry says why (HEAD answers have no body, so some lines carry the status alone).
  EXPECT_NE(out.find("S3 request failed, retrying"), std::string::npos) << out;
  EXPECT_NE(out.find(": 503"), std::string::npos) << out;
  EXPECT_GT(proxy.faults_sent(), 6);
  auto [code, check] = run(python_ + " " + kDir + "/check_pipeline.py --data-dir " + data +
                           " --s3-endpoint " + ep + " --bucket envmon-test --prefix " + prefix);
  EXPECT_EQ(code, 0) << check;
  std::cout << check;
}

}  // namespace
}  // namespace envmon::lake
