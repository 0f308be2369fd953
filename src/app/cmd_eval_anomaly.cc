// `envmon eval anomaly --nab DIR [--detector NAME]`: the Numenta Anomaly Benchmark score of a
// detector on a NAB-layout folder (data/, labels/combined_windows.json, config/profiles.json),
// one JSON line per profile: nab_standard, nab_low_fp, nab_low_fn. Details go to stderr.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "app/cli.h"
#include "app/commands.h"
#include "eval/nab/nab_eval.h"

namespace envmon::app {
namespace {

Result<eval::nab::DetectorParams> detector_params(const Args& args) {
  eval::nab::DetectorParams p;
  for (const auto& name : eval::nab::detector_param_names()) {
    if (!args.has(name)) continue;
    auto v = args.number(name, 0, 1, 1e6);
    if (!v.ok()) return v.error();
    ENVMON_TRY(eval::nab::set_detector_param(p, name, *v));
  }
  for (const auto& name : eval::nab::detector_option_names()) {
    if (auto v = args.get(name)) ENVMON_TRY(eval::nab::set_detector_option(p, name, *v));
  }
  return p;
}

}  // namespace

int cmd_eval_anomaly(const std::vector<std::string>& words) {
  std::vector<std::string> valued{"nab", "detector"};
  for (const auto& name : eval::nab::detector_param_names()) valued.push_back(name);
  for (const auto& name : eval::nab::detector_option_names()) valued.push_back(name);
  auto args = parse_args(words, valued, {});
  if (!args.ok() || !args->has("nab")) {
    std::cerr << "envmon eval anomaly: "
              << (args.ok() ? "needs --nab DIR" : args.error().message()) << "\n"
              << "usage: envmon eval anomaly --nab DIR [--detector NAME] [--window-rows N] "
                 "[--short-rows N] [--long-rows N] [--suppress-rows N] [--lags N] "
                 "[--input-range probation|series]\n";
    return 2;
  }
  auto params = detector_params(*args);
  if (!params.ok()) {
    std::cerr << "envmon eval anomaly: " << params.error().message() << "\n";
    return 2;
  }
  const std::string detector = args->get("detector").value_or(eval::nab::kDefaultDetector);
  if (Status ok = eval::nab::check_detector(detector, *params); !ok.ok()) {
    std::cerr << "envmon eval anomaly: " << ok.error().message() << "\n";
    return 2;
  }
  auto corpus = eval::nab::load_corpus(*args->get("nab"));
  if (!corpus.ok()) {
    std::cerr << "envmon eval anomaly: " << corpus.error().message() << "\n";
    return 1;
  }
  auto results = eval::nab::evaluate(*corpus, detector, *params);
  if (!results.ok()) {
    std::cerr << "envmon eval anomaly: " << results.error().message() << "\n";
    return 1;
  }
  std::cerr << "detector=" << detector
            << " input_range=" << args->get("input-range").value_or("probation")
            << " series=" << corpus->series.size()
            << " windows=" << corpus->window_count() << "\n";
  for (const auto& r : *results) {
    std::cerr << "profile=" << r.profile << " threshold=" << r.threshold << " raw=" << r.raw
              << " raw_null=" << r.raw_null << " windows_detected=" << r.windows_detected << "/"
              << r.windows << " fp_rows=" << r.false_positive_rows << "\n";
    std::printf("{\"name\": \"%s\", \"value\": %.2f, \"unit\": \"score\"}\n",
                eval::nab::figure_name(r.profile).c_str(), r.score);
  }
  return 0;
}

}  // namespace envmon::app
