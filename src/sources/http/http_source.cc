#include "sources/http/http_source.h"

#include "sources/http/poll_engine.h"

namespace envmon::sources::http {

namespace {

constexpr Millis kPollWait{50};

class HttpSource final : public Source {
 public:
  HttpSource(std::unique_ptr<Provider> provider, PollerConfig config, int64_t poll_interval_secs,
             std::vector<config::StationConfig> stations, ComponentContext ctx)
      : clock_(ctx.clock),
        provider_(std::move(provider)),
        config_(config),
        poll_interval_secs_(poll_interval_secs),
        stations_(std::move(stations)),
        ctx_(std::move(ctx)) {}

  // Live data cannot be re-fetched, so the resume point is not used. The engine (and libcurl)
  // is created here, not in the factory: construction must do no I/O.
  Status start(const ResumePoint&) override {
    if (engine_) return ok_status();
    engine_ = std::make_unique<PollEngine>(std::move(provider_), config_, poll_interval_secs_,
                                           std::move(stations_), ctx_, PollMode::continuous);
    return ok_status();
  }
  Result<SourceBatch> poll() override {
    if (!engine_) return SourceBatch{};
    return engine_->step(kPollWait);
  }
  Timestamp next_poll_at() const override {
    if (!engine_) return clock_->now();
    return engine_->in_flight() > 0 ? clock_->now() : engine_->next_due();
  }
  void stop() override {
    if (engine_) engine_->abort();
  }

 private:
  const Clock* clock_;
  std::unique_ptr<Provider> provider_;
  PollerConfig config_;
  int64_t poll_interval_secs_;
  std::vector<config::StationConfig> stations_;
  ComponentContext ctx_;
  std::unique_ptr<PollEngine> engine_;
};

}  // namespace

Result<std::unique_ptr<Source>> make_http_source(std::unique_ptr<Provider> provider,
                                                 PollerConfig config, int64_t poll_interval_secs,
                                                 std::vector<config::StationConfig> stations,
                                                 ComponentContext ctx) {
  if (!provider) return Error(Errc::invalid_argument, "http source: no provider");
  if (stations.empty()) return Error(Errc::config_bad_value, "http source: no stations to poll");
  std::unique_ptr<Source> s = std::make_unique<HttpSource>(
      std::move(provider), config, poll_interval_secs, std::move(stations), std::move(ctx));
  return s;
}

}  // namespace envmon::sources::http
