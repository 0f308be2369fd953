// `envmon backfill --source openmeteo --from DATE --to DATE`: history from Open-Meteo's archive
// API, in chunks, through the same pipeline (processor, store, raw lake) as live data.
#include <algorithm>
#include <iostream>
#include <set>

#include <signal.h>

#include "app/backfill_checkpoint.h"
#include "app/cli.h"
#include "app/cmd_common.h"
#include "app/commands.h"
#include "app/components.h"
#include "app/runtime.h"
#include "app/source_runner.h"
#include "model/codec.h"
#include "sources/http/poll_engine.h"
#include "sources/openmeteo/openmeteo_archive.h"
#include "sources/openmeteo/openmeteo_config.h"

namespace envmon::app {
namespace {

namespace om = sources::openmeteo;

struct BackfillPlan {
  config::AppConfig app;
  config::SourceSection section;
  om::OpenMeteoConfig provider;
  sources::http::PollerConfig poller;
  std::vector<config::StationConfig> stations;
  om::Date from{};
  om::Date to{};
};

struct ChunkResult {
  std::vector<Reading> readings;
  std::vector<DeadLetter> dead_letters;
  std::vector<std::string> failures;  // "station endpoint: outcome" for tasks that gave up
  bool interrupted = false;
};

bool signalled() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  timespec zero{0, 0};
  return sigtimedwait(&set, nullptr, &zero) > 0;
}

// The source section named (or typed) `wanted`; an openmeteo source on defaults when the config
// has none, so `envmon backfill --source openmeteo` works on the embedded configuration.
Result<config::SourceSection> find_section(const config::AppConfig& app,
                                           const std::string& wanted) {
  for (const auto& s : app.sources) {
    if (s.name == wanted) return s;
  }
  for (const auto& s : app.sources) {
    if (s.type == wanted) return s;
  }
  if (wanted != "openmeteo") {
    return Error(Errc::invalid_argument, "no source named '" + wanted +
                                             "' in the config, and backfill "
                                             "needs an openmeteo source (the archive API)");
  }
  config::SourceSection s;
  s.name = "openmeteo";
  s.type = "openmeteo";
  s.settings =
      config::Node(YAML::Node(YAML::NodeType::Map), "<backfill defaults>", "sources[].openmeteo");
  return s;
}

Result<om::Date> parse_date_flag(const Args& args, const std::string& flag) {
  auto text = args.get(flag);
  if (!text) return Error(Errc::invalid_argument, "backfill needs --" + flag + " YYYY-MM-DD");
  auto d = om::parse_iso_date(*text);
  if (!d)
    return Error(Errc::invalid_argument,
                 "--" + flag + " '" + *text + "' is not a date (YYYY-MM-DD)");
  return *d;
}

Result<BackfillPlan> make_plan(const Args& args) {
  BackfillPlan plan;
  auto app = load_app_config(args, false);
  if (!app.ok()) return app.error();
  plan.app = std::move(*app);
  auto section = find_section(plan.app, args.get("source").value_or("openmeteo"));
  if (!section.ok()) return section.error();
  plan.section = std::move(*section);
  if (plan.section.type != "openmeteo") {
    return Error(Errc::invalid_argument, "source '" + plan.section.name + "' has type '" +
                                             plan.section.type +
                                             "'; backfill uses Open-Meteo's archive API");
  }
  auto block = om::parse_openmeteo_block(plan.section.settings);
  if (!block.ok()) return block.error();
  plan.provider = std::move(block->config);
  plan.poller = block->poller;
  // History is old by definition: the live sources' staleness rule does not apply.
  plan.poller.stale_after_secs = int64_t{200} * 366 * 86400;
  for (const auto& st : plan.app.stations) {
    const auto& want = plan.section.stations;
    if (want.empty() || std::find(want.begin(), want.end(), st.id) != want.end())
      plan.stations.push_back(st);
  }
  if (std::none_of(plan.app.sources.begin(), plan.app.sources.end(),
                   [&](const auto& s) { return s.name == plan.section.name; })) {
    plan.app.sources.push_back(plan.section);
  }
  return plan;
}

Result<om::Date> resolve_range(const Args& args, BackfillPlan& plan) {
  auto from = parse_date_flag(args, "from");
  if (!from.ok()) return from.error();
  auto to = parse_date_flag(args, "to");
  if (!to.ok()) return to.error();
  if (*from > *to) return Error(Errc::invalid_argument, "--from is after --to");
  const auto clamp = om::clamp_archive_end(*to, om::utc_date(SystemClock().now()));
  if (!clamp.warning.empty()) std::cerr << "warning: " << clamp.warning << "\n";
  plan.from = *from;
  plan.to = clamp.to;
  return plan.to;
}

ChunkResult fetch_chunk(const BackfillPlan& plan, om::Date a, om::Date b, Runtime& runtime) {
  ChunkResult out;
  ComponentContext ctx("source", "openmeteo", plan.section.name, runtime.metrics(),
                       runtime.clock());
  sources::http::PollEngine engine(om::make_openmeteo_archive_provider(plan.provider, a, b),
                                   plan.poller, plan.section.poll_interval_secs, plan.stations,
                                   std::move(ctx), sources::http::PollMode::once);
  while (!engine.done()) {
    if (signalled()) {
      engine.abort();
      out.interrupted = true;
      return out;
    }
    auto batch = engine.step(Millis(100));
    for (auto& r : batch.readings)
      out.readings.push_back(std::move(r));
    for (auto& d : batch.dead_letters)
      out.dead_letters.push_back(std::move(d));
  }
  for (const auto& t : engine.status()) {
    if (t.last_outcome != "ok")
      out.failures.push_back(t.station + " " + t.endpoint + ": " + t.last_outcome);
  }
  return out;
}

// Oldest first across stations, so partition watermarks only move forward.
Status publish(ChunkResult& chunk, bus::Producer& producer) {
  std::stable_sort(
      chunk.readings.begin(), chunk.readings.end(),
      [](const Reading& x, const Reading& y) { return x.observed_at < y.observed_at; });
  sources::SourceBatch batch{std::move(chunk.readings), std::move(chunk.dead_letters)};
  PublishCounts counts;
  ENVMON_TRY(publish_batch(
      batch, producer, [](const Reading&) { return false; }, signalled, nullptr, counts));
  chunk.readings = std::move(batch.readings);
  chunk.dead_letters = std::move(batch.dead_letters);
  return producer.flush(Millis(60000));
}

struct Totals {
  int64_t chunks_loaded = 0, chunks_skipped = 0, readings = 0, dead_letters = 0, failed_chunks = 0;
};

void print_totals(const Totals& t, const BackfillPlan& plan) {
  std::cout << "{\"source\":\"" << plan.section.name << "\",\"from\":\""
            << om::format_iso_date(plan.from) << "\",\"to\":\"" << om::format_iso_date(plan.to)
            << "\",\"stations\":" << plan.stations.size()
            << ",\"chunks_loaded\":" << t.chunks_loaded
            << ",\"chunks_already_loaded\":" << t.chunks_skipped
            << ",\"chunks_failed\":" << t.failed_chunks << ",\"readings\":" << t.readings
            << ",\"dead_letters\":" << t.dead_letters << "}\n";
}

// One chunk: fetch, publish, wait until the pipeline has stored it, then record it as done.
Status run_chunk(const BackfillPlan& plan, om::Date a, om::Date b, Runtime& runtime,
                 bus::Producer& producer, BackfillCheckpoint& checkpoint, Totals& totals) {
  const std::string range = om::format_iso_date(a) + ".." + om::format_iso_date(b);
  auto chunk = fetch_chunk(plan, a, b, runtime);
  if (chunk.interrupted)
    return Error(Errc::internal, "interrupted during " + range + "; rerun to resume");
  const size_t fetched = chunk.readings.size();
  ENVMON_TRY(publish(chunk, producer));
  log_line(LogLevel::info, "app:backfill:" + plan.section.name, "Chunk fetched",
           {{"range", range}, {"readings", fetched}, {"dead_letters", chunk.dead_letters.size()}});
  if (!runtime.wait_drained(std::chrono::minutes(10))) {
    return Error(Errc::internal, "pipeline did not drain chunk " + range + " within 10 minutes");
  }
  totals.readings += static_cast<int64_t>(chunk.readings.size());
  totals.dead_letters += static_cast<int64_t>(chunk.dead_letters.size());
  if (!chunk.failures.empty()) {
    // Not recorded as done: a rerun fetches it again (idempotent downstream).
    ++totals.failed_chunks;
    std::cerr << "warning: chunk " << range << " incomplete: " << chunk.failures.front() << " ("
              << chunk.failures.size() << " station(s)); rerun to retry\n";
    return ok_status();
  }
  ++totals.chunks_loaded;
  log_line(LogLevel::info, "app:backfill:" + plan.section.name, "Chunk stored", {{"range", range}});
  return checkpoint.mark_done(a, b);
}

}  // namespace

int cmd_backfill(const std::vector<std::string>& words) {
  auto args = parse_args(words, {"config", "source", "from", "to", "data-dir", "log-level"}, {});
  if (!args.ok()) return fail(args.error(), 2);
  auto plan = make_plan(*args);
  if (!plan.ok()) return fail(plan.error(), 2);
  if (auto r = resolve_range(*args, *plan); !r.ok()) return fail(r.error(), 2);
  const std::string level = args->get("log-level").value_or("warn");
  set_log_level(level == "debug"  ? LogLevel::debug
                : level == "info" ? LogLevel::info
                                  : LogLevel::warn);

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  RuntimeOptions options;
  options.data_dir = args->get("data-dir").value_or("");
  options.clock = ClockMode::wall;
  options.roles = Roles::of({Role::processor, Role::sinks});
  Runtime runtime(plan->app, options);
  if (Status s = runtime.start(); !s.ok()) return fail(s.error(), 1);
  BackfillCheckpoint checkpoint(runtime.data_dir(), plan->section.name, plan->stations);
  if (Status s = checkpoint.load(); !s.ok()) return fail(s.error(), 1);
  auto producer = runtime.bus().producer();
  if (!producer.ok()) return fail(producer.error(), 1);

  Totals totals;
  Status status = ok_status();
  for (const auto& [a, b] :
       om::archive_chunks(plan->from, plan->to, plan->provider.archive_chunk_days)) {
    if (checkpoint.done(a, b)) {
      ++totals.chunks_skipped;
      continue;
    }
    status = run_chunk(*plan, a, b, runtime, **producer, checkpoint, totals);
    if (!status.ok()) break;
  }
  runtime.stop();
  print_totals(totals, *plan);
  if (!status.ok()) return fail(status.error(), 1);
  return totals.failed_chunks > 0 ? 1 : 0;
}

}  // namespace envmon::app
