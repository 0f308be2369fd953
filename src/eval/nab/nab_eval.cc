#include "eval/nab/nab_eval.h"

namespace envmon::eval::nab {

Result<std::vector<ProfileResult>> evaluate(const Corpus& corpus, const std::string& detector,
                                            const DetectorParams& params) {
  Scores scores;
  scores.reserve(corpus.series.size());
  for (const auto& s : corpus.series) {
    auto r = run_detector(detector, s, params);
    if (!r.ok()) return r.error().with_context(s.path);
    scores.push_back(std::move(*r));
  }
  std::vector<ProfileResult> out;
  for (const auto& p : corpus.profiles) {
    auto r = score_corpus(corpus.series, scores, p);
    if (!r.ok()) return r.error();
    out.push_back(*r);
  }
  return out;
}

namespace {

struct ParamField {
  const char* name;
  size_t DetectorParams::*field;
};
constexpr ParamField kParams[] = {{"window-rows", &DetectorParams::window_rows},
                                  {"short-rows", &DetectorParams::short_rows},
                                  {"long-rows", &DetectorParams::long_rows},
                                  {"suppress-rows", &DetectorParams::suppress_rows},
                                  {"lags", &DetectorParams::lags}};

}  // namespace

std::vector<std::string> detector_param_names() {
  std::vector<std::string> out;
  for (const auto& p : kParams) out.emplace_back(p.name);
  return out;
}

Status set_detector_param(DetectorParams& params, const std::string& name, double value) {
  if (name == "novelty") {  // 0 gaussian, 1 record, 2 likelihood, 3 none
    if (value != 0 && value != 1 && value != 2 && value != 3) {
      return Error(Errc::invalid_argument,
                   "--novelty: 0 (gaussian), 1 (record), 2 (likelihood), 3 (none)");
    }
    params.novelty = static_cast<Novelty>(static_cast<int>(value));
    return ok_status();
  }
  for (const auto& p : kParams) {
    if (name != p.name) continue;
    if (!(value >= 1 && value <= 1e6) || value != static_cast<double>(static_cast<size_t>(value))) {
      return Error(Errc::invalid_argument, "--" + name + ": expected a whole number 1..1000000");
    }
    params.*p.field = static_cast<size_t>(value);
    return ok_status();
  }
  return Error(Errc::invalid_argument, "unknown detector parameter '" + name + "'");
}

std::vector<std::string> detector_option_names() { return {"input-range"}; }

Status set_detector_option(DetectorParams& params, const std::string& name,
                           const std::string& value) {
  if (name != "input-range") {
    return Error(Errc::invalid_argument, "unknown detector option '" + name + "'");
  }
  if (value == "probation") {
    params.input_range = InputRange::probation;
  } else if (value == "series") {
    params.input_range = InputRange::series;
  } else {
    return Error(Errc::invalid_argument,
                 "--input-range: expected probation or series, got '" + value + "'");
  }
  return ok_status();
}

std::string figure_name(const std::string& profile) {
  if (profile == "standard") return "nab_standard";
  if (profile == "reward_low_FP_rate") return "nab_low_fp";
  if (profile == "reward_low_FN_rate") return "nab_low_fn";
  return "nab_" + profile;
}

}  // namespace envmon::eval::nab
