#pragma once
// Spelling shared by the PostgreSQL store's SQL: times cross the wire as unix milliseconds.

// A unix-ms parameter as timestamptz (immutable, so partitions are pruned at plan time).
#define ENVMON_PG_TS(param) "to_timestamp(" param "::float8 / 1000)"
// A timestamptz column as unix ms.
#define ENVMON_PG_MS(column) "(extract(epoch FROM " column ") * 1000)::int8"
