#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/time.h"

namespace envmon::api {

// A minimal streaming JSON writer that appends to one std::string: the API renders every
// response through it so a request costs one growing buffer, not a DOM of small allocations.
// Commas are inserted automatically; the caller keeps objects and arrays balanced.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);

  JsonWriter& string(std::string_view s);
  JsonWriter& number(double v);  // NaN and infinities are written as null
  JsonWriter& integer(int64_t v);
  JsonWriter& boolean(bool b);
  JsonWriter& null();
  JsonWriter& time(Timestamp t);  // RFC 3339 string
  // An already-encoded JSON value, copied verbatim (the caller vouches that it is valid JSON).
  JsonWriter& raw(std::string_view json);

  // key + value shorthands
  JsonWriter& field(std::string_view k, std::string_view v) { return key(k).string(v); }
  JsonWriter& field(std::string_view k, const char* v) { return key(k).string(v); }
  JsonWriter& field_number(std::string_view k, double v) { return key(k).number(v); }
  JsonWriter& field_integer(std::string_view k, int64_t v) { return key(k).integer(v); }
  JsonWriter& field_time(std::string_view k, Timestamp t) { return key(k).time(t); }

 private:
  void separate();

  std::string& out_;
  bool need_comma_ = false;
};

// Appends `s` as a quoted JSON string with escapes.
void append_json_string(std::string& out, std::string_view s);

}  // namespace envmon::api
