#include "app/backfill_checkpoint.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <unistd.h>

namespace envmon::app {
namespace {

std::string hash_stations(const std::vector<config::StationConfig>& stations) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a over "id lat lon;" of each station
  auto mix = [&](const std::string& s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  };
  for (const auto& st : stations)
    mix(st.id + " " + std::to_string(st.lat) + " " + std::to_string(st.lon) + ";");
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

BackfillCheckpoint::BackfillCheckpoint(const std::string& data_dir, const std::string& source,
                                       const std::vector<config::StationConfig>& stations)
    : path_((std::filesystem::path(data_dir) / "backfill" / (source + ".checkpoint")).string()),
      stations_hash_(hash_stations(stations)) {}

std::string BackfillCheckpoint::line(sources::openmeteo::Date from,
                                     sources::openmeteo::Date to) const {
  return sources::openmeteo::format_iso_date(from) + " " + sources::openmeteo::format_iso_date(to) +
         " " + stations_hash_;
}

Status BackfillCheckpoint::load() {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ec);
  if (ec) return Error(Errc::io, "cannot create " + path_ + ": " + ec.message());
  std::ifstream in(path_);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty()) done_.insert(l);
  }
  return ok_status();
}

bool BackfillCheckpoint::done(sources::openmeteo::Date from, sources::openmeteo::Date to) const {
  return done_.count(line(from, to)) > 0;
}

Status BackfillCheckpoint::mark_done(sources::openmeteo::Date from, sources::openmeteo::Date to) {
  const std::string l = line(from, to) + "\n";
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Error(Errc::io, "cannot open " + path_);
  const bool ok =
      ::write(fd, l.data(), l.size()) == static_cast<ssize_t>(l.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Error(Errc::io, "cannot record backfill progress in " + path_);
  done_.insert(line(from, to));
  return ok_status();
}

}  // namespace envmon::app
