#include "torus/nn/checkpoint.hpp"

#include <exception>
#include <type_traits>

#include "torus/core/error.hpp"
#include "torus/io/attributes.hpp"
#include "torus/io/hdf5_file.hpp"
#include "torus/io/views.hpp"
#include "torus/nn/architecture.hpp"
#include "torus/version.hpp"

namespace torus::nn {

namespace {

constexpr const char* kFormat = "torus-checkpoint";
constexpr std::int64_t kFormatVersion = 1;

template <class T>
std::string scalar_name() {
  return std::is_same_v<T, float> ? "float" : "double";
}

std::string describe(const std::string& path) { return "checkpoint '" + path + "'"; }

/// The dataset shape of a tensor: its own, or (1,) for a scalar.
Shape stored_shape(const Shape& shape) { return shape.empty() ? Shape{1} : shape; }

template <class T>
void write_tensor(io::File& file, const std::string& name, const Tensor<T>& tensor) {
  const Tensor<T> t = tensor.rank() == 0 ? tensor.reshaped({1}) : tensor;
  switch (t.rank()) {
    case 1:
      return io::write(file, name, t.template as<1>());
    case 2:
      return io::write(file, name, t.template as<2>());
    case 3:
      return io::write(file, name, t.template as<3>());
    case 4:
      return io::write(file, name, t.template as<4>());
    case 5:
      return io::write(file, name, t.template as<5>());
    case 6:
      return io::write(file, name, t.template as<6>());
  }
  TORUS_THROW("tensor '" + name + "' of shape " + shape_text(t.shape()) + " has more than 6 axes",
              "nn::save_checkpoint", "keep parameters and state tensors to rank 6 or less");
}

template <class T, int R>
void read_ranked(const io::File& file, const std::string& name, const Tensor<T>& target) {
  using Host =
      Kokkos::View<typename detail::RankedData<T, R>::type, Kokkos::LayoutRight, Kokkos::HostSpace>;
  const Host host = io::read<Host>(file, name);
  const Kokkos::View<const T*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> flat(
      host.data(), host.span());
  const auto n = static_cast<std::size_t>(target.size());
  Kokkos::deep_copy(Kokkos::subview(target.values(), std::make_pair(std::size_t{0}, n)), flat);
}

template <class T>
void read_tensor(const io::File& file, const std::string& name, const Tensor<T>& target) {
  switch (stored_shape(target.shape()).size()) {
    case 1:
      return read_ranked<T, 1>(file, name, target);
    case 2:
      return read_ranked<T, 2>(file, name, target);
    case 3:
      return read_ranked<T, 3>(file, name, target);
    case 4:
      return read_ranked<T, 4>(file, name, target);
    case 5:
      return read_ranked<T, 5>(file, name, target);
    case 6:
      return read_ranked<T, 6>(file, name, target);
  }
}

/// Opens `path` and checks that it is a torus checkpoint.
io::File open_checkpoint(const std::string& path) {
  io::File file = io::File::open(path);
  const bool tagged = io::has_attribute(file, "/", "format") &&
                      io::read_attribute<std::string>(file, "/", "format") == kFormat;
  TORUS_REQUIRE(tagged && io::has_attribute(file, "/", "architecture"),
                "the HDF5 file is not a torus checkpoint (no attribute format = \"" +
                    std::string(kFormat) + "\")",
                describe(path), "give a file written by nn::save_checkpoint (torus train)");
  const auto version = io::read_attribute<std::int64_t>(file, "/", "format_version");
  TORUS_REQUIRE(version == kFormatVersion,
                "checkpoint format version " + std::to_string(version) + " is not version " +
                    std::to_string(kFormatVersion) + ", the one this torus reads",
                describe(path), "load it with the torus version that wrote it");
  return file;
}

nlohmann::json architecture_of(const io::File& file) {
  const auto text = io::read_attribute<std::string>(file, "/", "architecture");
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    TORUS_THROW("attribute 'architecture' is not valid JSON (" + std::string(e.what()) + ")",
                describe(file.path()), "the file is damaged: use another checkpoint");
  }
}

void broadcast(std::string& text, MPI_Comm comm) {
  unsigned long long size = text.size();
  MPI_Bcast(&size, 1, MPI_UNSIGNED_LONG_LONG, 0, comm);
  text.resize(size);
  if (size > 0) MPI_Bcast(text.data(), static_cast<int>(size), MPI_CHAR, 0, comm);
}

/// Fails with an error naming `name` unless dataset `name` has the shape of `target`.
template <class T>
void require_stored(const io::File& file, const std::string& name, const Tensor<T>& target,
                    const std::string& role) {
  TORUS_REQUIRE(file.has_dataset(name), "the checkpoint has no " + role + " ('" + name + "')",
                describe(file.path()),
                "load it into the model and optimiser it was saved from, or pass only the state "
                "entries it holds");
  const Shape stored = io::dataset_extents(file, name);
  TORUS_REQUIRE(stored == stored_shape(target.shape()),
                role + " ('" + name + "') has shape " + shape_text(stored) +
                    " in the checkpoint but " + shape_text(target.shape()) + " here",
                describe(file.path()), "load it into the model and optimiser it was saved from");
}

}  // namespace

template <class T>
void save_checkpoint(const std::string& path, Module<T>& model, const CheckpointState<T>& state,
                     MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  int ranks = 1;
  MPI_Comm_size(comm, &ranks);

  // Rank 0 writes on its own; the outcome (an empty problem, or the error) is shared so every
  // rank returns or throws together.
  std::string problem, input, fix;
  if (rank == 0) {
    try {
      const nlohmann::json arch = architecture(model);
      io::File file = io::File::create(path);
      io::write_attribute(file, "/", "format", kFormat);
      io::write_attribute(file, "/", "format_version", kFormatVersion);
      io::write_attribute(file, "/", "architecture", arch.dump());
      io::write_attribute(file, "/", "kind", model.kind());
      io::write_attribute(file, "/", "scalar_type", scalar_name<T>());
      io::write_attribute(file, "/", "torus_version", TORUS_VERSION_STRING);
      io::write_attribute(file, "/", "epoch", state.epoch);
      io::write_attribute(file, "/", "step", state.step);
      io::write_attribute(file, "/", "rng_seed", static_cast<std::int64_t>(state.rng_seed));
      io::write_attribute(file, "/", "rng_counter", static_cast<std::int64_t>(state.rng_counter));
      io::write_attribute(file, "/", "extra", state.extra.dump());
      for (auto& [name, parameter] : model.named_parameters()) {
        write_tensor(file, "parameters/" + name, parameter->value);
      }
      for (const auto& [name, tensor] : state.optimizer) {
        write_tensor(file, "optimizer/" + name, tensor);
      }
      file.commit();
    } catch (const Error& e) {
      problem = e.problem();
      input = e.input();
      fix = e.fix();
    } catch (const std::exception& e) {
      problem = std::string("cannot write the checkpoint: ") + e.what();
      input = describe(path);
    }
  }
  if (ranks > 1) {
    broadcast(problem, comm);
    broadcast(input, comm);
    broadcast(fix, comm);
  }
  if (!problem.empty()) {
    TORUS_THROW(rank == 0 ? problem : problem + " (on rank 0, which writes)", input, fix);
  }
}

template <class T>
CheckpointInfo load_checkpoint(const std::string& path, Module<T>& model,
                               NamedTensors<T> optimizer_state) {
  const io::File file = open_checkpoint(path);
  CheckpointInfo info;
  info.architecture = architecture_of(file);
  info.scalar_type = io::read_attribute<std::string>(file, "/", "scalar_type");
  TORUS_REQUIRE(
      info.scalar_type == scalar_name<T>(),
      "the checkpoint holds " + info.scalar_type + " parameters but this model has " +
          scalar_name<T>() + " ones",
      describe(path),
      "load it into a Module<" + info.scalar_type + "> (or retrain in " + scalar_name<T>() + ")");

  const nlohmann::json mine = architecture(model);
  const std::string difference =
      architecture_difference(info.architecture, mine, "the checkpoint", "this model");
  TORUS_REQUIRE(difference.empty(),
                describe(path) + " holds " + describe_architecture(info.architecture) +
                    "; this model is " + describe_architecture(mine) +
                    " (first difference: " + difference + ")",
                describe(path),
                "build the model from the checkpoint's architecture "
                "(nn::read_checkpoint_architecture) or load a checkpoint of this model");

  // Everything is checked before anything is overwritten.
  const auto parameters = model.named_parameters();
  for (const auto& [name, parameter] : parameters) {
    require_stored(file, "parameters/" + name, parameter->value, "parameter");
  }
  for (const auto& [name, tensor] : optimizer_state) {
    require_stored(file, "optimizer/" + name, tensor, "optimizer state entry");
  }
  for (const auto& [name, parameter] : parameters) {
    read_tensor(file, "parameters/" + name, parameter->value);
  }
  for (const auto& [name, tensor] : optimizer_state) {
    read_tensor(file, "optimizer/" + name, tensor);
  }

  info.epoch = io::read_attribute<std::int64_t>(file, "/", "epoch");
  info.step = io::read_attribute<std::int64_t>(file, "/", "step");
  info.rng_seed =
      static_cast<std::uint64_t>(io::read_attribute<std::int64_t>(file, "/", "rng_seed"));
  info.rng_counter =
      static_cast<std::uint64_t>(io::read_attribute<std::int64_t>(file, "/", "rng_counter"));
  info.torus_version = io::read_attribute<std::string>(file, "/", "torus_version");
  const auto extra = io::read_attribute<std::string>(file, "/", "extra");
  try {
    info.extra = nlohmann::json::parse(extra);
  } catch (const nlohmann::json::exception& e) {
    TORUS_THROW("attribute 'extra' is not valid JSON (" + std::string(e.what()) + ")",
                describe(path), "the file is damaged: use another checkpoint");
  }
  return info;
}

nlohmann::json read_checkpoint_architecture(const std::string& path) {
  return architecture_of(open_checkpoint(path));
}

std::string read_checkpoint_scalar_type(const std::string& path) {
  return io::read_attribute<std::string>(open_checkpoint(path), "/", "scalar_type");
}

template void save_checkpoint(const std::string&, Module<float>&, const CheckpointState<float>&,
                              MPI_Comm);
template void save_checkpoint(const std::string&, Module<double>&, const CheckpointState<double>&,
                              MPI_Comm);
template CheckpointInfo load_checkpoint(const std::string&, Module<float>&, NamedTensors<float>);
template CheckpointInfo load_checkpoint(const std::string&, Module<double>&, NamedTensors<double>);

}  // namespace torus::nn
