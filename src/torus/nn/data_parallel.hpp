#pragma once
/// \file
/// Data-parallel training over MPI: one all-reduce of all gradients per step, and a broadcast
/// that starts every rank from the same weights.
///
/// The convention. A global batch of G samples is split over the ranks, rank r holding B_r of
/// them (sum_r B_r = G). The single-rank loss is the mean L = (1/G) sum_{n<G} l_n, whose
/// gradient is (1/G) sum_n dl_n. Two ways to get it:
///  - SUM (average = false): each rank's loss is its share of the global mean,
///      L_r = (1/G) sum_{n on r} l_n,
///    and the all-reduce sums: sum_r dL_r = dL exactly, for any split (uneven batches, a
///    short last batch).
///  - AVERAGE (average = true, PyTorch DDP's convention): each rank's loss is the mean of its
///    local batch, L_r = (1/B_r) sum_{n on r} l_n, and the all-reduce divides the sum by the
///    number of ranks P: (1/P) sum_r dL_r = dL only when every B_r = G / P.
/// Both are implemented (the flag picks one); the torus trainer should use SUM with losses
/// scaled by 1/G, because it stays exact when G does not divide over the ranks. AVERAGE is
/// the default of the function (as in DDP) for code that computes per-rank means.
///
/// With one rank both functions return at once. All ranks of `comm` must call them with the
/// same parameters in the same order (module.parameters() of the same architecture).

#include <mpi.h>

#include <vector>

#include "torus/nn/parameter.hpp"

namespace torus::nn {

/// Replaces every gradient by its sum over the ranks of `comm` (divided by the number of ranks
/// when `average`); see the file comment for which loss scaling makes this the single-rank
/// gradient. The gradients are packed into one buffer and reduced by one MPI_Allreduce
/// (MPI_FLOAT or MPI_DOUBLE by T). Throws torus::Error for a null parameter or an MPI failure.
template <class T>
void allreduce_gradients(const std::vector<Parameter<T>*>& parameters, MPI_Comm comm,
                         bool average = true);

/// Copies every parameter value of rank `root` to all ranks of `comm` (one MPI_Bcast of a packed
/// buffer), so data-parallel training starts from one set of weights. Throws torus::Error for a
/// root outside the communicator, ranks disagreeing on the number of values, a null parameter
/// or an MPI failure.
template <class T>
void broadcast_parameters(const std::vector<Parameter<T>*>& parameters, MPI_Comm comm,
                          int root = 0);

}  // namespace torus::nn
