#include "analytics/forest_scorer.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "bus/bus.h"
#include "core/time.h"
#include "features/metric_columns.h"
#include "models/explanation/explanation.h"

namespace envmon::analytics {
namespace {

constexpr int64_t kHour = 3600;

// The start of t's UTC hour, unix seconds (floor, also before 1970).
int64_t hour_of(Timestamp t) {
  return to_unix_ms(floor_to(t, Millis(kHour * 1000))) / 1000;
}

}  // namespace

ForestScorer::ForestScorer(std::shared_ptr<const FeatureModel> model, const AnalyticsConfig& config)
    : model_(std::move(model)), config_(config), names_(model_->display_names()) {
  const auto all = features::feature_names(model_->spec);
  value_index_ = static_cast<size_t>(std::find(all.begin(), all.end(), "value") - all.begin());
}

ForestScorer::Station* ForestScorer::station(const Reading& r) {
  const std::string& id = r.station.id.get();
  auto it = stations_.find(id);
  if (it != stations_.end()) return &it->second;
  if (stations_.size() >= static_cast<size_t>(config_.max_series)) {
    ++counts_.skipped_station_cap;
    return nullptr;
  }
  const int offset = r.enrichment ? r.enrichment->utc_offset_secs : 0;
  return &stations_.try_emplace(id, model_->spec, offset).first->second;
}

// The value a measurement adds to its hour: the curated value, or for a value the cleaner
// masked (a spike, say) its raw value when masked_values is score_raw, as the z-score detector
// does. A stuck sensor's repeats add nothing.
bool ForestScorer::value_of(const Measurement& m, double& value) const {
  if (!is_masked(m.flags) && std::isfinite(m.value)) {
    value = m.value;
    return true;
  }
  if (config_.masked_values != MaskedValues::score_raw || has_flag(m.flags, Flag::stuck) ||
      !std::isfinite(m.raw)) {
    return false;
  }
  value = m.raw;
  return true;
}

void ForestScorer::add(Station& s, const Reading& r) {
  for (const auto& m : r.measurements) {
    double v = 0;
    if (!value_of(m, v)) continue;
    for (const auto& [metric, raw] : features::kMetricColumns) {
      if (metric != m.metric) continue;
      s.sum[static_cast<size_t>(raw)] += v;
      ++s.n[static_cast<size_t>(raw)];
    }
  }
}

void ForestScorer::score(const Reading& r, bool learn_only, std::vector<store::AnomalyRecord>& out) {
  Station* s = station(r);
  if (s == nullptr) return;
  const int64_t hour = hour_of(r.observed_at);
  if (hour < s->hour) {
    ++counts_.skipped_late;
    return;
  }
  if (hour > s->hour) {
    if (s->hour != std::numeric_limits<int64_t>::min()) {
      close_hour(r.station.id.get(), *s, out);
    } else {
      s->first_hour = hour;
    }
    s->hour = hour;
    s->sum.fill(0);
    s->n.fill(0);
    s->report = false;
  }
  s->report = s->report || !learn_only;
  add(*s, r);
}

void ForestScorer::close_hour(const std::string& id, Station& s,
                              std::vector<store::AnomalyRecord>& out) {
  features::RawRow raw;
  for (size_t k = 0; k < features::kRawCount; ++k) {
    if (s.n[k] > 0) raw.v[k] = s.sum[k] / s.n[k];
  }
  const std::vector<double> all = s.features.push(s.hour, raw);
  if (static_cast<size_t>((s.hour - s.first_hour) / kHour) < model_->warmup_hours()) {
    ++counts_.hours_warmup;
    return;
  }
  if (!model_->select(all.data(), row_)) {
    ++counts_.hours_incomplete;
    return;
  }
  ++counts_.hours_scored;
  const double score = model_->forest.score(row_);
  if (!s.report || score < config_.isolation_forest_threshold) return;
  const auto e = model_->forest.explain(row_);
  // Built once as an object: the values and the model name join the forest's feature shares.
  auto explanation =
      models::feature_share_object("isolation_forest", e.score, e.feature_share, names_);
  for (size_t i = 0; i < row_.size(); ++i) explanation["values"][names_[i]] = row_[i];
  explanation["model"] = config_.isolation_forest_model + "@" + config_.isolation_forest_version;
  out.push_back(store::AnomalyRecord{id, model_->target(), from_unix_ms(s.hour * 1000),
                                     "isolation_forest", score,
                                     std::isfinite(all[value_index_]) ? all[value_index_] : 0.0,
                                     explanation.dump()});
}

void ForestScorer::drop_partition(int32_t partition, int32_t partitions) {
  for (auto it = stations_.begin(); it != stations_.end();) {
    it = bus::partition_for(it->first, partitions) == partition ? stations_.erase(it) : std::next(it);
  }
}

}  // namespace envmon::analytics
