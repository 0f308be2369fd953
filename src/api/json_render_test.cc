#include "api/json_render.h"

#include <cmath>

#include <gtest/gtest.h>

#include "api/aqi_category.h"
#include "api/api_error.h"
#include "api/json_writer.h"

namespace envmon::api {
namespace {

TEST(JsonWriter, EscapesAndSeparates) {
  std::string out;
  JsonWriter w(out);
  w.begin_object()
      .field("a", "q\"b\\\n\x01")
      .field_number("n", 81.5)
      .field_number("nan", std::nan(""))
      .key("l")
      .begin_array()
      .integer(1)
      .boolean(true)
      .null()
      .end_array()
      .field_time("t", from_unix_ms(1'500))
      .end_object();
  EXPECT_EQ(out, R"({"a":"q\"b\\\n\u0001","n":81.5,"nan":null,"l":[1,true,null],"t":"1970-01-01T00:00:01.500Z"})");
}

TEST(JsonRender, ErrorShape) {
  EXPECT_EQ(render_error(ApiError::bad_request("bad time", "from")),
            R"({"error":{"status":400,"code":"bad_request","message":"bad time","parameter":"from"}})");
  EXPECT_EQ(render_error(ApiError::not_found("nothing")),
            R"({"error":{"status":404,"code":"not_found","message":"nothing","parameter":null}})");
}

TEST(AqiCategory, UsAndIndiaBands) {
  EXPECT_EQ(us_aqi_band(0).category, "Good");
  EXPECT_EQ(us_aqi_band(50.4).color, "#00e400");
  EXPECT_EQ(us_aqi_band(50.6).category, "Moderate");
  EXPECT_EQ(us_aqi_band(101).category, "Unhealthy for Sensitive Groups");
  EXPECT_EQ(us_aqi_band(200).color, "#ff0000");
  EXPECT_EQ(us_aqi_band(201).color, "#8f3f97");
  EXPECT_EQ(us_aqi_band(999).category, "Hazardous");
  EXPECT_EQ(india_aqi_band(100).category, "Satisfactory");
  EXPECT_EQ(india_aqi_band(150).category, "Moderately polluted");
  EXPECT_EQ(india_aqi_band(300).category, "Poor");
  EXPECT_EQ(india_aqi_band(400).category, "Very poor");
  EXPECT_EQ(india_aqi_band(401).category, "Severe");
}

}  // namespace
}  // namespace envmon::api
