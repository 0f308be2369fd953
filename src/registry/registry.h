#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace envmon::registry {

// The model registry: MLflow's tracking and model-registry concepts behind one interface, so the
// file backend (src/registry/file) can be swapped for an MLflow server without touching callers.
//
//   experiment  a named group of runs ("forecast_pm25", "station_clusters")
//   run         one training: parameters (strings, set once), metrics (numeric histories by step),
//               tags (mutable strings), artifacts (named byte blobs) and a final status
//   registered model  a name with versions 1, 2, ... each pointing at (run, artifact); aliases
//               ("champion", "staging") point at one version and can be moved
//
// Every method returns errors as values: not_found for a missing experiment/run/model/version/
// alias, invalid_argument for a bad name or a run that is not running, decode_* for a corrupt
// file on disk (naming the file), io for the file system.

enum class RunStatus { running, finished, failed, killed };
std::string_view run_status_name(RunStatus s);
Result<RunStatus> parse_run_status(std::string_view text);

struct Experiment {
  std::string id;
  std::string name;
  Timestamp created_at{};
};

struct MetricPoint {
  double value = 0;
  int64_t step = 0;
  Timestamp at{};
};

struct Run {
  std::string run_id;
  std::string experiment_id;
  std::string run_name;
  RunStatus status = RunStatus::running;
  Timestamp start_time{};
  std::optional<Timestamp> end_time;
  std::map<std::string, std::string> params;
  std::map<std::string, std::string> tags;
  std::map<std::string, std::vector<MetricPoint>> metrics;  // history in logging order
  std::vector<std::string> artifacts;                       // names, sorted

  // The last logged value of a metric (MLflow's "latest metric").
  std::optional<double> latest(const std::string& key) const;
};

struct ModelVersion {
  std::string name;
  int64_t version = 0;
  std::string run_id;
  std::string artifact;  // artifact name inside the run
  Timestamp created_at{};
  std::vector<std::string> aliases;  // sorted
};

// search_runs: runs of one experiment, optionally filtered, newest first.
struct RunQuery {
  std::string experiment_id;
  std::optional<RunStatus> status;
  std::map<std::string, std::string> tags;  // every tag must match exactly
  size_t limit = 1000;
};

class Registry {
 public:
  virtual ~Registry() = default;

  // Experiments. Names are unique; create fails with invalid_argument if the name exists.
  virtual Result<std::string> create_experiment(const std::string& name) = 0;
  virtual Result<Experiment> experiment_by_name(const std::string& name) = 0;
  virtual Result<std::vector<Experiment>> experiments() = 0;

  // Runs. Logging into a run that has ended is invalid_argument (as in MLflow).
  virtual Result<std::string> create_run(const std::string& experiment_id,
                                         const std::string& run_name) = 0;
  // A parameter is set once; logging the same key again with another value is invalid_argument.
  virtual Status log_param(const std::string& run_id, const std::string& key,
                           const std::string& value) = 0;
  virtual Status log_metric(const std::string& run_id, const std::string& key, double value,
                            int64_t step = 0) = 0;
  virtual Status set_tag(const std::string& run_id, const std::string& key,
                         const std::string& value) = 0;
  // Artifacts are write-once: the same name twice is invalid_argument.
  virtual Status log_artifact(const std::string& run_id, const std::string& name,
                              std::string_view bytes) = 0;
  virtual Result<std::string> load_artifact(const std::string& run_id,
                                            const std::string& name) = 0;
  virtual Status end_run(const std::string& run_id, RunStatus status) = 0;
  virtual Result<Run> get_run(const std::string& run_id) = 0;
  virtual Result<std::vector<Run>> search_runs(const RunQuery& query) = 0;

  // Registered models. register_model creates the model on first use; versions count from 1.
  // The artifact must exist in the run.
  virtual Result<int64_t> register_model(const std::string& name, const std::string& run_id,
                                         const std::string& artifact) = 0;
  virtual Status set_alias(const std::string& name, const std::string& alias,
                           int64_t version) = 0;
  virtual Result<ModelVersion> get_model_version(const std::string& name, int64_t version) = 0;
  virtual Result<ModelVersion> get_model_version_by_alias(const std::string& name,
                                                          const std::string& alias) = 0;
  // Every version of a model, oldest first.
  virtual Result<std::vector<ModelVersion>> model_versions(const std::string& name) = 0;
};

// Conveniences over the interface (work with any backend).
Result<std::string> get_or_create_experiment(Registry& reg, const std::string& name);
// "3" is a version number, anything else an alias, "latest" the newest version.
Result<ModelVersion> resolve_model(Registry& reg, const std::string& name,
                                   const std::string& version_or_alias);
// The bytes of a registered model's artifact.
Result<std::string> load_model_bytes(Registry& reg, const ModelVersion& mv);

// Names of experiments, models, keys, aliases and artifacts: 1..200 chars of [A-Za-z0-9_.-],
// not starting with '.'. Checked by every backend so a name is always a safe file name.
Status check_name(std::string_view what, std::string_view name);

}  // namespace envmon::registry
