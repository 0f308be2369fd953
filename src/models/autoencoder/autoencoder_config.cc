#include "models/autoencoder/autoencoder_config.h"

namespace envmon::models::autoencoder {

const config::Schema<AutoencoderConfig>& autoencoder_schema() {
  static const config::Schema<AutoencoderConfig> schema = [] {
    config::Schema<AutoencoderConfig> s("autoencoder");
    s.integer("hidden_units", &AutoencoderConfig::hidden_units, 16, "units", 1, 4096,
              "Width of the encoder's and decoder's hidden layer")
        .integer("latent_units", &AutoencoderConfig::latent_units, 3, "units", 1, 1024,
                 "Width of the bottleneck; smaller than the window so it must compress")
        .integer("epochs", &AutoencoderConfig::epochs, 30, "epochs", 1, 10000,
                 "Passes over the training windows")
        .integer("batch_rows", &AutoencoderConfig::batch_rows, 64, "rows", 1, 1000000,
                 "Windows per Adam step")
        .number("learning_rate", &AutoencoderConfig::learning_rate, 0.005, "", 1e-6, 1.0,
                "Adam learning rate")
        .integer("seed", &AutoencoderConfig::seed, 7, "", 0, 9.2e18,
                 "Seed of the initial weights and the shuffling")
        .integer("threads", &AutoencoderConfig::threads, 1, "threads", 1, 64,
                 "libtorch intra-op threads");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> autoencoder_schema_docs() {
  return {{"autoencoder",
           "Dense autoencoder (libtorch) over windows of features: anomaly score = mean squared "
           "standardised reconstruction error, explained per feature",
           autoencoder_schema().specs()}};
}

Result<AutoencoderConfig> parse_autoencoder_config(const config::Node& settings) {
  AutoencoderConfig out;
  ENVMON_TRY(config::fill(settings, autoencoder_schema(), out));
  if (out.latent_units > out.hidden_units) {
    return settings.child("latent_units").error(Errc::config_bad_value,
                                                "must not exceed hidden_units");
  }
  return out;
}

}  // namespace envmon::models::autoencoder
