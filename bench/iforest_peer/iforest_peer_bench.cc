// bench/run iforest-peer: envmon's isolation forest against scikit-learn's IsolationForest on
// the same data and split (same trees and sample size). Both forests' test scores go through
// the same ROC AUC code. Prints fit and predict times, the AUCs and the speed-up.
//
// Data: 8 correlated features from three Gaussian clusters; 1% of the rows are anomalies (one
// or two features pushed 3-5 sigma off their cluster, some scattered uniformly). The forest
// fits on a contaminated training part and scores a separate test part (50,000 rows each by
// default; bench/run iforest-peer TRAIN_ROWS TEST_ROWS [SEEDS]). Times are CPU seconds of one
// thread on both sides (envmon's forest is single-threaded; so is scikit-learn's at n_jobs=None).
#include <algorithm>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "eval/nab/roc_auc.h"
#include "models/isolation_forest/isolation_forest.h"

namespace {

namespace fs = std::filesystem;
namespace iforest = envmon::models::isolation_forest;
constexpr size_t kCols = 8;

struct Split {
  std::vector<double> x;
  std::vector<int> y;
};

Split make_rows(size_t rows, std::mt19937_64& rng) {
  std::normal_distribution<double> g(0.0, 1.0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double centres[3][2] = {{0, 0}, {6, -2}, {-4, 5}};
  Split s;
  for (size_t r = 0; r < rows; ++r) {
    const auto& c = centres[static_cast<size_t>(u(rng) * 3) % 3];
    const double base = g(rng);
    std::vector<double> row(kCols);
    for (size_t k = 0; k < kCols; ++k) row[k] = c[k % 2] + 0.7 * base + 0.7 * g(rng);
    int label = 0;
    if (u(rng) < 0.01) {
      label = 1;
      if (u(rng) < 0.2) {
        for (double& v : row) v = -10 + 20 * u(rng);
      } else {
        const size_t f = static_cast<size_t>(u(rng) * kCols) % kCols;
        row[f] += (u(rng) < 0.5 ? -1 : 1) * (3 + 2 * u(rng));
        if (u(rng) < 0.5) row[(f + 3) % kCols] += 3 + 2 * u(rng);
      }
    }
    s.x.insert(s.x.end(), row.begin(), row.end());
    s.y.push_back(label);
  }
  return s;
}

void write_csv(const fs::path& p, const std::vector<double>& x) {
  std::ofstream out(p);
  out.precision(17);
  for (size_t i = 0; i < x.size(); ++i) out << x[i] << ((i + 1) % kCols == 0 ? '\n' : ',');
}

// CPU time of this process: the machine is shared, so wall time would measure the neighbours.
double cpu_secs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

std::string run(const std::string& cmd) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  if (!p) return out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p.get())) out.append(buf, n);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

double json_number(const std::string& json, const std::string& key) {
  const auto at = json.find("\"" + key + "\":");
  return at == std::string::npos ? -1 : std::stod(json.substr(at + key.size() + 3));
}

void emit(const char* name, double value, const char* unit) {
  std::printf("{\"name\": \"%s\", \"value\": %.6g, \"unit\": \"%s\"}\n", name, value, unit);
}

double sample_sd(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  double mean = 0, ss = 0;
  for (double x : v) mean += x / static_cast<double>(v.size());
  for (double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

}  // namespace

int main(int argc, char** argv) {
  const size_t train_rows = argc > 1 ? std::stoul(argv[1]) : 50000;
  const size_t test_rows = argc > 2 ? std::stoul(argv[2]) : 50000;
  std::vector<int64_t> seeds(argc > 3 ? std::stoul(argv[3]) : 3);
  std::iota(seeds.begin(), seeds.end(), int64_t{1});
  std::string seed_list;
  for (int64_t s : seeds) seed_list += (seed_list.empty() ? "" : ",") + std::to_string(s);
  iforest::IsolationForestConfig cfg;  // 100 trees, psi 256
  std::mt19937_64 rng(20241201);
  const Split train = make_rows(train_rows, rng);
  const Split test = make_rows(test_rows, rng);

  // Per seed one fit and one scoring pass; times are the smallest, AUC the mean over seeds.
  double fit_secs = 1e9, predict_secs = 1e9, auc = 0;
  std::vector<double> scores(test.y.size()), aucs;
  for (int64_t seed : seeds) {
    cfg.seed = seed;
    double t0 = cpu_secs();
    auto forest = iforest::IsolationForest::fit({train.x, kCols}, cfg);
    fit_secs = std::min(fit_secs, cpu_secs() - t0);
    if (!forest.ok()) {
      std::fprintf(stderr, "fit: %s\n", forest.error().to_string().c_str());
      return 1;
    }
    t0 = cpu_secs();
    forest->score_batch({test.x, kCols}, scores);
    predict_secs = std::min(predict_secs, cpu_secs() - t0);
    aucs.push_back(envmon::eval::roc_auc(scores, test.y));
    auc += aucs.back() / static_cast<double>(seeds.size());
  }

  const fs::path dir = fs::temp_directory_path() / ("envmon-iforest-peer-" + std::to_string(getpid()));
  fs::create_directories(dir);
  write_csv(dir / "train.csv", train.x);
  write_csv(dir / "test.csv", test.x);
  const std::string src = ENVMON_SOURCE_DIR;
  const std::string python = run(src + "/bench/iforest_peer/setup");
  const std::string peer = run(python + " " + src + "/bench/iforest_peer/sklearn_peer.py " +
                               (dir / "train.csv").string() + " " + (dir / "test.csv").string() +
                               " " + (dir / "scores").string() + " " + std::to_string(cfg.trees) +
                               " " + std::to_string(cfg.sample_size) + " " + seed_list);
  double auc_sklearn = 0;
  std::vector<double> sk_aucs;
  for (int64_t seed : seeds) {
    std::vector<double> peer_scores;
    std::ifstream in(dir / ("scores." + std::to_string(seed)));
    for (double v; in >> v;) peer_scores.push_back(v);
    if (peer_scores.size() != test.y.size()) {
      std::fprintf(stderr, "sklearn peer failed: %s\n", peer.c_str());
      fs::remove_all(dir);
      return 1;
    }
    sk_aucs.push_back(envmon::eval::roc_auc(peer_scores, test.y));
    auc_sklearn += sk_aucs.back() / static_cast<double>(seeds.size());
  }
  fs::remove_all(dir);
  const double sk_fit = json_number(peer, "fit_secs");
  const double sk_predict = json_number(peer, "predict_secs");
  std::fprintf(stderr,
               "train=%zu test=%zu features=%zu trees=%lld psi=%lld seeds=%s kernel=%s peer=%s\n",
               train_rows, test_rows, kCols, static_cast<long long>(cfg.trees),
               static_cast<long long>(cfg.sample_size), seed_list.c_str(),
               iforest::kernels::avx512_available() ? "avx512" : "scalar", peer.c_str());
  emit("iforest_fit_secs", fit_secs, "s");
  emit("iforest_predict_secs", predict_secs, "s");
  emit("sklearn_fit_secs", sk_fit, "s");
  emit("sklearn_predict_secs", sk_predict, "s");
  const double fit_ratio = sk_fit / fit_secs, predict_ratio = sk_predict / predict_secs;
  emit("iforest_fit_speedup_vs_sklearn", fit_ratio, "x");
  emit("iforest_predict_speedup_vs_sklearn", predict_ratio, "x");
  emit("iforest_total_speedup_vs_sklearn", (sk_fit + sk_predict) / (fit_secs + predict_secs), "x");
  // The headline is the smaller ratio: the target is to fit and to score 20x faster.
  emit("iforest_speedup_vs_sklearn", std::min(fit_ratio, predict_ratio), "x");
  emit("auc_iforest", auc, "auc");
  emit("auc_sklearn", auc_sklearn, "auc");
  // The spread over seeds says whether a difference of the means is noise.
  emit("auc_iforest_sd", sample_sd(aucs), "auc");
  emit("auc_sklearn_sd", sample_sd(sk_aucs), "auc");
  return 0;
}
