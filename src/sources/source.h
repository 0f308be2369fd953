#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/app_config.h"
#include "core/component.h"
#include "core/result.h"
#include "model/reading.h"

namespace envmon::sources {

// What one poll produced: readings for the raw topic, and payloads rejected at the edge with
// their reason (they go to the dead-letter topic; a bad payload never stops the source).
struct SourceBatch {
  std::vector<Reading> readings;
  std::vector<DeadLetter> dead_letters;
};

// Where to resume after a restart: for each station, the latest ingest time of a reading of
// this source that the store holds (read from the store at start-up). Empty on a fresh data dir.
using ResumePoint = std::map<std::string, Timestamp>;

// A source: start(), then poll() whenever next_poll_at() has passed, then stop().
// poll() never blocks for long: network sources keep requests in flight between polls.
class Source {
 public:
  virtual ~Source() = default;
  virtual Status start(const ResumePoint& resume) = 0;
  virtual Result<SourceBatch> poll() = 0;
  // Clock time at which poll() has something to do next.
  virtual Timestamp next_poll_at() const = 0;
  virtual void stop() = 0;
};

// Built from the common section (name, interval, stations) plus the type block, which the
// factory parses with its own schema. Construction does no I/O: `config check` builds
// every component to validate it and then throws them away.
struct SourceSpec {
  const config::SourceSection* section;
  std::vector<config::StationConfig> stations;  // already filtered by section->stations
};
using SourceFactoryFn =
    Result<std::unique_ptr<Source>> (*)(const SourceSpec& spec, ComponentContext ctx);

}  // namespace envmon::sources
