#include "bus/memory/memory_bus.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>

namespace envmon::bus {
namespace {

struct Partition {
  std::deque<Message> log;
  int64_t base = 0;  // offset of log.front()
  int64_t next = 0;  // offset the next message gets
};

struct Member;

struct Group {
  std::vector<Topic> topics;
  std::map<TopicPartition, int64_t> committed;
  std::vector<Member*> members;
};

struct Member {
  std::string group;
  std::vector<TopicPartition> assigned;
  std::map<TopicPartition, int64_t> position;
  size_t cursor = 0;  // round-robin start so no partition starves
};

class MemoryBus;

class MemoryProducer final : public Producer {
 public:
  explicit MemoryProducer(MemoryBus* bus) : bus_(bus) {}
  Status send(const Message& message, Millis timeout) override;
  Status flush(Millis) override { return ok_status(); }

 private:
  MemoryBus* bus_;
};

class MemoryConsumer final : public Consumer {
 public:
  MemoryConsumer(MemoryBus* bus, std::unique_ptr<Member> member)
      : bus_(bus), member_(std::move(member)) {}
  ~MemoryConsumer() override { close(); }
  Result<std::vector<Message>> poll(size_t max, Millis timeout) override;
  Status commit(const OffsetMap& offsets) override;
  std::vector<TopicPartition> assignment() const override;
  void close() override;

 private:
  MemoryBus* bus_;
  std::unique_ptr<Member> member_;
  bool closed_ = false;
};

class MemoryBus final : public Bus {
 public:
  explicit MemoryBus(const MemoryBusConfig& config)
      : partitions_(static_cast<int32_t>(config.partitions)),
        capacity_(static_cast<size_t>(config.queue_capacity)) {
    for (auto& t : topics_)
      t.resize(static_cast<size_t>(partitions_));
  }

  using Bus::producer;
  Result<std::unique_ptr<Producer>> producer(const ProducerOptions&) override {
    return std::unique_ptr<Producer>(std::make_unique<MemoryProducer>(this));
  }

  using Bus::consumer;
  // Memory keeps no history, so rebuild_window has nothing to re-read: after a restart the
  // sources re-deliver recent data instead (Message::replay).
  Result<std::unique_ptr<Consumer>> consumer(const std::string& group,
                                             const std::vector<Topic>& topics,
                                             const ConsumerOptions&) override {
    std::lock_guard lock(mutex_);
    if (closed_) return Error(Errc::bus_closed, "bus is shut down");
    Group& g = groups_[group];
    if (!g.members.empty() && g.topics != topics) {
      return Error(Errc::invalid_argument,
                   "consumer group '" + group + "' already reads other topics");
    }
    g.topics = topics;
    auto member = std::make_unique<Member>();
    member->group = group;
    g.members.push_back(member.get());
    rebalance(g);
    return std::unique_ptr<Consumer>(std::make_unique<MemoryConsumer>(this, std::move(member)));
  }

  int32_t partitions(Topic) const override { return partitions_; }

  Result<std::unique_ptr<HistoryReader>> history(Topic topic, int32_t, Timestamp) override {
    return Error(Errc::not_found,
                 "the memory bus keeps no history of topic " + std::string(topic_name(topic)) +
                     " (messages leave it once consumed): replay from the raw lake");
  }

  int64_t committed(const std::string& group, TopicPartition tp) const override {
    std::lock_guard lock(mutex_);
    auto g = groups_.find(group);
    if (g == groups_.end()) return -1;
    auto it = g->second.committed.find(tp);
    return it == g->second.committed.end() ? -1 : it->second;
  }

  TopicStats stats(Topic topic) const override {
    std::lock_guard lock(mutex_);
    TopicStats s;
    for (const auto& p : topics_[static_cast<size_t>(topic)]) {
      s.produced += p.next;
      s.retained += static_cast<int64_t>(p.log.size());
    }
    return s;
  }

  void shutdown() override {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_full_.notify_all();
    not_empty_.notify_all();
  }

  Status append(Message m, Millis timeout) {
    std::unique_lock lock(mutex_);
    const int32_t p = partition_for(m.key, partitions_);
    Partition& part = topics_[static_cast<size_t>(m.topic)][static_cast<size_t>(p)];
    const bool ok =
        not_full_.wait_for(lock, timeout, [&] { return closed_ || part.log.size() < capacity_; });
    if (closed_) return Error(Errc::bus_closed, "bus is shut down");
    if (!ok) {
      return Error(Errc::bus_full,
                   "partition " + std::string(topic_name(m.topic)) + "/" + std::to_string(p) +
                       " is full (" + std::to_string(capacity_) +
                       " messages): consumers are behind",
                   Retryable::yes);
    }
    m.partition = p;
    m.offset = part.next++;
    if (m.timestamp == Timestamp{}) {
      m.timestamp = std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
    }
    part.log.push_back(std::move(m));
    not_empty_.notify_all();
    return ok_status();
  }

  Result<std::vector<Message>> fetch(Member& member, size_t max, Millis timeout) {
    std::unique_lock lock(mutex_);
    std::vector<Message> out;
    auto collect = [&] {
      const size_t n = member.assigned.size();
      for (size_t i = 0; i < n && out.size() < max; ++i) {
        const TopicPartition tp = member.assigned[(member.cursor + i) % n];
        Partition& part = topics_[static_cast<size_t>(tp.topic)][static_cast<size_t>(tp.partition)];
        int64_t& pos = member.position[tp];
        pos = std::max(pos, part.base);
        while (pos < part.next && out.size() < max) {
          out.push_back(part.log[static_cast<size_t>(pos - part.base)]);
          ++pos;
        }
      }
      if (n > 0) member.cursor = (member.cursor + 1) % n;
      return !out.empty();
    };
    if (!collect() && !closed_) {
      not_empty_.wait_for(lock, timeout, [&] { return closed_ || collect(); });
    }
    return out;
  }

  Status commit(Member& member, const OffsetMap& offsets) {
    std::lock_guard lock(mutex_);
    Group& g = groups_[member.group];
    for (const auto& [tp, next] : offsets) {
      int64_t& c = g.committed[tp];
      c = std::max(c, next);
      trim(tp);
    }
    not_full_.notify_all();
    return ok_status();
  }

  void leave(Member& member) {
    std::lock_guard lock(mutex_);
    Group& g = groups_[member.group];
    g.members.erase(std::remove(g.members.begin(), g.members.end(), &member), g.members.end());
    rebalance(g);
    not_empty_.notify_all();
  }

  std::vector<TopicPartition> assignment_of(const Member& member) const {
    std::lock_guard lock(mutex_);
    return member.assigned;
  }

 private:
  // Partitions are dealt round-robin to the members; a newly assigned partition is read from
  // the group's committed offset, so work handed over is neither lost nor skipped.
  void rebalance(Group& g) {
    std::vector<TopicPartition> all;
    for (Topic t : g.topics) {
      for (int32_t p = 0; p < partitions_; ++p)
        all.push_back({t, p});
    }
    for (Member* m : g.members) {
      m->assigned.clear();
      m->position.clear();
    }
    if (g.members.empty()) return;
    for (size_t i = 0; i < all.size(); ++i) {
      Member* m = g.members[i % g.members.size()];
      m->assigned.push_back(all[i]);
      auto c = g.committed.find(all[i]);
      m->position[all[i]] = c == g.committed.end() ? 0 : c->second;
    }
  }

  // Drops messages every group reading this topic has committed.
  void trim(TopicPartition tp) {
    int64_t low = INT64_MAX;
    for (const auto& [name, g] : groups_) {
      if (std::find(g.topics.begin(), g.topics.end(), tp.topic) == g.topics.end()) continue;
      auto c = g.committed.find(tp);
      low = std::min(low, c == g.committed.end() ? 0 : c->second);
    }
    Partition& part = topics_[static_cast<size_t>(tp.topic)][static_cast<size_t>(tp.partition)];
    while (!part.log.empty() && part.base < low) {
      part.log.pop_front();
      ++part.base;
    }
  }

  const int32_t partitions_;
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::array<std::vector<Partition>, kTopicCount> topics_;
  std::map<std::string, Group> groups_;
  bool closed_ = false;
};

Status MemoryProducer::send(const Message& message, Millis timeout) {
  return bus_->append(message, timeout);
}

Result<std::vector<Message>> MemoryConsumer::poll(size_t max, Millis timeout) {
  if (closed_) return Error(Errc::bus_closed, "consumer is closed");
  auto polled = bus_->fetch(*member_, max, timeout);
  if (!polled.ok()) return polled;
  return unpack_batches(std::move(*polled));
}

Status MemoryConsumer::commit(const OffsetMap& offsets) {
  if (closed_) return Error(Errc::bus_closed, "consumer is closed");
  return bus_->commit(*member_, offsets);
}

std::vector<TopicPartition> MemoryConsumer::assignment() const {
  return bus_->assignment_of(*member_);
}

void MemoryConsumer::close() {
  if (closed_) return;
  closed_ = true;
  bus_->leave(*member_);
}

}  // namespace

std::unique_ptr<Bus> make_memory_bus(const MemoryBusConfig& config) {
  return std::make_unique<MemoryBus>(config);
}

}  // namespace envmon::bus
