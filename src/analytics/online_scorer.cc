#include "analytics/online_scorer.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "bus/bus.h"

namespace envmon::analytics {

namespace {

constexpr double kRelatedZ = 2.0;  // other metrics this unusual are named in an explanation
constexpr std::string_view kDetector = "robust_zscore";

}  // namespace

OnlineScorer::OnlineScorer(const AnalyticsConfig& config) : config_(config) {
  for (Metric m : config_.metric_list) wanted_[metric_index(m)] = true;
}

models::robust_zscore::RobustZScore* OnlineScorer::detector(const std::string& station, Metric m) {
  auto& slot = stations_[station][metric_index(m)];
  if (!slot) {
    if (series_ >= static_cast<size_t>(config_.max_series)) return nullptr;
    slot = std::make_unique<models::robust_zscore::RobustZScore>(config_.robust_zscore);
    ++series_;
  }
  return slot.get();
}

// The value a measurement is scored on, and whether the detector may learn from it.
bool OnlineScorer::scored_value(const Measurement& m, double& value, bool& learn) {
  if (has_flag(m.flags, Flag::interpolated)) {
    ++counts_.skipped_interpolated;
    return false;
  }
  if (!is_masked(m.flags) && std::isfinite(m.value)) {
    value = m.value;
    learn = true;
    return true;
  }
  // Masked: the cleaner removed it from the curated series, yet a spike is exactly what this
  // stage reports. A stuck sensor's repeated value carries no news.
  const bool usable = config_.masked_values == MaskedValues::score_raw &&
                      !has_flag(m.flags, Flag::stuck) && std::isfinite(m.raw);
  if (!usable) {
    ++counts_.skipped_masked;
    return false;
  }
  value = m.raw;
  learn = false;
  return true;
}

void OnlineScorer::score(const Reading& r, bool learn_only, std::vector<store::AnomalyRecord>& out) {
  const int32_t offset = r.enrichment ? r.enrichment->utc_offset_secs : 0;
  scratch_.clear();
  for (const auto& m : r.measurements) {
    if (!wanted_[metric_index(m.metric)]) continue;
    double value = 0;
    bool learn = false;
    if (!scored_value(m, value, learn)) continue;
    auto* d = detector(r.station.id.get(), m.metric);
    if (!d) {
      ++counts_.skipped_series_cap;
      continue;
    }
    const auto s = learn ? d->update(r.observed_at, value, offset) : d->score(r.observed_at, value, offset);
    ++counts_.scored;
    scratch_.push_back({m.metric, s, m.flags});
  }
  if (learn_only) return;
  for (const auto& s : scratch_) {
    if (!s.score.anomaly) continue;
    ++counts_.anomalies;
    out.push_back(record(r, s, scratch_));
  }
}

store::AnomalyRecord OnlineScorer::record(const Reading& r, const Scored& s,
                                          const std::vector<Scored>& all) const {
  auto ex = nlohmann::json::parse(
      models::robust_zscore::RobustZScore::explanation_json(s.score, config_.robust_zscore));
  nlohmann::json related = nlohmann::json::object();
  for (const auto& other : all) {
    if (other.metric != s.metric && other.score.warm && std::abs(other.score.z) >= kRelatedZ)
      related[std::string(metric_id(other.metric))] = other.score.z;
  }
  ex["related_metrics"] = std::move(related);
  nlohmann::json flags = nlohmann::json::array();
  for (Flag f : all_flags()) {
    if (has_flag(s.flags, f)) flags.push_back(std::string(flag_name(f)));
  }
  ex["cleaner_flags"] = std::move(flags);
  return store::AnomalyRecord{r.station.id.get(), s.metric,           r.observed_at,
                              std::string(kDetector), std::abs(s.score.z), s.score.value,
                              ex.dump()};
}

void OnlineScorer::drop_partition(int32_t partition, int32_t partitions) {
  for (auto it = stations_.begin(); it != stations_.end();) {
    if (bus::partition_for(it->first, partitions) != partition) {
      ++it;
      continue;
    }
    for (const auto& d : it->second) series_ -= d ? 1 : 0;
    it = stations_.erase(it);
  }
}

}  // namespace envmon::analytics
