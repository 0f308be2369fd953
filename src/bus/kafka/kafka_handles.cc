#include "bus/kafka/kafka_handles.h"

#include <array>

namespace envmon::bus::kafka {
namespace {

// librdkafka logs from its own threads; the opaque is the bus's state, which outlives them.
void log_cb(const rd_kafka_t* rk, int level, const char* facility, const char* buf) {
  const auto* state = static_cast<const BusState*>(rd_kafka_opaque(rk));
  if (state == nullptr) return;
  const Logger* log = &state->log;
  const std::initializer_list<LogField> fields = {{"client", rd_kafka_name(rk)},
                                                  {"facility", facility}};
  if (level <= 3) {
    log->error(buf, fields);
  } else if (level == 4) {
    log->warn(buf, fields);
  } else if (level <= 6) {
    log->info(buf, fields);
  } else {
    log->debug(buf, fields);
  }
}

bool is_transient(rd_kafka_resp_err_t err) {
  static constexpr std::array kTransient = {
      RD_KAFKA_RESP_ERR__TRANSPORT,
      RD_KAFKA_RESP_ERR__TIMED_OUT,
      RD_KAFKA_RESP_ERR__QUEUE_FULL,
      RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN,
      RD_KAFKA_RESP_ERR__WAIT_COORD,
      RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE,
      RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
      RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
      RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
      RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
      RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
      RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
      RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
      RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
      RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
      RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND,
      RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION,
      RD_KAFKA_RESP_ERR__PARTITION_EOF,
      RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION,
      RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID,
  };
  for (auto t : kTransient) {
    if (t == err) return true;
  }
  return false;
}

Errc errc_of(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR__QUEUE_FULL:
      return Errc::bus_full;
    case RD_KAFKA_RESP_ERR__DESTROY:
      return Errc::bus_closed;
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
      return Errc::net_connect;
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
      return Errc::net_timeout;
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
      return Errc::invalid_argument;
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
      return Errc::bus_unknown_topic;
    default:
      return Errc::io;
  }
}

}  // namespace

Status set_conf(rd_kafka_conf_t* conf, const char* key, const std::string& value) {
  std::array<char, 512> err{};
  if (rd_kafka_conf_set(conf, key, value.c_str(), err.data(), err.size()) != RD_KAFKA_CONF_OK) {
    return Error(Errc::config_bad_value,
                 std::string("librdkafka setting ") + key + "=" + value + ": " + err.data());
  }
  return ok_status();
}

Result<ConfPtr> make_conf(BusState& state,
                          std::initializer_list<std::pair<const char*, std::string>> extra) {
  const KafkaBusConfig& config = state.config;
  ConfPtr conf(rd_kafka_conf_new());
  ENVMON_TRY(set_conf(conf.get(), "bootstrap.servers", config.bootstrap_servers));
  ENVMON_TRY(set_conf(conf.get(), "client.id", config.client_id));
  for (const auto& [key, value] : extra)
    ENVMON_TRY(set_conf(conf.get(), key, value));
  rd_kafka_conf_set_log_cb(conf.get(), log_cb);
  rd_kafka_conf_set_opaque(conf.get(), &state);
  return conf;
}

Result<HandlePtr> make_handle(rd_kafka_type_t type, ConfPtr conf) {
  std::array<char, 512> err{};
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), err.data(), err.size());
  if (rk == nullptr) {
    return Error(Errc::config_bad_value, std::string("cannot create Kafka client: ") + err.data());
  }
  (void)conf.release();  // now owned by rk
  return HandlePtr(rk);
}

Error kafka_error(rd_kafka_resp_err_t err, std::string_view context) {
  return Error(errc_of(err), std::string(context) + ": " + rd_kafka_err2str(err),
               is_transient(err) ? Retryable::yes : Retryable::no);
}

Error kafka_error(rd_kafka_error_t* err, std::string_view context) {
  const rd_kafka_resp_err_t code = rd_kafka_error_code(err);
  const bool retry = rd_kafka_error_is_retriable(err) != 0 || is_transient(code);
  Error out(errc_of(code), std::string(context) + ": " + rd_kafka_error_string(err),
            retry ? Retryable::yes : Retryable::no);
  rd_kafka_error_destroy(err);
  return out;
}

Error closed_error() {
  return Error(Errc::bus_closed, "bus is shut down");
}

}  // namespace envmon::bus::kafka
