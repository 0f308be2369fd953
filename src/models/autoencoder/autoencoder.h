#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "models/autoencoder/autoencoder_config.h"

namespace envmon::models::autoencoder {

// Why a row scored as it did: its score and each feature's share of the squared error.
struct Reconstruction {
  double score = 0;                   // mean squared standardised reconstruction error
  std::vector<double> feature_share;  // one per feature, sums to 1 (0s for a perfect fit)
};

// A small dense autoencoder (features -> hidden -> latent -> hidden -> features, tanh) trained
// with Adam on standardised rows. Rows unlike the training data reconstruct badly, so the
// reconstruction error is the anomaly score (unbounded, >= 0). libtorch stays inside the .cc.
class Autoencoder {
 public:
  // `data` is row-major with `cols` features per row; errors on empty, ragged or non-finite data.
  static Result<Autoencoder> fit(std::span<const double> data, size_t cols,
                                 const AutoencoderConfig& config);
  Autoencoder(Autoencoder&&) noexcept;
  Autoencoder& operator=(Autoencoder&&) noexcept;
  ~Autoencoder();

  size_t features() const;
  std::vector<double> score_batch(std::span<const double> data) const;  // one score per row
  Reconstruction explain(std::span<const double> row) const;
  // The anomaly record's explanation: {"detector", "score", "top_feature", "features": {name:
  // share of the squared error}}; missing names become "f<i>".
  static std::string explanation_json(const Reconstruction& r,
                                      const std::vector<std::string>& names);

  // Versioned: "EMAUTOENC" magic, format version, config, standardisation, torch weights.
  std::string save() const;
  static Result<Autoencoder> load(std::string_view bytes);

 private:
  struct Impl;
  explicit Autoencoder(std::unique_ptr<Impl> impl);
  std::vector<double> squared_errors(std::span<const double> data) const;  // rows x cols
  std::unique_ptr<Impl> impl_;
};

}  // namespace envmon::models::autoencoder
