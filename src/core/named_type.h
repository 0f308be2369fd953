#pragma once

#include <compare>
#include <functional>
#include <string>
#include <utility>

namespace envmon {

// A strong type: a T that cannot be mixed up with another T of a different Tag.
template <typename T, typename Tag>
class NamedType {
 public:
  using value_type = T;
  NamedType() = default;
  explicit NamedType(T value) : value_(std::move(value)) {}

  const T& get() const { return value_; }
  T& get() { return value_; }

  friend auto operator<=>(const NamedType&, const NamedType&) = default;
  friend bool operator==(const NamedType&, const NamedType&) = default;

 private:
  T value_{};
};

}  // namespace envmon

template <typename T, typename Tag>
struct std::hash<envmon::NamedType<T, Tag>> {
  size_t operator()(const envmon::NamedType<T, Tag>& v) const noexcept {
    return std::hash<T>{}(v.get());
  }
};
