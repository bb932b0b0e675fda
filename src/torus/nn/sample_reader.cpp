#include "torus/nn/sample_reader.hpp"

#include <cstddef>
#include <limits>

#include "torus/core/error.hpp"
#include "torus/io/views.hpp"

namespace torus::nn {

namespace {

std::string describe(const std::string& path, const std::string& dataset) {
  return "dataset '" + dataset + "' of HDF5 file '" + path + "'";
}

/// The flat index of the first value of `x` (n values, host memory) that is NaN or infinite,
/// or n when all are finite. d = x - x is 0 for a finite x and NaN otherwise, and NaN != NaN.
template <class T>
std::int64_t first_nonfinite(const T* x, std::int64_t n) {
  std::int64_t first = 0;  // the reduction starts from Min's identity, the largest int64
  Kokkos::parallel_reduce(
      "torus::nn::first_nonfinite", Kokkos::RangePolicy<Kokkos::DefaultHostExecutionSpace>(0, n),
      [=](const std::int64_t i, std::int64_t& lowest) {
        const T d = x[i] - x[i];
        if (!(d == d) && i < lowest) lowest = i;
      },
      Kokkos::Min<std::int64_t>(first));
  return first < n ? first : n;
}

}  // namespace

template <class T>
SampleReader<T>::SampleReader(const std::string& path, SampleReaderOptions options)
    : path_(path), options_(std::move(options)), file_(io::File::open(path)) {
  const std::string where = describe(path_, options_.dataset);
  extents_ = io::dataset_extents(file_, options_.dataset);
  const int rank = static_cast<int>(extents_.size());
  TORUS_REQUIRE(options_.rank == 0 || rank == options_.rank,
                "the dataset has rank " + std::to_string(rank) + ", shape " + shape_text(extents_) +
                    ", but rank " + std::to_string(options_.rank) + " is expected",
                where,
                "give a dataset shaped (samples, ...) of rank " + std::to_string(options_.rank) +
                    " (Navier-Stokes data sets: (samples, time, x, y))");
  TORUS_REQUIRE(rank >= 1 && extents_[0] > 0,
                "the dataset holds no samples (shape " + shape_text(extents_) + ")", where,
                "give a data set with at least one sample along axis 0");

  const bool whole_axis =
      options_.time_start == 0 && options_.time_count < 0 && options_.time_stride == 1;
  sample_shape_.assign(extents_.begin() + 1, extents_.end());
  if (rank == 1) {
    TORUS_REQUIRE(whole_axis,
                  "a time selection was given but the dataset has no axis 1 (shape " +
                      shape_text(extents_) + ")",
                  where, "leave time_start, time_count and time_stride at their defaults");
  } else {
    const std::int64_t T_n = extents_[1];
    const std::int64_t start = options_.time_start;
    const std::int64_t stride = options_.time_stride;
    std::int64_t count = options_.time_count;
    if (count < 0 && start >= 0 && start < T_n && stride >= 1) {
      count = (T_n - start + stride - 1) / stride;  // every start + k stride < T_n
    }
    TORUS_REQUIRE(start >= 0 && stride >= 1 && count >= 1 && start + (count - 1) * stride < T_n,
                  "the time selection (start " + std::to_string(start) + ", count " +
                      std::to_string(options_.time_count) + ", stride " + std::to_string(stride) +
                      ") selects nothing or lies outside axis 1, of " + std::to_string(T_n) +
                      " entries",
                  where, "choose time indices in [0, " + std::to_string(T_n) + ")");
    options_.time_count = count;
    sample_shape_[0] = count;
  }
  sample_size_ = shape_size(sample_shape_);
  TORUS_REQUIRE(sample_size_ > 0, "the samples are empty (shape " + shape_text(extents_) + ")",
                where, "give a data set whose samples hold values");

  // An empty read checks that the values convert to T (floats, not integers).
  io::read_hyperslab(file_, options_.dataset, io::Hyperslab{Shape(rank, 0), Shape(rank, 0), {}},
                     static_cast<T*>(nullptr));

  if (options_.in_memory) {
    memory_ = Kokkos::View<T*, Kokkos::HostSpace>(
        Kokkos::view_alloc(Kokkos::WithoutInitializing, "torus::nn::SampleReader memory"),
        static_cast<std::size_t>(samples() * sample_size_));
    io::Hyperslab box{Shape(rank, 0), extents_, Shape(rank, 1)};
    if (rank > 1) {
      box.start[1] = options_.time_start;
      box.count[1] = options_.time_count;
      box.stride[1] = options_.time_stride;
    }
    io::read_hyperslab(file_, options_.dataset, box, memory_.data());
    std::vector<std::int64_t> all(static_cast<std::size_t>(samples()));
    for (std::size_t s = 0; s < all.size(); ++s) all[s] = static_cast<std::int64_t>(s);
    require_finite(memory_.data(), all);
  }
}

template <class T>
std::vector<std::int64_t> SampleReader<T>::times() const {
  std::vector<std::int64_t> t;
  if (extents_.size() < 2) return t;
  for (std::int64_t k = 0; k < options_.time_count; ++k) {
    t.push_back(options_.time_start + k * options_.time_stride);
  }
  return t;
}

template <class T>
void SampleReader<T>::require_finite(const T* values,
                                     const std::vector<std::int64_t>& indices) const {
  const auto n = static_cast<std::int64_t>(indices.size()) * sample_size_;
  const std::int64_t bad = first_nonfinite(values, n);
  if (bad == n) return;
  const std::int64_t sample = indices[static_cast<std::size_t>(bad / sample_size_)];
  std::string at;
  std::int64_t rest = bad % sample_size_;
  for (std::size_t a = sample_shape_.size(); a-- > 0;) {
    std::int64_t index = rest % sample_shape_[a];
    rest /= sample_shape_[a];
    if (a == 0 && extents_.size() > 1) {
      index = options_.time_start + index * options_.time_stride;  // the index in the file
    }
    at = ", " + std::to_string(index) + at;
  }
  const T value = values[bad];
  TORUS_THROW("sample " + std::to_string(sample) + " holds " +
                  (value == value ? "an infinite value" : "a NaN") + " at index [" +
                  std::to_string(sample) + at + "]",
              describe(path_, options_.dataset),
              "regenerate or drop that sample (a diverged simulation?) before training");
}

template <class T>
void SampleReader<T>::read(const std::vector<std::int64_t>& indices, Tensor<T>& out) const {
  const std::string where = describe(path_, options_.dataset);
  for (const auto s : indices) {
    TORUS_REQUIRE(
        s >= 0 && s < samples(),
        "sample index " + std::to_string(s) + " is outside [0, " + std::to_string(samples()) + ")",
        where, "ask for samples the data set holds");
  }
  Shape shape = sample_shape_;
  shape.insert(shape.begin(), static_cast<std::int64_t>(indices.size()));
  if (out.shape() != shape) out = Tensor<T>::uninitialized(shape, "torus::nn::SampleReader batch");
  if (indices.empty()) return;

  auto host = Kokkos::create_mirror_view(out.values());  // `out` itself on a host backend
  using Range = std::pair<std::size_t, std::size_t>;
  const auto size = static_cast<std::size_t>(sample_size_);
  const int rank = static_cast<int>(extents_.size());
  // Runs of consecutive indices (s, s + 1, ..., s + len - 1) go in one read or one copy.
  for (std::size_t p = 0; p < indices.size();) {
    std::size_t len = 1;
    while (p + len < indices.size() && indices[p + len] == indices[p] + std::int64_t(len)) ++len;
    const auto s = static_cast<std::size_t>(indices[p]);
    if (options_.in_memory) {
      Kokkos::deep_copy(Kokkos::subview(host, Range(p * size, (p + len) * size)),
                        Kokkos::subview(memory_, Range(s * size, (s + len) * size)));
    } else {
      io::Hyperslab box{Shape(rank, 0), extents_, Shape(rank, 1)};
      box.start[0] = indices[p];
      box.count[0] = static_cast<std::int64_t>(len);
      if (rank > 1) {
        box.start[1] = options_.time_start;
        box.count[1] = options_.time_count;
        box.stride[1] = options_.time_stride;
      }
      io::read_hyperslab(file_, options_.dataset, box, host.data() + p * size);
    }
    p += len;
  }
  if (!options_.in_memory) require_finite(host.data(), indices);
  Kokkos::deep_copy(out.values(), host);
}

template <class T>
Tensor<T> SampleReader<T>::read(const std::vector<std::int64_t>& indices) const {
  Tensor<T> out;
  read(indices, out);
  return out;
}

template class SampleReader<float>;
template class SampleReader<double>;

}  // namespace torus::nn
