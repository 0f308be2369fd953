#include "transforms/normalize/normalize.h"

#include <cmath>

#include <gtest/gtest.h>

namespace envmon::transforms {
namespace {

TEST(NormalizeUnits, ConvertsKeepsRawAndFlags) {
  Reading r;
  r.measurements = {{Metric::temperature, 50, std::nan(""), "degF", 0},
                    {Metric::pm25, 12, std::nan(""), "ug/m3", 0},
                    {Metric::humidity, 40, std::nan(""), "", 0}};
  ASSERT_TRUE(normalize_units(r).ok());
  EXPECT_DOUBLE_EQ(r.measurements[0].value, 10);
  EXPECT_DOUBLE_EQ(r.measurements[0].raw, 50);
  EXPECT_TRUE(has_flag(r.measurements[0].flags, Flag::converted));
  EXPECT_TRUE(r.measurements[0].unit.empty());
  // Already canonical: nothing changes, no flag.
  EXPECT_EQ(r.measurements[1].flags, 0);
  EXPECT_TRUE(std::isnan(r.measurements[1].raw));
  EXPECT_TRUE(r.measurements[1].unit.empty());
}

TEST(NormalizeUnits, UnknownUnitNamesTheFieldPath) {
  Reading r;
  r.measurements = {{Metric::wind_speed, 3, std::nan(""), "furlongs/fortnight", 0}};
  Status s = normalize_units(r);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), Errc::decode_unit);
  EXPECT_NE(s.error().message().find("measurements.wind_speed.unit"), std::string::npos);
}

}  // namespace
}  // namespace envmon::transforms
