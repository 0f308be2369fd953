#include "lake/watermarks.h"

#include "lake/file/file_object_store.h"
#include "lake/raw_lake.h"

namespace envmon::lake {

std::string payload_hash(std::string_view payload) {
  return sha256_hex(payload).substr(0, 16);
}

bool SeriesWatermarks::is_duplicate(const std::string& source, const std::string& station,
                                    Timestamp ingested_at, const std::string& hash) {
  Mark& m = marks_[{source, station}];
  if (ingested_at < m.ingested_at) return true;
  if (ingested_at == m.ingested_at) return !m.hashes.insert(hash).second;
  m.ingested_at = ingested_at;
  m.hashes.clear();
  m.hashes.insert(hash);
  return false;
}

nlohmann::json SeriesWatermarks::to_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [series, m] : marks_) {
    out.push_back({{"source", series.first},
                   {"station", series.second},
                   {"ingested_at_ms", to_unix_ms(m.ingested_at)},
                   {"hashes", m.hashes}});
  }
  return out;
}

Status SeriesWatermarks::load(const nlohmann::json& marks, const std::string& what) {
  if (!marks.is_array()) return Error(Errc::lake_io, what + ": watermarks is not an array");
  for (const auto& w : marks) {
    if (!w.is_object() || !w.contains("ingested_at_ms"))
      return Error(Errc::lake_io, what + ": a watermark without ingested_at_ms");
    Mark& m = marks_[{w.value("source", ""), w.value("station", "")}];
    m.ingested_at = from_unix_ms(w.value("ingested_at_ms", int64_t{0}));
    for (const auto& h : w.value("hashes", nlohmann::json::array()))
      m.hashes.insert(h.get<std::string>());
  }
  return ok_status();
}

Status write_checkpoint(ObjectStore& store, const std::string& prefix, int64_t seq,
                        const SeriesWatermarks& marks) {
  nlohmann::json doc = {{"seq", seq}, {"watermarks", marks.to_json()}};
  auto put = store.put(prefix + "ckpt-" + padded(seq, 12) + ".json", doc.dump(), true);
  if (!put.ok() && put.error().code() != Errc::lake_exists) return put.error();
  return ok_status();
}

Result<int64_t> load_checkpoint(ObjectStore& store, const std::string& prefix,
                                SeriesWatermarks& marks) {
  auto list = store.list(prefix);
  if (!list.ok()) return list.error();
  if (list->empty()) return int64_t{0};
  const std::string& key = list->back().key;  // zero-padded names: the last is the newest
  auto text = store.get(key);
  if (!text.ok()) return text.error();
  const auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("seq") ||
      !doc["seq"].is_number_integer() || !doc.contains("watermarks")) {
    return Error(Errc::lake_io, "checkpoint " + key + " is not valid JSON");
  }
  ENVMON_TRY(marks.load(doc["watermarks"], "checkpoint " + key));
  return doc["seq"].get<int64_t>();
}

}  // namespace envmon::lake
