// bench/run forecast-peer: envmon's Prophet-style additive model against Prophet itself on the
// same series and the same rolling origins, plus the ensemble and the seasonal naive baseline.
// Prints JSON lines {"name","value","unit"}: per-series figures, then means over the series
// and the fit/predict time ratios.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "eval/forecast/backtest.h"
#include "eval/forecast/model_factory.h"
#include "features/features.h"
#include "models/additive/additive.h"

namespace {

namespace fs = std::filesystem;
namespace eval = envmon::eval;
namespace features = envmon::features;
namespace models = envmon::models;

struct Case {
  std::string file;  // under the timeseries folder
  std::string target;
};

void figure(const std::string& name, double value, const std::string& unit) {
  nlohmann::ordered_json j = {{"name", name}, {"value", value}, {"unit", unit}};
  std::cout << j.dump() << std::endl;
}

// series.csv (local time, empty = missing) and splits.json for the Python peer.
void write_peer_inputs(const fs::path& dir, const models::History& h,
                       const eval::BacktestResult& r, int64_t horizon, bool yearly) {
  std::ofstream csv(dir / "series.csv");
  csv << "ds,y\n";
  for (size_t i = 0; i < h.size(); ++i) {
    const auto cal = features::local_calendar(h.time_at(i), h.utc_offset_secs);
    const int64_t local = h.time_at(i) + h.utc_offset_secs;
    const envmon::CivilDate d = envmon::civil_from_days(local >= 0 ? local / 86400 : (local - 86399) / 86400);
    char ds[32];
    std::snprintf(ds, sizeof ds, "%04d-%02u-%02u %02d:00:00", d.year, d.month, d.day, cal.hour);
    csv << ds << ",";
    if (std::isfinite(h.y[i])) csv << h.y[i];
    csv << "\n";
  }
  nlohmann::json splits = {{"test_origins", r.test_origins},
                           {"window_hours", models::AdditiveConfig{}.window_hours},
                           {"horizon", horizon},
                           {"yearly", yearly},
                           {"mase_scale", r.mase_scale}};
  std::ofstream(dir / "splits.json") << splits.dump();
}

std::map<std::string, double> run_peer(const std::string& python, const std::string& script,
                                       const fs::path& dir) {
  const std::string cmd = "'" + python + "' '" + script + "' '" + dir.string() + "'";
  std::map<std::string, double> out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char line[4096];
  while (std::fgets(line, sizeof line, p) != nullptr) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("name") && j["value"].is_number()) out[j["name"]] = j["value"];
  }
  if (pclose(p) != 0) std::cerr << "forecast-peer: the Prophet peer failed on " << dir << "\n";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> opt = {
      {"--python", "python3"},
      {"--peer", "bench/forecast_peer/prophet_peer.py"},
      {"--data", "../shared/data/timeseries"},
      {"--test-origins", "3"},
      {"--validation-origins", "3"}};
  for (int i = 1; i + 1 < argc; i += 2) opt[argv[i]] = argv[i + 1];
  const std::vector<Case> cases = {
      {"beijing_multisite/PRSA_Data_Aotizhongxin_20130301-20170228.csv", "pm25"},
      {"beijing_us_embassy_2010_2014/PRSA_data_2010.1.1-2014.12.31.csv", "pm25"},
      {"beijing_multisite/PRSA_Data_Dongsi_20130301-20170228.csv", "temperature"},
      {"noaa_isd_valdez/999999-26442.csv", "temperature"}};
  eval::BacktestConfig config;
  config.test_origins = std::stoll(opt["--test-origins"]);
  config.validation_origins = std::stoll(opt["--validation-origins"]);
  std::map<std::string, std::vector<double>> per_series;
  const fs::path tmp = fs::temp_directory_path() / ("envmon-forecast-peer-" + std::to_string(getpid()));
  for (const auto& c : cases) {
    const std::string path = opt["--data"] + "/" + c.file;
    auto d = eval::read_dataset(path);
    if (!d.ok()) {
      std::cerr << "forecast-peer: " << d.error().to_string() << "\n";
      return 1;
    }
    auto h = eval::dataset_history(*d, c.target);
    if (!h.ok()) return 1;
    std::vector<eval::ModelEntry> entries;
    for (const auto& name : eval::forecast_model_names()) {
      entries.push_back({name, [name] { return eval::make_model(name, eval::ModelOptions{}); }});
    }
    auto r = eval::run_backtest(*h, entries, config, true);
    // Prophet's own forecast (no residual correction), outside the ensemble.
    auto plain = eval::run_backtest(
        *h, {{"additive_plain", [] { return eval::make_model("additive_plain", {}); }}}, config, false);
    if (!r.ok() || !plain.ok()) {
      std::cerr << "forecast-peer: " << (r.ok() ? plain.error() : r.error()).to_string() << "\n";
      return 1;
    }
    r->scores.push_back(plain->scores.front());
    const std::string tag = d->name + "_" + c.target;
    const size_t origins = r->test_origins.size() + r->validation_origins.size();
    for (const auto& s : r->scores) {
      figure("mase_" + s.model + "/" + tag, s.test.mase, "ratio");
      per_series["mase_" + s.model].push_back(s.test.mase);
      per_series["coverage_80_" + s.model].push_back(s.test.coverage);
      if (s.model == "additive" || s.model == "additive_plain") {
        per_series["fit_seconds_" + s.model].push_back(s.fit_seconds / static_cast<double>(origins));
        per_series["predict_seconds_" + s.model].push_back(s.predict_seconds / static_cast<double>(origins));
      }
    }
    fs::create_directories(tmp);
    const bool yearly = std::min<int64_t>(static_cast<int64_t>(r->test_origins.front()),
                                          models::AdditiveConfig{}.window_hours) >= 365 * 24;
    write_peer_inputs(tmp, *h, *r, config.horizon, yearly);
    const auto peer = run_peer(opt["--python"], opt["--peer"], tmp);
    for (const auto& [name, value] : peer) {
      per_series[name].push_back(value);
      if (name == "mase_prophet") figure("mase_prophet/" + tag, value, "ratio");
    }
  }
  fs::remove_all(tmp);
  const auto mean = [&](const std::string& k) {
    const auto& v = per_series[k];
    double sum = 0;
    for (double x : v) sum += x;
    return v.empty() ? std::nan("") : sum / static_cast<double>(v.size());
  };
  for (const char* m : {"additive", "additive_plain", "prophet", "ensemble", "seasonal_naive", "holt_winters", "lstm"}) {
    figure(std::string("mase_") + m, mean(std::string("mase_") + m), "ratio");
  }
  figure("coverage_80", mean("coverage_80_additive"), "fraction");
  figure("coverage_80_additive_plain", mean("coverage_80_additive_plain"), "fraction");
  figure("coverage_80_prophet", mean("coverage_80_prophet"), "fraction");
  figure("coverage_80_ensemble", mean("coverage_80_ensemble"), "fraction");
  figure("fit_seconds_additive", mean("fit_seconds_additive"), "s");
  figure("fit_seconds_prophet", mean("fit_seconds_prophet"), "s");
  figure("additive_fit_speedup_vs_prophet", mean("fit_seconds_prophet") / mean("fit_seconds_additive"), "x");
  figure("additive_predict_speedup_vs_prophet",
         mean("predict_seconds_prophet") / mean("predict_seconds_additive"), "x");
  return 0;
}
