#include "store/batch_reduce.h"

#include <functional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace envmon::store {
namespace {

// A key of views into the batch: no string is copied per row.
struct Key {
  std::string_view station, source;
  int64_t at = 0;
  int metric = -1;
  bool operator==(const Key&) const = default;
};
struct KeyHash {
  size_t operator()(const Key& k) const {
    size_t h = std::hash<std::string_view>()(k.station);
    h = h * 31 + std::hash<std::string_view>()(k.source);
    h = h * 31 + std::hash<int64_t>()(k.at);
    return h * 31 + static_cast<size_t>(k.metric + 1);
  }
};

Key series_key(const Reading& r, int metric) {
  return {r.station.id.get(), r.source.get(), 0, metric};
}

}  // namespace

std::vector<RowRef> unique_rows(const WriteBatch& batch, size_t first, size_t last) {
  std::vector<RowRef> out;
  std::unordered_set<Key, KeyHash> seen;
  bool duplicates = false;
  std::unordered_set<Key, KeyHash> readings;
  readings.reserve(last - first);
  for (size_t i = first; i < last && !duplicates; ++i) {
    const Reading& r = batch.readings[i];
    duplicates = !readings.insert({r.station.id.get(), r.source.get(), to_unix_ms(r.observed_at), -1}).second;
    uint32_t metrics = 0;
    for (const Measurement& m : r.measurements) {
      const uint32_t bit = 1u << static_cast<int>(m.metric);
      duplicates = duplicates || (metrics & bit) != 0;
      metrics |= bit;
    }
  }
  // The common case (no key twice) keeps the batch order without a per-row set.
  for (size_t i = first; i < last; ++i)
    for (const Measurement& m : batch.readings[i].measurements) out.push_back({&batch.readings[i], &m});
  if (!duplicates) return out;
  std::vector<RowRef> kept;
  for (auto it = out.rbegin(); it != out.rend(); ++it) {
    const Reading& r = *it->reading;
    if (seen.insert({r.station.id.get(), r.source.get(), to_unix_ms(r.observed_at),
                     static_cast<int>(it->measurement->metric)})
            .second) {
      kept.push_back(*it);
    }
  }
  return kept;
}

std::vector<RowRef> newest_per_series(const WriteBatch& batch, size_t first, size_t last) {
  std::unordered_map<Key, RowRef, KeyHash> newest;
  for (size_t i = first; i < last; ++i) {
    const Reading& r = batch.readings[i];
    for (const Measurement& m : r.measurements) {
      auto [it, inserted] = newest.try_emplace(series_key(r, static_cast<int>(m.metric)), RowRef{&r, &m});
      if (!inserted && r.observed_at >= it->second.reading->observed_at) it->second = {&r, &m};
    }
  }
  std::vector<RowRef> out;
  out.reserve(newest.size());
  for (const auto& [k, row] : newest) out.push_back(row);
  return out;
}

std::vector<const Reading*> newest_ingest_per_station(const WriteBatch& batch, size_t first,
                                                      size_t last) {
  std::unordered_map<Key, const Reading*, KeyHash> newest;
  for (size_t i = first; i < last; ++i) {
    const Reading& r = batch.readings[i];
    auto [it, inserted] = newest.try_emplace(series_key(r, -1), &r);
    if (!inserted && r.ingested_at > it->second->ingested_at) it->second = &r;
  }
  std::vector<const Reading*> out;
  out.reserve(newest.size());
  for (const auto& [k, r] : newest) out.push_back(r);
  return out;
}

std::vector<const Aggregate*> unique_aggregates(const std::vector<Aggregate>& aggregates) {
  std::unordered_map<Key, size_t, KeyHash> last;
  for (size_t i = 0; i < aggregates.size(); ++i) {
    const Aggregate& a = aggregates[i];
    last[{a.station.get(), a.source.get(), to_unix_ms(a.bucket_start), static_cast<int>(a.metric)}] = i;
  }
  std::vector<const Aggregate*> out;
  for (size_t i = 0; i < aggregates.size(); ++i) {
    const Aggregate& a = aggregates[i];
    if (last[{a.station.get(), a.source.get(), to_unix_ms(a.bucket_start), static_cast<int>(a.metric)}] == i)
      out.push_back(&a);
  }
  return out;
}

}  // namespace envmon::store
