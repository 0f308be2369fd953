#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bus/kafka/kafka_handles.h"

namespace envmon::bus::kafka {

// Partition count of every topic in the cluster (metadata request).
Result<std::map<std::string, int32_t>> topic_partitions(rd_kafka_t* rk, Millis timeout);

// Creates the missing envmon topics (partitions, replication, retention.ms from the config),
// leaves existing ones alone (a different partition count is logged) and records the real
// partition counts in state.partitions.
Status ensure_topics(rd_kafka_t* rk, BusState& state);

// Committed offset per partition 0..partitions-1 of `topic` for consumer group `group_id`
// (-1 where the group has never committed).
Result<std::vector<int64_t>> committed_offsets(rd_kafka_t* rk, const std::string& group_id,
                                               const std::string& topic, int32_t partitions,
                                               Millis timeout);

// {low, high} watermarks of one partition.
Result<std::pair<int64_t, int64_t>> watermarks(rd_kafka_t* rk, const std::string& topic,
                                               int32_t partition, Millis timeout);

}  // namespace envmon::bus::kafka
