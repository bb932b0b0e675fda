// Checkpoints: round trips of a small composite model in float and double (bit-for-bit), the
// refusal of another architecture or scalar type with a message naming the difference, the
// optimiser state, damaged and foreign files, atomic replacement, and h5py reading the file.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "io/io_support.hpp"
#include "torus/io/attributes.hpp"
#include "torus/io/hdf5_file.hpp"
#include "torus/io/views.hpp"
#include "torus/nn/activation.hpp"
#include "torus/nn/architecture.hpp"
#include "torus/nn/checkpoint.hpp"
#include "torus/nn/linear.hpp"

namespace torus::nn {
namespace {

using io::testing::error_of;

/// x -> gain * project(act(lift(x))) + 0 * temperature: children plus own parameters of rank 1
/// and rank 0, enough to exercise every part of the architecture JSON.
template <class T>
class TinyMlp : public Module<T> {
 public:
  TinyMlp(int in, int hidden, int out, std::uint64_t seed,
          ActivationKind function = ActivationKind::gelu)
      : gain_(this->add_parameter("gain", {out})),
        temperature_(this->add_parameter("temperature", {})),
        lift_(in, hidden, RandomKey{seed, 1}),
        act_(function),
        project_(hidden, out, RandomKey{seed, 2}),
        hidden_(hidden) {
    fill_uniform(gain_.value.values(), RandomKey{seed, 3}, 0.5, 1.5);
    fill_uniform(temperature_.value.values(), RandomKey{seed, 4}, 0.0, 1.0);
  }
  Tensor<T> forward(const Tensor<T>& x) override {
    return project_.forward(act_.forward(lift_.forward(x)));
  }
  Tensor<T> backward(const Tensor<T>& dy) override {
    return lift_.backward(act_.backward(project_.backward(dy)));
  }
  std::string kind() const override { return "TinyMlp"; }
  nlohmann::json config() const override { return {{"hidden", hidden_}}; }
  std::vector<std::pair<std::string, Module<T>*>> children() override {
    return {{"lift", &lift_}, {"act", &act_}, {"project", &project_}};
  }

 private:
  Parameter<T>& gain_;
  Parameter<T>& temperature_;
  Linear<T> lift_;
  Activation<T> act_;
  Linear<T> project_;
  int hidden_;
};

template <class T>
std::vector<T> host_values(const Tensor<T>& t) {
  std::vector<T> out(static_cast<std::size_t>(t.size()));
  const auto mirror = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), t.values());
  std::memcpy(out.data(), mirror.data(), out.size() * sizeof(T));
  return out;
}

template <class T>
bool same_bits(const Tensor<T>& a, const Tensor<T>& b) {
  const auto va = host_values(a);
  const auto vb = host_values(b);
  return va.size() == vb.size() && std::memcmp(va.data(), vb.data(), va.size() * sizeof(T)) == 0;
}

/// Two optimiser-like state tensors (first and second moments of one parameter).
template <class T>
NamedTensors<T> make_state(std::uint64_t seed) {
  Tensor<T> m({4, 3}, "m");
  Tensor<T> v({5}, "v");
  fill_normal(m.values(), RandomKey{seed, 10});
  fill_uniform(v.values(), RandomKey{seed, 11}, 0.0, 1.0);
  return {{"adam.m.lift.weight", m}, {"adam.v.gain", v}};
}

template <class T>
class CheckpointTest : public io::testing::ScratchTest {};

using Scalars = ::testing::Types<float, double>;
TYPED_TEST_SUITE(CheckpointTest, Scalars);

TYPED_TEST(CheckpointTest, RoundTripRestoresEveryValueBitForBit) {
  using T = TypeParam;
  const std::string path = this->mine("model.h5");
  TinyMlp<T> saved(3, 4, 5, 1);
  CheckpointState<T> state;
  state.epoch = 3;
  state.step = 120;
  state.rng_seed = (std::uint64_t{1} << 63) + 5;  // above int64's range: bits must survive
  state.rng_counter = 77;
  state.optimizer = make_state<T>(1);
  state.extra = {{"lr", 1e-3}, {"schedule", {{"kind", "cosine"}, {"t", 120}}}};
  save_checkpoint(path, saved, state);

  TinyMlp<T> loaded(3, 4, 5, 2);  // another random initialisation
  const auto before = saved.named_parameters();
  ASSERT_FALSE(same_bits(before[0].second->value, loaded.named_parameters()[0].second->value));
  auto restored = make_state<T>(2);
  const CheckpointInfo info = load_checkpoint(path, loaded, restored);

  const auto after = loaded.named_parameters();
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].first, before[i].first);
    EXPECT_TRUE(same_bits(after[i].second->value, before[i].second->value)) << after[i].first;
  }
  for (std::size_t i = 0; i < restored.size(); ++i) {
    EXPECT_TRUE(same_bits(restored[i].second, state.optimizer[i].second)) << restored[i].first;
  }
  EXPECT_EQ(info.epoch, 3);
  EXPECT_EQ(info.step, 120);
  EXPECT_EQ(info.rng_seed, state.rng_seed);
  EXPECT_EQ(info.rng_counter, 77u);
  EXPECT_EQ(info.extra, state.extra);
  EXPECT_EQ(info.scalar_type, (std::is_same_v<T, float> ? "float" : "double"));
  EXPECT_FALSE(info.torus_version.empty());
  EXPECT_EQ(info.architecture, architecture(saved));
  EXPECT_EQ(read_checkpoint_architecture(path), architecture(loaded));
  EXPECT_EQ(read_checkpoint_scalar_type(path), info.scalar_type);

  // The loaded model computes what the saved one does.
  Tensor<T> x({2, 3}, "x");
  fill_normal(x.values(), RandomKey{9, 0});
  EXPECT_TRUE(same_bits(saved.forward(x), loaded.forward(x)));
}

TYPED_TEST(CheckpointTest, ArchitectureListsKindConfigParametersAndChildren) {
  using T = TypeParam;
  TinyMlp<T> model(3, 4, 5, 1);
  const auto arch = architecture(model);
  EXPECT_EQ(arch["kind"], "TinyMlp");
  EXPECT_EQ(arch["config"]["hidden"], 4);
  ASSERT_EQ(arch["parameters"].size(), 2u);  // own parameters only
  EXPECT_EQ(arch["parameters"][0]["name"], "gain");
  EXPECT_EQ(arch["parameters"][0]["shape"], nlohmann::json::array({5}));
  EXPECT_EQ(arch["parameters"][1]["shape"], nlohmann::json::array());
  ASSERT_EQ(arch["children"].size(), 3u);
  EXPECT_EQ(arch["children"][0]["name"], "lift");
  EXPECT_EQ(arch["children"][0]["kind"], "Linear");
  EXPECT_EQ(arch["children"][0]["config"]["out"], 4);
  EXPECT_EQ(arch["children"][0]["parameters"][0]["shape"], (nlohmann::json::array({4, 3})));
  EXPECT_EQ(arch["children"][1]["config"]["function"], "gelu");

  // Equal for the same architecture whatever the values; different otherwise.
  TinyMlp<T> other_values(3, 4, 5, 7);
  EXPECT_EQ(architecture(other_values), arch);
  TinyMlp<T> other_function(3, 4, 5, 1, ActivationKind::relu);
  EXPECT_NE(architecture(other_function), arch);
}

TYPED_TEST(CheckpointTest, AnotherArchitectureIsRefusedNamingTheDifference) {
  using T = TypeParam;
  const std::string path = this->mine("model.h5");
  TinyMlp<T> saved(3, 4, 5, 1);
  save_checkpoint(path, saved, CheckpointState<T>{});

  TinyMlp<T> wider(3, 6, 5, 2);
  const auto kept = host_values(wider.named_parameters()[0].second->value);
  std::string message = error_of([&] { load_checkpoint(path, wider); });
  EXPECT_NE(message.find("holds a TinyMlp with hidden 4; this model is a TinyMlp with hidden 6"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("config.hidden is 4 in the checkpoint, 6 in this model"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_EQ(host_values(wider.named_parameters()[0].second->value), kept) << "changed on failure";

  TinyMlp<T> relu(3, 4, 5, 2, ActivationKind::relu);
  message = error_of([&] { load_checkpoint(path, relu); });
  EXPECT_NE(message.find("child 'act' (Activation): config.function is \"gelu\" in the "
                         "checkpoint, \"relu\" in this model"),
            std::string::npos)
      << message;

  TinyMlp<T> more_inputs(2, 4, 5, 2);
  message = error_of([&] { load_checkpoint(path, more_inputs); });
  EXPECT_NE(message.find("child 'lift' (Linear): config.in is 3"), std::string::npos) << message;

  Linear<T> linear(3, 5, RandomKey{1, 0});
  message = error_of([&] { load_checkpoint(path, linear); });
  EXPECT_NE(message.find("holds a TinyMlp with hidden 4; this model is a Linear"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("a TinyMlp in the checkpoint, a Linear in this model"), std::string::npos)
      << message;
}

TYPED_TEST(CheckpointTest, AnotherScalarTypeIsRefused) {
  using T = TypeParam;
  using Other = std::conditional_t<std::is_same_v<T, float>, double, float>;
  const std::string path = this->mine("model.h5");
  TinyMlp<T> saved(3, 4, 5, 1);
  save_checkpoint(path, saved, CheckpointState<T>{});
  TinyMlp<Other> other(3, 4, 5, 1);
  const std::string message = error_of([&] { load_checkpoint(path, other); });
  const std::string stored = std::is_same_v<T, float> ? "float" : "double";
  EXPECT_NE(message.find("holds " + stored + " parameters"), std::string::npos) << message;
}

TYPED_TEST(CheckpointTest, MissingOrMisshapedStateEntriesAreNamed) {
  using T = TypeParam;
  const std::string path = this->mine("model.h5");
  TinyMlp<T> saved(3, 4, 5, 1);
  CheckpointState<T> state;
  state.optimizer = make_state<T>(1);
  save_checkpoint(path, saved, state);

  TinyMlp<T> model(3, 4, 5, 2);
  const auto kept = host_values(model.named_parameters()[0].second->value);
  NamedTensors<T> missing = {{"adam.m.project.bias", Tensor<T>({5})}};
  std::string message = error_of([&] { load_checkpoint(path, model, missing); });
  EXPECT_NE(message.find("no optimizer state entry ('optimizer/adam.m.project.bias')"),
            std::string::npos)
      << message;
  NamedTensors<T> misshaped = {{"adam.m.lift.weight", Tensor<T>({3, 4})}};
  message = error_of([&] { load_checkpoint(path, model, misshaped); });
  EXPECT_NE(message.find("('optimizer/adam.m.lift.weight') has shape (4, 3) in the checkpoint "
                         "but (3, 4) here"),
            std::string::npos)
      << message;
  EXPECT_EQ(host_values(model.named_parameters()[0].second->value), kept) << "changed on failure";
  // Loading without the optimiser (for inference) ignores its entries.
  EXPECT_NO_THROW(load_checkpoint(path, model));
}

TYPED_TEST(CheckpointTest, MissingForeignAndTruncatedFilesAreClearErrors) {
  using T = TypeParam;
  TinyMlp<T> model(3, 4, 5, 1);
  std::string message = error_of([&] { load_checkpoint(this->mine("absent.h5"), model); });
  EXPECT_NE(message.find("absent.h5"), std::string::npos) << message;
  EXPECT_NE(message.find("file does not exist"), std::string::npos) << message;

  const std::string text = this->mine("notes.txt");
  std::ofstream(text) << "not a checkpoint\n";
  message = error_of([&] { load_checkpoint(text, model); });
  EXPECT_NE(message.find("not an HDF5 file"), std::string::npos) << message;

  const std::string foreign = this->mine("field.h5");
  {
    auto file = io::File::create(foreign);
    io::write(file, "u", io::testing::coded_view<double, 2>("u", 3, 4));
    file.commit();
  }
  message = error_of([&] { load_checkpoint(foreign, model); });
  EXPECT_NE(message.find("not a torus checkpoint"), std::string::npos) << message;
  message = error_of([&] { read_checkpoint_architecture(foreign); });
  EXPECT_NE(message.find("not a torus checkpoint"), std::string::npos) << message;

  // A checkpoint cut in half (a copy interrupted by a full disk, say).
  const std::string whole = this->mine("whole.h5");
  save_checkpoint(whole, model, CheckpointState<T>{});
  const std::string cut = this->mine("cut.h5");
  std::filesystem::copy_file(whole, cut);
  std::filesystem::resize_file(cut, std::filesystem::file_size(whole) / 2);
  TinyMlp<T> target(3, 4, 5, 2);
  message = error_of([&] { load_checkpoint(cut, target); });
  EXPECT_NE(message.find("cut.h5"), std::string::npos) << message;
}

TYPED_TEST(CheckpointTest, AFailedSaveLeavesThePreviousCheckpoint) {
  using T = TypeParam;
  const std::string path = this->mine("model.h5");
  TinyMlp<T> first(3, 4, 5, 1);
  CheckpointState<T> state;
  state.epoch = 1;
  save_checkpoint(path, first, state);

  // Two state entries of one name: the write fails half-way through the file.
  TinyMlp<T> second(3, 4, 5, 2);
  state.epoch = 2;
  state.optimizer = {{"m", Tensor<T>({2})}, {"m", Tensor<T>({2})}};
  const std::string message = error_of([&] { save_checkpoint(path, second, state); });
  EXPECT_NE(message.find("already in the file"), std::string::npos) << message;

  TinyMlp<T> back(3, 4, 5, 3);
  EXPECT_EQ(load_checkpoint(path, back).epoch, 1);
  EXPECT_TRUE(same_bits(back.named_parameters()[0].second->value,
                        first.named_parameters()[0].second->value));
  for (const auto& entry : std::filesystem::directory_iterator(this->directory)) {
    const std::string name = entry.path().string();
    if (name.rfind(this->mine(""), 0) != 0) continue;  // another rank's files
    EXPECT_EQ(name.find(".tmp-"), std::string::npos) << name;
  }

  // With no previous file, a failed save leaves no file at all.
  const std::string fresh = this->mine("fresh.h5");
  EXPECT_FALSE(error_of([&] { save_checkpoint(fresh, second, state); }).empty());
  EXPECT_FALSE(std::filesystem::exists(fresh));
}

TYPED_TEST(CheckpointTest, RankZeroWritesForAllRanks) {
  using T = TypeParam;
  const std::string path = this->shared("model.h5");
  TinyMlp<T> model(3, 4, 5, 1);
  CheckpointState<T> state;
  state.step = 42;
  save_checkpoint(path, model, state, this->world);
  // Every rank returns once the file is in place, and reads it on its own.
  TinyMlp<T> back(3, 4, 5, 2);
  EXPECT_EQ(load_checkpoint(path, back).step, 42);
  EXPECT_TRUE(same_bits(back.named_parameters()[2].second->value,
                        model.named_parameters()[2].second->value));

  // A failure on rank 0 is raised on every rank.
  const std::string nowhere = this->shared("missing-dir/model.h5");
  const std::string message =
      error_of([&] { save_checkpoint(nowhere, model, state, this->world); });
  EXPECT_NE(message.find("missing-dir"), std::string::npos) << message;
}

TYPED_TEST(CheckpointTest, H5pyReadsTheCheckpoint) {
  using T = TypeParam;
  if (std::system("/usr/bin/python3 -c 'import h5py, numpy' > /dev/null 2>&1") != 0) {
    GTEST_SKIP() << "/usr/bin/python3 cannot import h5py and numpy";
  }
  const std::string path = this->mine("model.h5");
  TinyMlp<T> model(3, 4, 5, 1);
  CheckpointState<T> state;
  state.epoch = 3;
  state.optimizer = make_state<T>(1);
  save_checkpoint(path, model, state);
  // The same numbers in double, for h5py to compare with.
  const auto weight = host_values(model.named_parameters()[2].second->value);  // lift.weight
  std::string expected = "[";
  for (const T w : weight) expected += std::to_string(static_cast<double>(w)) + ",";
  expected += "]";

  const std::string dtype = std::is_same_v<T, float> ? "float32" : "float64";
  const std::string script = this->mine("check.py");
  std::ofstream(script) << "import json, sys\nimport h5py, numpy as np\n"
                        << "f = h5py.File(sys.argv[1], 'r')\n"
                        << "a = json.loads(f.attrs['architecture'])\n"
                        << "assert a['kind'] == 'TinyMlp' and a['children'][0]['name'] == 'lift'\n"
                        << "assert f.attrs['epoch'] == 3 and f.attrs['format'] == "
                           "'torus-checkpoint'\n"
                        << "assert f.attrs['scalar_type'] == '"
                        << (dtype == "float32" ? "float" : "double") << "'\n"
                        << "w = f['parameters/lift.weight']\n"
                        << "assert w.shape == (4, 3) and w.dtype == np.dtype('" << dtype
                        << "'), w\n"
                        << "assert np.allclose(w[()].ravel(), " << expected << ", atol=1e-6)\n"
                        << "assert f['parameters/temperature'].shape == (1,)\n"
                        << "assert f['optimizer/adam.v.gain'].shape == (5,)\n";
  const std::string command = "/usr/bin/python3 " + script + " " + path;
  EXPECT_EQ(std::system(command.c_str()), 0) << "the h5py check failed; see its output above";
}

}  // namespace
}  // namespace torus::nn
