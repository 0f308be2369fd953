#pragma once

#include <cstdint>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::models::autoencoder {

struct AutoencoderConfig {
  int64_t hidden_units = 16;   // encoder and decoder hidden layer width
  int64_t latent_units = 3;    // bottleneck width
  int64_t epochs = 30;
  int64_t batch_rows = 64;
  double learning_rate = 0.005;  // Adam
  int64_t seed = 7;            // weights and shuffling: same data and seed, same model
  int64_t threads = 1;         // libtorch intra-op threads while fitting and scoring
};

const config::Schema<AutoencoderConfig>& autoencoder_schema();
std::vector<config::SchemaDoc> autoencoder_schema_docs();
Result<AutoencoderConfig> parse_autoencoder_config(const config::Node& settings);

}  // namespace envmon::models::autoencoder
