// bench/run parquet, C++ half: writes N curated rows (16 stations, 10 metrics, a few masked
// values) as Parquet files through the curated lake's writer (zstd, dictionary + plain), and
// prints the write figures. It leaves the files and a digest of every row for the pyarrow half
// (bench/parquet/peer.py), which reads them back, times that, and checks the values.
//
// Usage: envmon_bench_parquet --out DIR [--rows N] [--files K]
// MB are the logical bytes of the rows (string bytes + 8 per number + 4 for flags), the same
// measure the peer uses, so the ratios compare like with like.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "lake/curated_lake.h"
#include "lake/file/file_object_store.h"
#include "lake/parquet/parquet_writer.h"

namespace {

using envmon::lake::parquet::Table;

void figure(const char* name, double value, const char* unit) {
  std::printf("{\"name\": \"%s\", \"value\": %.6g, \"unit\": \"%s\"}\n", name, value, unit);
  std::fflush(stdout);
}

// Row i of the benchmark data set; returns its logical size.
size_t fill_row(Table& t, int64_t i) {
  static const char* stations[] = {"delhi", "mumbai", "bengaluru", "beijing", "tokyo", "singapore",
                                   "london", "berlin", "cairo", "lagos", "new-york", "los-angeles",
                                   "mexico-city", "sao-paulo", "sydney", "reykjavik"};
  static const char* metrics[] = {"temperature", "humidity", "pressure", "wind_speed", "pm25",
                                  "pm10", "o3", "no2", "so2", "co"};
  const char* st = stations[(i / 10) % 16];
  const char* me = metrics[i % 10];
  const char* region = (i / 10) % 16 < 3 ? "south-asia" : "elsewhere";
  t.set_string(0, "sim");
  t.set_string(1, st);
  t.set_string(2, region);
  t.set_string(3, me);
  t.set_string(4, "ug/m3");
  const int64_t obs = 1767225600000 + (i / 160) * 300000;
  t.set_int(5, obs);
  t.set_int(6, obs + 1500);
  const bool masked = i % 97 == 0;
  const double v = 20 + 15 * std::sin(static_cast<double>(i) * 0.001) + static_cast<double>(i % 10);
  if (!masked) t.set_double(7, v);
  if (masked) t.set_double(8, v * 100);
  t.set_int(9, masked ? 1 : 0);
  t.end_row();
  return 3 + std::strlen(st) + std::strlen(region) + std::strlen(me) + 5 + 8 * 3 + 4;
}

// One digest line per row, as the peer computes it: station|metric|observed|value-or-null|flags.
void digest_row(std::string& out, const Table& t, size_t r) {
  char buf[64];
  out += t.column(1).strings[r];
  out += '|';
  out += t.column(3).strings[r];
  out += '|';
  out += std::to_string(t.column(5).ints[r]);
  out += '|';
  if (t.column(7).defined[r]) {
    std::snprintf(buf, sizeof buf, "%a", t.column(7).doubles[r]);
    out += buf;
  } else {
    out += "null";
  }
  out += '|';
  out += std::to_string(t.column(9).ints[r]);
  out += '\n';
}

}  // namespace

int main(int argc, char** argv) {
  std::string out_dir;
  int64_t rows = 2000000;
  int64_t files = 4;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--out") out_dir = argv[i + 1];
    else if (a == "--rows") rows = std::atoll(argv[i + 1]);
    else if (a == "--files") files = std::atoll(argv[i + 1]);
  }
  if (out_dir.empty() || rows <= 0 || files <= 0) {
    std::fprintf(stderr, "usage: envmon_bench_parquet --out DIR [--rows N] [--files K]\n");
    return 2;
  }
  std::filesystem::create_directories(out_dir);
  const int64_t per_file = (rows + files - 1) / files;
  envmon::lake::parquet::WriterOptions opt;  // the curated lake's defaults: zstd 3, 128 Ki rows/group
  double seconds = 0;
  size_t logical = 0, written = 0;
  std::ofstream digest(out_dir + "/digest.txt", std::ios::binary);
  for (int64_t f = 0; f * per_file < rows; ++f) {
    Table t(envmon::lake::curated_schema());
    t.reserve(static_cast<size_t>(per_file));
    for (int64_t i = f * per_file; i < std::min(rows, (f + 1) * per_file); ++i)
      logical += fill_row(t, i);
    const auto start = std::chrono::steady_clock::now();
    auto bytes = envmon::lake::parquet::write_parquet(t, opt);
    if (!bytes.ok()) {
      std::fprintf(stderr, "write failed: %s\n", bytes.error().to_string().c_str());
      return 1;
    }
    char name[64];
    std::snprintf(name, sizeof name, "/part-%04lld.parquet", static_cast<long long>(f));
    std::ofstream(out_dir + name, std::ios::binary).write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    written += bytes->size();
    std::string d;
    for (size_t r = 0; r < t.rows(); ++r)
      digest_row(d, t, r);
    digest << d;
  }
  std::fprintf(stderr, "bench/parquet: %lld rows, %.1f MB logical, %.1f MB of Parquet, %.3f s\n",
               static_cast<long long>(rows), static_cast<double>(logical) / 1e6, static_cast<double>(written) / 1e6, seconds);
  figure("parquet_write_mb_per_sec", static_cast<double>(logical) / 1e6 / seconds, "MB/s");
  figure("parquet_write_rows_per_sec", static_cast<double>(rows) / seconds, "rows/s");
  figure("parquet_file_mb_per_sec", static_cast<double>(written) / 1e6 / seconds, "MB/s");
  figure("parquet_bytes_per_row", static_cast<double>(written) / static_cast<double>(rows), "bytes");
  std::ofstream(out_dir + "/logical_bytes.txt") << logical << "\n";
  return 0;
}
