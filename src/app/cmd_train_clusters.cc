// `envmon train clusters`: KMeans of stations by their daily and weekly profiles, from the store,
// logged to the model registry; the labels go back to the store for GET /api/v1/clusters.
#include <iostream>

#include "analytics/analytics_config.h"
#include "analytics/station_clusters.h"
#include "app/cmd_common.h"
#include "app/commands.h"
#include "app/components.h"

namespace envmon::app {

namespace {

constexpr const char* kClustersUsage =
    "usage: envmon train clusters [--config FILE] [--data-dir DIR] [--registry DIR]\n"
    "                             [--metric pm25] [--days 28] [--k-min 2] [--k-max 8]\n"
    "                             [--restarts 10] [--seed 42] [--min-hours 24]\n"
    "  Clusters stations by the daily (24 h) and weekly (7 day) shape of a metric's hourly\n"
    "  aggregates, k by silhouette; registers model station_clusters_<metric> and stores labels.\n";

void figure(const std::string& name, double value, const std::string& unit) {
  std::cout << R"({"name":")" << name << R"(","value":)" << value << R"(,"unit":")" << unit
            << "\"}\n";
}

// Flags override the config's `analytics.clusters` block.
Result<analytics::ClusterRequest> request_from(const Args& args, const config::AppConfig& app) {
  auto acfg = analytics::parse_analytics_config(app.analytics);
  if (!acfg.ok()) return acfg.error();
  analytics::ClusterRequest req;
  req.kmeans = acfg->clusters;
  const auto metric = parse_metric(args.get("metric").value_or("pm25"));
  if (!metric) return Error(Errc::invalid_argument, "--metric: unknown metric '" + *args.get("metric") + "'");
  req.metric = *metric;
  auto num = [&](const char* flag, int64_t& target, double lo, double hi) -> Status {
    auto v = args.number(flag, static_cast<double>(target), lo, hi);
    if (!v.ok()) return v.error();
    target = static_cast<int64_t>(*v);
    return ok_status();
  };
  ENVMON_TRY(num("days", req.days, 1, 3650));
  ENVMON_TRY(num("min-hours", req.min_hours, 1, 100000));
  ENVMON_TRY(num("k-min", req.kmeans.k_min, 2, 1000));
  ENVMON_TRY(num("k-max", req.kmeans.k_max, 2, 1000));
  ENVMON_TRY(num("restarts", req.kmeans.restarts, 1, 1000));
  ENVMON_TRY(num("seed", req.kmeans.seed, 0, 4294967295.0));
  if (req.kmeans.k_min > req.kmeans.k_max)
    return Error(Errc::invalid_argument, "--k-min must not exceed --k-max");
  req.now = SystemClock().now();
  return req;
}

}  // namespace

int train_clusters(const std::vector<std::string>& words) {
  auto args = parse_args(words, {"config", "data-dir", "registry", "metric", "days", "k-min",
                                 "k-max", "restarts", "seed", "min-hours", "log-level"}, {});
  if (!args.ok()) {
    std::cerr << kClustersUsage;
    return fail(args.error(), 2);
  }
  auto app = load_app_config(*args, false);
  if (!app.ok()) return fail(app.error(), 2);
  if (auto dir = args->get("data-dir")) app->data_dir = *dir;
  if (Status s = apply_log_level(args->get("log-level").value_or("warn")); !s.ok()) return fail(s.error(), 2);
  auto req = request_from(*args, *app);
  if (!req.ok()) return fail(req.error(), 2);
  auto store = make_store(app->store, app->data_dir);
  if (!store.ok()) return fail(store.error(), 2);
  if (Status s = (*store)->open(); !s.ok()) return fail(s.error(), 1);
  auto reg = open_registry(*args, *app);
  if (!reg.ok()) return fail(reg.error(), 2);
  auto out = analytics::train_station_clusters(**store, **reg, *req);
  (*store)->close();
  if (!out.ok()) return fail(out.error(), 1);
  for (const auto& s : out->skipped) std::cerr << "skipped " << s << "\n";
  for (const auto& [k, s] : out->tried) figure("silhouette_k" + std::to_string(k), s, "ratio");
  figure("silhouette", out->silhouette, "ratio");
  figure("k", static_cast<double>(out->k), "clusters");
  figure("stations", static_cast<double>(out->labels.size()), "stations");
  std::cerr << "registered " << out->model_name << " version " << out->version << " (run "
            << out->run_id << "); labels of " << out->labels.size() << " stations stored\n";
  return 0;
}

}  // namespace envmon::app
