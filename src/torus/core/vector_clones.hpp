#pragma once
/// \file
/// TORUS_VECTOR_CLONES: compiles a host function twice, for baseline x86-64 (SSE2) and for
/// x86-64-v3 (AVX2 and FMA), and lets the dynamic loader pick the clone the CPU runs (GCC's
/// target_clones, dispatched through an ifunc). Distribution packages such as Debian's build
/// for the baseline, where a float loop vectorises only four lanes wide; the clone gives the
/// hot element-wise kernels eight lanes without tying the binary to one CPU. A site build with
/// -march=native gains nothing from it and loses nothing.
///
/// Only for host functions whose loops the compiler vectorises (Kokkos Serial or OpenMP
/// kernels inline into them); elsewhere (device compilers, other compilers and architectures)
/// it expands to nothing.

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__CUDACC__) && \
    !defined(__HIPCC__) && !defined(__SYCL_DEVICE_ONLY__)
#define TORUS_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define TORUS_VECTOR_CLONES
#endif
