# Generates one C++ source holding every file of the built web UI as a
# table {path, content type, bytes, etag} (see assets.h). Run as:
#   cmake -DDIST=web/dist -DOUTPUT=out.cc -P embed_assets.cmake
# When DIST has no index.html (the UI was not built), it embeds one small
# page saying how to build it, so C++-only builds still work.

set(files "")
if(EXISTS "${DIST}/index.html")
  file(GLOB_RECURSE files RELATIVE "${DIST}" "${DIST}/*")
  list(SORT files)
  set(built true)
else()
  set(built false)
  set(placeholder "${OUTPUT}.placeholder.html")
  file(WRITE "${placeholder}" "<!doctype html>
<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Loupe</title></head>
<body style=\"font-family:system-ui,sans-serif;max-width:40em;margin:4em auto\">
<h1>Loupe</h1>
<p>UI not built: run <code>make ui</code> (npm ci and npm run build in web/), then rebuild loupe.</p>
<p>The API is up: try <a href=\"/api/v1/traces\">/api/v1/traces</a> or
<a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p>
</body></html>
")
endif()

function(content_type_of name out)
  string(TOLOWER "${name}" lower)
  if(lower MATCHES "\\.html$")
    set(t "text/html; charset=utf-8")
  elseif(lower MATCHES "\\.m?js$")
    set(t "text/javascript; charset=utf-8")
  elseif(lower MATCHES "\\.css$")
    set(t "text/css; charset=utf-8")
  elseif(lower MATCHES "\\.json$|\\.map$")
    set(t "application/json")
  elseif(lower MATCHES "\\.svg$")
    set(t "image/svg+xml")
  elseif(lower MATCHES "\\.png$")
    set(t "image/png")
  elseif(lower MATCHES "\\.ico$")
    set(t "image/x-icon")
  elseif(lower MATCHES "\\.woff2$")
    set(t "font/woff2")
  elseif(lower MATCHES "\\.txt$")
    set(t "text/plain; charset=utf-8")
  else()
    set(t "application/octet-stream")
  endif()
  set(${out} "${t}" PARENT_SCOPE)
endfunction()

set(arrays "")
set(table "")
set(index 0)
set(entries "")
if(built)
  foreach(rel IN LISTS files)
    list(APPEND entries "/${rel}|${DIST}/${rel}")
  endforeach()
else()
  list(APPEND entries "/index.html|${placeholder}")
endif()

foreach(entry IN LISTS entries)
  string(FIND "${entry}" "|" bar)
  string(SUBSTRING "${entry}" 0 ${bar} url)
  math(EXPR from "${bar} + 1")
  string(SUBSTRING "${entry}" ${from} -1 path)
  file(READ "${path}" hex HEX)
  string(LENGTH "${hex}" hex_length)
  math(EXPR size "${hex_length} / 2")
  file(SHA256 "${path}" sha)
  string(SUBSTRING "${sha}" 0 20 etag)
  # 32 bytes per line, every byte as 0xNN.
  string(REGEX REPLACE "(................................................................)" "\\1\n" hex "${hex}")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  content_type_of("${url}" type)
  string(APPEND arrays "// ${url}\nconst unsigned char kFile${index}[] = {\n${bytes}0x00};\n\n")
  string(APPEND table "    {\"${url}\", \"${type}\", View(kFile${index}, ${size}), \"\\\"${etag}\\\"\"},\n")
  math(EXPR index "${index} + 1")
endforeach()

file(WRITE "${OUTPUT}.tmp"
"// Generated from ${DIST} by embed_assets.cmake: do not edit.
#include <cstddef>

#include \"ui/assets.h\"

namespace loupe::ui {
namespace {

// Bytes are unsigned in the arrays (UTF-8 and binary files are not plain char).
std::string_view View(const unsigned char* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

${arrays}const Asset kAssets[] = {
${table}};

}  // namespace

std::span<const Asset> EmbeddedAssets() { return kAssets; }

bool UiBuilt() { return ${built}; }

}  // namespace loupe::ui
")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
