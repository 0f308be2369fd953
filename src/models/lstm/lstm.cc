// The only file that includes torch: its headers take long to compile.
#include "models/lstm/lstm.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include <torch/torch.h>

#include "features/features.h"

namespace envmon::models {
namespace {

constexpr std::string_view kKind = "lstm";
constexpr int64_t kVersion = 1;
constexpr int64_t kInputs = 6;  // z, missing, hour sin/cos, weekday sin/cos

// Input rows for hours [from, from + n) of a history.
void encode_inputs(const History& h, size_t from, size_t n, double mean, double sd, float* out) {
  for (size_t i = from; i < from + n; ++i) {
    const double y = h.y[i];
    const auto cal = features::local_calendar(h.time_at(i), h.utc_offset_secs);
    const double day = 2 * std::numbers::pi * cal.hour_of_day / 24;
    const double week = 2 * std::numbers::pi * (cal.weekday + cal.hour_of_day / 24) / 7;
    const bool ok = std::isfinite(y);
    *out++ = ok ? static_cast<float>((y - mean) / sd) : 0.0f;
    *out++ = ok ? 0.0f : 1.0f;
    *out++ = static_cast<float>(std::sin(day));
    *out++ = static_cast<float>(std::cos(day));
    *out++ = static_cast<float>(std::sin(week));
    *out++ = static_cast<float>(std::cos(week));
  }
}

// The last finite value in [from, to), standardised; NaN when there is none.
double last_level(const History& h, size_t from, size_t to, double mean, double sd) {
  for (size_t i = to; i > from; --i) {
    if (std::isfinite(h.y[i - 1])) return (h.y[i - 1] - mean) / sd;
  }
  return std::nan("");
}

}  // namespace

struct Lstm::Net : torch::nn::Module {
  Net(int64_t hidden, int64_t layers, int64_t horizon)
      : lstm(register_module("lstm", torch::nn::LSTM(torch::nn::LSTMOptions(kInputs, hidden)
                                                         .num_layers(layers)
                                                         .batch_first(true)))),
        head(register_module("head", torch::nn::Linear(hidden, horizon))) {}
  torch::Tensor forward(const torch::Tensor& x) {
    auto out = std::get<0>(lstm->forward(x));
    return head->forward(out.select(1, out.size(1) - 1));
  }
  torch::nn::LSTM lstm;
  torch::nn::Linear head;
};

Lstm::Lstm(LstmConfig config) : config_(config) {}
Lstm::~Lstm() = default;
Lstm::Lstm(Lstm&&) noexcept = default;
Lstm& Lstm::operator=(Lstm&&) noexcept = default;

namespace {

struct Windows {
  std::vector<size_t> starts;  // index of the first forecast hour of each window
  torch::Tensor x, y, mask;    // [N, L, kInputs], [N, H] relative targets, [N, H] 1 = observed
};

Windows make_windows(const History& h, const LstmConfig& c, double mean, double sd) {
  Windows w;
  const auto L = static_cast<size_t>(c.input_hours), H = static_cast<size_t>(c.horizon);
  for (size_t t = L; t + H <= h.size(); t += static_cast<size_t>(c.stride_hours)) {
    if (count_finite(h.y.subspan(t - L, L)) * 2 < L) continue;
    if (count_finite(h.y.subspan(t, H)) == 0) continue;
    w.starts.push_back(t);
  }
  const auto n = static_cast<int64_t>(w.starts.size());
  w.x = torch::zeros({n, c.input_hours, kInputs});
  w.y = torch::zeros({n, c.horizon});
  w.mask = torch::zeros({n, c.horizon});
  auto xa = w.x.accessor<float, 3>();
  auto ya = w.y.accessor<float, 2>();
  auto ma = w.mask.accessor<float, 2>();
  for (int64_t k = 0; k < n; ++k) {
    const size_t t = w.starts[static_cast<size_t>(k)];
    encode_inputs(h, t - L, L, mean, sd, &xa[k][0][0]);
    const double level = last_level(h, t - L, t, mean, sd);
    for (size_t j = 0; j < H; ++j) {
      const double y = h.y[t + j];
      if (!std::isfinite(y)) continue;
      ya[k][static_cast<int64_t>(j)] = static_cast<float>((y - mean) / sd - level);
      ma[k][static_cast<int64_t>(j)] = 1;
    }
  }
  return w;
}

}  // namespace

Status Lstm::fit(const History& full) {
  torch::manual_seed(config_.seed);
  torch::set_num_threads(static_cast<int>(config_.threads));
  const History h = full.tail(static_cast<size_t>(config_.train_hours));
  std::vector<double> obs;
  for (double v : h.y) {
    if (std::isfinite(v)) obs.push_back(v);
  }
  if (obs.size() < static_cast<size_t>(4 * (config_.input_hours + config_.horizon))) {
    return Error(Errc::invalid_argument, "lstm: too little observed history to train on");
  }
  double sum = 0, ss = 0;
  for (double v : obs) sum += v;
  mean_ = sum / static_cast<double>(obs.size());
  for (double v : obs) ss += (v - mean_) * (v - mean_);
  std_ = std::max(std::sqrt(ss / static_cast<double>(obs.size())), 1e-6);
  Windows all = make_windows(h, config_, mean_, std_);
  const auto n = static_cast<int64_t>(all.starts.size());
  const auto n_hold = std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(n) * config_.holdout_fraction));
  const int64_t n_train = n - n_hold;
  if (n_train < config_.batch) return Error(Errc::invalid_argument, "lstm: too few training windows");
  net_ = std::make_unique<Net>(config_.hidden, config_.layers, config_.horizon);
  torch::optim::Adam opt(net_->parameters(), torch::optim::AdamOptions(config_.learning_rate));
  std::mt19937_64 rng(config_.seed);
  std::vector<int64_t> order(static_cast<size_t>(n_train));
  for (int64_t e = 0; e < config_.epochs; ++e) {
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    double total = 0;
    int batches = 0;
    for (int64_t b = 0; b + config_.batch <= n_train; b += config_.batch) {
      const auto idx = torch::from_blob(order.data() + b, {config_.batch}, torch::kInt64).clone();
      const auto pred = net_->forward(all.x.index_select(0, idx));
      const auto m = all.mask.index_select(0, idx);
      const auto loss = ((pred - all.y.index_select(0, idx)).square() * m).sum() / m.sum().clamp_min(1);
      opt.zero_grad();
      loss.backward();
      opt.step();
      total += loss.item<double>();
      ++batches;
    }
    last_loss_ = batches ? total / batches : 0;
  }
  // Interval calibration on the held-out windows, in data units.
  torch::NoGradGuard no_grad;
  const auto hold = torch::arange(n_train, n, torch::kInt64);
  const auto pred = net_->forward(all.x.index_select(0, hold));
  auto pa = pred.accessor<float, 2>();
  std::vector<std::vector<double>> errors(static_cast<size_t>(config_.horizon));
  for (int64_t k = 0; k < n_hold; ++k) {
    const size_t t = all.starts[static_cast<size_t>(n_train + k)];
    const double level = last_level(h, t - static_cast<size_t>(config_.input_hours), t, mean_, std_);
    for (int64_t j = 0; j < config_.horizon; ++j) {
      const double y = h.y[t + static_cast<size_t>(j)];
      if (std::isfinite(y)) errors[static_cast<size_t>(j)].push_back(y - (pa[k][j] + level) * std_ - mean_);
    }
  }
  intervals_ = StepQuantiles::from_errors(errors);
  return ok_status();
}

Result<Forecast> Lstm::predict(const History& h, int horizon) const {
  if (!net_) return Error(Errc::invalid_argument, "lstm: not fitted");
  const auto L = static_cast<size_t>(config_.input_hours);
  std::vector<double> mean(static_cast<size_t>(horizon), mean_);
  if (h.size() >= L) {
    torch::NoGradGuard no_grad;
    auto x = torch::zeros({1, config_.input_hours, kInputs});
    encode_inputs(h, h.size() - L, L, mean_, std_, x.data_ptr<float>());
    double level = last_level(h, h.size() - L, h.size(), mean_, std_);
    if (!std::isfinite(level)) level = 0;  // nothing observed lately: forecast around the mean
    const auto out = net_->forward(x);
    auto a = out.accessor<float, 2>();
    for (int s = 0; s < horizon; ++s) {
      const int64_t j = std::min<int64_t>(s, config_.horizon - 1);
      mean[static_cast<size_t>(s)] = (a[0][j] + level) * std_ + mean_;
    }
  }
  return intervals_.around(std::move(mean));
}

std::string Lstm::save() const {
  nlohmann::json params = nlohmann::json::object();
  if (net_) {
    for (const auto& p : net_->named_parameters()) {
      const auto t = p.value().detach().contiguous();
      std::vector<float> values(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
      params[p.key()] = {{"shape", t.sizes().vec()}, {"values", values}};
    }
  }
  return wrap_body(kKind, kVersion,
                   {{"config",
                     {{"input_hours", config_.input_hours}, {"hidden", config_.hidden},
                      {"layers", config_.layers}, {"horizon", config_.horizon},
                      {"epochs", config_.epochs}, {"batch", config_.batch},
                      {"learning_rate", config_.learning_rate}, {"train_hours", config_.train_hours},
                      {"stride_hours", config_.stride_hours}, {"seed", config_.seed}}},
                    {"mean", mean_}, {"std", std_}, {"lower", intervals_.lower},
                    {"upper", intervals_.upper}, {"parameters", params}});
}

Result<std::unique_ptr<Lstm>> Lstm::load(std::string_view bytes) {
  auto made = unwrap_body<std::unique_ptr<Lstm>>(bytes, kKind, kVersion, [](const nlohmann::json& b) {
    const auto& c = b.at("config");
    LstmConfig cfg;
    for (auto [key, field] : {std::pair{"input_hours", &cfg.input_hours}, {"hidden", &cfg.hidden},
                              {"layers", &cfg.layers}, {"horizon", &cfg.horizon}}) {
      *field = c.at(key).get<int64_t>();
    }
    auto m = std::make_unique<Lstm>(cfg);
    m->mean_ = b.at("mean").get<double>();
    m->std_ = b.at("std").get<double>();
    m->intervals_.lower = b.at("lower").get<std::vector<double>>();
    m->intervals_.upper = b.at("upper").get<std::vector<double>>();
    m->net_ = std::make_unique<Net>(cfg.hidden, cfg.layers, cfg.horizon);
    const auto& params = b.at("parameters");
    torch::NoGradGuard no_grad;
    for (auto& p : m->net_->named_parameters()) {
      const auto& saved = params.at(p.key());
      auto values = saved.at("values").get<std::vector<float>>();
      if (static_cast<int64_t>(values.size()) != p.value().numel()) {
        throw nlohmann::json::other_error::create(501, "parameter " + p.key() + " has the wrong size", nullptr);
      }
      p.value().copy_(torch::from_blob(values.data(), p.value().sizes(), torch::kFloat32));
    }
    return m;
  });
  return made;
}

}  // namespace envmon::models
