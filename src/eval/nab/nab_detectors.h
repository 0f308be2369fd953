#pragma once

#include <string>
#include <vector>

#include "config/schema.h"
#include "core/result.h"
#include "eval/nab/nab_corpus.h"

namespace envmon::eval::nab {

// Detectors run over one NAB series as a stream: row t's score uses rows 0..t only (models are
// fitted on the probationary rows, which NAB does not score). Every score is in [0, 1].
//
// Each detector is one or more components combined row by row (mean or max), then repeat
// suppression:
//  - a component is a raw deviation (robust z-score, isolation forest or autoencoder score of
//    lagged residuals) turned into a novelty in [0, 1] (how far its short-term mean sits above
//    its history), or a score that already is one (context novelty, KNN CAD p-value);
//  - suppression: a row keeps its score only if it beats every score of the previous rows
//    within the suppression span, so one event fires once instead of once per row (NAB charges
//    every false-positive row).
// How the raw deviation becomes a score comparable across series.
enum class Novelty {
  gaussian,  // (short mean - long mean) / long sd, Numenta's anomaly likelihood idea
  record,    // short mean relative to the largest short mean of the long window
  likelihood,  // models/anomaly_likelihood (Numenta's), log-scaled
  none,        // the raw score as it is (detectors whose score is already in [0, 1])
};

// The value range quantising detectors (context, cad_ose) use. `probation`: the min..max of the
// probationary rows, causal, what a live stream can do (the product's figure). `series`: the
// whole file's min..max, NAB's runner convention (it passes inputMin/inputMax of the data file
// to every detector; CAD OSE and HTM use them), not available to a live stream.
enum class InputRange { probation, series };

struct DetectorParams {
  Novelty novelty = Novelty::record;
  InputRange input_range = InputRange::probation;
  size_t window_rows = 288;      // trailing window of the robust z-score
  size_t short_rows = 5;         // short-term mean of the likelihood
  size_t long_rows = 2000;       // long-term distribution of the likelihood
  size_t suppress_rows = 200;    // repeat suppression span
  size_t lags = 6;               // iforest: lagged residuals per feature vector
};

std::vector<std::string> detector_names();  // sorted; src/eval/nab/README.md lists them
// The detectors that quantise over a value range (InputRange applies to them only); any other
// detector run with InputRange::series is an error naming it.
std::vector<std::string> ranged_detector_names();

// An unknown name (the error lists the names), or InputRange::series for a detector without a
// value range (the error names it and those with one), is an error.
Status check_detector(const std::string& name, const DetectorParams& params);

// `envmon config schema` sections of the detectors only evaluation runs (eval.anomaly.cad_ose,
// ...): each description says so; the command runs them at these defaults (fit or learning
// period: NAB's probationary rows), no config file section reads them.
std::vector<config::SchemaDoc> nab_detector_schema_docs();

// Scores one series with the named detector; check_detector's errors first.
Result<std::vector<double>> run_detector(const std::string& name, const Series& s,
                                         const DetectorParams& params);

// Stages, exposed for tests.
std::vector<double> trailing_robust_z(const std::vector<double>& x, size_t window);
std::vector<double> anomaly_likelihood(const std::vector<double>& raw, size_t short_rows,
                                       size_t long_rows);
std::vector<double> record_novelty(const std::vector<double>& raw, size_t short_rows,
                                   size_t long_rows);
void suppress_repeats(std::vector<double>& scores, size_t span);

}  // namespace envmon::eval::nab
