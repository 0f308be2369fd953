#pragma once

#include <cstring>
#include <string>
#include <string_view>

namespace envmon::binio {

// Fixed-size values in host byte order for envmon's own versioned model files (each file
// starts with a magic and a format version, so a foreign layout is refused, not misread).
template <typename T>
void put(std::string& out, T v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out.append(buf, sizeof(T));
}

// Reads one value and advances `in`; false (and `in` untouched) when too few bytes remain.
template <typename T>
bool get(std::string_view& in, T& v) {
  if (in.size() < sizeof(T)) return false;
  std::memcpy(&v, in.data(), sizeof(T));
  in.remove_prefix(sizeof(T));
  return true;
}

}  // namespace envmon::binio
