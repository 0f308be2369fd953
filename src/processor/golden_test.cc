// Golden cases of every transform, run through the whole Pipeline:
//   src/transforms/<transform>/testdata/<case>/input.jsonl -> expected.jsonl
// input.jsonl: one raw message per line, {"key": "...", "reading": {...}} (re-serialised) or
// {"key": "...", "payload": "<raw bytes as a JSON string>"} for malformed payloads.
// expected.jsonl: every output in order, {"topic": "...", "key": "...", "payload": {...}}, after
// the inputs and a final flush_open. Regenerate with ENVMON_UPDATE_GOLDEN=1 and review the diff.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "processor/test_support.h"

namespace envmon::processor {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> read_lines(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

bus::Message parse_input(const std::string& line) {
  const json j = json::parse(line);
  bus::Message m;
  m.key = j.at("key").get<std::string>();
  m.payload = j.contains("payload") ? j.at("payload").get<std::string>() : j.at("reading").dump();
  return m;
}

std::vector<json> run_case(const fs::path& dir) {
  MetricsRegistry registry;
  ManualClock clock(Timestamp{});
  Pipeline pipeline(ProcessorConfig{}, testing::default_app(),
                    ComponentContext("transform", "processor", "golden", registry, clock));
  std::vector<json> outputs;
  auto collect = [&](Output& out) {
    for (auto* list : {&out.curated, &out.aggregates, &out.dead_letters}) {
      for (const auto& m : *list) {
        outputs.push_back({{"topic", std::string(bus::topic_name(m.topic))},
                           {"key", m.key},
                           {"payload", json::parse(m.payload)}});
      }
    }
    out.clear();
  };
  Output out;
  for (const auto& line : read_lines(dir / "input.jsonl")) {
    pipeline.process(parse_input(line), out);
    collect(out);
  }
  pipeline.flush_open(out);
  collect(out);
  return outputs;
}

std::vector<fs::path> golden_cases() {
  std::vector<fs::path> out;
  const fs::path root = fs::path(ENVMON_SOURCE_DIR) / "src" / "transforms";
  for (const auto& transform : fs::directory_iterator(root)) {
    const fs::path data = transform.path() / "testdata";
    if (transform.path().filename() == "aqi" || !fs::is_directory(data)) continue;
    for (const auto& c : fs::directory_iterator(data)) {
      if (fs::exists(c.path() / "input.jsonl")) out.push_back(c.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(PipelineGolden, EveryCaseMatchesItsExpectedOutput) {
  const auto cases = golden_cases();
  ASSERT_GE(cases.size(), 6u);
  const bool update = std::getenv("ENVMON_UPDATE_GOLDEN") != nullptr;
  for (const auto& dir : cases) {
    SCOPED_TRACE(dir.string());
    const auto actual = run_case(dir);
    if (update) {
      std::ofstream out(dir / "expected.jsonl");
      for (const auto& j : actual)
        out << j.dump() << "\n";
      continue;
    }
    const auto expected = read_lines(dir / "expected.jsonl");
    ASSERT_EQ(actual.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(actual[i], json::parse(expected[i])) << "output line " << i + 1;
    }
  }
}

}  // namespace
}  // namespace envmon::processor
