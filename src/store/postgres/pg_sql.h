#pragma once
// Spelling shared by the PostgreSQL store's SQL: times cross the wire as unix milliseconds.

// A unix-ms parameter as timestamptz (immutable, so partitions are pruned at plan time).
#define ENVMON_PG_TS(param) "to_timestamp(" param "::float8 / 1000)"
// A timestamptz column as unix ms. date_part is float8 arithmetic (extract() is numeric, several
// times slower per row); rounding is exact for the millisecond times envmon stores.
#define ENVMON_PG_MS(column) "round(date_part('epoch', " column ") * 1000)::int8"
