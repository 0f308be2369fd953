// `envmon replay --from-time T [--to-time T]`: raw history, from the raw topic or the raw lake,
// through a fresh stream processor. The processor never reads the wall clock and the input is
// read in a fixed order (partition by partition; lake parts by source, hour and part), so the
// same raw input always gives byte-identical output.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/cli.h"
#include "app/cmd_common.h"
#include "app/commands.h"
#include "app/components.h"
#include "app/runtime.h"
#include "lake/file/file_object_store.h"
#include "lake/raw_lake_config.h"
#include "lake/raw_lake_reader.h"
#include "model/codec.h"
#include "processor/pipeline.h"

namespace envmon::app {
namespace {

enum class Input { topic, lake };

struct ReplayPlan {
  Timestamp from{};
  Timestamp to = Timestamp::max();
  Input input = Input::topic;
  std::string output_dir;  // empty: to the bus (and the store)
};

Result<Timestamp> parse_time_flag(const Args& args, const std::string& flag) {
  const std::string text = *args.get(flag);
  auto t = text.size() == 10 ? parse_date(text) : parse_rfc3339(text);
  if (!t.ok()) {
    return Error(Errc::invalid_argument, "--" + flag + " '" + text +
                                             "': expected YYYY-MM-DD or an RFC 3339 time (" +
                                             t.error().message() + ")");
  }
  return *t;
}

Result<ReplayPlan> make_plan(const Args& args, const config::AppConfig& app) {
  if (!args.has("from-time"))
    return Error(Errc::invalid_argument, "replay needs --from-time T (YYYY-MM-DD or RFC 3339)");
  ReplayPlan plan;
  auto from = parse_time_flag(args, "from-time");
  if (!from.ok()) return from.error();
  plan.from = *from;
  if (args.has("to-time")) {
    auto to = parse_time_flag(args, "to-time");
    if (!to.ok()) return to.error();
    plan.to = *to;
  }
  if (plan.to <= plan.from)
    return Error(Errc::invalid_argument, "--to-time is not after --from-time");
  // The memory bus keeps nothing once consumed, so the lake is its only history.
  plan.input = app.bus.type == "kafka" ? Input::topic : Input::lake;
  if (auto input = args.get("from")) {
    if (*input != "topic" && *input != "lake")
      return Error(Errc::invalid_argument, "--from '" + *input + "' (valid: topic, lake)");
    plan.input = *input == "topic" ? Input::topic : Input::lake;
  }
  plan.output_dir = args.get("output-dir").value_or("");
  return plan;
}

// Where the outputs go: JSON lines per topic in a directory, or the bus.
class OutputSink {
 public:
  virtual ~OutputSink() = default;
  virtual Status write(const bus::Message& m) = 0;
  virtual Status finish() = 0;
};

class FileOutput final : public OutputSink {
 public:
  static Result<std::unique_ptr<FileOutput>> open(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Error(Errc::io, "cannot create " + dir + ": " + ec.message());
    auto out = std::make_unique<FileOutput>();
    for (auto t : {bus::Topic::curated, bus::Topic::aggregates, bus::Topic::dead_letter}) {
      const std::string path = dir + "/" + std::string(bus::topic_name(t)) + ".jsonl";
      auto& f = out->files_[static_cast<size_t>(t)];
      f.open(path, std::ios::binary | std::ios::trunc);
      if (!f) return Error(Errc::io, "cannot write " + path);
    }
    return out;
  }
  Status write(const bus::Message& m) override {
    auto& f = files_[static_cast<size_t>(m.topic)];
    f << m.payload << '\n';
    return f ? ok_status() : Error(Errc::io, "write failed (disk full?)");
  }
  Status finish() override {
    for (auto& f : files_) {
      if (f.is_open()) f.close();
      if (f.fail()) return Error(Errc::io, "closing an output file failed");
    }
    return ok_status();
  }

 private:
  std::array<std::ofstream, bus::kTopicCount> files_;
};

class BusOutput final : public OutputSink {
 public:
  explicit BusOutput(std::unique_ptr<bus::Producer> p) : producer_(std::move(p)) {}
  Status write(const bus::Message& m) override {
    // Stamped now: history keeps its old append times, which the topics' retention would
    // delete at once. Dead letters keep theirs (the store identifies them by it).
    bus::Message stamped = m;
    if (m.topic != bus::Topic::dead_letter) stamped.timestamp = Timestamp{};
    for (;;) {  // back-pressure: wait for room, never drop
      Status s = producer_->send(stamped, Millis(1000));
      if (s.ok() || !s.error().retryable()) return s;
    }
  }
  Status finish() override { return producer_->flush(Millis(60000)); }

 private:
  std::unique_ptr<bus::Producer> producer_;
};

struct Counts {
  int64_t read = 0, in_range = 0, written = 0;
};

// Runs one raw message through the pipeline and writes what it produced.
class Replayer {
 public:
  Replayer(processor::Pipeline& pipeline, OutputSink& sink) : pipeline_(pipeline), sink_(sink) {}
  Status feed(const bus::Message& raw) {
    pipeline_.process(raw, out_);
    return drain();
  }
  Status finish() {
    pipeline_.flush_open(out_);
    ENVMON_TRY(drain());
    return sink_.finish();
  }
  Counts counts;

 private:
  Status drain() {
    for (auto* list : {&out_.curated, &out_.aggregates, &out_.dead_letters}) {
      for (const auto& m : *list)
        ENVMON_TRY(sink_.write(m));
      counts.written += static_cast<int64_t>(list->size());
    }
    out_.clear();
    return ok_status();
  }
  processor::Pipeline& pipeline_;
  OutputSink& sink_;
  processor::Output out_;
};

bool in_range(const ReplayPlan& plan, Timestamp t) {
  return t >= plan.from && t < plan.to;
}

// The raw topic, one partition after the other, by append time.
Status replay_topic(bus::Bus& bus, const ReplayPlan& plan, Replayer& r) {
  for (int32_t p = 0; p < bus.partitions(bus::Topic::raw); ++p) {
    auto reader = bus.history(bus::Topic::raw, p, plan.from);
    if (!reader.ok()) return reader.error();
    for (;;) {
      auto batch = (*reader)->read(4096);
      if (!batch.ok()) return batch.error();
      if (batch->empty()) break;
      for (auto& m : *batch) {
        ++r.counts.read;
        if (!in_range(plan, m.timestamp)) continue;
        ++r.counts.in_range;
        m.replay = false;  // reprocessing: every output is emitted again
        ENVMON_TRY(r.feed(m));
      }
    }
  }
  return ok_status();
}

// The raw lake, by ingest time; each message gets the partition its station has on the bus.
Status replay_lake(const config::AppConfig& app, int32_t partitions, const ReplayPlan& plan,
                   Replayer& r) {
  auto lcfg = lake::parse_raw_lake_config(app.lake.settings);
  if (!lcfg.ok()) return lcfg.error();
  std::filesystem::path root(lcfg->root);
  if (root.is_relative()) root = std::filesystem::path(app.data_dir) / root;
  auto store = lake::make_file_object_store(root.string());
  Reading reading;
  auto scanned =
      lake::scan_raw_lake(*store, plan.from, plan.to, {}, [&](const lake::RawRecord& rec) {
        ++r.counts.read;
        bus::Message m;
        m.topic = bus::Topic::raw;
        m.payload = rec.payload;
        // Undecodable lines still go through the pipeline, which dead-letters them with the reason.
        if (decode_reading_into(m.payload, reading).ok()) {
          if (!in_range(plan, reading.ingested_at)) return ok_status();
          m.key = reading.station.id.get();
          m.timestamp = reading.ingested_at;
        }
        m.partition = bus::partition_for(m.key, partitions);
        ++r.counts.in_range;
        return r.feed(m);
      });
  return scanned.ok() ? ok_status() : Status(scanned.error());
}

Status run_replay(const ReplayPlan& plan, config::AppConfig app) {
  auto pcfg = processor::parse_processor_config(app.processor);
  if (!pcfg.ok()) return pcfg.error();
  // Sinks run here only for the memory bus: on Kafka the running `envmon process` members store
  // what replay produces.
  const bool own_sinks = plan.output_dir.empty() && app.bus.type == "memory";
  RuntimeOptions options;
  options.clock = ClockMode::wall;
  options.roles = own_sinks ? Roles::of({Role::sinks}) : Roles::of({});
  Runtime runtime(app, options);
  ENVMON_TRY(runtime.start());
  std::unique_ptr<OutputSink> sink;
  if (!plan.output_dir.empty()) {
    auto f = FileOutput::open(plan.output_dir);
    if (!f.ok()) return f.error();
    sink = std::move(*f);
  } else {
    auto p = runtime.bus().producer();
    if (!p.ok()) return p.error();
    sink = std::make_unique<BusOutput>(std::move(*p));
  }
  processor::Pipeline pipeline(
      *pcfg, app,
      ComponentContext("transform", "processor", "replay", runtime.metrics(), runtime.clock()));
  Replayer r(pipeline, *sink);
  Status s = plan.input == Input::topic
                 ? replay_topic(runtime.bus(), plan, r)
                 : replay_lake(app, runtime.bus().partitions(bus::Topic::raw), plan, r);
  if (s.ok()) s = r.finish();
  if (s.ok() && own_sinks && !runtime.wait_drained(std::chrono::minutes(10)))
    s = Error(Errc::net_timeout, "the store did not acknowledge every output within 10 minutes");
  runtime.stop();
  ENVMON_TRY(s);
  std::cout << "{\"input\":\"" << (plan.input == Input::topic ? "topic" : "lake")
            << "\",\"from\":\"" << format_rfc3339(plan.from) << "\",\"read\":" << r.counts.read
            << ",\"in_range\":" << r.counts.in_range << ",\"outputs\":" << r.counts.written
            << ",\"output\":\"" << (plan.output_dir.empty() ? "bus" : plan.output_dir) << "\"}\n";
  return ok_status();
}

}  // namespace

int cmd_replay(const std::vector<std::string>& words) {
  auto args = parse_args(
      words, {"config", "from-time", "to-time", "from", "output-dir", "data-dir", "log-level"}, {});
  if (!args.ok()) return fail(args.error(), 2);
  auto app = load_app_config(*args, true);
  if (!app.ok()) return fail(app.error(), 2);
  if (Status s = apply_log_level(args->get("log-level").value_or(app->log_level)); !s.ok())
    return fail(s.error(), 2);
  if (auto dir = args->get("data-dir")) app->data_dir = *dir;
  auto plan = make_plan(*args, *app);
  if (!plan.ok()) return fail(plan.error(), 2);
  if (Status s = run_replay(*plan, std::move(*app)); !s.ok()) return fail(s.error(), 1);
  return 0;
}

}  // namespace envmon::app
