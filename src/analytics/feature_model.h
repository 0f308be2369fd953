#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "features/features.h"
#include "model/metric.h"
#include "models/isolation_forest/isolation_forest.h"
#include "registry/registry.h"

namespace envmon::analytics {

// An isolation forest over hourly feature vectors from src/features: the same FeatureSpec and
// columns build the training matrix offline (compute_features on a RawFrame) and each closed
// hour's vector online (OnlineFeatures), so both score the same hour the same.
struct FeatureModel {
  features::FeatureSpec spec;
  std::vector<std::string> columns;  // feature names the forest sees, in order
  std::vector<size_t> index;         // their positions in feature_names(spec)
  models::isolation_forest::IsolationForest forest;

  Metric target() const;
  // Hours from the start of a series before its vectors are used (trained on or scored): the
  // longest lag or window, so partly filled rolling statistics never pass for anomalies.
  size_t warmup_hours() const;
  // The forest's input from one row of all features; false when a column is missing (NaN).
  bool select(const double* all_features, std::vector<double>& out) const;
  // Names for explanations: the target's own features carry its metric ("value" -> "pm25",
  // "lag_1" -> "pm25_lag_1"), so an explanation names the metric that drove it.
  std::vector<std::string> display_names() const;
};

struct FeatureModelTraining {
  features::FeatureSpec spec;
  std::vector<std::string> columns;  // candidates; those present in < half the hours are dropped
  models::isolation_forest::IsolationForestConfig forest;
};
// Spec and columns `envmon train anomaly` uses unless told otherwise.
FeatureModelTraining default_training();

struct TrainedFeatureModel {
  FeatureModel model;
  size_t rows = 0;                    // complete hourly vectors trained on
  std::vector<std::string> dropped;   // candidate columns left out (mostly missing)
};
// Fits on every complete hourly vector of the frames. Errors when no column or row remains.
Result<TrainedFeatureModel> train_feature_model(const std::vector<features::RawFrame>& frames,
                                                const FeatureModelTraining& training);

// Offline scores of every hour of a frame (NaN where the vector is incomplete): what the online
// stage computes for the same hours.
std::vector<double> score_frame(const FeatureModel& model, const features::RawFrame& frame);

// The registry form: artifact "model.json" (envelope kind "feature_iforest": spec, columns) and
// "forest.bin" (IsolationForest::save) in one run of experiment "anomaly_iforest"; the model
// name's alias "champion" moves to the new version.
struct RegisteredFeatureModel {
  std::string run_id;
  int64_t version = 0;
};
Result<RegisteredFeatureModel> register_feature_model(registry::Registry& reg,
                                                      const std::string& name,
                                                      const TrainedFeatureModel& trained,
                                                      const std::string& data_name);
// `version_or_alias`: "3", an alias, or "latest". Errors name the model and what is wrong.
Result<std::shared_ptr<const FeatureModel>> load_feature_model(registry::Registry& reg,
                                                               const std::string& name,
                                                               const std::string& version_or_alias);

}  // namespace envmon::analytics
