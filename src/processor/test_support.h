#pragma once
// Test helpers shared by the processor's tests (not part of the library).

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bus/bus.h"
#include "config/app_config.h"
#include "model/codec.h"
#include "processor/pipeline.h"

namespace envmon::processor::testing {

// The embedded default config (16 stations, source "sim" polling every 300 s, lateness 3 h).
inline config::AppConfig default_app() {
  auto node = config::load_text(config::embedded_default_config(), "default.yaml");
  EXPECT_TRUE(node.ok());
  const config::KnownTypes known{{"simulator"}, {"memory"}, {"sqlite"}, {"file"}, {"memory"}, {"file"}};
  auto app = config::parse_app_config(*node, known);
  EXPECT_TRUE(app.ok()) << (app.ok() ? "" : app.error().to_string());
  return *app;
}

// A raw reading message for `station` at `observed` (RFC 3339) with bare canonical values.
inline bus::Message raw_reading(const std::string& station, const std::string& observed,
                                const std::vector<std::pair<std::string, double>>& values,
                                const std::string& source = "sim") {
  std::string p = R"({"v":1,"source":")" + source + R"(","station":{"id":")" + station +
                  R"("},"observed_at":")" + observed + R"(","ingested_at":")" + observed +
                  R"(","measurements":{)";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) p += ",";
    p += "\"" + values[i].first + "\":";
    append_json_number(p, values[i].second);
  }
  p += "}}";
  bus::Message m;
  m.key = station;
  m.payload = p;
  return m;
}

// Everything on `topic`, read by a fresh consumer group of its own.
inline std::vector<bus::Message> read_all(bus::Bus& bus, bus::Topic topic) {
  auto c = bus.consumer("test-" + std::string(bus::topic_name(topic)), {topic});
  EXPECT_TRUE(c.ok());
  std::vector<bus::Message> all;
  for (;;) {
    auto batch = (*c)->poll(10000, Millis(50));
    if (!batch.ok() || batch->empty()) return all;
    all.insert(all.end(), batch->begin(), batch->end());
  }
}

}  // namespace envmon::processor::testing
