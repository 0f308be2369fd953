#include "net/http_types.h"

namespace envmon::net {

std::string_view transport_error_name(TransportError e) {
  switch (e) {
    case TransportError::none:
      return "none";
    case TransportError::dns:
      return "dns";
    case TransportError::connect:
      return "connect";
    case TransportError::timeout:
      return "timeout";
    case TransportError::reset:
      return "reset";
    case TransportError::too_large:
      return "too_large";
    case TransportError::other:
      return "other";
  }
  return "other";
}

}  // namespace envmon::net
