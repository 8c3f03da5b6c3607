# Turns a file into a C++ source defining `std::string_view NAME()`, as a
# char array (GCC has no practical limit on arrays, unlike the standard's
# minimum for string literals). Run as:
#   cmake -DINPUT=file -DOUTPUT=out.cc -DNAMESPACE=ns -DFUNCTION=Name -P embed_file.cmake
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
# 16 bytes per line, then every byte as 0xNN.
string(REGEX REPLACE "([0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f])"
       "\\1\n" hex "${hex}")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${INPUT} by embed_file.cmake: do not edit.
#include <cstddef>
#include <string_view>

namespace ${NAMESPACE} {
namespace {
const char kData[] = {
${bytes}0x00};
}  // namespace

std::string_view ${FUNCTION}() { return std::string_view(kData, ${size}); }

}  // namespace ${NAMESPACE}
")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
