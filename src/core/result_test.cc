#include "core/result.h"

#include <gtest/gtest.h>

namespace envmon {
namespace {

Result<int> half(int x) {
  if (x % 2 != 0) return Error(Errc::invalid_argument, "odd", Retryable::no);
  return x / 2;
}

Status chain(int x) {
  ENVMON_TRY(half(x));
  return ok_status();
}

TEST(ResultTest, CarriesValueOrError) {
  EXPECT_EQ(*half(4), 2);
  auto r = half(3);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Errc::invalid_argument);
  EXPECT_FALSE(r.error().retryable());
  EXPECT_EQ(r.error().with_context("halving").message(), "halving: odd");
  EXPECT_FALSE(chain(3).ok());
  EXPECT_TRUE(chain(2).ok());
}

}  // namespace
}  // namespace envmon
