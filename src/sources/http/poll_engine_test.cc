// The engine end to end against a loopback server and a tiny provider defined here. Time is a
// ManualClock: the network is real, schedules and pauses are simulated.
#include "sources/http/poll_engine.h"

#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "net/url.h"
#include "sources/http/http_source.h"

namespace envmon::sources::http {
namespace {

constexpr const char* kSecret = "SECRETKEY123";
const Timestamp kStart = from_unix_ms(1'780'000'000'000);

// Each station answers in a mode the test sets: ok, fail (500), limited_once (429 then ok),
// garbage (unparseable), badunit (a reading in an unknown unit).
class FakeServer {
 public:
  FakeServer() {
    server_.set_tcp_nodelay(true);
    server_.Get("/obs",
                [this](const httplib::Request& req, httplib::Response& res) { answer(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running())
      std::this_thread::sleep_for(Millis(1));
  }
  ~FakeServer() {
    server_.stop();
    thread_.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void set_mode(const std::string& station, const std::string& mode) {
    std::lock_guard lock(mutex_);
    modes_[station] = mode;
  }
  int hits(const std::string& station) {
    std::lock_guard lock(mutex_);
    return hits_[station];
  }

 private:
  void answer(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex_);
    const std::string station = req.get_param_value("station");
    ++hits_[station];
    std::string& mode = modes_[station];
    if (mode == "fail") {
      res.status = 500;
    } else if (mode == "limited_once") {
      res.status = 429;
      res.set_header("Retry-After", "30");
      mode = "ok";
    } else if (mode == "limited_zero") {  // a 429 that says "retry at once"
      res.status = 429;
      res.set_header("Retry-After", "0");
    } else if (mode == "garbage") {
      res.set_content("<html>proxy error</html>", "text/html");
    } else if (mode == "badunit") {
      res.set_content("21.5 parsecs", "text/plain");
    } else {
      res.set_content("21.5 degC", "text/plain");
    }
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::map<std::string, std::string> modes_;
  std::map<std::string, int> hits_;
};

class FakeProvider final : public Provider {
 public:
  explicit FakeProvider(std::string base) : base_(std::move(base)) {}
  std::string_view name() const override { return "fakeprov"; }
  std::vector<FetchTask> tasks(const std::vector<config::StationConfig>& stations) const override {
    std::vector<FetchTask> out;
    for (size_t i = 0; i < stations.size(); ++i)
      out.push_back(FetchTask{i, "obs", Seconds(600), 1.0, ""});
    return out;
  }
  net::HttpRequest build(const FetchTask&, const config::StationConfig& station) const override {
    net::HttpRequest r;
    r.url = base_ + "/obs?station=" + net::url_encode(station.id) + "&appid=" + kSecret;
    r.redacted_url = net::redact_query(r.url, {"appid"});
    return r;
  }
  ParseResult parse(const FetchTask&, const config::StationConfig& station,
                    const net::HttpResponse& response, Timestamp now) const override {
    ParseResult p;
    if (response.status == 429) return ParseResult{Outcome::rate_limited, {}, {}, 0, "429", {}};
    if (response.status >= 500) return ParseResult{Outcome::transient, {}, {}, 0, "5xx", {}};
    std::istringstream in(response.body);
    double value = 0;
    std::string unit;
    if (!(in >> value >> unit)) {
      p.outcome = Outcome::bad_payload;
      p.rejects.push_back(Reject{"source_payload", "body: expected '<value> <unit>'"});
      return p;
    }
    Reading r;
    r.station = StationRef{StationId(station.id), station.name, station.lat, station.lon};
    r.observed_at = now - Seconds(60);
    r.measurements.push_back(Measurement{Metric::temperature, value, std::nan(""), unit, 0});
    p.readings.push_back(std::move(r));
    return p;
  }

 private:
  std::string base_;
};

std::vector<config::StationConfig> stations(std::initializer_list<const char*> ids) {
  std::vector<config::StationConfig> out;
  for (const char* id : ids)
    out.push_back(config::StationConfig{id, id, 10, 20, "UTC", "test"});
  return out;
}

struct Harness {
  FakeServer server;
  ManualClock clock{kStart};
  MetricsRegistry registry;
  std::unique_ptr<PollEngine> engine;
  SourceBatch all;

  void make(std::vector<config::StationConfig> st, PollMode mode, PollerConfig c = {}) {
    ComponentContext ctx("source", "fake", "fake1", registry, clock);
    engine = std::make_unique<PollEngine>(std::make_unique<FakeProvider>(server.base()), c, 300,
                                          std::move(st), ctx, mode);
  }
  // Steps until `until` holds; when idle, jumps the clock to the next due time (capped).
  template <typename Pred>
  void run(Pred until, Timestamp horizon = Timestamp::max()) {
    for (int i = 0; i < 2000 && !until(); ++i) {
      SourceBatch b = engine->step(Millis(20));
      for (auto& r : b.readings)
        all.readings.push_back(std::move(r));
      for (auto& d : b.dead_letters)
        all.dead_letters.push_back(std::move(d));
      if (engine->in_flight() == 0 && engine->next_due() > clock.now()) {
        if (engine->next_due() > horizon) return;
        clock.set(engine->next_due());
      }
    }
  }
};

TEST(PollEngine, OnceModeFetchesEveryTaskAndCompletes) {
  Harness h;
  h.make(stations({"a", "b", "c"}), PollMode::once);
  h.run([&] { return h.engine->done(); });
  ASSERT_TRUE(h.engine->done());
  EXPECT_EQ(h.all.readings.size(), 3U);
  EXPECT_TRUE(h.all.dead_letters.empty());
  for (const auto& r : h.all.readings)
    EXPECT_EQ(r.source.get(), "fake1");
  for (const auto& s : h.engine->status())
    EXPECT_TRUE(s.finished);
}

TEST(PollEngine, BadPayloadsAreDeadLetteredWithoutTheKey) {
  const std::string log_path = std::string(ENVMON_BINARY_DIR) + "/poll_engine_test.log";
  set_log_file(log_path);
  Harness h;
  h.server.set_mode("bad", "garbage");
  h.server.set_mode("unit", "badunit");
  h.make(stations({"ok", "bad", "unit"}), PollMode::once);
  h.run([&] { return h.engine->done(); });
  set_log_file("");
  ASSERT_TRUE(h.engine->done());
  EXPECT_EQ(h.all.readings.size(), 1U);
  ASSERT_EQ(h.all.dead_letters.size(), 2U);
  for (const auto& d : h.all.dead_letters) {
    EXPECT_EQ(d.stage, "source");
    EXPECT_EQ(d.topic, "source:fake1");
    EXPECT_NE(d.reason.find("fakeprov http://127.0.0.1:"), std::string::npos) << d.reason;
    EXPECT_NE(d.reason.find("appid=REDACTED"), std::string::npos) << d.reason;
    EXPECT_EQ(d.reason.find(kSecret), std::string::npos);
    EXPECT_EQ(d.payload.find(kSecret), std::string::npos);
    EXPECT_FALSE(d.payload.empty());
  }
  std::ifstream in(log_path);
  std::stringstream logs;
  logs << in.rdbuf();
  EXPECT_EQ(logs.str().find(kSecret), std::string::npos);
  EXPECT_EQ(h.registry.serialize_text().find(kSecret), std::string::npos);
  std::remove(log_path.c_str());
}

TEST(PollEngine, HonoursRetryAfterForTheWholeProvider) {
  Harness h;
  h.server.set_mode("a", "limited_once");
  h.make(stations({"a"}), PollMode::continuous);
  h.run([&] { return h.server.hits("a") == 1 && h.engine->in_flight() == 0; }, kStart);
  EXPECT_EQ(h.server.hits("a"), 1);
  EXPECT_GE(h.engine->next_due(), kStart + Seconds(30));
  h.clock.set(kStart + Seconds(29));
  for (int i = 0; i < 5; ++i)
    (void)h.engine->step(Millis(5));
  EXPECT_EQ(h.server.hits("a"), 1);  // still paused
  h.run([&] { return !h.all.readings.empty(); });
  EXPECT_EQ(h.server.hits("a"), 2);
  EXPECT_GE(h.clock.now(), kStart + Seconds(30));
  EXPECT_NE(h.registry.serialize_text().find(
                "envmon_source_http_retry_after_pauses_total{source=\"fake1\"} 1"),
            std::string::npos);
}

TEST(PollEngine, RetryAfterZeroStillWaitsTheFirstBackoffStep) {
  Harness h;
  h.server.set_mode("a", "limited_zero");
  PollerConfig c;
  c.backoff_initial_ms = 2000;
  h.make(stations({"a"}), PollMode::continuous, c);
  h.run([&] { return h.server.hits("a") == 1 && h.engine->in_flight() == 0; }, kStart);
  ASSERT_EQ(h.server.hits("a"), 1);
  EXPECT_GE(h.engine->next_due(), kStart + Millis(2000));  // no hot loop into the same 429
}

TEST(PollEngine, CircuitOpensOnFailuresAndClosesAfterAProbe) {
  Harness h;
  h.server.set_mode("a", "fail");
  PollerConfig c;
  c.circuit_failure_threshold = 3;
  c.circuit_open_secs = 60;
  c.max_retries = 10;
  c.backoff_initial_ms = 100;
  h.make(stations({"a"}), PollMode::continuous, c);
  h.run([&] { return h.engine->circuit_state() == CircuitState::open; });
  ASSERT_EQ(h.engine->circuit_state(), CircuitState::open);
  const Timestamp opened = h.clock.now();
  EXPECT_EQ(h.server.hits("a"), 3);
  h.server.set_mode("a", "ok");
  h.run([&] { return !h.all.readings.empty(); });
  EXPECT_EQ(h.engine->circuit_state(), CircuitState::closed);
  EXPECT_GE(h.clock.now(), opened + Seconds(60));  // nothing was sent while open
  EXPECT_EQ(h.server.hits("a"), 4);
  const std::string text = h.registry.serialize_text();
  EXPECT_NE(
      text.find("envmon_source_http_circuit_transitions_total{source=\"fake1\",to=\"open\"} 1"),
      std::string::npos);
  EXPECT_NE(text.find("to=\"half_open\""), std::string::npos);
  EXPECT_NE(text.find("envmon_source_http_circuit_state{source=\"fake1\"} 0"), std::string::npos);
}

TEST(PollEngine, ContinuousModeRespectsThePlannedInterval) {
  Harness h;
  PollerConfig c;
  c.jitter_fraction = 0;
  h.make(stations({"a"}), PollMode::continuous, c);
  h.run([&] { return h.all.readings.size() == 3; });
  EXPECT_EQ(h.all.readings.size(), 3U);
  // Fetched at once, then every refresh_floor_secs (600 s) without jitter.
  for (size_t i = 0; i < h.all.readings.size(); ++i) {
    EXPECT_EQ(h.all.readings[i].ingested_at, kStart + Seconds(600) * static_cast<int64_t>(i));
  }
}

}  // namespace
}  // namespace envmon::sources::http

namespace envmon::sources::http {
namespace {

TEST(HttpSource, PollsThroughTheSourceInterface) {
  FakeServer server;
  ManualClock clock(kStart);
  MetricsRegistry registry;
  ComponentContext ctx("source", "fake", "fake1", registry, clock);
  auto source = make_http_source(std::make_unique<FakeProvider>(server.base()), PollerConfig{}, 300,
                                 stations({"a"}), ctx);
  ASSERT_TRUE(source.ok());
  ASSERT_TRUE((*source)->start({}).ok());
  size_t readings = 0;
  for (int i = 0; i < 500 && readings == 0; ++i) {
    auto batch = (*source)->poll();
    ASSERT_TRUE(batch.ok());
    readings += batch->readings.size();
  }
  EXPECT_EQ(readings, 1U);
  EXPECT_GT((*source)->next_poll_at(), clock.now());  // idle until the next slot
  (*source)->stop();
  EXPECT_FALSE(make_http_source(nullptr, PollerConfig{}, 300, stations({"a"}), ctx).ok());
}

}  // namespace
}  // namespace envmon::sources::http
