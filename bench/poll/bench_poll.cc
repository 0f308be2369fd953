// bench/run poll: one polling cycle over N stations (default 10,000) of the real OpenWeatherMap
// client on the real engine (libcurl multi, one thread), against the fake providers running in
// a child process, so the figures are this process's alone: wall time, CPU and peak RSS.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sources/http/poll_engine.h"
#include "sources/openweathermap/openweathermap_provider.h"
#include "tools/fake_providers/fake_providers.h"

namespace envmon {
namespace {

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

void print(const char* name, double value, const char* unit) {
  std::printf("{\"name\":\"%s\",\"value\":%.6g,\"unit\":\"%s\"}\n", name, value, unit);
}

// The fake serves from a child process; returns its pid once it listens on `port`.
pid_t start_fake(int port, const std::string& samples) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  fake_providers::FakeOptions opt;
  opt.samples_dir = samples;
  opt.port = port;
  opt.time_mode = fake_providers::TimeMode::now;
  opt.threads = 32;
  fake_providers::FakeProviders fake(opt);
  if (!fake.start().ok()) _exit(1);
  for (;;)
    pause();
}

std::vector<config::StationConfig> grid(size_t n) {
  std::vector<config::StationConfig> out;
  for (size_t i = 0; i < n; ++i) {
    config::StationConfig s;
    s.id = "st" + std::to_string(i);
    s.name = s.id;
    s.lat = -60.0 + static_cast<double>(i % 1200) * 0.1;
    s.lon = -170.0 + static_cast<double>(i / 1200) * 0.1;
    s.timezone = "UTC";
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace
}  // namespace envmon

int main(int argc, char** argv) {
  using envmon::Millis;
  namespace sources = envmon::sources;
  const size_t stations = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 10000;
  const int port = 18000 + static_cast<int>(getpid() % 2000);
  const std::string samples = ENVMON_SOURCE_DIR "/src/tools/fake_providers/testdata";
  const pid_t fake = envmon::start_fake(port, samples);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  sources::owm::OpenWeatherMapConfig cfg;
  cfg.base_url = "http://127.0.0.1:" + std::to_string(port);
  cfg.endpoint_kinds = {sources::owm::Endpoint::weather};
  sources::http::PollerConfig poller;  // no quotas: one cycle as fast as the engine goes
  poller.max_in_flight = 256;
  poller.max_host_connections = 32;
  poller.timeout_ms = 30000;
  envmon::MetricsRegistry registry;
  envmon::SystemClock clock;
  sources::http::PollEngine engine(
      std::make_unique<sources::owm::OpenWeatherMapProvider>(cfg, "bench-key", "owm"), poller, 1,
      envmon::grid(stations),
      envmon::ComponentContext("source", "openweathermap", "owm", registry, clock),
      sources::http::PollMode::once);

  const double cpu0 = envmon::cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  size_t readings = 0, dead_letters = 0;
  while (!engine.done()) {
    auto batch = engine.step(Millis(50));
    readings += batch.readings.size();
    dead_letters += batch.dead_letters.size();
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = envmon::cpu_seconds() - cpu0;
  kill(fake, SIGKILL);
  waitpid(fake, nullptr, 0);

  envmon::print("poll_stations", static_cast<double>(stations), "stations");
  envmon::print("poll_readings", static_cast<double>(readings), "readings");
  envmon::print("poll_dead_letters", static_cast<double>(dead_letters), "messages");
  envmon::print("poll_cycle_seconds", wall, "s");
  envmon::print("poll_stations_per_sec", static_cast<double>(stations) / wall, "stations/s");
  envmon::print("poll_cpu_sec_per_1000_requests", cpu / static_cast<double>(stations) * 1000.0,
                "s");
  envmon::print("poll_peak_rss_mb", envmon::peak_rss_mb(), "MB");
  return readings == stations ? 0 : 1;
}
