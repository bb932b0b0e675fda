#include "torus/core/collective_error.hpp"

#include <climits>

namespace torus::detail {

namespace {

// Sends `text` from `root` to every rank of `comm` (length first, then the characters).
std::string broadcast_text(MPI_Comm comm, int root, const std::string& text) {
  int length = static_cast<int>(text.size());
  MPI_Bcast(&length, 1, MPI_INT, root, comm);
  std::string out = text;
  out.resize(static_cast<std::size_t>(length));
  if (length > 0) MPI_Bcast(out.data(), length, MPI_CHAR, root, comm);
  return out;
}

}  // namespace

void agree_on_failure(MPI_Comm comm, const Error* failure) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  const int mine = failure != nullptr ? rank : INT_MAX;
  int first_failing = INT_MAX;
  MPI_Allreduce(&mine, &first_failing, 1, MPI_INT, MPI_MIN, comm);
  if (first_failing == INT_MAX) return;

  const bool root = rank == first_failing;
  const std::string problem = broadcast_text(comm, first_failing, root ? failure->problem() : "");
  const std::string input = broadcast_text(comm, first_failing, root ? failure->input() : "");
  const std::string fix = broadcast_text(comm, first_failing, root ? failure->fix() : "");
  if (root) throw *failure;  // keeps the source location of the original
  throw Error(problem + " (on rank " + std::to_string(first_failing) + ")", input, fix);
}

}  // namespace torus::detail
