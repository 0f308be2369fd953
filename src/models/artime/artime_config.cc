#include "models/artime/artime_config.h"

namespace envmon::models::artime {

const config::Schema<ArtimeConfig>& artime_schema() {
  static const config::Schema<ArtimeConfig> schema = [] {
    config::Schema<ArtimeConfig> s("artime");
    s.integer("window", &ArtimeConfig::window, 8, "points", 2, 64,
              "Downsampled values per feature window (a power of two: Haar wavelet features)")
        .integer("windows_per_probation", &ArtimeConfig::windows_per_probation, 13, "windows", 1,
                 10000, "Downsampling step = probation_points / (window x this), at least 1")
        .integer("levels", &ArtimeConfig::levels, 80, "levels", 2, 100000,
                 "Quantisation levels across the value range")
        .number("median_snap", &ArtimeConfig::median_snap, 0.075, "range", 0, 1,
                "A level closer than this (share of the range) to the running median becomes it")
        .number("initial_vigilance", &ArtimeConfig::initial_vigilance, 0.80, "match", 0, 1,
                "Vigilance of the learning-period pass that sets the starting vigilance")
        .integer("probation_points", &ArtimeConfig::probation_points, 750, "points", 2,
                 10000000,
                 "Learning period: scores 0; without a given range its values set min..max")
        .number("range_margin", &ArtimeConfig::range_margin, 0.5, "span", 0, 10,
                "Without a given range: the learning period's min..max widened by this share of "
                "its span on each side, so later values beyond it keep levels of their own");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> artime_schema_docs(const std::string& section) {
  return {{section,
           "ARTime (adaptive resonance theory over windowed features): a window unlike every "
           "learnt category scores by how far it fell below the vigilance",
           artime_schema().specs()}};
}

Result<ArtimeConfig> parse_artime_config(const config::Node& settings) {
  ArtimeConfig out;
  ENVMON_TRY(config::fill(settings, artime_schema(), out));
  return out;
}

}  // namespace envmon::models::artime
