# Installs the build tree into a scratch prefix, builds tests/install/consumer against it with
# find_package(torus), and runs the consumer. Invoked by ctest with -DBUILD=... -DSOURCE=...
set(prefix "${BUILD}/install-check/prefix")
set(consumer_build "${BUILD}/install-check/consumer")
file(REMOVE_RECURSE "${BUILD}/install-check")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed: ${ARGN}\n${out}\n${err}")
  endif()
  message("${out}")
endfunction()

run(${CMAKE_COMMAND} --install "${BUILD}" --prefix "${prefix}")
run(${CMAKE_COMMAND} -S "${SOURCE}/tests/install/consumer" -B "${consumer_build}"
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build "${consumer_build}")
run("${consumer_build}/consumer")
