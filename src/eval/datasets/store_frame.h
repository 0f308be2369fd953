#pragma once

#include <string>

#include "core/result.h"
#include "core/time.h"
#include "eval/datasets/datasets.h"
#include "store/store.h"

namespace envmon::eval {

// Training from the store: a station's hourly aggregates in [from, to) on the same hourly
// RawFrame the CSV readers make (hours without an aggregate are NaN), with the station's local
// UTC offset (its IANA timezone at `to`; fixed over the frame like the CSV layouts).
Result<Dataset> read_store_dataset(store::Store& store, const std::string& station,
                                   Timestamp from, Timestamp to);

}  // namespace envmon::eval
