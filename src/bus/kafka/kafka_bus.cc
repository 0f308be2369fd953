#include "bus/kafka/kafka_bus.h"

#include <algorithm>
#include <mutex>
#include <set>

#include "bus/kafka/kafka_admin.h"
#include "bus/kafka/kafka_clients.h"

namespace envmon::bus {
namespace {

using kafka::BusState;

class KafkaBus final : public Bus {
 public:
  KafkaBus(std::unique_ptr<BusState> state, kafka::HandlePtr admin)
      : state_(std::move(state)), admin_(std::move(admin)) {}

  using Bus::producer;
  Result<std::unique_ptr<Producer>> producer(const ProducerOptions& options) override {
    if (state_->closed) return kafka::closed_error();
    auto p = kafka::KafkaProducer::create(*state_, options);
    if (!p.ok()) return p.error();
    return std::unique_ptr<Producer>(std::move(*p));
  }

  using Bus::consumer;
  Result<std::unique_ptr<Consumer>> consumer(const std::string& group,
                                             const std::vector<Topic>& topics,
                                             const ConsumerOptions& options) override {
    if (state_->closed) return kafka::closed_error();
    auto c = kafka::KafkaConsumer::create(*state_, group, topics, options);
    if (!c.ok()) return c.error();
    std::lock_guard lock(mutex_);
    for (Topic t : topics)
      groups_[static_cast<size_t>(t)].insert(group);
    return std::unique_ptr<Consumer>(std::move(*c));
  }

  int32_t partitions(Topic topic) const override { return state_->partitions_of(topic); }

  int64_t committed(const std::string& group, TopicPartition tp) const override {
    auto offsets = group_offsets(group, tp.topic);
    if (!offsets.ok() || tp.partition < 0 || static_cast<size_t>(tp.partition) >= offsets->size())
      return -1;
    return (*offsets)[static_cast<size_t>(tp.partition)];
  }

  TopicStats stats(Topic topic) const override;

  Result<std::unique_ptr<HistoryReader>> history(Topic topic, int32_t partition,
                                                 Timestamp from) override {
    if (state_->closed) return kafka::closed_error();
    if (partition < 0 || partition >= state_->partitions_of(topic)) {
      return Error(Errc::invalid_argument,
                   state_->topic_of(topic) + " has no partition " + std::to_string(partition));
    }
    auto r = kafka::KafkaHistoryReader::create(*state_, topic, partition, from);
    if (!r.ok()) return r.error();
    return std::unique_ptr<HistoryReader>(std::move(*r));
  }

  void shutdown() override { state_->closed = true; }

 private:
  Result<std::vector<int64_t>> group_offsets(const std::string& group, Topic topic) const {
    return kafka::committed_offsets(admin_.get(), state_->config.topic_prefix + group,
                                    state_->topic_of(topic), state_->partitions_of(topic),
                                    Millis(state_->config.admin_timeout_ms));
  }

  // shared by every producer and consumer of this bus (they hold a reference; the bus outlives
  // them)
  std::unique_ptr<BusState> state_;
  kafka::HandlePtr admin_;  // metadata, watermarks, committed offsets
  mutable std::mutex mutex_;
  std::array<std::set<std::string>, kTopicCount> groups_;  // groups opened through this bus
};

// produced = sum of high watermarks. retained approximates "not yet committed by every group":
// per partition, high - max(low watermark, lowest committed offset among the groups opened
// through this bus object). Groups of other processes are not seen, and with no group at all
// everything Kafka still holds counts as retained.
TopicStats KafkaBus::stats(Topic topic) const {
  TopicStats s;
  std::set<std::string> groups;
  {
    std::lock_guard lock(mutex_);
    groups = groups_[static_cast<size_t>(topic)];
  }
  const int32_t n = state_->partitions_of(topic);
  std::vector<int64_t> floor(static_cast<size_t>(n), INT64_MAX);
  for (const auto& g : groups) {
    auto offsets = group_offsets(g, topic);
    for (size_t p = 0; p < floor.size(); ++p) {
      floor[p] = std::min(floor[p], offsets.ok() ? (*offsets)[p] : -1);
    }
  }
  const Millis timeout(state_->config.admin_timeout_ms);
  for (int32_t p = 0; p < n; ++p) {
    auto marks = kafka::watermarks(admin_.get(), state_->topic_of(topic), p, timeout);
    if (!marks.ok()) continue;
    const auto [low, high] = *marks;
    s.produced += high;
    const int64_t done = groups.empty() ? low : std::max(low, floor[static_cast<size_t>(p)]);
    s.retained += std::max<int64_t>(0, high - done);
  }
  return s;
}

}  // namespace

Result<std::unique_ptr<Bus>> make_kafka_bus(const KafkaBusConfig& config,
                                            MetricsRegistry* registry) {
  auto state = std::make_unique<BusState>();
  state->config = config;
  if (registry != nullptr)
    state->metrics = std::make_unique<ComponentMetrics>(*registry, "bus", "kafka", "kafka");
  auto conf = kafka::make_conf(*state, {});
  if (!conf.ok()) return conf.error();
  auto admin = kafka::make_handle(RD_KAFKA_PRODUCER, std::move(*conf));
  if (!admin.ok()) return admin.error();
  ENVMON_TRY(kafka::ensure_topics(admin->get(), *state));
  state->log.info("connected", {{"bootstrap_servers", config.bootstrap_servers},
                                {"topic_prefix", config.topic_prefix}});
  return std::unique_ptr<Bus>(std::make_unique<KafkaBus>(std::move(state), std::move(*admin)));
}

Result<std::unique_ptr<Bus>> make_kafka_bus(const config::Node& settings,
                                            MetricsRegistry* registry) {
  auto config = parse_kafka_bus_config(settings);
  if (!config.ok()) return config.error();
  return make_kafka_bus(*config, registry);
}

}  // namespace envmon::bus
