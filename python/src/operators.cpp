// torus._torus.operators: the neural operators of torus::operators (FNO2d, T1) on NumPy arrays
// and on the HDF5 data sets of `torus ns2d generate`.
//
// train() and evaluate() are `torus train` and `torus eval`: collective over the ranks torus runs
// on, with the same options, outputs and resumption. An Operator is private to the process that
// holds it: it predicts from arrays with the model's own one-step map, rolled out in evaluation
// mode. Python's calling conventions (keyword defaults, dict model options, arrays written as
// data sets) live in python/torus/operators.py.

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <Kokkos_Core.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "arrays.hpp"
#include "bindings.hpp"
#include "torus/core/error.hpp"
#include "torus/core/runtime.hpp"
#include "torus/io/attributes.hpp"
#include "torus/io/hdf5_file.hpp"
#include "torus/io/views.hpp"
#include "torus/nn/checkpoint.hpp"
#include "torus/operators/ns2d_training.hpp"
#include "torus/operators/operator_factory.hpp"
#include "torus/operators/rollout.hpp"
#include "torus/version.hpp"

namespace torus::python {
namespace {

using operators::Ns2dEvaluationOptions;
using operators::Ns2dTrainingOptions;
using operators::TrainableOperator;
using Tensor = nn::Tensor<float>;

// ---- options and results ----------------------------------------------------------------------

// `text` as JSON; a syntax error names the input and where it is.
nlohmann::json parse_json(const std::string& text, const char* input) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& error) {
    TORUS_THROW("cannot read " + std::string(input) + " as JSON: " + error.what(), input,
                "give a dict or a JSON object such as {\"width\": 32}");
  }
}

py::dict record_dict(const operators::Ns2dEpochRecord& r) {
  py::dict out;
  out["epoch"] = r.epoch;
  out["train_loss"] = r.train_loss;
  out["test_error"] = r.test_error;
  out["learning_rate"] = r.learning_rate;
  out["seconds"] = r.seconds;
  out["total_seconds"] = r.total_seconds;
  return out;
}

py::dict train(const Ns2dTrainingOptions& options) {
  require_running("torus.operators.train");
  operators::Ns2dTrainingReport report;
  {
    py::gil_scoped_release unlocked;
    report = operators::train_ns2d_operator(options, Runtime::current().comm());
  }
  py::list records;
  for (const auto& r : report.epochs) records.append(record_dict(r));
  py::dict out;
  out["records"] = records;
  out["first_epoch_run"] = report.first_epoch_run;
  out["best_test_error"] = report.best_test_error;
  out["checkpoint"] = report.checkpoint;
  return out;
}

py::dict evaluate(const Ns2dEvaluationOptions& options) {
  require_running("torus.operators.evaluate");
  operators::Ns2dEvaluation result;
  {
    py::gil_scoped_release unlocked;
    result = operators::evaluate_ns2d_operator(options, Runtime::current().comm());
  }
  py::dict out;
  out["relative_l2"] = result.relative_l2;
  out["samples"] = result.samples;
  out["seconds"] = result.seconds;
  out["pictures"] = result.pictures;
  return out;
}

// ---- arrays as data sets ----------------------------------------------------------------------

// Throws unless the `count` values are finite, naming the first bad sample.
template <class T>
void require_finite(const T* values, std::int64_t count, std::int64_t per_sample,
                    const std::string& name) {
  for (std::int64_t i = 0; i < count; ++i) {
    TORUS_REQUIRE(
        std::isfinite(values[i]),
        name + " holds a non-finite value (NaN or inf) in sample " + std::to_string(i / per_sample),
        name, "drop or repair the samples with NaN or inf");
  }
}

// Writes `vorticity` (sample, time, x, y) and the times `t` as a data set of docs/hdf5.md. With
// `collective`, every rank of the runtime passes the same arrays and path and rank 0's copy is
// written; otherwise this rank writes its own file.
void write_dataset(const std::string& path, const py::array& vorticity_in, const py::array& t_in,
                   const std::string& name, bool collective) {
  require_running("torus.operators.write_dataset");
  const CArray<double> w = contiguous<double>(vorticity_in);
  const CArray<double> t = contiguous<double>(t_in);
  TORUS_REQUIRE(w.ndim() == 4, name + " has shape " + shape_text(w) + ", not (samples, time, x, y)",
                name, "pass a trajectory per sample: an array shaped (samples, time, x, y)");
  for (py::ssize_t a = 0; a < 4; ++a) {
    TORUS_REQUIRE(w.shape(a) >= 1, name + " has shape " + shape_text(w) + ", an empty axis", name,
                  "pass at least one sample, one time and a non-empty field");
  }
  TORUS_REQUIRE(
      t.ndim() == 1 && t.shape(0) == w.shape(1),
      "the times have shape " + shape_text(t) + " for " + std::to_string(w.shape(1)) + " snapshots",
      "t", "give one time per snapshot");
  require_finite(w.data(), w.size(), w.shape(1) * w.shape(2) * w.shape(3), name);

  using Fields = Kokkos::View<const double****, Kokkos::LayoutRight, Kokkos::HostSpace,
                              Kokkos::MemoryUnmanaged>;
  using Times =
      Kokkos::View<const double*, Kokkos::LayoutRight, Kokkos::HostSpace, Kokkos::MemoryUnmanaged>;
  const std::array<std::size_t, 4> n = {std::size_t(w.shape(0)), std::size_t(w.shape(1)),
                                        std::size_t(w.shape(2)), std::size_t(w.shape(3))};
  py::gil_scoped_release unlocked;
  auto file = io::File::create(path, collective ? Runtime::current().comm() : MPI_COMM_SELF);
  io::write(file, "vorticity", wrap<Fields>(w.data(), n));
  io::write(file, "t", wrap<Times>(t.data(), std::array<std::size_t, 1>{n[1]}));
  io::write_attribute(file, "/", "torus_version", TORUS_VERSION_STRING);
  io::write_attribute(file, "/", "layout",
                      "vorticity[sample, time, x, y] float64; t[time]; written by "
                      "torus.operators from NumPy arrays; see docs/hdf5.md");
  file.commit();
}

// ---- Operator ---------------------------------------------------------------------------------

// A TrainableOperator held by Python. Its model owns Views and FFTW plans, which must be freed
// before the runtime finalises Kokkos, while the Python object may live until after that: every
// live Operator is listed, and shutdown empties them all.
class Operator {
 public:
  explicit Operator(TrainableOperator op);
  ~Operator();
  Operator(const Operator&) = delete;
  Operator& operator=(const Operator&) = delete;

  // The operator; throws after shutdown. Call with `mutex` held.
  TrainableOperator& get(const char* caller) {
    require_running(caller);
    TORUS_REQUIRE(op_ != nullptr, "the operator was freed at interpreter exit", caller,
                  "use operators before torus shuts down");
    return *op_;
  }
  void release() {
    std::lock_guard<std::mutex> lock(mutex);
    op_.reset();
  }

  // One call at a time: modules keep scratch tensors and FFTW plans between calls.
  std::mutex mutex;

 private:
  std::unique_ptr<TrainableOperator> op_;
};

struct Registry {
  std::mutex mutex;
  std::set<Operator*> live;
};

Registry& registry() {
  static auto* state = new Registry;  // leaked on purpose, as runtime.cpp's Lifetime
  return *state;
}

Operator::Operator(TrainableOperator op) : op_(std::make_unique<TrainableOperator>(std::move(op))) {
  std::lock_guard<std::mutex> lock(registry().mutex);
  registry().live.insert(this);
}

Operator::~Operator() {
  std::lock_guard<std::mutex> lock(registry().mutex);
  registry().live.erase(this);
}

void release_operators() {
  std::lock_guard<std::mutex> lock(registry().mutex);
  for (Operator* op : registry().live) op->release();
}

std::unique_ptr<Operator> build_operator(const std::string& name, const std::string& options_json,
                                         int input_steps, int output_steps,
                                         std::pair<int, int> grid, std::uint64_t seed) {
  require_running("torus.operators.Operator");
  TORUS_REQUIRE(output_steps >= 1, std::to_string(output_steps) + " output steps", "output_steps",
                "roll out at least one step");
  nlohmann::json options = parse_json(options_json, "model_options");
  // As train() does: T1's variance-preserving initialisation compounds over a rollout, so a
  // rollout model starts from PyTorch's (ns2d_training.cpp explains), and the same seed gives
  // the weights train() starts from.
  if (name == "t1" && output_steps > 1 && options.is_object() && !options.contains("init")) {
    options["init"] = "pytorch";
  }
  py::gil_scoped_release unlocked;  // FFTW plans the model's transforms
  TrainableOperator op = operators::make_trainable_operator(
      name, options, input_steps, {grid.first, grid.second}, RandomKey{seed, 7});
  op.window.input_steps = input_steps;
  op.window.output_steps = output_steps;
  op.window.first = 0;
  op.window.stride = 1;
  return std::make_unique<Operator>(std::move(op));
}

std::unique_ptr<Operator> load_operator(const std::string& path) {
  require_running("torus.operators.Operator.load");
  py::gil_scoped_release unlocked;
  return std::make_unique<Operator>(operators::load_trainable_operator(path));
}

// A new tensor of `shape` holding the values at `from` (host memory) as float32, the models'
// precision.
template <class Scalar>
Tensor tensor_from_host(const Scalar* from, nn::Shape shape) {
  Tensor to = Tensor::uninitialized(std::move(shape), "torus.operators input");
  auto mirror = Kokkos::create_mirror_view(to.values());  // `to` itself on the host
  for (std::int64_t i = 0; i < to.size(); ++i) mirror(i) = static_cast<float>(from[i]);
  Kokkos::deep_copy(to.values(), mirror);
  return to;
}

// The values of `from` into host memory at `to`, converted to Scalar.
template <class Scalar>
void tensor_to_host(const Tensor& from, Scalar* to) {
  Kokkos::fence();
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), from.values());
  for (std::int64_t i = 0; i < from.size(); ++i) to[i] = static_cast<Scalar>(host(i));
}

// The rollout of operators::rollout without targets:
//   p_t = G(h_t),   h_{t+1} = [h_t[:, 1:], p_t],   t = 0, ..., steps - 1,
// kept as one growing trajectory of encoded snapshots whose channels t .. t + n_in - 1 are h_t.
// `fields` (B, n_in, X, Y) -> the decoded predictions (B, steps, X, Y).
Tensor roll_out(TrainableOperator& op, const Tensor& fields, int steps) {
  const std::int64_t input_steps = fields.extent(1);
  const Tensor encoded = op.encode(fields);
  nn::Shape shape = encoded.shape();
  shape[1] = input_steps + steps;
  const Tensor trajectory = Tensor::uninitialized(shape, "torus.operators trajectory");
  operators::detail::paste_channels(encoded, trajectory, 0);

  op.step->train(false);
  nn::Shape snapshot = shape;
  snapshot[1] = 1;
  for (int t = 0; t < steps; ++t) {
    shape[1] = input_steps;
    const Tensor h = Tensor::uninitialized(shape, "torus.operators window");
    operators::detail::copy_channels(trajectory, t, h);
    const Tensor p = op.step->forward(h);
    nn::require_shape(p.shape(), snapshot, "torus.operators.Operator.predict",
                      "the model's output");
    operators::detail::paste_channels(p, trajectory, static_cast<int>(input_steps) + t);
  }

  shape[1] = steps;
  const Tensor prediction = Tensor::uninitialized(shape, "torus.operators prediction");
  operators::detail::copy_channels(trajectory, static_cast<int>(input_steps), prediction);
  return op.decode(prediction, static_cast<int>(fields.extent(2)),
                   static_cast<int>(fields.extent(3)));
}

// What predict checks its input against, read under the operator's lock.
struct Expected {
  int input_steps = 0;
  std::vector<int> grid;  // T1's grid; empty for a model that takes any
};

// predict for one precision of input and output.
template <class Scalar>
py::array predict_as(Operator& self, const py::array& w_in, int steps, int batch) {
  using Forced = py::array_t<Scalar, py::array::c_style | py::array::forcecast>;
  const Forced w = Forced::ensure(w_in);
  if (!w) throw py::error_already_set();
  const char* caller = "torus.operators.Operator.predict";
  TORUS_REQUIRE(w.ndim() == 4, "w has shape " + shape_text(w) + ", not (batch, n_in, x, y)", "w",
                "pass the input snapshots of each sample as axis 1 of a 4-D array");
  TORUS_REQUIRE(steps >= 1, std::to_string(steps) + " steps", "steps", "predict at least one step");
  TORUS_REQUIRE(batch >= 1, "a batch of " + std::to_string(batch), "batch",
                "predict at least one sample at a time");
  const std::int64_t samples = w.shape(0), n_in = w.shape(1), nx = w.shape(2), ny = w.shape(3);
  TORUS_REQUIRE(nx >= 1 && ny >= 1, "w has shape " + shape_text(w) + ", an empty field", "w",
                "pass fields of at least one point");
  require_finite(w.data(), w.size(), std::max<std::int64_t>(1, n_in * nx * ny), "w");

  Expected expected;
  {
    py::gil_scoped_release unlocked;
    std::lock_guard<std::mutex> lock(self.mutex);
    const TrainableOperator& op = self.get(caller);
    expected.input_steps = op.window.input_steps;
    if (op.name == "t1") expected.grid = op.options.at("grid").get<std::vector<int>>();
  }
  TORUS_REQUIRE(n_in == expected.input_steps,
                "w has shape " + shape_text(w) + ": " + std::to_string(n_in) +
                    " input snapshots for a model that reads " +
                    std::to_string(expected.input_steps),
                "w",
                "pass the last " + std::to_string(expected.input_steps) +
                    " snapshots of each sample as axis 1");
  TORUS_REQUIRE(expected.grid.empty() || (nx == expected.grid[0] && ny == expected.grid[1]),
                "w has shape " + shape_text(w) + " but this T1 is made for fields of " +
                    (expected.grid.empty() ? std::string()
                                           : std::to_string(expected.grid[0]) + "x" +
                                                 std::to_string(expected.grid[1])),
                "w", "resample the fields to the model's grid or build a T1 for this one");

  Forced out(std::vector<py::ssize_t>{samples, steps, nx, ny});
  const Scalar* in = w.data();
  Scalar* o = out.mutable_data();
  {
    py::gil_scoped_release unlocked;
    std::lock_guard<std::mutex> lock(self.mutex);
    TrainableOperator& op = self.get(caller);
    const std::int64_t field = nx * ny;
    for (std::int64_t first = 0; first < samples; first += batch) {
      const std::int64_t count = std::min<std::int64_t>(batch, samples - first);
      const Tensor fields = tensor_from_host(in + first * n_in * field, {count, n_in, nx, ny});
      tensor_to_host(roll_out(op, fields, steps), o + first * steps * field);
    }
  }
  return std::move(out);
}

py::array predict(Operator& self, const py::array& w, int steps, int batch) {
  // float32 stays float32 (the models compute in it); everything else comes back as float64.
  if (py::isinstance<py::array_t<float>>(w)) return predict_as<float>(self, w, steps, batch);
  return predict_as<double>(self, w, steps, batch);
}

// A checkpoint that load_trainable_operator() and evaluate read: the parameters, and the window
// as training options. No optimiser state, so training cannot resume from it.
void save_operator(Operator& self, const std::string& path) {
  py::gil_scoped_release unlocked;
  std::lock_guard<std::mutex> lock(self.mutex);
  TrainableOperator& op = self.get("torus.operators.Operator.save");
  nn::CheckpointState<float> state;
  state.extra = {{"options",
                  {{"model", op.name},
                   {"model_options", op.options},
                   {"input_steps", op.window.input_steps},
                   {"output_steps", op.window.output_steps},
                   {"first", op.window.first},
                   {"stride", op.window.stride}}}};
  nn::save_checkpoint(path, *op.model, state, MPI_COMM_SELF);
}

// A read-only property of the held operator, read under its lock with the GIL released (a
// predict may hold the lock for long).
template <class Get>
auto property(Get get) {
  return [get](Operator& self) {
    decltype(get(std::declval<TrainableOperator&>())) value;
    {
      py::gil_scoped_release unlocked;
      std::lock_guard<std::mutex> lock(self.mutex);
      value = get(self.get("torus.operators.Operator"));
    }
    return value;
  };
}

}  // namespace

void bind_operators(py::module_& m) {
  // Models hold Views and FFTW plans: free them before the runtime finalises.
  on_shutdown(&release_operators);

  py::class_<Ns2dTrainingOptions> training(m, "TrainingOptions",
                                           "operators::Ns2dTrainingOptions, field by field.");
  training.def(py::init<>())
      .def_readwrite("model", &Ns2dTrainingOptions::model)
      .def_property(
          "model_options", [](const Ns2dTrainingOptions& o) { return o.model_options.dump(); },
          [](Ns2dTrainingOptions& o, const std::string& text) {
            o.model_options = parse_json(text, "model_options");
          },
          "The model's options as a JSON object.")
      .def_property(
          "input_steps", [](const Ns2dTrainingOptions& o) { return o.window.input_steps; },
          [](Ns2dTrainingOptions& o, int v) { o.window.input_steps = v; })
      .def_property(
          "output_steps", [](const Ns2dTrainingOptions& o) { return o.window.output_steps; },
          [](Ns2dTrainingOptions& o, int v) { o.window.output_steps = v; })
      .def_property(
          "first", [](const Ns2dTrainingOptions& o) { return o.window.first; },
          [](Ns2dTrainingOptions& o, int v) { o.window.first = v; })
      .def_property(
          "stride", [](const Ns2dTrainingOptions& o) { return o.window.stride; },
          [](Ns2dTrainingOptions& o, int v) { o.window.stride = v; })
      .def_readwrite("train_data", &Ns2dTrainingOptions::train_data)
      .def_readwrite("test_data", &Ns2dTrainingOptions::test_data)
      .def_readwrite("dataset", &Ns2dTrainingOptions::dataset)
      .def_readwrite("train_samples", &Ns2dTrainingOptions::train_samples)
      .def_readwrite("test_samples", &Ns2dTrainingOptions::test_samples)
      .def_readwrite("epochs", &Ns2dTrainingOptions::epochs)
      .def_readwrite("batch", &Ns2dTrainingOptions::batch)
      .def_readwrite("optimizer", &Ns2dTrainingOptions::optimizer)
      .def_readwrite("learning_rate", &Ns2dTrainingOptions::learning_rate)
      .def_readwrite("weight_decay", &Ns2dTrainingOptions::weight_decay)
      .def_readwrite("schedule", &Ns2dTrainingOptions::schedule)
      .def_readwrite("step_size", &Ns2dTrainingOptions::step_size)
      .def_readwrite("gamma", &Ns2dTrainingOptions::gamma)
      .def_readwrite("clip_norm", &Ns2dTrainingOptions::clip_norm)
      .def_readwrite("ema_decay", &Ns2dTrainingOptions::ema_decay)
      .def_readwrite("seed", &Ns2dTrainingOptions::seed)
      .def_readwrite("output", &Ns2dTrainingOptions::output)
      .def_readwrite("resume", &Ns2dTrainingOptions::resume)
      .def_readwrite("time_budget", &Ns2dTrainingOptions::time_budget)
      .def_readwrite("progress", &Ns2dTrainingOptions::progress);

  py::class_<Ns2dEvaluationOptions>(m, "EvaluationOptions",
                                    "operators::Ns2dEvaluationOptions, field by field.")
      .def(py::init<>())
      .def_readwrite("checkpoint", &Ns2dEvaluationOptions::checkpoint)
      .def_readwrite("data", &Ns2dEvaluationOptions::data)
      .def_readwrite("dataset", &Ns2dEvaluationOptions::dataset)
      .def_readwrite("samples", &Ns2dEvaluationOptions::samples)
      .def_readwrite("batch", &Ns2dEvaluationOptions::batch)
      .def_readwrite("png_folder", &Ns2dEvaluationOptions::png_folder)
      .def_readwrite("pictures", &Ns2dEvaluationOptions::pictures);

  m.def("train", &train, py::arg("options"),
        "Runs operators::train_ns2d_operator on the runtime's ranks; returns the epoch records.");
  m.def("evaluate", &evaluate, py::arg("options"),
        "Runs operators::evaluate_ns2d_operator on the runtime's ranks.");
  m.def("write_dataset", &write_dataset, py::arg("path"), py::arg("vorticity"), py::arg("t"),
        py::arg("name"), py::arg("collective"),
        "Writes (samples, time, x, y) float64 vorticity and its times as an HDF5 data set.");
  m.def("operator_names", &operators::operator_names);

  py::class_<Operator>(m, "Operator", "A trainable operator (model, window, encode/decode).")
      .def_static("build", &build_operator, py::arg("name"), py::arg("options"),
                  py::arg("input_steps"), py::arg("output_steps"), py::arg("grid"), py::arg("seed"))
      .def_static("load", &load_operator, py::arg("path"))
      .def_property_readonly("name", property([](TrainableOperator& op) { return op.name; }))
      .def_property_readonly("kind",
                             property([](TrainableOperator& op) { return op.model->kind(); }))
      .def_property_readonly("options",
                             property([](TrainableOperator& op) { return op.options.dump(); }))
      .def_property_readonly("window", property([](TrainableOperator& op) {
                               return std::map<std::string, int>{
                                   {"input_steps", op.window.input_steps},
                                   {"output_steps", op.window.output_steps},
                                   {"first", op.window.first},
                                   {"stride", op.window.stride}};
                             }))
      .def_property_readonly("parameter_count", property([](TrainableOperator& op) {
                               return op.model->parameter_count();
                             }))
      .def_property_readonly("frequency_space",
                             property([](TrainableOperator& op) { return op.frequency_space; }))
      .def("predict", &predict, py::arg("w"), py::arg("steps"), py::arg("batch"))
      .def("save", &save_operator, py::arg("path"));
}

}  // namespace torus::python
