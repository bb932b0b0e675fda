#include "torus/nn/data_loader.hpp"

namespace torus::nn {

namespace {

BatchSamplerOptions sampler_options(const DataLoaderOptions& options, std::int64_t samples,
                                    MPI_Comm comm) {
  BatchSamplerOptions s;
  s.samples = samples;
  s.global_batch = options.global_batch;
  s.seed = options.seed;
  s.drop_last = options.drop_last;
  s.shuffle = options.shuffle;
  MPI_Comm_rank(comm, &s.rank);
  MPI_Comm_size(comm, &s.ranks);
  return s;
}

}  // namespace

template <class T>
DataLoader<T>::DataLoader(const std::string& path, DataLoaderOptions options, MPI_Comm comm)
    : reader_(path, options.reader), sampler_(sampler_options(options, reader_.samples(), comm)) {}

template <class T>
bool DataLoader<T>::next(Tensor<T>& batch, std::vector<std::int64_t>* indices) {
  if (!sampler_.next(indices_)) {
    if (indices) indices->clear();
    return false;
  }
  reader_.read(indices_, batch);
  if (indices) *indices = indices_;
  return true;
}

template class DataLoader<float>;
template class DataLoader<double>;

}  // namespace torus::nn
