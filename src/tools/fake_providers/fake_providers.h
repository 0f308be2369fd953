#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "tools/fake_providers/fake_types.h"

namespace envmon::fake_providers {

// A local stand-in for OpenWeatherMap, WAQI and Open-Meteo on one port: replays the recorded
// bodies under options.samples_dir and injects faults per provider. Usable in-process from
// tests and as `envmon fake-providers`. Also serves control endpoints for scripts:
//   POST /_fake/faults?provider=P   body = JSON Faults fields (P may be "*")
//   POST /_fake/reset               clears the stats (faults stay as set)
//   GET  /_fake/faults?provider=P   current faults as JSON
//   GET  /_fake/stats[?stations=0]  Stats as JSON
class FakeProviders {
 public:
  // `initial` applies to every provider until set_faults changes it.
  explicit FakeProviders(FakeOptions options, Faults initial = {});
  ~FakeProviders();
  FakeProviders(const FakeProviders&) = delete;
  FakeProviders& operator=(const FakeProviders&) = delete;

  // Loads the samples and starts listening; errors when the samples dir has none of the three
  // provider folders or the port cannot be bound.
  Status start();
  int port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT"
  void stop();

  // provider: "openweathermap" | "waqi" | "openmeteo" | "*".
  Status set_faults(std::string_view provider, const Faults& faults);
  Faults faults(std::string_view provider) const;
  Stats stats() const;
  void reset_stats();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace envmon::fake_providers
