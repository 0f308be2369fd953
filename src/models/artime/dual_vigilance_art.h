#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace envmon::models::artime {

// Dual-vigilance fuzzy ART (Carpenter & Grossberg's fuzzy ART with a lower and an upper
// vigilance), in the compact form ARTime uses. Samples are vectors in [0, 1]^dim, complement
// coded to 2 dim. A category's weights are the element-wise minimum of what it has learnt.
//
// Match of a sample x with category w: feature similarity |min(x, w)| / |w| (L1) cubed, times
// the squared "energy" similarity of the sample's last element and its complement alone. The
// categories are tried best first: each one matching at or above the upper vigilance learns the
// sample (w = min(x, w)); the first below it but at or above the lower vigilance leaves a copy of
// the sample as a new category of its cluster; anything else ends the search. A sample no
// category takes founds a new cluster: it is novel.
class DualVigilanceArt {
 public:
  struct Presentation {
    bool novel = true;       // no category resonated: a new cluster was made (if learning)
    double match = 0;        // best match over the categories
    double energy = 0;       // energy similarity of that best category
  };

  explicit DualVigilanceArt(size_t dim);

  void set_vigilance(double lower, double upper);
  double lower_vigilance() const { return lower_; }
  double upper_vigilance() const { return upper_; }
  size_t categories() const { return labels_.size(); }

  // The first sample ever only seeds an all-ones category (match 0, not novel), as the
  // published detector does. `learn` false scores without changing anything.
  Presentation present(std::span<const double> features, bool learn = true);

 private:
  void match_all();
  void add_category(uint32_t label);

  size_t dim_;
  double lower_ = 0, upper_ = 0;
  std::vector<double> weights_;    // categories x (2 dim)
  std::vector<uint32_t> labels_;   // cluster of each category
  uint32_t clusters_ = 0;
  // Per-presentation buffers, reused.
  std::vector<double> sample_, match_, energy_;
  std::vector<uint32_t> order_;
};

}  // namespace envmon::models::artime
