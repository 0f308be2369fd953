// bench/run nab [--nab DIR] [--detector NAME]...: every anomaly detector on a NAB-layout
// corpus (default ../shared/data/nab), scored with NAB's threshold sweep per profile. Prints
// each detector's three scores and run time, then nab_standard, nab_low_fp and nab_low_fn of
// the detector with the best standard score.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "eval/nab/nab_eval.h"
#include "eval/nab/nab_published.h"

namespace {

namespace nab = envmon::eval::nab;

void emit(const std::string& name, double value, const char* unit) {
  std::printf("{\"name\": \"%s\", \"value\": %.2f, \"unit\": \"%s\"}\n", name.c_str(), value, unit);
}

// Numenta HTM's published score on this corpus's files, from a NAB checkout's results/numenta
// (the fair baseline on a part of NAB); a folder without it gets a note instead.
void emit_published_htm(const nab::Corpus& corpus, const std::string& dir) {
  for (const auto& p : corpus.profiles) {
    auto score = nab::published_score(corpus, dir, "numenta", p);
    if (!score.ok()) {
      std::fprintf(stderr, "bench nab: HTM's published score: %s\n",
                   score.error().message().c_str());
    } else if (!score->has_value()) {
      std::fprintf(stderr, "no %s/results/numenta/numenta_%s_scores.csv: HTM's same-part score "
                   "not printed (docs/evaluation.md has it for ../shared/data/nab)\n",
                   dir.c_str(), p.name.c_str());
      return;  // one note: a folder without results has none of the profiles
    } else {
      emit("nab_htm_" + nab::figure_name(p.name).substr(4) + "_same_part", **score,
           "score");
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = std::string(ENVMON_SOURCE_DIR) + "/../shared/data/nab";
  std::vector<std::string> detectors;
  nab::DetectorParams params;
  std::string suffix;  // figure-name suffix of a non-causal convention
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--nab") {
      dir = argv[i + 1];
    } else if (flag == "--detector") {
      detectors.emplace_back(argv[i + 1]);
    } else if (flag == "--input-range") {
      if (auto st = nab::set_detector_option(params, "input-range", argv[i + 1]); !st.ok()) {
        std::fprintf(stderr, "bench nab: %s\n", st.error().message().c_str());
        return 2;
      }
      // NAB's convention (whole-file min..max) is not the product's: its figures say so.
      if (params.input_range == nab::InputRange::series) suffix = ".series_range";
    } else if (auto st = nab::set_detector_param(params, flag.substr(2), std::stod(argv[i + 1]));
               !st.ok()) {
      std::fprintf(stderr, "bench nab: %s\n", st.error().message().c_str());
      return 2;
    }
  }
  if (detectors.empty()) {
    // The series convention applies only to detectors with a value range; the others would
    // score as under the probation range, so they are left out rather than mislabelled.
    detectors = params.input_range == nab::InputRange::series ? nab::ranged_detector_names()
                                                               : nab::detector_names();
  }
  for (const auto& name : detectors) {
    if (auto st = nab::check_detector(name, params); !st.ok()) {
      std::fprintf(stderr, "bench nab: %s\n", st.error().message().c_str());
      return 2;
    }
  }
  auto corpus = nab::load_corpus(dir);
  if (!corpus.ok()) {
    std::fprintf(stderr, "bench nab: %s\n", corpus.error().to_string().c_str());
    return 1;
  }
  std::fprintf(stderr, "corpus=%s series=%zu windows=%zu\n", dir.c_str(), corpus->series.size(),
               corpus->window_count());
  emit_published_htm(*corpus, dir);
  std::vector<nab::ProfileResult> best;
  std::string best_name;
  for (const auto& name : detectors) {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = nab::evaluate(*corpus, name, params);
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!r.ok()) {
      std::fprintf(stderr, "bench nab: %s: %s\n", name.c_str(), r.error().to_string().c_str());
      return 1;
    }
    for (const auto& p : *r) {
      emit(nab::figure_name(p.profile) + "." + name + suffix, p.score, "score");
      std::fprintf(stderr, "  %s %s threshold=%.6g windows=%zu/%zu fp_rows=%zu\n", name.c_str(),
                   p.profile.c_str(), p.threshold, p.windows_detected, p.windows,
                   p.false_positive_rows);
    }
    emit("nab_detector_secs." + name + suffix, secs, "s");
    if (best.empty() || r->front().score > best.front().score) {
      best = *r;
      best_name = name;
    }
  }
  std::fprintf(stderr, "best detector (standard profile): %s\n", best_name.c_str());
  for (const auto& p : best) emit(nab::figure_name(p.profile) + suffix, p.score, "score");
  return 0;
}
