#!/usr/bin/python3
"""The PyTorch rival of torus's FNO2d: the same architecture, timed on one training step.

The model is the 2-D FNO of Li et al. (2021) as its reference code builds it for Navier-Stokes:
grid coordinates appended to the input channels, a linear lift to `width` channels, `layers`
blocks of (spectral convolution on the 2 m x m corner modes + 1x1 convolution) with GELU between
them (none after the last), and a projection through 128 channels. A training step is forward,
relative-L2 loss, backward and an Adam update on one batch of random fields (the step time does
not depend on the values). Prints one JSON line: the median step time over `--repeats` timed
steps after `--warmup` steps, and the process's peak resident memory.

    torch_fno.py [--batch 20] [--n 64] [--width 32] [--modes 12] [--layers 4]
                 [--in-channels 10] [--threads 1] [--repeats 20] [--warmup 3]

Thread counts and malloc settings are read when the process starts: run.py starts one process
per configuration.
"""

import argparse
import json
import resource
import statistics
import time

import torch


class SpectralConv2d(torch.nn.Module):
    """y = irfft2(W . rfft2(x)) with W acting on the m x m corners of positive and negative kx."""

    def __init__(self, channels_in, channels_out, modes):
        super().__init__()
        self.modes = modes
        scale = 1.0 / (channels_in * channels_out)
        shape = (channels_in, channels_out, modes, modes)
        self.w_positive = torch.nn.Parameter(scale * torch.rand(*shape, dtype=torch.cfloat))
        self.w_negative = torch.nn.Parameter(scale * torch.rand(*shape, dtype=torch.cfloat))

    def forward(self, x):
        batch, _, nx, ny = x.shape
        m = self.modes
        x_hat = torch.fft.rfft2(x)
        out = torch.zeros(batch, self.w_positive.shape[1], nx, ny // 2 + 1,
                          dtype=torch.cfloat, device=x.device)
        out[:, :, :m, :m] = torch.einsum("bixy,ioxy->boxy", x_hat[:, :, :m, :m], self.w_positive)
        out[:, :, -m:, :m] = torch.einsum("bixy,ioxy->boxy", x_hat[:, :, -m:, :m],
                                          self.w_negative)
        return torch.fft.irfft2(out, s=(nx, ny))


class FNO2d(torch.nn.Module):
    def __init__(self, in_channels, width, modes, layers, projection=128):
        super().__init__()
        self.lift = torch.nn.Linear(in_channels + 2, width)
        self.spectral = torch.nn.ModuleList(
            [SpectralConv2d(width, width, modes) for _ in range(layers)])
        self.pointwise = torch.nn.ModuleList(
            [torch.nn.Conv2d(width, width, 1) for _ in range(layers)])
        self.project1 = torch.nn.Linear(width, projection)
        self.project2 = torch.nn.Linear(projection, 1)

    def forward(self, x):
        # x: (batch, channels, nx, ny), as torus lays fields out.
        batch, _, nx, ny = x.shape
        gx = torch.linspace(0, 1, nx).reshape(1, 1, nx, 1).expand(batch, 1, nx, ny)
        gy = torch.linspace(0, 1, ny).reshape(1, 1, 1, ny).expand(batch, 1, nx, ny)
        h = torch.cat((x, gx, gy), dim=1).permute(0, 2, 3, 1)
        h = self.lift(h).permute(0, 3, 1, 2)
        for k, (spectral, pointwise) in enumerate(zip(self.spectral, self.pointwise)):
            h = spectral(h) + pointwise(h)
            if k + 1 < len(self.spectral):
                h = torch.nn.functional.gelu(h)
        h = h.permute(0, 2, 3, 1)
        h = self.project2(torch.nn.functional.gelu(self.project1(h)))
        return h.permute(0, 3, 1, 2)


def relative_l2(prediction, target):
    batch = prediction.shape[0]
    difference = (prediction - target).reshape(batch, -1).norm(dim=1)
    return (difference / target.reshape(batch, -1).norm(dim=1)).mean()


def loaded_blas():
    """The BLAS library this process mapped (Debian's torch uses whatever libblas.so.3 is)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line}
    return sorted(paths)[0] if paths else "none"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--n", type=int, default=64)
    parser.add_argument("--width", type=int, default=32)
    parser.add_argument("--modes", type=int, default=12)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--in-channels", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = FNO2d(args.in_channels, args.width, args.modes, args.layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    x = torch.randn(args.batch, args.in_channels, args.n, args.n)
    y = torch.randn(args.batch, 1, args.n, args.n)

    def step():
        optimizer.zero_grad()
        loss = relative_l2(model(x), y)
        loss.backward()
        optimizer.step()

    for _ in range(args.warmup):
        step()
    seconds = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - start)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"impl": "torch", "batch": args.batch, "n": args.n, "width": args.width,
                      "modes": args.modes, "layers": args.layers, "threads": args.threads,
                      "step_seconds": statistics.median(seconds),
                      "peak_rss_mib": peak_kib / 1024.0,
                      "blas": loaded_blas()}))


if __name__ == "__main__":
    main()
