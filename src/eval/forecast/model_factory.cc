#include "eval/forecast/model_factory.h"

#include <nlohmann/json.hpp>

#include "models/additive/additive.h"
#include "models/ensemble/ensemble.h"
#include "models/holt_winters/holt_winters.h"
#include "models/lstm/lstm.h"
#include "models/seasonal_naive/seasonal_naive.h"

namespace envmon::eval {
namespace {

using models::Forecaster;

template <typename M>
Result<std::unique_ptr<Forecaster>> upcast(Result<std::unique_ptr<M>> r) {
  if (!r.ok()) return r.error();
  return std::unique_ptr<Forecaster>(std::move(*r));
}

}  // namespace

const std::vector<std::string>& forecast_model_names() {
  static const std::vector<std::string> names = {"additive", "lstm", "holt_winters",
                                                 "seasonal_naive"};
  return names;
}

Result<std::unique_ptr<Forecaster>> make_model(std::string_view name, const ModelOptions& o) {
  if (name == "additive" || name == "additive_plain") {
    models::AdditiveConfig c;
    // additive_plain: no residual correction, Prophet's forecast (the peer comparison).
    if (name == "additive_plain") c.residual_correction = models::ResidualCorrection::none;
    if (o.covariates == Covariates::oracle) {
      using features::Raw;
      c.regressors = {Raw::temperature, Raw::dew_point, Raw::pressure, Raw::wind_speed};
    }
    return std::unique_ptr<Forecaster>(std::make_unique<models::Additive>(c));
  }
  if (name == "lstm") {
    models::LstmConfig c;
    c.horizon = o.horizon;
    c.epochs = o.lstm_epochs;
    return std::unique_ptr<Forecaster>(std::make_unique<models::Lstm>(c));
  }
  if (name == "holt_winters") return std::unique_ptr<Forecaster>(std::make_unique<models::HoltWinters>());
  if (name == "seasonal_naive") {
    return std::unique_ptr<Forecaster>(std::make_unique<models::SeasonalNaive>());
  }
  return Error(Errc::invalid_argument, "unknown forecast model '" + std::string(name) +
                                           "' (additive, lstm, holt_winters, seasonal_naive, ensemble)");
}

Result<std::unique_ptr<Forecaster>> load_model(std::string_view bytes) {
  const auto doc = nlohmann::json::parse(bytes, nullptr, false);
  const auto kind = doc.is_object() ? doc.value("kind", std::string()) : std::string();
  if (kind == "additive") return upcast(models::Additive::load(bytes));
  if (kind == "lstm") return upcast(models::Lstm::load(bytes));
  if (kind == "holt_winters") return upcast(models::HoltWinters::load(bytes));
  if (kind == "seasonal_naive") return upcast(models::SeasonalNaive::load(bytes));
  if (kind == "ensemble") return upcast(models::Ensemble::load(bytes, load_model));
  return Error(Errc::decode_field, "saved model: unknown or missing kind '" + kind + "'");
}

Result<models::History> dataset_history(const Dataset& d, std::string_view target) {
  features::Raw column;
  if (target == "pm25") {
    column = features::Raw::pm25;
  } else if (target == "temperature") {
    column = features::Raw::temperature;
  } else {
    return Error(Errc::invalid_argument,
                 "unknown target '" + std::string(target) + "' (pm25 or temperature)");
  }
  if (d.frame.present(column) == 0) {
    return Error(Errc::invalid_argument, d.path + ": the " + std::string(layout_name(d.layout)) +
                                             " layout has no " + std::string(target) + " values");
  }
  models::History h;
  h.y = d.frame.col(column);
  h.start_unix = d.frame.start_unix;
  h.utc_offset_secs = d.frame.utc_offset_secs;
  h.frame = &d.frame;
  return h;
}

std::string_view target_unit(std::string_view target) {
  return target == "pm25" ? "ug/m3" : "degC";
}

}  // namespace envmon::eval
