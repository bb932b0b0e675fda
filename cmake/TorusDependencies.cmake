# Finds every dependency of the torus library and gives each one an imported target.
# Used by the build and, through torusConfig.cmake, by projects that find_package(torus).
include(CMakeFindDependencyMacro)
find_package(PkgConfig REQUIRED)

# MPI first: FFTW-MPI, PETSc and parallel HDF5 all sit on it.
find_package(MPI REQUIRED COMPONENTS C CXX)

# Kokkos. Debian's Trilinos build exports a target whose include directory does not exist;
# its headers live in /usr/include/trilinos. A site-built Kokkos (CMAKE_PREFIX_PATH) is left as is.
find_package(Kokkos REQUIRED)
if(TARGET Kokkos::kokkos)
  get_target_property(_torus_kokkos_inc Kokkos::kokkos INTERFACE_INCLUDE_DIRECTORIES)
  set(_torus_kokkos_ok TRUE)
  foreach(_dir IN LISTS _torus_kokkos_inc)
    if(NOT EXISTS "${_dir}/Kokkos_Core.hpp")
      set(_torus_kokkos_ok FALSE)
    endif()
  endforeach()
  if(NOT _torus_kokkos_ok AND EXISTS "/usr/include/trilinos/Kokkos_Core.hpp")
    set_target_properties(Kokkos::kokkos PROPERTIES
                          INTERFACE_INCLUDE_DIRECTORIES "/usr/include/trilinos")
  endif()
endif()

# FFTW3 (double and float) with its MPI and threads interfaces: no CMake or pkg-config files for
# those parts.
find_path(TORUS_FFTW_INCLUDE_DIR fftw3-mpi.h REQUIRED)
foreach(_lib fftw3 fftw3f fftw3_mpi fftw3f_mpi fftw3_threads fftw3f_threads)
  find_library(TORUS_${_lib}_LIBRARY ${_lib} REQUIRED)
endforeach()
if(NOT TARGET torus_deps::fftw)
  add_library(torus_deps::fftw INTERFACE IMPORTED)
  set_target_properties(torus_deps::fftw PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${TORUS_FFTW_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES
      "${TORUS_fftw3_mpi_LIBRARY};${TORUS_fftw3f_mpi_LIBRARY};${TORUS_fftw3_threads_LIBRARY};${TORUS_fftw3f_threads_LIBRARY};${TORUS_fftw3_LIBRARY};${TORUS_fftw3f_LIBRARY};MPI::MPI_C")
endif()

# PETSc through pkg-config; it needs the MPI C library linked explicitly.
pkg_check_modules(PETSc REQUIRED IMPORTED_TARGET GLOBAL PETSc)
if(NOT TARGET torus_deps::petsc)
  add_library(torus_deps::petsc INTERFACE IMPORTED)
  set_target_properties(torus_deps::petsc PROPERTIES
    INTERFACE_LINK_LIBRARIES "PkgConfig::PETSc;MPI::MPI_C")
endif()

# spglib: pkg-config reports an empty version, so the version is checked at run time.
pkg_check_modules(spglib REQUIRED IMPORTED_TARGET GLOBAL spglib)

# A BLAS for the dense products of the neural layers (nn/gemm.hpp), through the Fortran
# interface of libblas.so.3: on Debian the alternatives point it at OpenBLAS
# (libopenblas0-pthread), whatever libblas-dev linked against. PETSc already needs one.
find_package(BLAS REQUIRED)

# Parallel HDF5 (Debian's OpenMPI flavour).
set(HDF5_PREFER_PARALLEL TRUE)
find_package(HDF5 REQUIRED COMPONENTS C)
if(NOT HDF5_IS_PARALLEL)
  message(FATAL_ERROR "torus needs a parallel (MPI) HDF5; install libhdf5-openmpi-dev "
                      "(scripts/setup.sh does) or point HDF5_ROOT at an MPI build.")
endif()
if(NOT TARGET torus_deps::hdf5)
  add_library(torus_deps::hdf5 INTERFACE IMPORTED)
  set_target_properties(torus_deps::hdf5 PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${HDF5_C_INCLUDE_DIRS}"
    INTERFACE_COMPILE_DEFINITIONS "${HDF5_C_DEFINITIONS}"
    INTERFACE_LINK_LIBRARIES "${HDF5_C_LIBRARIES};MPI::MPI_C")
endif()

# libpng, for pictures of fields (io/png.hpp). Linked privately: no torus header includes
# <png.h>, but a static torus still needs PNG::PNG defined in projects that link it.
find_package(PNG REQUIRED)

# Logging and formatting.
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)

# gemmi reads CIF (crystal/cif_read.cpp). Debian's gemmi-dev is header-only and ships neither
# CMake nor pkg-config files; its CIF grammar includes PEGTL from the system (tao-pegtl-dev).
# Linked privately: no torus header includes gemmi.
find_path(TORUS_GEMMI_INCLUDE_DIR gemmi/cif.hpp REQUIRED)
find_path(TORUS_PEGTL_INCLUDE_DIR tao/pegtl.hpp REQUIRED)
if(NOT TARGET torus_deps::gemmi)
  add_library(torus_deps::gemmi INTERFACE IMPORTED)
  set_target_properties(torus_deps::gemmi PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${TORUS_GEMMI_INCLUDE_DIR};${TORUS_PEGTL_INCLUDE_DIR}")
endif()
