// fmt's compiled part, built into `mcre` instead of loaded from libfmt.so at start-up
// (docs/performance.md, section 2.11). Linked into `mcre` alone, under MCRE_STATIC_LINK
// (cli/CMakeLists.txt, cmake/StaticLink.cmake).
//
// Debian ships no libfmt.a, and libfmt.so.9 needs libstdc++.so.6: loading the two was most
// of what the dynamic linker did for every command once simdjson was opened on demand
// (cli/simdjson_on_demand.cpp). fmt's library is its header format-inl.h compiled once with
// the explicit instantiations below, which are those of fmt 9.1's src/format.cc (MIT
// licence, https://github.com/fmtlib/fmt); every other file still includes fmt as usual and
// calls these definitions. With --as-needed the linker then records no need of libfmt.so;
// were a definition missing, it would take it from libfmt.so again and the ctest
// cli_mcre_loads_no_cxx_runtime_at_start_up would fail.

#include <fmt/format-inl.h>

#if FMT_VERSION / 100 != 901
#error "fmt_compiled_in.cpp holds fmt 9.1's instantiations; compare with this fmt's src/format.cc"
#endif

FMT_BEGIN_NAMESPACE
namespace detail {

template FMT_API auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template FMT_API auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;

#ifndef FMT_STATIC_THOUSANDS_SEPARATOR
template FMT_API locale_ref::locale_ref(const std::locale& loc);
template FMT_API auto locale_ref::get<std::locale>() const -> std::locale;
#endif

template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto decimal_point_impl(locale_ref) -> char;
template FMT_API void buffer<char>::append(const char*, const char*);
template FMT_API void vformat_to(buffer<char>&, string_view,
                                 basic_format_args<FMT_BUFFER_CONTEXT(char)>, locale_ref);

template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<wchar_t>;
template FMT_API auto decimal_point_impl(locale_ref) -> wchar_t;
template FMT_API void buffer<wchar_t>::append(const wchar_t*, const wchar_t*);

}  // namespace detail
FMT_END_NAMESPACE
