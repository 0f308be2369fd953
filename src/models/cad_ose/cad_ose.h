#pragma once

#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "models/cad_ose/cad_ose_config.h"
#include "models/range_warmup/range_warmup.h"

namespace envmon::models::cad_ose {

// CAD OSE, the contextual anomaly detector (open source edition, M. Smirnov 2016) that scores
// 69.9 on NAB: an independent implementation of its algorithm, written from its description
// and reference sources (no code copied).
//
// A value becomes "facts": the bits of its level among 2^value_bits - 1 steps of the range.
// A context is a pair (left part, right part): the left part is the previous step's facts plus
// the ids of the contexts that were active then (fed back, "neurons"), the right part is the
// current facts. Each step:
//  - the contexts whose left part fully matched the previous step are "selected"; those whose
//    right part also fully matches now are active (their confirmation counts grow);
//  - contexts are learnt: the whole (left, right) pair ("zero level") and, when that pair is
//    new, pairs cut from partial matches of remembered zero-level contexts;
//  - the contexts of fully matched left parts with the best confirmation ratio predict the next
//    facts.
// Raw score = (1 - share of selected contexts that became active + share of potential new
// contexts that really were new) / 2, and 0 when every fact was predicted. After a raw score
// >= base_threshold, scores are reported as 0 for rest_points points (one alarm per event).
class CadOse {
 public:
  // The range is the min..max of the first fit_points values, which are replayed into the
  // memory once it is known and score 0 (causal: nothing later is used).
  explicit CadOse(const CadOseConfig& config);
  // A given range (NAB's runner passes each file's own min..max, which a live stream lacks).
  CadOse(const CadOseConfig& config, double min_value, double max_value);

  // The score of `value`, in [0, 1]; non-finite values score 0 and leave the state alone.
  double update(double value);

  bool fitted() const { return fitted_; }
  size_t contexts() const { return contexts_.size(); }

 private:
  using Facts = std::vector<uint64_t>;  // sorted
  struct SemiContext {
    Facts facts;
    int64_t hash = 0;  // orders ties between active contexts as the reference does
    Facts matched;                                         // facts present at the last crossing
    std::vector<std::pair<uint32_t, uint32_t>> contexts;  // left parts: (right id, context id)
    std::unordered_map<uint32_t, uint32_t> context_of;     // right id -> context id
  };
  struct Side {
    std::vector<SemiContext> semis;
    std::unordered_map<int64_t, std::vector<uint32_t>> ids_by_hash;
    std::unordered_map<uint64_t, std::vector<uint32_t>> by_fact;
    std::vector<uint32_t> crossed;  // semi-contexts matched by at least one fact, by id
    std::vector<uint32_t> previous;  // the step before's, reused as the next list's storage
  };
  struct Context {
    double selected_facts = 0;   // right-part facts expected while selected
    double confirmed_facts = 0;  // of those, facts that came
    int64_t activations = 0;
    uint32_t left = 0, right = 0;
    bool zero_level = false;
  };
  using Pair = std::pair<Facts, Facts>;
  struct Selection {
    std::vector<uint32_t> active;
    size_t selected = 0;
    std::vector<Pair> potential;
  };

  void set_range(double min_value, double max_value);
  double score(double value);
  void facts_of(double value, Facts& out) const;
  std::pair<double, double> step(const Facts& facts);
  void next_left_facts(const Facts& facts, std::vector<uint32_t>& active);
  uint32_t semi_id(Side& side, const Facts& facts);
  bool learn(const Facts& left, const Facts& right, bool zero_level);
  void cross(Side& side, const Facts& facts);
  void select_and_activate(bool new_zero_level);
  void predict();
  size_t unique_potential(bool with_zero_level);
  bool resting() const;
  void remember_raw(double raw);

  CadOseConfig config_;
  bool fitted_ = false;
  RangeWarmup warmup_;
  double min_ = 0, step_ = 1;
  Side left_, right_;
  std::vector<Context> contexts_;
  uint32_t skipped_context_ = 0;  // the zero-level context learnt this step
  Facts left_facts_, predicted_;
  // Per-step buffers, reused so a step that learns nothing allocates nothing.
  Facts facts_, neurons_;
  Selection selection_;
  Pair zero_pair_;
  std::vector<const Pair*> pairs_;
  std::vector<uint32_t> best_contexts_;
  std::vector<double> recent_;  // the last rest_points raw scores, a ring from recent_next_
  size_t recent_next_ = 0;
};

}  // namespace envmon::models::cad_ose
