#include "model/units.h"

#include <gtest/gtest.h>

namespace envmon {
namespace {

TEST(UnitsTest, ConvertsToCanonical) {
  EXPECT_NEAR(*to_canonical(Metric::temperature, "K", 293.15), 20.0, 1e-9);
  EXPECT_NEAR(*to_canonical(Metric::temperature, "degF", 212), 100.0, 1e-9);
  EXPECT_NEAR(*to_canonical(Metric::wind_speed, "km/h", 36), 10.0, 1e-9);
  EXPECT_NEAR(*to_canonical(Metric::pressure, "kPa", 101.325), 1013.25, 1e-9);
  EXPECT_NEAR(*to_canonical(Metric::humidity, "fraction", 0.5), 50.0, 1e-9);
  // 1 ppb of O3 = 1.963 µg/m³ at 25 °C (aqi-standards.md §1.4)
  EXPECT_NEAR(*to_canonical(Metric::o3, "ppb", 1.0), 1.963, 1e-3);
  EXPECT_NEAR(*to_canonical(Metric::co, "ppm", 1.0), 1145.6, 0.1);
  EXPECT_NEAR(*to_canonical(Metric::pm25, "mg/m3", 0.1), 100.0, 1e-9);
  EXPECT_EQ(*to_canonical(Metric::pm25, "", 7.0), 7.0);
}

TEST(UnitsTest, RejectsUnitsThatDoNotFit) {
  auto r = to_canonical(Metric::pm25, "ppb", 3);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("accepted: ug/m3"), std::string::npos) << r.error().message();
  EXPECT_FALSE(to_canonical(Metric::temperature, "m/s", 3).ok());
  EXPECT_FALSE(to_canonical(Metric::temperature, "furlongs", 3).ok());
}

}  // namespace
}  // namespace envmon
