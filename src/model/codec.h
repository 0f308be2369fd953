#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "model/reading.h"

namespace envmon {

// The versioned JSON encoding of envmon's messages.
//
// Reading (topics raw and curated):
//   {"v":1,"source":"sim","station":{"id":"delhi","name":"Delhi","lat":28.65,"lon":77.31},
//    "observed_at":"2026-01-01T00:00:00Z","ingested_at":"2026-01-01T00:00:04Z",
//    "measurements":{"temperature":{"value":21.5},"pm25":{"value":null,"raw":812,"flags":["spike"]},
//                    "wind_speed":{"value":12.0,"unit":"km/h"}},
//    "region":"south-asia","timezone":"Asia/Kolkata","utc_offset_secs":19800,
//    "local_time":"2026-01-01T05:30:00+05:30"}                   <- enrichment: curated only
// A measurement may also be a bare number in the canonical unit: "temperature": 21.5.
// Decoding is strict: unknown fields, wrong types, unknown metrics or flags and bad times are
// errors whose message names the field path ("measurements.pm25.value: expected a number").

// Appends the encoding to `out` (callers reuse buffers on hot paths).
void encode_reading(const Reading& r, std::string& out);
std::string encode_reading(const Reading& r);
Result<Reading> decode_reading(std::string_view json);
// The same bytes in two parts, so a hot-path caller can cache the head, which is constant per
// (source, station): encode_reading == encode_reading_head + encode_reading_tail, byte for byte.
// Head: `{"v":1,"source":..,"station":{..},"observed_at":"` (up to and including that quote);
// tail: the rest, from observed_at's time on.
void encode_reading_head(const Reading& r, std::string& out);
void encode_reading_tail(const Reading& r, std::string& out);
// Decodes into an existing Reading, reusing its vectors' capacity (hot path).
Status decode_reading_into(std::string_view json, Reading& out);

// Aggregate (topic aggregates):
//   {"v":1,"source":"sim","station":"delhi","metric":"pm25","bucket_start":"...Z",
//    "bucket_secs":3600,"mean":..,"min":..,"max":..,"count":12,"revision":0[,"dominant":"pm25"]}
void encode_aggregate(const Aggregate& a, std::string& out);
std::string encode_aggregate(const Aggregate& a);
// Split like the reading's: the head `{"v":1,"source":..,"station":..,"metric":"` is constant
// per (source, station); encode_aggregate == head(a.source, a.station) + tail(a).
void encode_aggregate_head(std::string_view source, std::string_view station, std::string& out);
void encode_aggregate_tail(const Aggregate& a, std::string& out);
Result<Aggregate> decode_aggregate(std::string_view json);

// DeadLetter (topic dead-letter):
//   {"v":1,"stage":"decode","error_code":"decode_field","reason":"...","topic":"raw","key":"delhi",
//    "payload":"<original bytes as a JSON string>","at":"...Z"}
std::string encode_dead_letter(const DeadLetter& d);
Result<DeadLetter> decode_dead_letter(std::string_view json);

// JSON helpers shared by encoders elsewhere (API responses).
void append_json_string(std::string& out, std::string_view s);
void append_json_number(std::string& out, double v);  // shortest round-trip; NaN/inf -> null

}  // namespace envmon
