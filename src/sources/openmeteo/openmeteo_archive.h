#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.h"
#include "sources/http/provider.h"
#include "sources/openmeteo/openmeteo_config.h"

namespace envmon::sources::openmeteo {

using Date = std::chrono::year_month_day;

// ERA5 reaches the archive about five days late; newer days come back null or as a 400.
inline constexpr int kArchiveLagDays = 5;

std::string format_iso_date(Date d);                     // "2024-01-31"
std::optional<Date> parse_iso_date(std::string_view s);  // nullopt unless a valid YYYY-MM-DD
Date utc_date(Timestamp t);                              // the UTC calendar day of an instant

// Inclusive [from, to] split into consecutive inclusive ranges of at most `chunk_days` days
// (the last one shorter). Empty when from > to; chunk_days < 1 is treated as 1.
std::vector<std::pair<Date, Date>> archive_chunks(Date from, Date to, int64_t chunk_days);

// `to` limited to today - kArchiveLagDays; `warning` says so when it was moved (else empty).
struct ArchiveClamp {
  Date to;
  std::string warning;
};
ArchiveClamp clamp_archive_end(Date to, Date today);

// Backfill from /v1/archive: one task per station over [from, to] (hourly weather variables),
// each answer read like any other hourly block. Run one provider per archive_chunks() range.
class OpenMeteoArchiveProvider : public http::Provider {
 public:
  OpenMeteoArchiveProvider(OpenMeteoConfig config, Date from, Date to)
      : config_(std::move(config)), from_(from), to_(to) {}

  std::string_view name() const override { return "openmeteo"; }
  std::vector<http::FetchTask> tasks(
      const std::vector<config::StationConfig>& stations) const override;
  net::HttpRequest build(const http::FetchTask& task,
                         const config::StationConfig& station) const override;
  http::ParseResult parse(const http::FetchTask& task, const config::StationConfig& station,
                          const net::HttpResponse& response, Timestamp now) const override;

  int64_t days() const;  // inclusive length of the range; 0 when from > to

 private:
  OpenMeteoConfig config_;
  Date from_;
  Date to_;
};

std::unique_ptr<http::Provider> make_openmeteo_archive_provider(const OpenMeteoConfig& config,
                                                                Date from, Date to);

}  // namespace envmon::sources::openmeteo
