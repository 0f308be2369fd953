#include "models/additive/additive.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include <Eigen/Dense>
#include <LBFGSB.h>

namespace envmon::models {
namespace {

constexpr std::string_view kKind = "additive";
constexpr int64_t kVersion = 1;
constexpr double kTrendPriorSd = 5;  // Prophet's Normal(0, 5) on k and m
constexpr double kSigmaPriorSd = 0.5;
constexpr double kDaySecs = 86400;

void fourier(double t_days, double period_days, int64_t order, double*& out) {
  for (int64_t k = 1; k <= order; ++k) {
    const double x = 2 * std::numbers::pi * static_cast<double>(k) * t_days / period_days;
    *out++ = std::sin(x);
    *out++ = std::cos(x);
  }
}

// The negative log posterior in θ for a fixed noise variance s2, times s2 (which keeps it well
// conditioned): ½‖y − Xθ‖² + s2·(Σ|δ|/τ + ‖(k, m)‖²/2·5² + Σβ²/2σ_β²), over
// x = [m, k, δ⁺ (C), δ⁻ (C), β (S)] with θ = [m, k, δ⁺ − δ⁻, β], from G = XᵀX and b = Xᵀy.
struct Objective {
  const Eigen::MatrixXd& G;
  const Eigen::VectorXd& b;
  Eigen::Index C, S;
  double tau;
  const Eigen::VectorXd& beta_prior_var;
  double s2 = 1;

  Eigen::VectorXd theta(const Eigen::VectorXd& x) const {
    Eigen::VectorXd th(2 + C + S);
    th.head(2) = x.head(2);
    th.segment(2, C) = x.segment(2, C) - x.segment(2 + C, C);
    th.tail(S) = x.segment(2 + 2 * C, S);
    return th;
  }

  // ‖y − Xθ‖² given yᵀy.
  double rss(const Eigen::VectorXd& th, double yy) const {
    return std::max(yy - 2 * th.dot(b) + th.dot(G * th), 0.0);
  }

  double operator()(const Eigen::VectorXd& x, Eigen::VectorXd& grad) const {
    const Eigen::VectorXd th = theta(x);
    const Eigen::VectorXd g = G * th - b;
    const double trend_var = kTrendPriorSd * kTrendPriorSd;
    const auto beta = x.segment(2 + 2 * C, S);
    const double f = 0.5 * th.dot(g - b) +
                     s2 * (x.segment(2, 2 * C).sum() / tau + x.head(2).squaredNorm() / (2 * trend_var) +
                           (beta.array().square() / (2 * beta_prior_var.array())).sum());
    grad.resize(x.size());
    grad.head(2) = g.head(2) + s2 * x.head(2) / trend_var;
    grad.segment(2, C) = g.segment(2, C).array() + s2 / tau;
    grad.segment(2 + C, C) = -g.segment(2, C).array() + s2 / tau;
    grad.segment(2 + 2 * C, S) = g.tail(S).array() + s2 * beta.array() / beta_prior_var.array();
    return f;
  }
};

// The noise variance that minimises the posterior for a given RSS: the positive root of
// 4 s2² / (2 σ_prior²)·... i.e. d/dlogσ [RSS/2σ² + n log σ + σ²/2σ_p²] = 0.
double optimal_noise_variance(double rss, double n) {
  const double a = 1 / (kSigmaPriorSd * kSigmaPriorSd);
  return (-n + std::sqrt(n * n + 4 * a * rss)) / (2 * a);
}

}  // namespace

struct Additive::Layout {
  Eigen::Index changepoints, seasonal, regressors;
  Eigen::Index width() const { return 2 + changepoints + seasonal + regressors; }
};

Additive::Layout Additive::layout() const {
  const int64_t seasonal =
      2 * (config_.daily_order + config_.weekly_order + (yearly_on_ ? config_.yearly_order : 0));
  return {static_cast<Eigen::Index>(changepoints_.size()), seasonal,
          static_cast<Eigen::Index>(config_.regressors.size())};
}

double Additive::scaled_time(int64_t unix_secs) const {
  return static_cast<double>(unix_secs - t_start_) / static_cast<double>(t_end_ - t_start_);
}

void Additive::design_row(int64_t unix_secs, const double* regressors, double* out) const {
  const double t = scaled_time(unix_secs);
  *out++ = 1;
  *out++ = t;
  for (double s : changepoints_) *out++ = std::max(t - s, 0.0);
  const double days = static_cast<double>(unix_secs + utc_offset_secs_) / kDaySecs;
  fourier(days, 1.0, config_.daily_order, out);
  fourier(days, 7.0, config_.weekly_order, out);
  if (yearly_on_) fourier(days, 365.25, config_.yearly_order, out);
  for (size_t r = 0; r < config_.regressors.size(); ++r) {
    const double x = regressors == nullptr ? reg_mean_[r] : regressors[r];
    *out++ = std::isfinite(x) ? (x - reg_mean_[r]) / reg_std_[r] : 0.0;
  }
}

Status Additive::fit(const History& full) {
  const History h = full.tail(static_cast<size_t>(config_.window_hours));
  std::vector<size_t> rows;
  for (size_t i = 0; i < h.size(); ++i) {
    if (std::isfinite(h.y[i])) rows.push_back(i);
  }
  if (rows.size() < 48) return Error(Errc::invalid_argument, "additive: fewer than 48 observed hours");
  if (!config_.regressors.empty() && h.frame == nullptr) {
    return Error(Errc::invalid_argument, "additive: regressors need covariates in the history");
  }
  t_start_ = h.time_at(rows.front());
  t_end_ = std::max(h.time_at(rows.back()), t_start_ + 3600);
  utc_offset_secs_ = h.utc_offset_secs;
  yearly_on_ = config_.yearly == YearlySeasonality::on ||
               (config_.yearly == YearlySeasonality::automatic &&
                static_cast<double>(t_end_ - t_start_) >= 365 * kDaySecs);
  y_scale_ = 0;
  for (size_t i : rows) y_scale_ = std::max(y_scale_, std::abs(h.y[i]));
  if (y_scale_ == 0) y_scale_ = 1;
  // Candidate changepoints at evenly spaced observations of the first part (Prophet's rule).
  changepoints_.clear();
  const auto hist = static_cast<size_t>(std::floor(static_cast<double>(rows.size()) * config_.changepoint_range));
  const size_t n_cp = hist > 1 ? std::min<size_t>(static_cast<size_t>(config_.changepoints), hist - 1) : 0;
  for (size_t j = 1; j <= n_cp; ++j) {
    const auto idx = static_cast<size_t>(std::lround(static_cast<double>(j * (hist - 1)) / static_cast<double>(n_cp)));
    changepoints_.push_back(scaled_time(h.time_at(rows[idx])));
  }
  // Regressors are standardised over the fit window.
  const size_t R = config_.regressors.size();
  reg_mean_.assign(R, 0);
  reg_std_.assign(R, 1);
  std::vector<std::vector<double>> reg_rows(rows.size(), std::vector<double>(R, std::nan("")));
  for (size_t r = 0; r < R; ++r) {
    const auto& col = h.frame->col(config_.regressors[r]);
    std::vector<double> v;
    for (size_t j = 0; j < rows.size(); ++j) {
      const size_t fi = h.frame_offset + rows[j];
      reg_rows[j][r] = fi < col.size() ? col[fi] : std::nan("");
      if (std::isfinite(reg_rows[j][r])) v.push_back(reg_rows[j][r]);
    }
    if (v.empty()) continue;
    double sum = 0, ss = 0;
    for (double x : v) sum += x;
    reg_mean_[r] = sum / static_cast<double>(v.size());
    for (double x : v) ss += (x - reg_mean_[r]) * (x - reg_mean_[r]);
    reg_std_[r] = std::max(std::sqrt(ss / static_cast<double>(v.size())), 1e-9);
  }
  const Layout L = layout();
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> X(rows.size(), L.width());
  Eigen::VectorXd y(static_cast<Eigen::Index>(rows.size()));
  for (size_t j = 0; j < rows.size(); ++j) {
    design_row(h.time_at(rows[j]), R ? reg_rows[j].data() : nullptr, X.row(static_cast<Eigen::Index>(j)).data());
    y(static_cast<Eigen::Index>(j)) = h.y[rows[j]] / y_scale_;
  }
  const Eigen::MatrixXd G = X.transpose() * X;
  const Eigen::VectorXd b = X.transpose() * y;
  Eigen::VectorXd beta_var(L.seasonal + L.regressors);
  beta_var.head(L.seasonal).setConstant(config_.seasonality_prior_scale * config_.seasonality_prior_scale);
  beta_var.tail(L.regressors).setConstant(config_.regressor_prior_scale * config_.regressor_prior_scale);
  const Eigen::Index C = L.changepoints, S = L.seasonal + L.regressors;
  Objective objective{G, b, C, S, config_.changepoint_prior_scale, beta_var};
  const Eigen::Index nx = 2 + 2 * C + S;
  Eigen::VectorXd x = Eigen::VectorXd::Zero(nx);
  Eigen::VectorXd lb = Eigen::VectorXd::Constant(nx, -std::numeric_limits<double>::infinity());
  Eigen::VectorXd ub = Eigen::VectorXd::Constant(nx, std::numeric_limits<double>::infinity());
  lb.segment(2, 2 * C).setZero();
  // Prophet's initial values: the line through the first and last points.
  x(0) = y(0);
  x(1) = (y(y.size() - 1) - y(0)) / std::max(scaled_time(h.time_at(rows.back())), 1e-9);
  const double yy = y.squaredNorm(), n = static_cast<double>(rows.size());
  objective.s2 = optimal_noise_variance(objective.rss(objective.theta(x), yy), n);
  // MAP by block coordinate descent: θ given σ (a convex bound-constrained problem for
  // L-BFGS-B), then σ given θ in closed form, until σ settles.
  iterations_ = 0;
  for (int round = 0; round < 30; ++round) {
    LBFGSpp::LBFGSBParam<double> param;
    param.max_iterations = static_cast<int>(config_.max_iterations);
    param.epsilon = 1e-8;
    param.max_linesearch = 60;
    LBFGSpp::LBFGSBSolver<double> solver(param);
    double fx = 0;
    try {
      iterations_ += solver.minimize(objective, x, fx, lb, ub);
    } catch (const std::exception&) {
      // A line search that cannot improve any further leaves x at its best point: the optimum
      // to within rounding. Only a non-finite result is a failure (below).
    }
    const double s2 = optimal_noise_variance(objective.rss(objective.theta(x), yy), n);
    const bool settled = std::abs(s2 - objective.s2) <= 1e-6 * objective.s2;
    objective.s2 = s2;
    if (settled) break;
  }
  if (!x.allFinite()) return Error(Errc::internal, "additive: the optimiser diverged");
  const Eigen::VectorXd th = objective.theta(x);
  m_ = th(0);
  k_ = th(1);
  delta_.assign(th.data() + 2, th.data() + 2 + C);
  beta_.assign(th.data() + 2 + C, th.data() + th.size());
  sigma_ = std::sqrt(objective.s2);
  residual_acf_.clear();
  if (config_.residual_correction == ResidualCorrection::autoregressive) fit_residual_acf(h);
  return ok_status();
}

Result<Forecast> Additive::predict(const History& h, int horizon) const {
  if (changepoints_.empty() && beta_.empty()) return Error(Errc::invalid_argument, "additive: not fitted");
  const Layout L = layout();
  std::vector<double> row(static_cast<size_t>(L.width()));
  std::vector<double> regs(config_.regressors.size());
  Forecast f;
  if (row.size() < 2) return f;  // never: the trend columns are always there
  std::vector<double> times;
  for (int s = 0; s < horizon; ++s) {
    const size_t idx = h.size() + static_cast<size_t>(s);
    const int64_t t = h.time_at(idx);
    for (size_t r = 0; r < regs.size(); ++r) {
      const auto& col = h.frame->col(config_.regressors[r]);
      const size_t fi = h.frame_offset + idx;
      regs[r] = fi < col.size() ? col[fi] : std::nan("");
    }
    design_row(t, regs.empty() ? nullptr : regs.data(), row.data());
    double v = m_ * row[0] + k_ * row[1];
    for (size_t j = 0; j < delta_.size(); ++j) v += delta_[j] * row[2 + j];
    for (size_t j = 0; j < beta_.size(); ++j) v += beta_[j] * row[2 + delta_.size() + j];
    f.mean.push_back(v * y_scale_);
    times.push_back(scaled_time(t));
  }
  if (!residual_acf_.empty()) {
    size_t last = h.size();
    while (last > 0 && !std::isfinite(h.y[last - 1])) --last;
    if (last > 0) {
      const double r = h.y[last - 1] / y_scale_ - fitted_at(h, last - 1);
      for (size_t s = 0; s < f.mean.size(); ++s) {
        const size_t lag = h.size() + s - (last - 1);
        if (lag <= residual_acf_.size()) f.mean[s] += residual_acf_[lag - 1] * r * y_scale_;
      }
    }
  }
  // Prophet's uncertainty: new changepoints as a Poisson process with the history's rate, their
  // sizes Laplace with the mean fitted |δ|, plus Normal observation noise.
  double lambda = 1e-8;
  for (double d : delta_) lambda += std::abs(d) / static_cast<double>(delta_.size());
  const double t_max = times.empty() ? 1 : times.back();
  std::mt19937_64 rng(config_.seed);
  std::normal_distribution<double> noise(0, sigma_);
  std::exponential_distribution<double> expo(1 / lambda);
  std::uniform_real_distribution<double> unit(0, 1);
  std::poisson_distribution<int> changes(std::max(static_cast<double>(delta_.size()) * (t_max - 1), 1e-12));
  std::vector<std::vector<double>> samples(static_cast<size_t>(horizon));
  for (int64_t i = 0; i < config_.uncertainty_samples; ++i) {
    std::vector<std::pair<double, double>> cps(static_cast<size_t>(changes(rng)));
    for (auto& [at, size] : cps) at = 1 + unit(rng) * (t_max - 1), size = (unit(rng) < 0.5 ? -1 : 1) * expo(rng);
    for (size_t s = 0; s < times.size(); ++s) {
      double dev = noise(rng);
      for (const auto& [at, size] : cps) dev += size * std::max(times[s] - at, 0.0);
      samples[s].push_back(f.mean[s] + dev * y_scale_);
    }
  }
  for (const auto& s : samples) {
    f.lower.push_back(quantile(s, kLowerQuantile));
    f.upper.push_back(quantile(s, kUpperQuantile));
  }
  return f;
}

double Additive::fitted_at(const History& h, size_t index) const {
  std::vector<double> row(2 + delta_.size() + beta_.size());
  std::vector<double> regs(config_.regressors.size());
  for (size_t r = 0; r < regs.size(); ++r) {
    const auto& col = h.frame->col(config_.regressors[r]);
    const size_t fi = h.frame_offset + index;
    regs[r] = fi < col.size() ? col[fi] : std::nan("");
  }
  if (row.size() < 2) return 0;  // never: the trend columns are always there
  design_row(h.time_at(index), regs.empty() ? nullptr : regs.data(), row.data());
  double v = m_ * row[0] + k_ * row[1];
  for (size_t j = 0; j < delta_.size(); ++j) v += delta_[j] * row[2 + j];
  for (size_t j = 0; j < beta_.size(); ++j) v += beta_[j] * row[2 + delta_.size() + j];
  return v;
}

void Additive::fit_residual_acf(const History& h) {
  std::vector<double> r(h.size(), std::nan(""));
  for (size_t i = 0; i < h.size(); ++i) {
    if (std::isfinite(h.y[i])) r[i] = h.y[i] / y_scale_ - fitted_at(h, i);
  }
  for (int64_t k = 1; k <= config_.residual_lags; ++k) {
    double xy = 0, xx = 0, yy = 0;
    for (size_t t = 0; t + static_cast<size_t>(k) < r.size(); ++t) {
      const double a = r[t], b = r[t + static_cast<size_t>(k)];
      if (!std::isfinite(a) || !std::isfinite(b)) continue;
      xy += a * b;
      xx += a * a;
      yy += b * b;
    }
    residual_acf_.push_back(xx > 0 && yy > 0 ? xy / std::sqrt(xx * yy) : 0.0);
  }
}

AdditiveComponents Additive::components(int64_t unix_secs) const {
  const Layout L = layout();
  std::vector<double> row(static_cast<size_t>(L.width()));
  AdditiveComponents c;
  if (row.size() < 2) return c;  // never: the trend columns are always there
  design_row(unix_secs, nullptr, row.data());
  c.trend = m_ + k_ * row[1];
  for (size_t j = 0; j < delta_.size(); ++j) c.trend += delta_[j] * row[2 + j];
  const size_t base = 2 + delta_.size();
  const auto part = [&](size_t from, size_t count) {
    double v = 0;
    for (size_t j = from; j < from + count; ++j) v += beta_[j] * row[base + j];
    return v * y_scale_;
  };
  const auto daily = static_cast<size_t>(2 * config_.daily_order);
  const auto weekly = static_cast<size_t>(2 * config_.weekly_order);
  const size_t yearly = yearly_on_ ? static_cast<size_t>(2 * config_.yearly_order) : 0;
  c.trend *= y_scale_;
  c.daily = part(0, daily);
  c.weekly = part(daily, weekly);
  c.yearly = part(daily + weekly, yearly);
  c.regressors = part(daily + weekly + yearly, config_.regressors.size());
  return c;
}

std::string Additive::save() const {
  std::vector<std::string> regs;
  for (auto r : config_.regressors) regs.emplace_back(features::raw_name(r));
  return wrap_body(
      kKind, kVersion,
      {{"config",
        {{"changepoints", config_.changepoints}, {"changepoint_range", config_.changepoint_range},
         {"changepoint_prior_scale", config_.changepoint_prior_scale},
         {"seasonality_prior_scale", config_.seasonality_prior_scale},
         {"regressor_prior_scale", config_.regressor_prior_scale},
         {"daily_order", config_.daily_order}, {"weekly_order", config_.weekly_order},
         {"yearly_order", config_.yearly_order}, {"window_hours", config_.window_hours},
         {"uncertainty_samples", config_.uncertainty_samples}, {"seed", config_.seed},
         {"residual_lags", config_.residual_lags},
         {"regressors", regs}}},
       {"t_start", t_start_}, {"t_end", t_end_}, {"utc_offset_secs", utc_offset_secs_},
       {"yearly_on", yearly_on_}, {"y_scale", y_scale_}, {"changepoints_t", changepoints_},
       {"k", k_}, {"m", m_}, {"sigma", sigma_}, {"delta", delta_}, {"beta", beta_},
       {"regressor_mean", reg_mean_}, {"regressor_std", reg_std_},
       {"residual_acf", residual_acf_}});
}

Result<std::unique_ptr<Additive>> Additive::load(std::string_view bytes) {
  return unwrap_body<std::unique_ptr<Additive>>(bytes, kKind, kVersion, [](const nlohmann::json& b) {
    const auto& c = b.at("config");
    AdditiveConfig cfg;
    cfg.changepoints = c.at("changepoints").get<int64_t>();
    cfg.changepoint_range = c.at("changepoint_range").get<double>();
    cfg.changepoint_prior_scale = c.at("changepoint_prior_scale").get<double>();
    cfg.seasonality_prior_scale = c.at("seasonality_prior_scale").get<double>();
    cfg.regressor_prior_scale = c.at("regressor_prior_scale").get<double>();
    cfg.daily_order = c.at("daily_order").get<int64_t>();
    cfg.weekly_order = c.at("weekly_order").get<int64_t>();
    cfg.yearly_order = c.at("yearly_order").get<int64_t>();
    cfg.window_hours = c.at("window_hours").get<int64_t>();
    cfg.uncertainty_samples = c.at("uncertainty_samples").get<int64_t>();
    cfg.seed = c.at("seed").get<uint64_t>();
    cfg.residual_lags = c.at("residual_lags").get<int64_t>();
    for (const auto& name : c.at("regressors").get<std::vector<std::string>>()) {
      for (size_t r = 0; r < features::kRawCount; ++r) {
        if (features::raw_name(static_cast<features::Raw>(r)) == name) cfg.regressors.push_back(static_cast<features::Raw>(r));
      }
    }
    auto m = std::make_unique<Additive>(cfg);
    m->t_start_ = b.at("t_start").get<int64_t>();
    m->t_end_ = b.at("t_end").get<int64_t>();
    m->utc_offset_secs_ = b.at("utc_offset_secs").get<int>();
    m->yearly_on_ = b.at("yearly_on").get<bool>();
    m->y_scale_ = b.at("y_scale").get<double>();
    m->changepoints_ = b.at("changepoints_t").get<std::vector<double>>();
    m->k_ = b.at("k").get<double>();
    m->m_ = b.at("m").get<double>();
    m->sigma_ = b.at("sigma").get<double>();
    m->delta_ = b.at("delta").get<std::vector<double>>();
    m->beta_ = b.at("beta").get<std::vector<double>>();
    m->reg_mean_ = b.at("regressor_mean").get<std::vector<double>>();
    m->reg_std_ = b.at("regressor_std").get<std::vector<double>>();
    m->residual_acf_ = b.at("residual_acf").get<std::vector<double>>();
    return m;
  });
}

}  // namespace envmon::models
