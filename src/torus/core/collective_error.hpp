#pragma once
/// \file
/// torus::collective: run a step that may fail on some ranks only (a bad sample read by one
/// rank, a file one rank cannot open) so that every rank of a communicator throws together.
///
/// Without it a torus::Error raised on rank 1 alone leaves rank 0 waiting forever in the next
/// collective call (an all-reduce of gradients). collective() runs the step, agrees with one
/// MPI_Allreduce whether any rank failed, and if one did every rank throws the torus::Error of
/// the lowest failing rank, its message broadcast, so the user reads the cause on rank 0's log.
/// Cost: one all-reduce of an int per call (and a broadcast only on failure).
///
/// \code
/// auto windows = collective(comm, [&] { return train_set.windows(indices); });
/// \endcode

#include <mpi.h>

#include <string>
#include <type_traits>
#include <utility>

#include "torus/core/error.hpp"

namespace torus {

namespace detail {

/// Agrees over `comm` on the failure of some ranks: `failure` is this rank's error (null when
/// it succeeded). Returns normally when no rank failed; otherwise throws on every rank the
/// error of the lowest failing rank.
void agree_on_failure(MPI_Comm comm, const Error* failure);

}  // namespace detail

/// Runs `step()` on every rank of `comm` and returns its result; a torus::Error on any rank
/// becomes the same torus::Error on all of them (file comment). Collective over `comm`. Other
/// exceptions are not caught: they mean a bug, not bad input, and abort as before.
template <class Step>
auto collective(MPI_Comm comm, Step&& step) -> decltype(step()) {
  using Result = decltype(step());
  if constexpr (std::is_void_v<Result>) {
    try {
      step();
    } catch (const Error& error) {
      detail::agree_on_failure(comm, &error);
    }
    detail::agree_on_failure(comm, nullptr);
  } else {
    Result result{};
    try {
      result = step();
    } catch (const Error& error) {
      detail::agree_on_failure(comm, &error);
    }
    detail::agree_on_failure(comm, nullptr);
    return result;
  }
}

}  // namespace torus
