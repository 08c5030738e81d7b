# Compiles the report's page (report.html, report.css, report.js) into a C
# header of string constants, so libdepcheck carries them without reading
# files at run time. Run by the build:
#   cmake -DDIR=lib/report -DOUT=report_assets.h -P embed.cmake
# report.css becomes `static const char report_report_css[]`, and so on;
# each ends with a NUL. Bytes are written as hex, so nothing needs escaping.
set(content "/* generated from lib/report/ by embed.cmake: edit those files, not this */\n")
foreach(name report.html report.css report.js)
  string(MAKE_C_IDENTIFIER "report_${name}" var)
  file(READ "${DIR}/${name}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  string(REGEX REPLACE "((0x..,){24})" "\\1\n" hex "${hex}")
  string(APPEND content "static const char ${var}[] = {\n${hex}0x00 };\n")
endforeach()
file(WRITE "${OUT}.tmp" "${content}")
file(RENAME "${OUT}.tmp" "${OUT}")
