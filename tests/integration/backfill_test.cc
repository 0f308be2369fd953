// `envmon backfill` as a user runs it, against the local fake of Open-Meteo's archive API:
// chunked history lands in the store, and running it twice changes nothing.
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "integration/run_envmon.h"
#include "integration/sqlite_rows.h"
#include "tools/fake_providers/fake_providers.h"

namespace envmon {
namespace {

namespace fs = std::filesystem;

using testing::CommandRun;
using testing::run_envmon;

// Every file under `dir` with its size: the raw lake is write-once, so a rerun must add nothing.
std::string listing(const fs::path& dir) {
  std::ostringstream out;
  if (!fs::exists(dir)) return "";
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file())
      out << fs::relative(e.path(), dir).string() << " " << e.file_size() << "\n";
  }
  return out.str();
}

class BackfillTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("envmon-backfill-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fake_providers::FakeOptions opt;
    opt.samples_dir = ENVMON_SOURCE_DIR "/src/tools/fake_providers/testdata";
    opt.time_mode = fake_providers::TimeMode::now;
    fake_ = std::make_unique<fake_providers::FakeProviders>(opt);
    ASSERT_TRUE(fake_->start().ok());
    std::ofstream(dir_ / "backfill.yaml")
        << "version: 1\nstations:\n"
        << "  - {id: london, name: London, lat: 51.5225, lon: -0.1546, timezone: Europe/London, "
           "region: europe}\n"
        << "  - {id: berlin, name: Berlin, lat: 52.52, lon: 13.405, timezone: Europe/Berlin, "
           "region: europe}\n"
        << "sources:\n  - name: om\n    type: openmeteo\n    openmeteo:\n      archive_base_url: "
        << fake_->base_url() << "\n      archive_chunk_days: 7\n      backoff_initial_ms: 100\n";
  }
  void TearDown() override {
    fake_->stop();
    fs::remove_all(dir_);
  }
  std::string args(const std::string& source) const {
    return "backfill --config " + (dir_ / "backfill.yaml").string() + " --source " + source +
           " --from 2024-01-01 --to 2024-01-20 --data-dir " + (dir_ / "data").string();
  }

  fs::path dir_;
  std::unique_ptr<fake_providers::FakeProviders> fake_;
};

TEST_F(BackfillTest, LoadsHistoryInChunksAndASecondRunChangesNothing) {
  const CommandRun first = run_envmon(args("om"));
  ASSERT_EQ(first.status, 0) << first.output;
  EXPECT_NE(first.output.find("\"chunks_loaded\":3"), std::string::npos) << first.output;
  const std::string db = (dir_ / "data" / "envmon.db").string();
  const int64_t rows =
      test::count_rows(db, "SELECT count(*) FROM measurements WHERE source = 'om'");
  EXPECT_GT(rows, 0);
  const std::string checksum = test::measurements_checksum(db);
  const std::string lake = listing(dir_ / "data" / "lake");
  EXPECT_EQ(fake_->stats().providers["openmeteo"].total, 6) << "3 chunks x 2 stations";

  const CommandRun second = run_envmon(args("om"));
  ASSERT_EQ(second.status, 0) << second.output;
  EXPECT_NE(second.output.find("\"chunks_already_loaded\":3"), std::string::npos) << second.output;
  EXPECT_EQ(test::count_rows(db, "SELECT count(*) FROM measurements WHERE source = 'om'"), rows);
  EXPECT_EQ(test::measurements_checksum(db), checksum);
  EXPECT_EQ(listing(dir_ / "data" / "lake"), lake);
  EXPECT_EQ(fake_->stats().providers["openmeteo"].total, 6) << "nothing fetched again";
}

TEST_F(BackfillTest, RejectsAnUnknownSourceAndBadDatesClearly) {
  const CommandRun unknown = run_envmon(args("nope"));
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.output.find("no source named 'nope'"), std::string::npos) << unknown.output;
  const CommandRun bad =
      run_envmon("backfill --source openmeteo --from 2024-13-01 --to 2024-01-02 --data-dir " +
                 (dir_ / "d2").string());
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.output.find("--from '2024-13-01' is not a date"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace envmon
