#include "models/cad_ose/cad_ose.h"

#include <algorithm>
#include <cmath>

namespace envmon::models::cad_ose {

namespace {

constexpr uint64_t kValueFactBase = 65536;          // facts of a value's bits
constexpr uint64_t kContextFactBase = 1ULL << 31;   // facts of active contexts ("neurons")
constexpr double kMaxLevel = 1099511627776.0;       // 2^40: far-off values share a level

// The hash Python 2.7 gives a tuple of ints (64-bit): the reference breaks ties between equally
// confirmed active contexts by the hashes of their parts, and NAB ran it on Python 2.7, so the
// same order keeps the same contexts active.
int64_t hash_facts(const std::vector<uint64_t>& facts) {
  uint64_t x = 0x345678;
  uint64_t mult = 1000003;
  for (size_t left = facts.size(); left-- > 0;) {
    x = (x ^ facts[facts.size() - 1 - left]) * mult;
    mult += 82520 + 2 * static_cast<uint64_t>(left);
  }
  x += 97531;
  const auto h = static_cast<int64_t>(x);
  return h == -1 ? -2 : h;
}

}  // namespace

CadOse::CadOse(const CadOseConfig& config) : config_(config), warmup_(config.fit_points) {
  config_.value_bits = std::clamp<int64_t>(config_.value_bits, 1, 16);
  config_.fit_points = std::max<int64_t>(config_.fit_points, 1);
  recent_.reserve(static_cast<size_t>(std::max<int64_t>(config_.rest_points, 1)));
  recent_.push_back(1.0);  // the reference starts its history with a 1: no alarm in the first rest
}

CadOse::CadOse(const CadOseConfig& config, double min_value, double max_value) : CadOse(config) {
  set_range(min_value, max_value);
}

double CadOse::update(double value) {
  if (!std::isfinite(value)) return 0.0;
  if (fitted_) return score(value);
  // The fit values set the range and are then replayed, so the memory is what it would have
  // been had the range been known from the start.
  if (auto range = warmup_.add(value)) {
    set_range(range->min, range->max);
    for (double v : range->values) score(v);
  }
  return 0.0;
}

// min..max spans 2^bits - 1 steps (a flat range gets a step of 1, as in the reference).
void CadOse::set_range(double min_value, double max_value) {
  const double steps = std::ldexp(1.0, static_cast<int>(config_.value_bits)) - 1.0;
  min_ = min_value;
  const double range = max_value - min_value;
  step_ = (range > 0 ? range : steps) / steps;
  fitted_ = true;
}

// The bits of the value's level, lowest first, padded to value_bits; each bit is a fact
// (position, bit). A level below the range is read as the reference reads it: the bits of its
// magnitude followed by three zero "bits" (its sign marks), so it differs from any level inside.
void CadOse::facts_of(double value, Facts& out) const {
  const double q = std::clamp(std::trunc((value - min_) / step_), -kMaxLevel, kMaxLevel);
  const auto magnitude = static_cast<uint64_t>(std::fabs(q));
  size_t bits = 0;
  while (bits < 64 && (magnitude >> bits) != 0) ++bits;
  const size_t width =
      std::max<size_t>(bits + (q < 0 ? 3 : 0), static_cast<size_t>(config_.value_bits));
  out.resize(width);
  for (size_t pos = 0; pos < width; ++pos) {
    const uint64_t bit = pos < bits ? (magnitude >> pos) & 1U : 0U;
    out[pos] = kValueFactBase + 2 * pos + bit;
  }
}

double CadOse::score(double value) {
  facts_of(value, facts_);
  const bool surprise = std::any_of(facts_.begin(), facts_.end(), [&](uint64_t f) {
    return !std::binary_search(predicted_.begin(), predicted_.end(), f);
  });
  const auto [active_share, new_share] = step(facts_);
  const double raw = surprise ? (1.0 - active_share + new_share) / 2.0 : 0.0;
  const bool rest = resting();
  remember_raw(raw);
  return rest ? 0.0 : raw;
}

// Resting while any of the last rest_points raw scores reached base_threshold.
bool CadOse::resting() const {
  return config_.rest_points > 0 &&
         *std::max_element(recent_.begin(), recent_.end()) >= config_.base_threshold;
}

void CadOse::remember_raw(double raw) {
  if (recent_.size() < recent_.capacity()) {
    recent_.push_back(raw);
    return;
  }
  recent_[recent_next_] = raw;  // overwrite the oldest
  recent_next_ = (recent_next_ + 1) % recent_.size();
}

// One step; returns (share of selected contexts that became active, share of the potential
// new contexts that were new).
std::pair<double, double> CadOse::step(const Facts& facts) {
  bool new_zero_level = false;
  const bool with_zero_level = !left_facts_.empty() && !facts.empty();
  if (with_zero_level) {
    zero_pair_.first = left_facts_;
    zero_pair_.second = facts;
    new_zero_level = learn(left_facts_, facts, true);
  }
  cross(right_, facts);
  select_and_activate(new_zero_level);
  Selection& sel = selection_;
  const double active_share =
      sel.selected > 0 ? static_cast<double>(sel.active.size()) / static_cast<double>(sel.selected)
                       : 0.0;
  // Only a new zero-level context makes potential ones, so only then is their count needed.
  const size_t potential = new_zero_level ? unique_potential(with_zero_level) : 0;

  next_left_facts(facts, sel.active);

  size_t added = new_zero_level ? 1 : 0;
  for (const Pair& p : sel.potential) added += learn(p.first, p.second, false) ? 1 : 0;
  cross(left_, left_facts_);
  predict();
  const double new_share =
      potential > 0 ? static_cast<double>(added) / static_cast<double>(potential) : 0.0;
  return {active_share, new_share};
}

// Distinct pairs among the zero-level pair and the potential new contexts.
size_t CadOse::unique_potential(bool with_zero_level) {
  pairs_.clear();
  if (with_zero_level) pairs_.push_back(&zero_pair_);
  for (const Pair& p : selection_.potential) pairs_.push_back(&p);
  std::sort(pairs_.begin(), pairs_.end(), [](const Pair* a, const Pair* b) { return *a < *b; });
  const auto end = std::unique(pairs_.begin(), pairs_.end(),
                               [](const Pair* a, const Pair* b) { return *a == *b; });
  return static_cast<size_t>(end - pairs_.begin());
}

// The next left part: these facts and the most confirmed active contexts (ties in the
// reference's order).
void CadOse::next_left_facts(const Facts& facts, std::vector<uint32_t>& active) {
  const auto key = [&](uint32_t id) {
    const Context& c = contexts_[id];
    return std::make_tuple(c.activations, left_.semis[c.left].hash, right_.semis[c.right].hash);
  };
  std::sort(active.begin(), active.end(), [&](uint32_t a, uint32_t b) { return key(a) < key(b); });
  const size_t keep = std::min(active.size(), static_cast<size_t>(config_.max_active_contexts));
  neurons_.clear();
  for (size_t i = active.size() - keep; i < active.size(); ++i) {
    neurons_.push_back(kContextFactBase + active[i]);
  }
  std::sort(neurons_.begin(), neurons_.end());
  left_facts_.assign(facts.begin(), facts.end());
  left_facts_.insert(left_facts_.end(), neurons_.begin(), neurons_.end());
}

uint32_t CadOse::semi_id(Side& side, const Facts& facts) {
  const int64_t h = hash_facts(facts);
  auto& same_hash = side.ids_by_hash[h];
  for (uint32_t id : same_hash) {
    if (side.semis[id].facts == facts) return id;
  }
  const auto id = static_cast<uint32_t>(side.semis.size());
  same_hash.push_back(id);
  side.semis.push_back(SemiContext{facts, h, {}, {}, {}});
  for (uint64_t f : facts) side.by_fact[f].push_back(id);
  return id;
}

// Remembers the context (left, right); true if it is new. A zero-level context is the whole
// previous and current facts; remembering one marks it zero level (it can seed crossings).
bool CadOse::learn(const Facts& left, const Facts& right, bool zero_level) {
  const uint32_t l = semi_id(left_, left);
  const uint32_t r = semi_id(right_, right);
  SemiContext& semi = left_.semis[l];
  const auto [it, inserted] =
      semi.context_of.try_emplace(r, static_cast<uint32_t>(contexts_.size()));
  if (!inserted) {
    if (zero_level) contexts_[it->second].zero_level = true;
    return false;
  }
  semi.contexts.emplace_back(r, it->second);
  contexts_.push_back(Context{0, 0, 0, l, r, zero_level});
  if (zero_level) skipped_context_ = it->second;
  return true;
}

// Which facts of each remembered part are present now; `crossed` lists the parts with any.
void CadOse::cross(Side& side, const Facts& facts) {
  for (uint32_t id : side.crossed) side.semis[id].matched.clear();
  std::vector<uint32_t>& touched = side.previous;  // storage of the list before last
  touched.clear();
  for (uint64_t f : facts) {
    const auto it = side.by_fact.find(f);
    if (it == side.by_fact.end()) continue;
    for (uint32_t id : it->second) {
      if (side.semis[id].matched.empty()) touched.push_back(id);
      side.semis[id].matched.push_back(f);
    }
  }
  std::sort(touched.begin(), touched.end());
  std::swap(side.crossed, touched);
}

// Contexts whose left part fully matched the previous step are selected; those whose right
// part fully matches now are active. Partial matches of zero-level contexts become potential
// new contexts while a new zero-level context is being learnt. The context learnt this step is
// left out (the reference's "none" marker is id 0, so context 0 is left out too, kept so the
// scores follow the published detector).
void CadOse::select_and_activate(bool new_zero_level) {
  Selection& sel = selection_;
  sel.active.clear();
  sel.selected = 0;
  sel.potential.clear();
  const size_t max_left = static_cast<size_t>(config_.max_left_facts);
  for (uint32_t l : left_.crossed) {
    const SemiContext& left = left_.semis[l];
    const bool full = left.matched.size() == left.facts.size();
    for (const auto& [r, c] : left.contexts) {
      if (c == skipped_context_) continue;
      Context& ctx = contexts_[c];
      const SemiContext& right = right_.semis[r];
      const size_t hits = right.matched.size();
      bool partial = hits > 0;
      if (full) {
        ++sel.selected;
        ctx.selected_facts += static_cast<double>(right.facts.size());
        ctx.confirmed_facts += static_cast<double>(hits);
        if (hits == right.facts.size()) {
          ++ctx.activations;
          sel.active.push_back(c);
          partial = false;
        }
      }
      if (partial && ctx.zero_level && new_zero_level && left.matched.size() <= max_left) {
        sel.potential.emplace_back(left.matched, right.matched);
      }
    }
  }
  skipped_context_ = 0;
}

// The right parts of the best-confirmed contexts among fully matched left parts.
void CadOse::predict() {
  double best = 0.0;
  std::vector<uint32_t>& best_contexts = best_contexts_;
  best_contexts.clear();
  for (uint32_t l : left_.crossed) {
    const SemiContext& left = left_.semis[l];
    if (left.matched.size() != left.facts.size()) continue;
    for (const auto& [r, c] : left.contexts) {
      const Context& ctx = contexts_[c];
      const double w = ctx.selected_facts > 0 ? ctx.confirmed_facts / ctx.selected_facts : 0.0;
      if (w > best) {
        best = w;
        best_contexts.clear();
      }
      if (w == best) best_contexts.push_back(c);
    }
  }
  Facts& out = predicted_;
  out.clear();
  for (uint32_t c : best_contexts) {
    const Facts& f = right_.semis[contexts_[c].right].facts;
    out.insert(out.end(), f.begin(), f.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

}  // namespace envmon::models::cad_ose
