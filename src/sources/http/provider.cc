#include "sources/http/provider.h"

namespace envmon::sources::http {

std::string_view outcome_name(Outcome o) {
  switch (o) {
    case Outcome::ok:
      return "ok";
    case Outcome::transient:
      return "transient";
    case Outcome::rate_limited:
      return "rate_limited";
    case Outcome::unauthorized:
      return "unauthorized";
    case Outcome::endpoint_unavailable:
      return "endpoint_unavailable";
    case Outcome::not_found:
      return "not_found";
    case Outcome::bad_payload:
      return "bad_payload";
  }
  return "unknown";
}

}  // namespace envmon::sources::http
