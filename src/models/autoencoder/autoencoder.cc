// The only file that includes libtorch: everything else sees the plain interface.
#include "core/binary_io.h"
#include "models/autoencoder/autoencoder.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>
#include <sstream>

#include "models/explanation/explanation.h"

namespace envmon::models::autoencoder {
namespace {

constexpr char kMagic[] = "EMAUTOENC";  // 9 bytes + NUL
constexpr uint32_t kFormatVersion = 1;

torch::nn::Sequential make_net(int64_t cols, const AutoencoderConfig& c) {
  return torch::nn::Sequential(
      torch::nn::Linear(cols, c.hidden_units), torch::nn::Tanh(),
      torch::nn::Linear(c.hidden_units, c.latent_units), torch::nn::Tanh(),
      torch::nn::Linear(c.latent_units, c.hidden_units), torch::nn::Tanh(),
      torch::nn::Linear(c.hidden_units, cols));
}

using binio::get;
using binio::put;

}  // namespace

struct Autoencoder::Impl {
  AutoencoderConfig config;
  size_t cols = 0;
  std::vector<double> mean, sd;  // standardisation learnt from the training rows
  torch::nn::Sequential net{nullptr};

  torch::Tensor standardised(std::span<const double> data) const {
    const auto rows = static_cast<int64_t>(data.size() / cols);
    auto t = torch::empty({rows, static_cast<int64_t>(cols)}, torch::kFloat32);
    auto a = t.accessor<float, 2>();
    for (int64_t r = 0; r < rows; ++r) {
      for (size_t c = 0; c < cols; ++c) {
        a[r][static_cast<int64_t>(c)] = static_cast<float>(
            (data[static_cast<size_t>(r) * cols + c] - mean[c]) / sd[c]);
      }
    }
    return t;
  }
};

Autoencoder::Autoencoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Autoencoder::Autoencoder(Autoencoder&&) noexcept = default;
Autoencoder& Autoencoder::operator=(Autoencoder&&) noexcept = default;
Autoencoder::~Autoencoder() = default;

size_t Autoencoder::features() const { return impl_->cols; }

Result<Autoencoder> Autoencoder::fit(std::span<const double> data, size_t cols,
                                     const AutoencoderConfig& config) {
  if (cols == 0 || data.empty() || data.size() % cols != 0) {
    return Error(Errc::invalid_argument, "autoencoder: need a non-empty rows x cols matrix");
  }
  for (size_t i = 0; i < data.size(); ++i) {
    if (!std::isfinite(data[i])) {
      return Error(Errc::invalid_argument, "autoencoder: row " + std::to_string(i / cols) +
                                               " feature " + std::to_string(i % cols) +
                                               " is not finite");
    }
  }
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  impl->cols = cols;
  const size_t rows = data.size() / cols;
  impl->mean.assign(cols, 0.0);
  impl->sd.assign(cols, 0.0);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) impl->mean[c] += data[r * cols + c] / static_cast<double>(rows);
  }
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      const double d = data[r * cols + c] - impl->mean[c];
      impl->sd[c] += d * d / static_cast<double>(rows);
    }
  }
  for (double& s : impl->sd) s = std::max(std::sqrt(s), 1e-6);  // constant features stay finite

  torch::set_num_threads(static_cast<int>(config.threads));
  torch::manual_seed(static_cast<uint64_t>(config.seed));
  impl->net = make_net(static_cast<int64_t>(cols), config);
  const torch::Tensor x = impl->standardised(data);
  torch::optim::Adam opt(impl->net->parameters(), torch::optim::AdamOptions(config.learning_rate));
  std::mt19937_64 rng(static_cast<uint64_t>(config.seed));
  std::vector<int64_t> order(rows);
  std::iota(order.begin(), order.end(), int64_t{0});
  const auto batch = static_cast<size_t>(config.batch_rows);
  for (int64_t epoch = 0; epoch < config.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t b = 0; b < rows; b += batch) {
      const auto n = static_cast<int64_t>(std::min(batch, rows - b));
      const auto idx = torch::from_blob(order.data() + b, {n}, torch::kInt64);
      const torch::Tensor xb = x.index_select(0, idx);
      opt.zero_grad();
      torch::Tensor loss = torch::mse_loss(impl->net->forward(xb), xb);
      loss.backward();
      opt.step();
    }
  }
  impl->net->eval();
  return Autoencoder(std::move(impl));
}

std::vector<double> Autoencoder::squared_errors(std::span<const double> data) const {
  torch::NoGradGuard no_grad;
  torch::set_num_threads(static_cast<int>(impl_->config.threads));
  const torch::Tensor x = impl_->standardised(data);
  const torch::Tensor err = (impl_->net->forward(x) - x).pow(2).contiguous();
  const float* p = err.data_ptr<float>();
  return std::vector<double>(p, p + err.numel());
}

std::vector<double> Autoencoder::score_batch(std::span<const double> data) const {
  const size_t cols = impl_->cols;
  const auto err = squared_errors(data.subspan(0, data.size() - data.size() % cols));
  std::vector<double> out(err.size() / cols, 0.0);
  for (size_t i = 0; i < err.size(); ++i) out[i / cols] += err[i] / static_cast<double>(cols);
  return out;
}

Reconstruction Autoencoder::explain(std::span<const double> row) const {
  Reconstruction r;
  r.feature_share = squared_errors(row.subspan(0, impl_->cols));
  const double total = std::accumulate(r.feature_share.begin(), r.feature_share.end(), 0.0);
  r.score = total / static_cast<double>(impl_->cols);
  if (total > 0) {
    for (double& s : r.feature_share) s /= total;
  }
  return r;
}

std::string Autoencoder::explanation_json(const Reconstruction& r,
                                          const std::vector<std::string>& names) {
  return feature_share_json("autoencoder", r.score, r.feature_share, names);
}

std::string Autoencoder::save() const {
  std::string out(kMagic, sizeof(kMagic));
  put<uint32_t>(out, kFormatVersion);
  const AutoencoderConfig& c = impl_->config;
  for (int64_t v : {c.hidden_units, c.latent_units, c.epochs, c.batch_rows, c.seed, c.threads}) {
    put<int64_t>(out, v);
  }
  put<double>(out, c.learning_rate);
  put<uint64_t>(out, impl_->cols);
  for (size_t i = 0; i < impl_->cols; ++i) {
    put<double>(out, impl_->mean[i]);
    put<double>(out, impl_->sd[i]);
  }
  std::ostringstream weights;
  torch::save(impl_->net, weights);
  out += weights.str();
  return out;
}

Result<Autoencoder> Autoencoder::load(std::string_view in) {
  auto bad = [](const std::string& why) {
    return Error(Errc::decode_syntax, "autoencoder model: " + why);
  };
  if (in.size() < sizeof(kMagic) || std::memcmp(in.data(), kMagic, sizeof(kMagic)) != 0) {
    return bad("not an autoencoder file (magic)");
  }
  in.remove_prefix(sizeof(kMagic));
  uint32_t version = 0;
  if (!get(in, version)) return bad("truncated header");
  if (version != kFormatVersion) {
    return Error(Errc::decode_version, "autoencoder model: format version " +
                                           std::to_string(version) + " (this build reads " +
                                           std::to_string(kFormatVersion) + ")");
  }
  auto impl = std::make_unique<Impl>();
  AutoencoderConfig& c = impl->config;
  uint64_t cols = 0;
  if (!get(in, c.hidden_units) || !get(in, c.latent_units) || !get(in, c.epochs) ||
      !get(in, c.batch_rows) || !get(in, c.seed) || !get(in, c.threads) ||
      !get(in, c.learning_rate) || !get(in, cols) || cols == 0 || cols > 1000000 ||
      in.size() < cols * 16 || c.hidden_units < 1 || c.hidden_units > 4096 ||
      c.latent_units < 1 || c.latent_units > 1024 || c.threads < 1 || c.threads > 64) {
    return bad("truncated or out-of-range header");
  }
  impl->cols = cols;
  impl->mean.resize(cols);
  impl->sd.resize(cols);
  for (size_t i = 0; i < cols; ++i) {
    if (!get(in, impl->mean[i]) || !get(in, impl->sd[i])) return bad("truncated header");
  }
  impl->net = make_net(static_cast<int64_t>(cols), c);
  try {  // libtorch reports a bad archive by throwing; it stops here
    std::istringstream weights{std::string(in)};
    torch::load(impl->net, weights);
  } catch (const std::exception& e) {
    return bad(std::string("weights: ") + e.what());
  }
  impl->net->eval();
  return Autoencoder(std::move(impl));
}

}  // namespace envmon::models::autoencoder
