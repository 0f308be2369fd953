#include "model/codec.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "model/codec_canonical.h"

namespace envmon {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// Golden cases: testdata/decode/<case>.json is the input; <case>.expected is the canonical
// re-encoding, or "error: <prefix of the error>".
TEST(CodecTest, GoldenDecodeCases) {
  const fs::path dir = fs::path(ENVMON_SOURCE_DIR) / "src/model/testdata/decode";
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    ++cases;
    const std::string input = slurp(entry.path());
    fs::path expected_path = entry.path();
    expected_path.replace_extension(".expected");
    const std::string expected = trim(slurp(expected_path));
    auto r = decode_reading(input);
    SCOPED_TRACE(entry.path().filename().string());
    if (expected.rfind("error: ", 0) == 0) {
      ASSERT_FALSE(r.ok()) << "decoded but expected " << expected;
      EXPECT_EQ(r.error().to_string().rfind(expected.substr(7), 0), 0u) << r.error().to_string();
    } else {
      ASSERT_TRUE(r.ok()) << r.error().to_string();
      EXPECT_EQ(encode_reading(*r), expected);
    }
  }
  EXPECT_GE(cases, 10);
}

// Every optional part of a reading (escapes, provider id, raw, unit, flags, enrichment, numbers
// fixed and scientific); testdata/encode/full_reading.expected is what the encoder wrote before
// its fast paths, and consumers (replay, golden files) depend on those bytes.
Reading sample_reading() {
  Reading r;
  r.source = SourceId("sim");
  r.station = {StationId("delhi-2"), "Delhi \"Old\" \\ Town\n\x01", 28.65, -77.3125, "@-372382"};
  r.observed_at = from_unix_ms(1'767'225'600'123);
  r.ingested_at = from_unix_ms(1'767'225'604'000);
  auto add = [&](Metric m, double v, double raw, std::string unit, FlagSet flags) {
    r.measurements.push_back({m, v, raw, std::move(unit), flags});
  };
  add(Metric::temperature, 21.5, std::nan(""), "", 0);
  const auto flags = [](Flag a, Flag b) {
    return static_cast<FlagSet>(static_cast<FlagSet>(a) | static_cast<FlagSet>(b));
  };
  add(Metric::pm25, std::nan(""), 812, "", flags(Flag::spike, Flag::out_of_bounds));
  add(Metric::wind_speed, 3.3333333333333335, 12, "km/h", static_cast<FlagSet>(Flag::converted));
  add(Metric::humidity, 1e-7, std::nan(""), "", static_cast<FlagSet>(Flag::interpolated));
  add(Metric::pressure, -1013.25, std::nan(""), "", 0);
  add(Metric::co, 123000, std::nan(""), "ug/m3", 0);
  add(Metric::aqi_us_pm25, 0.000125, std::nan(""), "", flags(Flag::derived, Flag::clock_skew));
  r.enrichment = Enrichment{"south-asia", "Asia/Kolkata", 19800, "2026-01-01T05:30:00.123+05:30"};
  return r;
}

TEST(CodecTest, EncodesEveryPartOfAReadingByteForByte) {
  const std::string expected =
      slurp(fs::path(ENVMON_SOURCE_DIR) / "src/model/testdata/encode/full_reading.expected");
  const Reading r = sample_reading();
  EXPECT_EQ(encode_reading(r), expected);
  std::string split;
  encode_reading_head(r, split);
  encode_reading_tail(r, split);
  EXPECT_EQ(split, expected);
  auto back = decode_reading(expected);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(encode_reading(*back), expected);
}

// Whitespace after every ':' and ',' (outside strings) takes a message off the decoder's fast
// path for the encoder's own layout, onto the full simdjson decoder.
std::string spaced(std::string_view json) {
  std::string out;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    out.push_back(json[i]);
    if (json[i] == '"' && (i == 0 || json[i - 1] != '\\')) in_string = !in_string;
    if (!in_string && (json[i] == ':' || json[i] == ',')) out.push_back(' ');
  }
  return out;
}

std::string decoded(std::string_view json) {
  auto r = decode_reading(json);
  return r.ok() ? encode_reading(*r) : "error: " + r.error().to_string();
}

// The fast path must decode exactly what the full decoder decodes, and leave to it whatever it
// does not take (numbers of many digits, UTF-8, bad times, odd layouts).
TEST(CodecTest, FastPathDecodesLikeTheFullDecoder) {
  const std::string base =
      R"({"v":1,"source":"sim","station":{"id":"sao-paulo","name":"São Paulo","lat":-23.5505,)"
      R"("lon":-46.6333},"observed_at":"2026-01-01T00:00:00Z",)"
      R"("ingested_at":"2026-01-01T00:00:02Z","measurements":{"temperature":{"value":NUM},)"
      R"("pm25":{"value":null}},"region":"south-america","timezone":"America/Sao_Paulo",)"
      R"("utc_offset_secs":-10800,"local_time":"2025-12-31T21:00:00-03:00"})";
  for (const char* num : {"24.73", "-0", "0", "1e22", "1e23", "9007199254740993", "4.35e-22",
                          "5e-324",
                          "1234567890123456789", "0.000000000000000000012", "12345678901234567890",
                          "1.5E+2", "1e999", "01", "1.", ".5", "+1", "-", "1e", "\"1\"", "[1]"}) {
    std::string json = base;
    json.replace(json.find("NUM"), 3, num);
    SCOPED_TRACE(json);
    EXPECT_EQ(decoded(json), decoded(spaced(json)));
  }
  for (const char* name : {"plain", "caf\xc3\xa9", "\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                           "\xc0\xaf",
                           "\xf0\x9f\x98\x80", "tab\there", "esc\\\"aped"}) {
    std::string json = base;
    json.replace(json.find("São Paulo"), std::string_view("São Paulo").size(), name);
    SCOPED_TRACE(json);
    EXPECT_EQ(decoded(json), decoded(spaced(json)));
  }
  EXPECT_EQ(decoded(spaced(encode_reading(sample_reading()))), encode_reading(sample_reading()));
  std::string canonical = base;
  canonical.replace(canonical.find("NUM"), 3, "24.73");
  Reading r;
  EXPECT_TRUE(codec_internal::decode_canonical_reading(canonical, r)) << "fast path not taken";
  Reading other;
  EXPECT_FALSE(codec_internal::decode_canonical_reading(spaced(canonical), other));
}

// Callers cache the head per (source, station): head + tail must be the whole encoding.
TEST(CodecTest, ReadingHeadPlusTailIsTheEncoding) {
  const fs::path dir = fs::path(ENVMON_SOURCE_DIR) / "src/model/testdata/decode";
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    auto r = decode_reading(slurp(entry.path()));
    if (!r.ok()) continue;
    ++cases;
    std::string split;
    encode_reading_head(*r, split);
    EXPECT_TRUE(split.ends_with("\"observed_at\":\"")) << split;
    encode_reading_tail(*r, split);
    EXPECT_EQ(split, encode_reading(*r)) << entry.path().filename();
  }
  EXPECT_GE(cases, 3);
}

Aggregate sample_aggregate() {
  Aggregate a;
  a.source = SourceId("sim");
  a.station = StationId("delhi");
  a.metric = Metric::pm25;
  a.bucket_start = from_unix_ms(1'700'000'000'000);
  a.mean = 81.5;
  a.min = 40;
  a.max = 120.25;
  a.count = 12;
  a.revision = 2;
  return a;
}

TEST(CodecTest, AggregateHeadPlusTailIsTheEncoding) {
  Aggregate a = sample_aggregate();
  a.station = StationId("delhi \"2\"");
  a.metric = Metric::aqi_us;
  a.bucket_start = from_unix_ms(1'767'225'600'000);
  a.revision = 1;
  a.dominant = "pm25";
  std::string split;
  encode_aggregate_head(a.source.get(), a.station.get(), split);
  EXPECT_EQ(split, R"({"v":1,"source":"sim","station":"delhi \"2\"","metric":")");
  encode_aggregate_tail(a, split);
  EXPECT_EQ(split, encode_aggregate(a));
  EXPECT_EQ(split,
            R"({"v":1,"source":"sim","station":"delhi \"2\"","metric":"aqi_us",)"
            R"("bucket_start":"2026-01-01T00:00:00Z","bucket_secs":3600,"mean":81.5,"min":40,)"
            R"("max":120.25,"count":12,"revision":1,"dominant":"pm25"})");
}

TEST(CodecTest, RoundTripsAggregateAndDeadLetter) {
  const Aggregate a = sample_aggregate();
  auto back = decode_aggregate(encode_aggregate(a));
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(encode_aggregate(*back), encode_aggregate(a));

  DeadLetter d{"decode", "decode_syntax", "not JSON", "raw", "delhi", "a \"quoted\"\n\x01 payload",
               from_unix_ms(5)};
  auto dl = decode_dead_letter(encode_dead_letter(d));
  ASSERT_TRUE(dl.ok()) << dl.error().to_string();
  EXPECT_EQ(dl->payload, d.payload);
  EXPECT_EQ(dl->reason, "not JSON");
}

TEST(CodecTest, MaskedValueIsNullAndKeepsRaw) {
  Reading r;
  r.source = SourceId("sim");
  r.station.id = StationId("s");
  Measurement m;
  m.metric = Metric::pm25;
  m.value = std::nan("");
  m.raw = 999;
  set_flag(m.flags, Flag::out_of_bounds);
  r.measurements.push_back(m);
  const std::string json = encode_reading(r);
  EXPECT_NE(json.find("\"pm25\":{\"value\":null,\"raw\":999,\"flags\":[\"out_of_bounds\"]}"),
            std::string::npos);
  auto back = decode_reading(json);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(std::isnan(back->measurements[0].value));
  EXPECT_TRUE(is_masked(back->measurements[0].flags));
}

}  // namespace
}  // namespace envmon

namespace envmon {
namespace {

std::string to_chars_text(double v) {
  char buf[64];
  return std::string(buf, std::to_chars(buf, buf + sizeof(buf), v).ptr);
}

// append_json_number has a fast path for values with few decimals: it must print exactly what
// std::to_chars (shortest round trip) prints, for every kind of value.
TEST(CodecTest, NumbersPrintAsTheShortestRoundTrip) {
  std::mt19937_64 rng(42);
  std::vector<double> values = {1,      -1,    0.1,   0.001,  0.0012, 0.0001,   1e-3,    100,
                                1000,   10000, 1e5,   123000, 1e6,    999999.5, 1e9,     -1e9,
                                5e8,    0.5,   -0.25, 28.65,  77.31,  1013.25,  21.5,    -40.1,
                                1e15,   1e-7,  12.3456789, 1.0 / 3, 2.0 / 3 * 1e8, 4.35e8, 120000000};
  std::uniform_real_distribution<double> mantissa(-1, 1);
  std::uniform_int_distribution<int> exponent(-5, 10), decimals(0, 8);
  for (int i = 0; i < 200000; ++i) {
    const double raw = mantissa(rng) * std::pow(10.0, exponent(rng));
    const double scale = std::pow(10.0, decimals(rng));
    values.push_back(i % 4 == 0 ? raw : std::round(raw * scale) / scale);
  }
  for (double v : values) {
    std::string out;
    append_json_number(out, v);
    ASSERT_EQ(out, to_chars_text(v)) << "value " << std::hexfloat << v;
  }
  std::string zeros;
  append_json_number(zeros, 0.0);
  append_json_number(zeros, -0.0);
  EXPECT_EQ(zeros, "0-0");
}

// The encoders copy 16-byte stretches without escapes whole: they must escape exactly like
// append_json_string, wherever the special characters fall.
TEST(CodecTest, ReadingStringsEscapeLikeAppendJsonString) {
  std::mt19937_64 rng(9);
  const std::string alphabet = std::string("abcXYZ019 #/-\"\\\n\t\x01\x1f\x7f") + "\xc3\xa9";
  Reading r;
  r.source = SourceId("sim");
  r.station.id = StationId("s");
  for (int i = 0; i < 20000; ++i) {
    std::string name(rng() % 70, ' ');
    for (auto& c : name) c = alphabet[rng() % alphabet.size()];
    r.station.name = name;
    std::string expected = R"({"v":1,"source":"sim","station":{"id":"s","name":)";
    append_json_string(expected, name);
    std::string head;
    encode_reading_head(r, head);
    ASSERT_EQ(head.substr(0, expected.size()), expected);
  }
}

TEST(CodecTest, StringsEscapeControlCharactersQuotesAndBackslashes) {
  std::string out;
  append_json_string(out, std::string("a\"b\\c\nd\te\x01") + "f\x1f" + "g");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\te\\u0001f\\u001fg\"");
}

}  // namespace
}  // namespace envmon
