// StreamProcessor when the bus fails: an output refused for good, outputs never acknowledged, a
// poll that fails after fetching. Whatever happens, no raw message is lost silently: it is either
// dead-lettered with the reason or left uncommitted, so the group reads it again.
#include <gtest/gtest.h>

#include <functional>

#include "bus/memory/memory_bus.h"
#include "core/clock.h"
#include "processor/stream_processor.h"
#include "processor/test_support.h"

namespace envmon::processor {
namespace {

using testing::raw_reading;

// Faults injected into a memory bus's clients. Each hook sees the call and may fail it.
struct Faults {
  std::function<Status(const bus::Message&)> send;  // before the message reaches the bus
  std::function<Status()> flush;
  int fail_poll_number = 0;  // the n-th poll that fetches records fails instead (0: never)
};

class FaultyProducer : public bus::Producer {
 public:
  FaultyProducer(std::unique_ptr<bus::Producer> inner, Faults& f) : inner_(std::move(inner)), f_(f) {}
  Status send(const bus::Message& m, Millis timeout) override {
    if (f_.send) ENVMON_TRY(f_.send(m));
    return inner_->send(m, timeout);
  }
  Status flush(Millis timeout) override {
    if (f_.flush) ENVMON_TRY(f_.flush());
    return inner_->flush(timeout);
  }

 private:
  std::unique_ptr<bus::Producer> inner_;
  Faults& f_;
};

class FaultyConsumer : public bus::Consumer {
 public:
  FaultyConsumer(std::unique_ptr<bus::Consumer> inner, Faults& f) : inner_(std::move(inner)), f_(f) {}
  Result<std::vector<bus::Message>> poll(size_t max, Millis timeout) override {
    auto got = inner_->poll(max, timeout);
    if (got.ok() && !got->empty() && ++polls_ == f_.fail_poll_number) fetched_lost_ = true;
    if (fetched_lost_) return Error(Errc::io, "consumer failed for good (injected)");
    return got;
  }
  Status commit(const bus::OffsetMap& o) override { return inner_->commit(o); }
  std::vector<bus::TopicPartition> assignment() const override { return inner_->assignment(); }
  std::vector<bus::TopicPartition> take_revoked() override { return inner_->take_revoked(); }
  void close() override { inner_->close(); }

 private:
  std::unique_ptr<bus::Consumer> inner_;
  Faults& f_;
  int polls_ = 0;
  bool fetched_lost_ = false;
};

class FaultyBus : public bus::Bus {
 public:
  FaultyBus(bus::Bus& inner, Faults& f) : inner_(inner), f_(f) {}
  using bus::Bus::producer;
  Result<std::unique_ptr<bus::Producer>> producer(const bus::ProducerOptions& o) override {
    auto p = inner_.producer(o);
    if (!p.ok()) return p.error();
    return std::unique_ptr<bus::Producer>(std::make_unique<FaultyProducer>(std::move(*p), f_));
  }
  Result<std::unique_ptr<bus::Consumer>> consumer(const std::string& group,
                                                  const std::vector<bus::Topic>& topics,
                                                  const bus::ConsumerOptions& o) override {
    auto c = inner_.consumer(group, topics, o);
    if (!c.ok()) return c.error();
    return std::unique_ptr<bus::Consumer>(std::make_unique<FaultyConsumer>(std::move(*c), f_));
  }
  int32_t partitions(bus::Topic t) const override { return inner_.partitions(t); }
  int64_t committed(const std::string& g, bus::TopicPartition tp) const override {
    return inner_.committed(g, tp);
  }
  bus::TopicStats stats(bus::Topic t) const override { return inner_.stats(t); }
  Result<std::unique_ptr<bus::HistoryReader>> history(bus::Topic t, int32_t p,
                                                      Timestamp from) override {
    return inner_.history(t, p, from);
  }
  void shutdown() override { inner_.shutdown(); }

 private:
  bus::Bus& inner_;
  Faults& f_;
};

class StreamProcessorFaultsTest : public ::testing::Test {
 protected:
  // One station (one partition), `n` readings five minutes apart.
  void SetUp() override {
    bus_ = bus::make_memory_bus(bus::MemoryBusConfig{1, 100000});
    auto p = bus_->producer();
    ASSERT_TRUE(p.ok());
    for (int i = 0; i < kReadings; ++i) {
      auto m = raw_reading(
          "delhi", format_rfc3339(from_unix_ms(1'767'225'600'000 + int64_t{i} * 300'000)),
          {{"pm25", 30 + i % 5}});
      m.topic = bus::Topic::raw;
      ASSERT_TRUE((*p)->send(m, Millis(1000)).ok());
    }
  }
  // Runs a processor over `bus` until it has drained what it can, then stops it.
  int64_t run(bus::Bus& bus) {
    ProcessorConfig cfg;
    cfg.runtime.workers = 1;
    cfg.runtime.poll_batch = 4;
    cfg.runtime.output_framing = OutputFraming::message;
    StreamProcessor sp(cfg, app_, bus, registry_, clock_);
    EXPECT_TRUE(sp.start().ok());
    sp.stop();
    failure_ = sp.failure();
    return sp.processed();
  }
  std::optional<Error> failure_;  // of the last run
  int64_t committed() { return bus_->committed("processor", {bus::Topic::raw, 0}); }
  // Curated readings, not counting the derived AQI readings.
  std::vector<std::string> curated_readings() {
    std::vector<std::string> out;
    for (auto& m : all(bus::Topic::curated))
      if (m.payload.find("\"aqi_") == std::string::npos) out.push_back(std::move(m.payload));
    return out;
  }
  std::vector<bus::Message> all(bus::Topic topic) { return testing::read_all(*bus_, topic); }

  static constexpr int kReadings = 20;
  std::unique_ptr<bus::Bus> bus_;
  Faults faults_;
  config::AppConfig app_ = testing::default_app();
  MetricsRegistry registry_;
  ManualClock clock_{Timestamp{}};
};

TEST_F(StreamProcessorFaultsTest, AnOutputTheBusRefusesIsDeadLetteredWithTheReason) {
  const std::string refused = "2026-01-01T00:35:00Z";  // the 8th reading's curated record
  faults_.send = [&](const bus::Message& m) -> Status {
    if (m.topic == bus::Topic::curated && m.payload.find(refused) != std::string::npos)
      return Error(Errc::invalid_argument, "message too large (injected)");
    return ok_status();
  };
  FaultyBus bus(*bus_, faults_);
  EXPECT_EQ(run(bus), kReadings);

  EXPECT_EQ(committed(), kReadings);  // committed: the refused output is on dead-letter
  const auto dead = all(bus::Topic::dead_letter);
  ASSERT_EQ(dead.size(), 1u);
  auto dl = decode_dead_letter(dead[0].payload);
  ASSERT_TRUE(dl.ok());
  EXPECT_EQ(dl->stage, "send");
  EXPECT_EQ(dl->topic, "curated");
  EXPECT_EQ(dl->key, "delhi");
  EXPECT_NE(dl->reason.find("message too large"), std::string::npos) << dl->reason;
  EXPECT_NE(dl->payload.find(refused), std::string::npos);
  const auto curated = curated_readings();
  EXPECT_EQ(curated.size(), static_cast<size_t>(kReadings - 1));
  for (const auto& c : curated)
    EXPECT_EQ(c.find(refused), std::string::npos);
}

// The third batch's outputs are never acknowledged (a delivery that failed for good): nothing
// from that batch on is committed, although later batches went through, and a restart re-reads
// from it.
TEST_F(StreamProcessorFaultsTest, AnUnacknowledgedBatchIsNeverCommittedPast) {
  int flushes = 0;
  faults_.flush = [&]() -> Status {
    if (++flushes == 3) return Error(Errc::io, "delivery failed (injected)");
    return ok_status();
  };
  FaultyBus bus(*bus_, faults_);
  EXPECT_EQ(run(bus), 8);       // the two batches before the failed one
  EXPECT_EQ(committed(), 8);    // not 20: batches 4 and 5 were sent but come after the hole
  ASSERT_TRUE(failure_.has_value());  // the held partition asks for a restart
  EXPECT_NE(failure_->message().find("not acknowledged"), std::string::npos);

  faults_.flush = nullptr;      // the bus recovers; the group re-reads from offset 8
  EXPECT_EQ(run(bus), kReadings - 8);
  EXPECT_EQ(committed(), kReadings);
}

// A poll fetches records and then fails (the Kafka consumer's drain after a fatal error): the
// processor stops consuming, commits nothing past what it processed, and a restart reads the
// fetched records again.
TEST_F(StreamProcessorFaultsTest, RecordsOfAFailedPollAreReadAgain) {
  faults_.fail_poll_number = 2;
  FaultyBus bus(*bus_, faults_);
  EXPECT_EQ(run(bus), 4);  // only the first poll's batch
  EXPECT_EQ(committed(), 4);
  ASSERT_TRUE(failure_.has_value());  // what tells the process to exit and be restarted
  EXPECT_NE(failure_->message().find("consumer failed for good"), std::string::npos);

  EXPECT_EQ(run(*bus_), kReadings - 4);
  EXPECT_FALSE(failure_.has_value());
  EXPECT_EQ(committed(), kReadings);
  EXPECT_EQ(curated_readings().size(), static_cast<size_t>(kReadings));  // each once
}

}  // namespace
}  // namespace envmon::processor
