#include "torus/operators/operator_factory.hpp"

#include <set>

#include "torus/core/error.hpp"
#include "torus/nn/checkpoint.hpp"
#include "torus/operators/fno.hpp"
#include "torus/operators/t1.hpp"
#include "torus/operators/t1_coefficient_step.hpp"

namespace torus::operators {

namespace {

// Throws unless every key of `options` is one of `known`.
void require_known(const nlohmann::json& options, const std::set<std::string>& known,
                   const std::string& model) {
  TORUS_REQUIRE(options.is_object(), "model options " + options.dump() + " are not an object",
                model, "give the options as {\"name\": value}");
  for (const auto& [key, value] : options.items()) {
    if (known.count(key)) continue;
    std::string names;
    for (const auto& k : known) names += (names.empty() ? "" : ", ") + k;
    TORUS_THROW("unknown option '" + key + "' of the " + model + " model", key,
                "use one of " + names);
  }
}

// The pair of a "modes" option: one number for both axes or [m0, m1].
std::array<int, 2> mode_pair(const nlohmann::json& value) {
  if (value.is_array()) return {value.at(0).get<int>(), value.at(1).get<int>()};
  return {value.get<int>(), value.get<int>()};
}

// FNO2d: the operator is the model; fields in, fields out.
TrainableOperator fno_operator(FNO2dOptions o, RandomKey key) {
  TrainableOperator op;
  op.name = "fno";
  auto model = std::make_unique<FNO2d<float>>(o, key);
  op.options = model->config();
  op.step = model.get();
  op.model = std::move(model);
  op.encode = [](const nn::Tensor<float>& fields) { return fields; };
  op.decode = [](const nn::Tensor<float>& fields, int, int) { return fields; };
  return op;
}

// T1 with the DCT: the rollout runs on coefficients through T1CoefficientStep, whose child is
// the T1; encode analyses each window once, decode zero-pads and transforms back. The model
// the trainer saves reads as the T1 (same kind, config and children); it owns the step too.
class T1Operator : public nn::Module<float> {
 public:
  T1Operator(const T1Options& options, RandomKey key) : model_(options, key), step_(model_) {}
  nn::Tensor<float> forward(const nn::Tensor<float>& x) override { return model_.forward(x); }
  nn::Tensor<float> backward(const nn::Tensor<float>& g) override { return model_.backward(g); }
  std::string kind() const override { return model_.kind(); }
  nlohmann::json config() const override { return model_.config(); }
  // The T1's own parameters and children, so checkpoints read exactly as a T1's.
  std::vector<std::pair<std::string, nn::Module<float>*>> children() override {
    return model_.children();
  }
  T1<float>& t1() { return model_; }
  T1CoefficientStep<float>& step() { return step_; }

 private:
  T1<float> model_;
  T1CoefficientStep<float> step_;
};

TrainableOperator t1_operator(const T1Options& o, RandomKey key) {
  TORUS_REQUIRE(o.transform == T1Transform::dct,
                "training T1 with the rfft transform is not supported: training stays in "
                "coefficients, which needs the DCT's layout",
                "transform", "train T1 with transform dct");
  TrainableOperator op;
  op.name = "t1";
  auto holder = std::make_unique<T1Operator>(o, key);
  auto* t1 = &holder->t1();
  op.options = t1->config();
  op.step = &holder->step();
  op.frequency_space = true;
  op.encode = [t1](const nn::Tensor<float>& fields) {
    // Each of the S snapshots of a (b, S, X, Y) window is a channel of the analysis.
    return t1->spectrum().analyse(fields);
  };
  op.decode = [t1](const nn::Tensor<float>& coefficients, int nx, int ny) {
    const auto& grid = t1->options().grid;
    TORUS_REQUIRE(nx == grid[0] && ny == grid[1],
                  "fields of " + std::to_string(nx) + "x" + std::to_string(ny) +
                      " asked of a T1 on " + std::to_string(grid[0]) + "x" +
                      std::to_string(grid[1]),
                  "operators::T1 decode", "decode on the model's grid");
    return t1->spectrum().synthesise(coefficients);
  };
  op.model = std::move(holder);
  return op;
}

FNO2dOptions fno_options(const nlohmann::json& j, int input_steps) {
  require_known(
      j,
      {"width", "modes", "modes1", "modes2", "layers", "projection", "in_channels", "out_channels"},
      "fno");
  FNO2dOptions o;
  o.in_channels = input_steps;
  if (j.contains("modes")) o.modes1 = o.modes2 = j.at("modes").get<int>();
  if (j.contains("modes1")) o.modes1 = j.at("modes1").get<int>();
  if (j.contains("modes2")) o.modes2 = j.at("modes2").get<int>();
  if (j.contains("width")) o.width = j.at("width").get<int>();
  if (j.contains("layers")) o.layers = j.at("layers").get<int>();
  if (j.contains("projection")) o.projection = j.at("projection").get<int>();
  if (j.contains("in_channels")) o.in_channels = j.at("in_channels").get<int>();
  if (j.contains("out_channels")) o.out_channels = j.at("out_channels").get<int>();
  return o;
}

T1Options t1_options(const nlohmann::json& j, int input_steps, std::array<int, 2> grid) {
  require_known(j,
                {"width", "modes", "hidden", "layers", "transform", "keep_high", "grid_coordinates",
                 "activation", "init", "in_channels", "out_channels", "grid"},
                "t1");
  T1Options o;
  o.in_channels = input_steps;
  o.grid = grid;
  if (j.contains("modes")) o.modes = mode_pair(j.at("modes"));
  if (j.contains("width")) o.width = j.at("width").get<int>();
  if (j.contains("hidden")) o.hidden = j.at("hidden").get<int>();
  if (j.contains("layers")) o.layers = j.at("layers").get<int>();
  if (j.contains("transform")) o.transform = parse_t1_transform(j.at("transform"));
  if (j.contains("keep_high")) o.keep_high = j.at("keep_high").get<bool>();
  if (j.contains("grid_coordinates")) o.grid_coordinates = j.at("grid_coordinates").get<bool>();
  if (j.contains("activation")) o.activation = nn::parse_activation(j.at("activation"));
  if (j.contains("init")) o.init = parse_t1_init(j.at("init"));
  if (j.contains("in_channels")) o.in_channels = j.at("in_channels").get<int>();
  if (j.contains("out_channels")) o.out_channels = j.at("out_channels").get<int>();
  if (j.contains("grid")) o.grid = mode_pair(j.at("grid"));
  return o;
}

}  // namespace

std::vector<std::string> operator_names() { return {"fno", "t1"}; }

TrainableOperator make_trainable_operator(const std::string& name, const nlohmann::json& options,
                                          int input_steps, std::array<int, 2> grid, RandomKey key) {
  TORUS_REQUIRE(input_steps >= 1, std::to_string(input_steps) + " input steps", "input_steps",
                "give at least one input snapshot");
  if (name == "fno") return fno_operator(fno_options(options, input_steps), key);
  if (name == "t1") return t1_operator(t1_options(options, input_steps, grid), key);
  TORUS_THROW("unknown operator '" + name + "'", "--model", "use fno or t1");
}

TrainableOperator load_trainable_operator(const std::string& checkpoint) {
  const auto architecture = nn::read_checkpoint_architecture(checkpoint);
  const std::string kind = architecture.at("kind").get<std::string>();
  const auto& config = architecture.at("config");
  TrainableOperator op;
  if (kind == "FNO2d") {
    op = fno_operator(fno_options(config, config.at("in_channels").get<int>()), RandomKey{0, 0});
  } else if (kind == "T1") {
    op = t1_operator(
        t1_options(config, config.at("in_channels").get<int>(), mode_pair(config.at("grid"))),
        RandomKey{0, 0});
  } else {
    TORUS_THROW("checkpoint holds a " + kind + ", not an operator torus train makes", checkpoint,
                "give a checkpoint written by torus train (FNO2d or T1)");
  }
  const auto info = nn::load_checkpoint(checkpoint, *op.model);
  TORUS_REQUIRE(info.extra.contains("options"), "the checkpoint does not say how it was trained",
                checkpoint, "give a checkpoint written by torus train");
  const auto& o = info.extra.at("options");
  op.window.input_steps = o.at("input_steps").get<int>();
  op.window.output_steps = o.at("output_steps").get<int>();
  op.window.first = o.at("first").get<int>();
  op.window.stride = o.at("stride").get<int>();
  return op;
}

}  // namespace torus::operators
