// Encoders for the v1 message schema; decoders live in codec_decode.cc.
#include <charconv>
#include <cmath>

#include "core/error.h"
#include "model/codec.h"

namespace envmon {

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        if (c < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

void append_json_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out.append("null");
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  if (ec != std::errc()) {
    out.append("null");
    return;
  }
  out.append(buf, end);
}

namespace {

void append_int(std::string& out, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, end);
}

void append_flags(std::string& out, FlagSet flags) {
  out.append(",\"flags\":[");
  bool first = true;
  // Walks the bits directly: all_flags() would allocate on the hot path.
  for (FlagSet bit = 1; bit != 0 && bit <= flags; bit = static_cast<FlagSet>(bit << 1)) {
    const auto f = static_cast<Flag>(bit);
    if (!has_flag(flags, f)) continue;
    if (!first) out.push_back(',');
    first = false;
    out.push_back('"');
    out.append(flag_name(f));
    out.push_back('"');
  }
  out.push_back(']');
}

void append_measurement(std::string& out, const Measurement& m) {
  out.push_back('"');
  out.append(metric_id(m.metric));
  out.append("\":{\"value\":");
  append_json_number(out, m.value);
  if (!std::isnan(m.raw)) {
    out.append(",\"raw\":");
    append_json_number(out, m.raw);
  }
  if (!m.unit.empty()) {
    out.append(",\"unit\":");
    append_json_string(out, m.unit);
  }
  if (m.flags != 0) append_flags(out, m.flags);
  out.push_back('}');
}

void append_enrichment(std::string& out, const Enrichment& e) {
  out.append(",\"region\":");
  append_json_string(out, e.region);
  out.append(",\"timezone\":");
  append_json_string(out, e.timezone);
  out.append(",\"utc_offset_secs\":");
  append_int(out, e.utc_offset_secs);
  out.append(",\"local_time\":");
  append_json_string(out, e.local_time);
}

}  // namespace

void encode_reading(const Reading& r, std::string& out) {
  out.append("{\"v\":1,\"source\":");
  append_json_string(out, r.source.get());
  out.append(",\"station\":{\"id\":");
  append_json_string(out, r.station.id.get());
  out.append(",\"name\":");
  append_json_string(out, r.station.name);
  out.append(",\"lat\":");
  append_json_number(out, r.station.lat);
  out.append(",\"lon\":");
  append_json_number(out, r.station.lon);
  if (!r.station.provider_id.empty()) {
    out.append(",\"provider_id\":");
    append_json_string(out, r.station.provider_id);
  }
  out.append("},\"observed_at\":\"");
  append_rfc3339(out, r.observed_at);
  out.append("\",\"ingested_at\":\"");
  append_rfc3339(out, r.ingested_at);
  out.append("\",\"measurements\":{");
  for (size_t i = 0; i < r.measurements.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_measurement(out, r.measurements[i]);
  }
  out.push_back('}');
  if (r.enrichment) append_enrichment(out, *r.enrichment);
  out.push_back('}');
}

std::string encode_reading(const Reading& r) {
  std::string out;
  out.reserve(256 + r.measurements.size() * 40);
  encode_reading(r, out);
  return out;
}

void encode_aggregate(const Aggregate& a, std::string& out) {
  out.append("{\"v\":1,\"source\":");
  append_json_string(out, a.source.get());
  out.append(",\"station\":");
  append_json_string(out, a.station.get());
  out.append(",\"metric\":\"");
  out.append(metric_id(a.metric));
  out.append("\",\"bucket_start\":\"");
  append_rfc3339(out, a.bucket_start);
  out.append("\",\"bucket_secs\":");
  append_int(out, a.bucket.count());
  out.append(",\"mean\":");
  append_json_number(out, a.mean);
  out.append(",\"min\":");
  append_json_number(out, a.min);
  out.append(",\"max\":");
  append_json_number(out, a.max);
  out.append(",\"count\":");
  append_int(out, a.count);
  out.append(",\"revision\":");
  append_int(out, a.revision);
  if (!a.dominant.empty()) {
    out.append(",\"dominant\":");
    append_json_string(out, a.dominant);
  }
  out.push_back('}');
}

std::string encode_aggregate(const Aggregate& a) {
  std::string out;
  out.reserve(256);
  encode_aggregate(a, out);
  return out;
}

std::string encode_dead_letter(const DeadLetter& d) {
  std::string out;
  out.reserve(192 + d.payload.size() + d.reason.size());
  out.append("{\"v\":1,\"stage\":");
  append_json_string(out, d.stage);
  out.append(",\"error_code\":");
  append_json_string(out, d.error_code);
  out.append(",\"reason\":");
  append_json_string(out, d.reason);
  out.append(",\"topic\":");
  append_json_string(out, d.topic);
  out.append(",\"key\":");
  append_json_string(out, d.key);
  out.append(",\"payload\":");
  append_json_string(out, d.payload);
  out.append(",\"at\":\"");
  append_rfc3339(out, d.at);
  out.append("\"}");
  return out;
}

}  // namespace envmon
