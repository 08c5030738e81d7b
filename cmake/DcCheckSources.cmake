# dc_check_listed(GLOB_PATTERN FILE...): fail the configure step, naming
# them, when files matching GLOB_PATTERN exist that are not among FILE...
#
# The build lists its sources explicitly (cmark, libgit2), so that what is
# built does not depend on stray files in the tree; this check keeps the
# other half of the bargain: a file added to lib/, tools/, tests/ or
# include/depcheck/ and forgotten in its list is an error, not silently left
# unbuilt (or uninstalled). CONFIGURE_DEPENDS re-runs the check, and so the
# configure step, when such a file appears.
function(dc_check_listed pattern)
  file(GLOB found CONFIGURE_DEPENDS ${pattern})
  set(listed "")
  foreach(f ${ARGN})
    get_filename_component(abs ${f} ABSOLUTE)
    list(APPEND listed ${abs})
  endforeach()
  set(missing "")
  foreach(f ${found})
    list(FIND listed ${f} i)
    if(i EQUAL -1)
      file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${f})
      list(APPEND missing ${rel})
    endif()
  endforeach()
  if(missing)
    string(REPLACE ";" "\n  " missing "${missing}")
    message(FATAL_ERROR "these files are not in their source list in "
      "${CMAKE_CURRENT_LIST_FILE}; add them (or remove the files):\n  ${missing}")
  endif()
endfunction()
