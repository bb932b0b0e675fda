// Many fields on a split grid: move whole fields to ranks, transform them there, move back.
//
// When a split grid carries at least as many fields as ranks (a batch of samples in a data-set
// generator, the velocity components of a 3-D solver), splitting every field's transform over
// the ranks is the expensive way: each field pays FFTW-MPI's two global transposes per
// direction. Instead, each rank takes ownership of a contiguous range of whole fields:
//
//   forward:  x slabs of all fields --all-to-all--> whole fields of mine --local FFT-->
//             whole spectra of mine --all-to-all--> kx slabs of all spectra
//
// one all-to-all per direction, each moving (ranks-1)/ranks of the data, and the transforms
// themselves run at one-rank efficiency. The output is the ordinary (not transposed) layout,
// kx split like x. MPI derived datatypes describe where the rows of each peer go, so MPI
// scatters them straight into place: no packing pass of our own.
//
// Requirements (else the Plan uses the per-field FFTW-MPI engine): fields >= ranks, an
// untransposed layout, and per-rank buffers below 2 GiB (MPI-3 counts and displacements are
// int). Chosen with PlanOptions::distribution = whole_fields; not the default, because on the
// 2-core machine measured the local transforms are memory-bound and the two all-to-alls cost
// more than FFTW-MPI's transposes (benchmarks/RESULTS.md).

#include <mpi.h>

#include <climits>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "torus/core/error.hpp"
#include "torus/fft/engine.hpp"

namespace torus::fft::detail {
namespace {

// A committed MPI datatype, freed with the engine.
class Datatype {
 public:
  Datatype() = default;
  // `blocks` blocks of `block_bytes` bytes, `stride_bytes` apart.
  Datatype(std::int64_t blocks, std::int64_t block_bytes, std::int64_t stride_bytes) {
    MPI_Type_create_hvector(static_cast<int>(blocks), static_cast<int>(block_bytes),
                            static_cast<MPI_Aint>(stride_bytes), MPI_BYTE, &type_);
    MPI_Type_commit(&type_);
  }
  Datatype(Datatype&& other) noexcept : type_(other.type_) { other.type_ = MPI_DATATYPE_NULL; }
  Datatype(const Datatype&) = delete;
  ~Datatype() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (type_ != MPI_DATATYPE_NULL && !finalized) MPI_Type_free(&type_);
  }
  MPI_Datatype get() const { return type_; }

 private:
  MPI_Datatype type_ = MPI_DATATYPE_NULL;
};

// Where one side of an all-to-all lives: per peer, a byte displacement and a datatype, and,
// for this rank's own part, the same as runs of bytes (copied directly, not through MPI).
struct Exchange {
  std::vector<int> counts, displacements;
  std::vector<MPI_Datatype> types;
  std::vector<Datatype> owned;
  std::int64_t self_offset = 0, self_runs = 0, self_run_bytes = 0, self_stride = 0;
};

int as_int(std::int64_t bytes) {
  TORUS_REQUIRE(bytes <= INT_MAX, "an all-to-all block exceeds 2 GiB", "fft::Plan",
                "use fewer fields per plan or more ranks");
  return static_cast<int>(bytes);
}

template <class T, int Dim>
class FftwRedistributeEngine final : public Engine<T> {
 public:
  FftwRedistributeEngine(const Grid<Dim>& grid, int fields, const PlanOptions& options)
      : comm_(grid.comm()), ranks_(grid.ranks()), rank_(grid.rank()), fields_(fields) {
    // Fields [first_[p], first_[p + 1]) belong to rank p: as even as possible.
    first_.resize(ranks_ + 1);
    for (int p = 0; p <= ranks_; ++p) {
      first_[p] = static_cast<int>(static_cast<std::int64_t>(fields) * p / ranks_);
    }
    mine_ = first_[rank_ + 1] - first_[rank_];

    const std::int64_t rows = grid.local_extents()[0];  // x rows per rank, also kx rows
    const std::int64_t nx = grid.extents()[0];
    const std::int64_t row_real = grid.local_points() / rows * sizeof(T);
    const std::int64_t row_spectral =
        grid.local_spectral_points() / rows * sizeof(Kokkos::complex<T>);

    // Real side: my slab of fields owned by p is contiguous in the input; in my work buffer of
    // whole fields, rank p's rows sit at p * rows in every field (a vector of `mine_` blocks).
    real_slabs_ = contiguous_side(rows * row_real);
    real_whole_ = strided_side(rows * row_real, nx * row_real);
    spectral_slabs_ = contiguous_side(rows * row_spectral);
    spectral_whole_ = strided_side(rows * row_spectral, nx * row_spectral);

    Grid<Dim> whole(grid.extents(), MPI_COMM_SELF, GridOptions{}, grid.lengths());
    if (mine_ > 0) {
      local_ = make_fftw_local_engine<T, Dim>(whole, mine_, options);
      work_real_.resize(static_cast<std::size_t>(mine_ * whole.points()));
      work_spectral_.resize(static_cast<std::size_t>(mine_ * whole.local_spectral_points()));
    }
  }

  void forward(const T* in, Kokkos::complex<T>* out, T scale) override {
    exchange(in, real_slabs_, work_real_.data(), real_whole_);
    if (mine_ > 0) local_->forward(work_real_.data(), work_spectral_.data(), scale);
    exchange(work_spectral_.data(), spectral_whole_, out, spectral_slabs_);
  }

  void backward(Kokkos::complex<T>* in, T* out, T scale) override {
    exchange(in, spectral_slabs_, work_spectral_.data(), spectral_whole_);
    if (mine_ > 0) local_->backward(work_spectral_.data(), work_real_.data(), scale);
    exchange(work_real_.data(), real_whole_, out, real_slabs_);
  }

  const char* name() const override { return "fftw-redistribute"; }

 private:
  // Per peer p: the fields p owns, one contiguous run of `field_bytes` per field.
  Exchange contiguous_side(std::int64_t field_bytes) const {
    Exchange side;
    for (int p = 0; p < ranks_; ++p) {
      const int owned = first_[p + 1] - first_[p];
      side.counts.push_back(p == rank_ ? 0 : as_int(owned * field_bytes));
      side.displacements.push_back(as_int(first_[p] * field_bytes));
      side.types.push_back(MPI_BYTE);
    }
    side.self_offset = first_[rank_] * field_bytes;
    side.self_runs = mine_;
    side.self_run_bytes = field_bytes;
    side.self_stride = field_bytes;
    return side;
  }

  // Per peer p: in each of my whole fields, the rows of p's slab.
  Exchange strided_side(std::int64_t slab_bytes, std::int64_t field_bytes) {
    Exchange side;
    as_int(mine_ * field_bytes);
    for (int p = 0; p < ranks_; ++p) {
      side.owned.emplace_back(mine_, slab_bytes, field_bytes);
      side.counts.push_back(mine_ > 0 && p != rank_ ? 1 : 0);
      side.displacements.push_back(as_int(p * slab_bytes));
      side.types.push_back(side.owned.back().get());
    }
    side.self_offset = rank_ * slab_bytes;
    side.self_runs = mine_;
    side.self_run_bytes = slab_bytes;
    side.self_stride = field_bytes;
    return side;
  }

  void exchange(const void* send, const Exchange& from, void* receive, const Exchange& to) {
    MPI_Alltoallw(send, from.counts.data(), from.displacements.data(), from.types.data(), receive,
                  to.counts.data(), to.displacements.data(), to.types.data(), comm_);
    // This rank's own part: run r of `from` is run r of `to` (same fields, same rows).
    const char* source = static_cast<const char*>(send) + from.self_offset;
    char* target = static_cast<char*>(receive) + to.self_offset;
    for (std::int64_t run = 0; run < from.self_runs; ++run) {
      std::memcpy(target + run * to.self_stride, source + run * from.self_stride,
                  from.self_run_bytes);
    }
  }

  MPI_Comm comm_;
  int ranks_, rank_, fields_;
  std::vector<int> first_;
  int mine_ = 0;
  Exchange real_slabs_, real_whole_, spectral_slabs_, spectral_whole_;
  std::unique_ptr<Engine<T>> local_;
  std::vector<T> work_real_;
  std::vector<Kokkos::complex<T>> work_spectral_;
};

}  // namespace

template <class T, int Dim>
bool redistribution_fits(const Grid<Dim>& grid, int fields) {
  if (!grid.distributed() || grid.transposed() || fields < grid.ranks()) return false;
  const std::int64_t field_bytes = grid.points() * sizeof(T) * 2;
  const std::int64_t mine = (fields + grid.ranks() - 1) / grid.ranks();
  return mine * field_bytes <= INT_MAX && fields * grid.local_points() * sizeof(T) <= INT_MAX;
}

template <class T, int Dim>
std::unique_ptr<Engine<T>> make_fftw_redistribute_engine(const Grid<Dim>& grid, int fields,
                                                         const PlanOptions& options) {
  return std::make_unique<FftwRedistributeEngine<T, Dim>>(grid, fields, options);
}

#define TORUS_INSTANTIATE(T, DIM)                                                                  \
  template bool redistribution_fits<T, DIM>(const Grid<DIM>&, int);                                \
  template std::unique_ptr<Engine<T>> make_fftw_redistribute_engine<T, DIM>(const Grid<DIM>&, int, \
                                                                            const PlanOptions&);
TORUS_INSTANTIATE(float, 2)
TORUS_INSTANTIATE(float, 3)
TORUS_INSTANTIATE(double, 2)
TORUS_INSTANTIATE(double, 3)
#undef TORUS_INSTANTIATE

}  // namespace torus::fft::detail
