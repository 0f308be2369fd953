#pragma once

#include <string>
#include <vector>

namespace envmon::app {

// Each returns the process exit code: 0 success, 1 runtime failure, 2 usage or config error.
enum class RunMode { demo, run, process };
int cmd_demo(const std::vector<std::string>& args, RunMode mode);
int cmd_replay(const std::vector<std::string>& args);
int cmd_config(const std::vector<std::string>& args);
int cmd_list(const std::vector<std::string>& args);
int cmd_backfill(const std::vector<std::string>& args);
// `envmon train clusters` (dispatched by cmd_train).
int train_clusters(const std::vector<std::string>& args);
// `envmon train anomaly` (dispatched by cmd_train).
int train_anomaly(const std::vector<std::string>& args);
int cmd_eval(const std::vector<std::string>& args);
int cmd_eval_anomaly(const std::vector<std::string>& args);
int cmd_eval_forecast(const std::vector<std::string>& args);
int cmd_train(const std::vector<std::string>& args);

}  // namespace envmon::app
