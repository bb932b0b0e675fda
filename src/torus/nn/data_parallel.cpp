#include "torus/nn/data_parallel.hpp"

#include <algorithm>
#include <climits>
#include <string>

#include "torus/core/error.hpp"

namespace torus::nn {

namespace {

template <class T>
MPI_Datatype mpi_type();
template <>
MPI_Datatype mpi_type<float>() {
  return MPI_FLOAT;
}
template <>
MPI_Datatype mpi_type<double>() {
  return MPI_DOUBLE;
}

void require_mpi(int code, const std::string& call, const std::string& who) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  TORUS_THROW(call + " failed: " + std::string(text, static_cast<std::size_t>(length)), who,
              "check that every rank takes part with the same model");
}

template <class T>
std::int64_t total_size(const std::vector<Parameter<T>*>& parameters, const std::string& who) {
  std::int64_t n = 0;
  for (const auto* p : parameters) {
    TORUS_REQUIRE(p != nullptr, "a null parameter", who, "pass module.parameters()");
    n += p->size();
  }
  return n;
}

/// Copies the chosen tensor of every parameter one after the other into `buffer`, or back
/// (scaled by `scale`) when `unpack`.
template <class T, class Select>
void copy_packed(const std::vector<Parameter<T>*>& parameters, T* buffer, bool unpack, T scale,
                 Select select) {
  std::int64_t offset = 0;
  for (auto* p : parameters) {
    T* data = select(*p).data();
    T* packed = buffer + offset;
    if (unpack) {
      // x_p[i] <- scale buffer[offset_p + i]
      Kokkos::parallel_for(
          "torus::nn::unpack", Kokkos::RangePolicy<ExecutionSpace>(0, p->size()),
          KOKKOS_LAMBDA(const std::int64_t i) { data[i] = scale * packed[i]; });
    } else {
      // buffer[offset_p + i] <- x_p[i]
      Kokkos::parallel_for(
          "torus::nn::pack", Kokkos::RangePolicy<ExecutionSpace>(0, p->size()),
          KOKKOS_LAMBDA(const std::int64_t i) { packed[i] = data[i]; });
    }
    offset += p->size();
  }
  Kokkos::fence();
}

// MPI counts are int: larger buffers go in chunks (one call for any model below 2^31 values).
constexpr std::int64_t kChunk = INT_MAX;

}  // namespace

template <class T>
void allreduce_gradients(const std::vector<Parameter<T>*>& parameters, MPI_Comm comm,
                         bool average) {
  const std::string who = "nn::allreduce_gradients";
  const std::int64_t n = total_size(parameters, who);
  int ranks = 1;
  require_mpi(MPI_Comm_size(comm, &ranks), "MPI_Comm_size", who);
  if (ranks == 1 || n == 0) return;

  // TODO(nn): with a device backend the buffer lives in device memory, which needs a
  // GPU-aware MPI; a host staging copy would be needed otherwise.
  Kokkos::View<T*, Kokkos::LayoutRight, MemorySpace> buffer(
      Kokkos::view_alloc(Kokkos::WithoutInitializing, "torus::nn::allreduce_gradients"), n);
  auto grad = [](Parameter<T>& p) -> Tensor<T>& { return p.grad; };
  copy_packed(parameters, buffer.data(), false, T(1), grad);
  for (std::int64_t first = 0; first < n; first += kChunk) {
    const int count = static_cast<int>(std::min(kChunk, n - first));
    require_mpi(
        MPI_Allreduce(MPI_IN_PLACE, buffer.data() + first, count, mpi_type<T>(), MPI_SUM, comm),
        "MPI_Allreduce", who);
  }
  const T scale = average ? static_cast<T>(1.0 / ranks) : T(1);
  copy_packed(parameters, buffer.data(), true, scale, grad);
}

template <class T>
void broadcast_parameters(const std::vector<Parameter<T>*>& parameters, MPI_Comm comm, int root) {
  const std::string who = "nn::broadcast_parameters";
  const std::int64_t n = total_size(parameters, who);
  int ranks = 1;
  require_mpi(MPI_Comm_size(comm, &ranks), "MPI_Comm_size", who);
  TORUS_REQUIRE(root >= 0 && root < ranks,
                "root rank " + std::to_string(root) + " of a communicator of " +
                    std::to_string(ranks) + " ranks",
                who, "give a root in [0, " + std::to_string(ranks) + ")");
  if (ranks == 1) return;

  // Every rank must hold the same number of values, or the broadcast would read past buffers.
  long long sizes[2] = {n, -n};
  require_mpi(MPI_Allreduce(MPI_IN_PLACE, sizes, 2, MPI_LONG_LONG, MPI_MAX, comm), "MPI_Allreduce",
              who);
  TORUS_REQUIRE(sizes[0] == -sizes[1],
                "the ranks hold between " + std::to_string(-sizes[1]) + " and " +
                    std::to_string(sizes[0]) + " parameter values",
                who, "build the same model on every rank");
  if (n == 0) return;

  Kokkos::View<T*, Kokkos::LayoutRight, MemorySpace> buffer(
      Kokkos::view_alloc(Kokkos::WithoutInitializing, "torus::nn::broadcast_parameters"), n);
  auto value = [](Parameter<T>& p) -> Tensor<T>& { return p.value; };
  copy_packed(parameters, buffer.data(), false, T(1), value);
  for (std::int64_t first = 0; first < n; first += kChunk) {
    const int count = static_cast<int>(std::min(kChunk, n - first));
    require_mpi(MPI_Bcast(buffer.data() + first, count, mpi_type<T>(), root, comm), "MPI_Bcast",
                who);
  }
  copy_packed(parameters, buffer.data(), true, T(1), value);
}

template void allreduce_gradients<float>(const std::vector<Parameter<float>*>&, MPI_Comm, bool);
template void allreduce_gradients<double>(const std::vector<Parameter<double>*>&, MPI_Comm, bool);
template void broadcast_parameters<float>(const std::vector<Parameter<float>*>&, MPI_Comm, int);
template void broadcast_parameters<double>(const std::vector<Parameter<double>*>&, MPI_Comm, int);

}  // namespace torus::nn
