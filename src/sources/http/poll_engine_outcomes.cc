// What the engine does with each answer: outcome handling, edge validation, dead letters.
#include <algorithm>

#include "net/url.h"
#include "sources/http/edge_check.h"
#include "sources/http/poll_engine.h"

namespace envmon::sources::http {

namespace {

constexpr size_t kMaxDeadLetterPayload = 64 * 1024;

}  // namespace

void PollEngine::complete(size_t task, const net::HttpResponse& response, SourceBatch& out) {
  const Timestamp now = ctx_.clock->now();
  TaskState& s = state_[task];
  s.in_flight = false;
  ParseResult parsed;
  if (response.transport != net::TransportError::none) {
    parsed.outcome = Outcome::transient;
    parsed.message = std::string(net::transport_error_name(response.transport)) + ": " +
                     response.transport_message;
    s.last_outcome = "transport:" + std::string(net::transport_error_name(response.transport));
    ctx_.metrics->error("source",
                        "transport_" + std::string(net::transport_error_name(response.transport)));
  } else {
    const FetchTask& t = tasks_[task];
    parsed = provider_->parse(t, stations_[t.station_index], response, now);
    s.last_outcome = std::string(outcome_name(parsed.outcome));
  }
  metrics_.request(tasks_[task].endpoint, s.last_outcome,
                   static_cast<double>(response.elapsed.count()) / 1000.0);
  emit(task, parsed, response, now, out);
  apply_outcome(task, parsed.outcome, parsed, response, now);
}

void PollEngine::apply_outcome(size_t task, Outcome outcome, const ParseResult& parsed,
                               const net::HttpResponse& response, Timestamp now) {
  switch (outcome) {
    case Outcome::ok:
      on_ok(task, now);
      return;
    case Outcome::bad_payload: {
      ctx_.metrics->error("source", "bad_payload");
      on_ok(task, now);  // the server answered: the circuit stays closed, the schedule holds
      return;
    }
    case Outcome::transient:
      on_transient(task, now);
      return;
    case Outcome::rate_limited:
      on_rate_limited(task, response.retry_after ? response.retry_after : parsed.retry_after, now);
      return;
    case Outcome::unauthorized:
      on_unauthorized(task, parsed.message, now);
      return;
    case Outcome::endpoint_unavailable:
      on_endpoint_unavailable(task, parsed.message, now);
      return;
    case Outcome::not_found:
      on_not_found(task, parsed.message, now);
      return;
  }
}

void PollEngine::on_ok(size_t task, Timestamp now) {
  const bool changed = breaker_.on_success();
  metrics_.circuit(breaker_.state(), changed);
  if (changed) ctx_.log.info("circuit closed", {{"provider", provider_->name()}});
  next_slot(task, now);
}

void PollEngine::on_transient(size_t task, Timestamp now) {
  const bool changed = breaker_.on_failure(now);
  metrics_.circuit(breaker_.state(), changed);
  if (changed) {
    ctx_.log.warn("circuit opened",
                  {{"provider", provider_->name()}, {"open_secs", config_.circuit_open_secs}});
  }
  TaskState& s = state_[task];
  if (s.attempt >= config_.max_retries) {
    ctx_.log.warn("fetch failed after retries", {{"endpoint", tasks_[task].endpoint},
                                                 {"url", s.redacted_url},
                                                 {"outcome", s.last_outcome}});
    next_slot(task, now);
    return;
  }
  const Millis delay = backoff_.delay(s.attempt);
  ++s.attempt;
  metrics_.backoff_retry();
  schedule(task, now + delay);
}

void PollEngine::on_rate_limited(size_t task, std::optional<Seconds> retry_after, Timestamp now) {
  Millis pause = retry_after ? Millis(std::clamp(*retry_after, Seconds(0), net::kMaxRetryAfter))
                             : backoff_.delay(state_[task].attempt + 1);
  // "Retry-After: 0" (or a zero jitter draw) would re-send at once into the same 429.
  pause = std::max(pause, Millis(config_.backoff_initial_ms));
  paused_until_ = std::max(paused_until_, now + pause);
  metrics_.retry_after_pause();
  ctx_.metrics->error("source", "rate_limited");
  ctx_.log.warn("provider rate limit: pausing every request",
                {{"provider", provider_->name()},
                 {"pause_ms", pause.count()},
                 {"retry_after", retry_after ? "header_or_body" : "backoff"}});
  schedule(task, paused_until_);  // not the task's fault: no retry is used up
}

void PollEngine::on_unauthorized(size_t task, const std::string& message, Timestamp now) {
  paused_until_ = std::max(paused_until_, now + Seconds(config_.auth_retry_secs));
  ctx_.metrics->error("source", "unauthorized");
  if (logged_once_.insert("auth:").second) {
    ctx_.log.error(
        "provider rejected the API key: check the key's variable or file and its "
        "activation (new keys can take hours); pausing the whole source",
        {{"provider", provider_->name()},
         {"message", message},
         {"retry_secs", config_.auth_retry_secs}});
  }
  park(task, paused_until_);
  if (mode_ == PollMode::continuous) return;
  // once: nothing else can succeed either; give up on every task still waiting.
  while (!heap_.empty()) {
    const size_t t = heap_.top().second;
    heap_.pop();
    finish(t);
  }
}

void PollEngine::on_endpoint_unavailable(size_t task, const std::string& message, Timestamp now) {
  const std::string& endpoint = tasks_[task].endpoint;
  endpoint_paused_until_[endpoint] = now + Seconds(config_.auth_retry_secs);
  ctx_.metrics->error("source", "endpoint_unavailable");
  if (logged_once_.insert("endpoint:" + endpoint).second) {
    ctx_.log.error("the key is not entitled to this endpoint (subscription?); pausing it",
                   {{"provider", provider_->name()},
                    {"endpoint", endpoint},
                    {"message", message},
                    {"retry_secs", config_.auth_retry_secs}});
  }
  park(task, endpoint_paused_until_[endpoint]);
}

void PollEngine::on_not_found(size_t task, const std::string& message, Timestamp now) {
  const std::string& station = stations_[tasks_[task].station_index].id;
  ctx_.metrics->error("source", "not_found");
  if (logged_once_.insert("not_found:" + station + "/" + tasks_[task].endpoint).second) {
    ctx_.log.warn("provider does not know this station",
                  {{"station", station},
                   {"endpoint", tasks_[task].endpoint},
                   {"url", state_[task].redacted_url},
                   {"message", message},
                   {"retry_secs", config_.not_found_retry_secs}});
  }
  state_[task].attempt = 0;
  park(task, now + Seconds(config_.not_found_retry_secs));
}

void PollEngine::park(size_t task, Timestamp until) {
  if (mode_ == PollMode::once) {
    finish(task);
  } else {
    schedule(task, until);
  }
}

void PollEngine::next_slot(size_t task, Timestamp now) {
  state_[task].attempt = 0;
  if (mode_ == PollMode::once) {
    finish(task);
    return;
  }
  schedule(task, now + jittered(plans_[task].effective, config_.jitter_fraction, rng_));
}

void PollEngine::finish(size_t task) {
  if (state_[task].finished) return;
  state_[task].finished = true;
  ++finished_;
}

void PollEngine::emit(size_t task, ParseResult& parsed, const net::HttpResponse& response,
                      Timestamp now, SourceBatch& out) {
  ctx_.metrics->received(static_cast<double>(parsed.readings.size()));
  if (parsed.missing_values > 0)
    ctx_.metrics->discarded("missing_value", static_cast<double>(parsed.missing_values));
  for (const auto& reject : parsed.rejects)
    dead_letter(task, reject, response.body, out);
  if (parsed.outcome == Outcome::bad_payload && parsed.rejects.empty()) {
    dead_letter(task,
                Reject{"source_payload", parsed.message.empty() ? "bad payload" : parsed.message},
                response.body, out);
  }
  for (auto& r : parsed.readings) {
    if (r.source.get().empty()) r.source = SourceId(ctx_.id);
    const EdgeResult res = check_reading(r, station_ids_, now, Seconds(config_.stale_after_secs));
    if (res.nulls_dropped > 0)
      ctx_.metrics->discarded("null_value", static_cast<double>(res.nulls_dropped));
    switch (res.verdict) {
      case EdgeVerdict::accept:
        out.readings.push_back(std::move(r));
        break;
      case EdgeVerdict::reject:
        dead_letter(task, res.reject, response.body, out);
        break;
      case EdgeVerdict::stale:
        discard_stale(r);
        break;
      case EdgeVerdict::empty:  // only nulls, already counted
        break;
    }
  }
}

void PollEngine::discard_stale(const Reading& r) {
  ctx_.metrics->discarded("stale");
  metrics_.stale_discarded();
  if (logged_once_.insert("stale:" + r.station.id.get()).second) {
    ctx_.log.warn("provider observation is stale; discarded",
                  {{"station", r.station.id.get()},
                   {"observed_at", format_rfc3339(r.observed_at)},
                   {"stale_after_secs", config_.stale_after_secs}});
  }
}

void PollEngine::dead_letter(size_t task, const Reject& reject, const std::string& body,
                             SourceBatch& out) {
  DeadLetter d;
  d.stage = "source";
  d.error_code = reject.error_code;
  d.reason =
      std::string(provider_->name()) + " " + state_[task].redacted_url + ": " + reject.reason;
  d.topic = "source:" + ctx_.id;
  d.key = stations_[tasks_[task].station_index].id;
  d.payload = body.substr(0, std::min(body.size(), kMaxDeadLetterPayload));
  d.at = ctx_.clock->now();
  ctx_.metrics->discarded(reject.error_code);
  ctx_.metrics->error("source", reject.error_code);
  out.dead_letters.push_back(std::move(d));
}

}  // namespace envmon::sources::http
