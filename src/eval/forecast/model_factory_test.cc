#include "eval/forecast/model_factory.h"

#include <gtest/gtest.h>

#include "models/ensemble/ensemble.h"
#include "models/forecaster/test_series.h"

namespace envmon::eval {
namespace {

TEST(ModelFactory, EverySavedModelLoadsByItsKind) {
  models::testing::Synthetic s;
  const auto y = s.series(24 * 40);
  ModelOptions o;
  o.lstm_epochs = 1;
  std::vector<std::unique_ptr<models::Forecaster>> members;
  for (const auto& name : forecast_model_names()) {
    auto m = make_model(name, o);
    ASSERT_TRUE(m.ok()) << name;
    members.push_back(std::move(*m));
  }
  models::Ensemble ensemble(std::move(members), {0.4, 0.1, 0.2, 0.3});
  ASSERT_TRUE(ensemble.fit(s.history(y)).ok());
  auto loaded = load_model(ensemble.save());
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  EXPECT_EQ((*loaded)->name(), "ensemble");
  EXPECT_EQ((*loaded)->predict(s.history(y), 24)->mean, ensemble.predict(s.history(y), 24)->mean);
}

TEST(ModelFactory, UnknownNamesAndKindsAreErrors) {
  EXPECT_FALSE(make_model("prophet", ModelOptions{}).ok());
  auto bad = load_model(R"({"format":"envmon-model","kind":"arima","version":1,"body":{}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("arima"), std::string::npos);
  EXPECT_FALSE(load_model("").ok());
}

TEST(ModelFactory, DatasetWithoutTheTargetIsAnError) {
  Dataset d;
  d.path = "x.csv";
  d.frame.resize(10);
  auto h = dataset_history(d, "pm25");
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.error().message().find("x.csv"), std::string::npos);
  EXPECT_FALSE(dataset_history(d, "ozone").ok());
}

}  // namespace
}  // namespace envmon::eval
