#include "models/robust_zscore/robust_zscore.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "registry/model_format.h"

namespace envmon::models::robust_zscore {

namespace {

constexpr double kMadToSigma = 1.4826;  // MAD of a normal distribution is 0.6745 sigma
constexpr size_t kMinSlotPoints = 3;
constexpr std::string_view kKind = "robust_zscore";
constexpr int64_t kFormatVersion = 1;

size_t slot_count(Seasonality s) { return s == Seasonality::daily ? 24 : 168; }

// Until a slot has seen a few days, the baseline is the median of the last hour or so.
size_t recent_capacity(const RobustZScoreConfig& c) {
  return static_cast<size_t>(std::max<int64_t>(3, c.season_window_points / 7));
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

RobustZScore::RobustZScore(const RobustZScoreConfig& config)
    : config_(config),
      slots_(slot_count(config.seasonality),
             RollingWindow(static_cast<size_t>(config.season_window_points))),
      recent_(recent_capacity(config)),
      levels_(static_cast<size_t>(config.level_window_points)),
      residuals_(static_cast<size_t>(config.residual_window_points)) {}

int RobustZScore::slot_of(Timestamp t, int32_t utc_offset_secs) const {
  const int64_t local_secs = to_unix_ms(t) / 1000 + utc_offset_secs;
  const int64_t hour = floor_div(local_secs, 3600);
  const int64_t hour_of_day = hour - floor_div(hour, 24) * 24;
  if (config_.seasonality == Seasonality::daily) return static_cast<int>(hour_of_day);
  const int64_t day = floor_div(hour, 24);
  const int64_t monday_based = (day + 3) - floor_div(day + 3, 7) * 7;  // 1970-01-01 was a Thursday
  return static_cast<int>(monday_based * 24 + hour_of_day);
}

// A slot's median stands for the middle of its hour; between two middles the profile is
// interpolated, so a steep daily curve leaves no step at the top of each hour.
double RobustZScore::seasonal_at(Timestamp t, int32_t utc_offset_secs, int slot, double value) const {
  const RollingWindow& own = slots_[static_cast<size_t>(slot)];
  if (own.size() < kMinSlotPoints) return recent_.empty() ? value : recent_.median();
  const int64_t local_ms = to_unix_ms(t) + int64_t{utc_offset_secs} * 1000;
  const double into_hour = static_cast<double>(local_ms - floor_div(local_ms, 3600000) * 3600000) / 3600000.0;
  const double offset = into_hour - 0.5;  // hours from the middle of this slot, in [-0.5, 0.5)
  const int n = static_cast<int>(slots_.size());
  const int neighbour = (slot + (offset >= 0 ? 1 : n - 1)) % n;
  const RollingWindow& other = slots_[static_cast<size_t>(neighbour)];
  if (other.size() < kMinSlotPoints || config_.baseline == Baseline::slot_median) {
    return own.median();
  }
  const double w = std::abs(offset);
  return (1 - w) * own.median() + w * other.median();
}

Score RobustZScore::score(Timestamp t, double value, int32_t utc_offset_secs) const {
  Score s;
  s.value = value;
  s.slot = slot_of(t, utc_offset_secs);
  if (!std::isfinite(value)) return s;
  s.seasonal = seasonal_at(t, utc_offset_secs, s.slot, value);
  const bool follow = config_.baseline == Baseline::profile_and_level;
  s.level = follow && !levels_.empty() ? levels_.median() : 0;
  s.baseline = s.seasonal + s.level;
  s.residual = value - s.baseline;
  if (residuals_.size() >= static_cast<size_t>(config_.min_points)) {
    s.scale = std::max(kMadToSigma * residuals_.mad(), config_.min_scale);
    if (s.scale > 0) {
      s.z = (s.residual - residuals_.median()) / s.scale;
      s.warm = true;
      s.anomaly = std::abs(s.z) >= config_.threshold;
    }
  }
  return s;
}

Score RobustZScore::update(Timestamp t, double value, int32_t utc_offset_secs) {
  const Score s = score(t, value, utc_offset_secs);
  if (!std::isfinite(value)) return s;
  slots_[static_cast<size_t>(s.slot)].push(value);
  recent_.push(value);
  levels_.push(value - s.seasonal);
  residuals_.push(s.residual);
  ++points_;
  return s;
}

std::string RobustZScore::explanation_json(const Score& s, const RobustZScoreConfig& config) {
  const bool daily = config.seasonality == Seasonality::daily;
  nlohmann::json j = {
      {"detector", kKind},
      {"z", s.z},
      {"threshold", config.threshold},
      {"direction", s.z >= 0 ? "high" : "low"},
      {"value", s.value},
      {"baseline", s.baseline},
      {"seasonal", s.seasonal},
      {"level", s.level},
      {"residual", s.residual},
      {"scale", s.scale},
      {"season", daily ? "hour_of_day" : "hour_of_week"},
      {"slot", s.slot},
      {"features",
       {{"residual", s.residual},
        {"seasonal_residual", s.value - s.seasonal},
        {daily ? "hour_of_day" : "hour_of_week", s.slot}}}};
  return j.dump();
}

std::string RobustZScore::save() const {
  nlohmann::json slots = nlohmann::json::array();
  for (const auto& w : slots_) slots.push_back(w.oldest_first());
  nlohmann::json body = {
      {"config",
       {{"seasonality", config_.seasonality == Seasonality::daily ? "daily" : "weekly"},
        {"season_window_points", config_.season_window_points},
        {"baseline",
         config_.baseline == Baseline::slot_median ? "slot_median" : "profile_and_level"},
        {"level_window_points", config_.level_window_points},
        {"residual_window_points", config_.residual_window_points},
        {"min_points", config_.min_points},
        {"threshold", config_.threshold},
        {"min_scale", config_.min_scale}}},
      {"points", points_},
      {"slots", std::move(slots)},
      {"recent", recent_.oldest_first()},
      {"levels", levels_.oldest_first()},
      {"residuals", residuals_.oldest_first()}};
  return registry::wrap_model(kKind, kFormatVersion, body.dump());
}

namespace {

Error bad(std::string_view field, std::string_view what) {
  return Error(Errc::decode_field,
               "robust_zscore state: field '" + std::string(field) + "' " + std::string(what));
}

Result<RobustZScoreConfig> config_from(const nlohmann::json& c) {
  RobustZScoreConfig cfg;
  if (!c.is_object()) return bad("config", "is not an object");
  const auto season = c.find("seasonality");
  if (season == c.end() || (*season != "daily" && *season != "weekly"))
    return bad("config.seasonality", "is not daily|weekly");
  cfg.seasonality = *season == "daily" ? Seasonality::daily : Seasonality::weekly;
  // States saved before `baseline` existed used the profile and the level.
  const auto baseline = c.find("baseline");
  if (baseline != c.end() && *baseline != "profile_and_level" && *baseline != "slot_median")
    return bad("config.baseline", "is not profile_and_level|slot_median");
  cfg.baseline = baseline != c.end() && *baseline == "slot_median" ? Baseline::slot_median
                                                                    : Baseline::profile_and_level;
  for (auto [key, member] : {std::pair{"season_window_points", &RobustZScoreConfig::season_window_points},
                             std::pair{"level_window_points", &RobustZScoreConfig::level_window_points},
                             std::pair{"residual_window_points", &RobustZScoreConfig::residual_window_points},
                             std::pair{"min_points", &RobustZScoreConfig::min_points}}) {
    const auto it = c.find(key);
    if (it == c.end() || !it->is_number_integer() || it->get<int64_t>() < 1)
      return bad(std::string("config.") + key, "is not a positive integer");
    cfg.*member = it->get<int64_t>();
  }
  for (auto [key, member] : {std::pair{"threshold", &RobustZScoreConfig::threshold},
                             std::pair{"min_scale", &RobustZScoreConfig::min_scale}}) {
    const auto it = c.find(key);
    if (it == c.end() || !it->is_number()) return bad(std::string("config.") + key, "is not a number");
    cfg.*member = it->get<double>();
  }
  return cfg;
}

Status refill(RollingWindow& w, const nlohmann::json& values, std::string_view field) {
  if (!values.is_array()) return bad(field, "is not an array");
  if (values.size() > w.capacity()) return bad(field, "holds more values than its window");
  for (const auto& v : values) {
    if (!v.is_number()) return bad(field, "holds a non-number");
    w.push(v.get<double>());
  }
  return ok_status();
}

}  // namespace

Result<RobustZScore> RobustZScore::load(std::string_view bytes) {
  auto env = registry::unwrap_model(bytes, kKind, kFormatVersion);
  if (!env.ok()) return env.error();
  const auto body = nlohmann::json::parse(env->body_json);
  auto cfg = config_from(body.contains("config") ? body["config"] : nlohmann::json());
  if (!cfg.ok()) return cfg.error();
  RobustZScore d(*cfg);
  const auto slots = body.find("slots");
  if (slots == body.end() || !slots->is_array() || slots->size() != d.slots_.size())
    return bad("slots", "is not an array of " + std::to_string(d.slots_.size()) + " windows");
  for (size_t i = 0; i < d.slots_.size(); ++i)
    ENVMON_TRY(refill(d.slots_[i], (*slots)[i], "slots[" + std::to_string(i) + "]"));
  ENVMON_TRY(refill(d.recent_, body.value("recent", nlohmann::json()), "recent"));
  ENVMON_TRY(refill(d.levels_, body.value("levels", nlohmann::json()), "levels"));
  ENVMON_TRY(refill(d.residuals_, body.value("residuals", nlohmann::json()), "residuals"));
  const auto points = body.find("points");
  if (points == body.end() || !points->is_number_unsigned()) return bad("points", "is not a count");
  d.points_ = points->get<size_t>();
  return d;
}

}  // namespace envmon::models::robust_zscore
