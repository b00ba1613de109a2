# Fails when the shipped tandemctl.bash differs from `tandemctl completion
# bash`; with -DWRITE=ON rewrites it instead. To fix a failure:
#   cmake --build <build> --target tandemctl_bash_completion
execute_process(COMMAND ${TANDEMCTL} completion bash
                OUTPUT_VARIABLE generated RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "tandemctl completion bash failed (${rc})")
endif()
if(WRITE)
  file(WRITE ${SCRIPT} "${generated}")
  return()
endif()
file(READ ${SCRIPT} shipped)
if(NOT generated STREQUAL shipped)
  message(FATAL_ERROR "${SCRIPT} is out of date: run cmake --build <build> "
                      "--target tandemctl_bash_completion")
endif()
