#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "eval/nab/nab_corpus.h"
#include "eval/nab/nab_detectors.h"
#include "eval/nab/nab_scorer.h"

namespace envmon::eval::nab {

// The detector `envmon eval anomaly` uses unless told otherwise: the best causal one.
inline constexpr const char* kDefaultDetector = "artime";

// Runs a detector over every series of the corpus and scores it under every profile.
Result<std::vector<ProfileResult>> evaluate(const Corpus& corpus, const std::string& detector,
                                            const DetectorParams& params);

// The tunable detector parameters by flag name (window-rows, short-rows, long-rows,
// suppress-rows, lags), for the command line and the benchmark.
std::vector<std::string> detector_param_names();
Status set_detector_param(DetectorParams& params, const std::string& name, double value);

// Options with a word value: input-range (probation | series).
std::vector<std::string> detector_option_names();
Status set_detector_option(DetectorParams& params, const std::string& name,
                           const std::string& value);

// "standard" -> "nab_standard", "reward_low_FP_rate" -> "nab_low_fp", ... (figure names).
std::string figure_name(const std::string& profile);

}  // namespace envmon::eval::nab
