// libsimdjson loaded when the first JSON application is read, not when `mcre` starts
// (docs/performance.md, section 2.11). Linked into `mcre` alone, and only under
// MCRE_STATIC_LINK (cli/CMakeLists.txt).
//
// libsimdjson.so needs libstdc++.so.6 and libgcc_s.so.1: loading the three at start-up was
// most of what the dynamic linker did for every command, `mcre --version` and `mcre check`
// included, though only engine/application_json.cpp reads JSON with simdjson. simdjson's
// On-Demand API is inline code in <simdjson.h>, compiled into that file; what it takes from
// the library is the five symbols below (`nm -u application_json.cpp.o`). They are defined
// here, so the linker resolves them in `mcre` itself and, with --as-needed, records no need
// of libsimdjson.so; the library is opened on the first call, which is always
// get_active_implementation(): every document comes from a parser, and a parser asks for
// its implementation before it parses a byte (ondemand::parser::allocate). The tables are
// copied then, before any inline code reads them.
//
// This file does not include <simdjson.h>: the header declares the tables const, and here
// they are filled once at run time. The names are simdjson 3's; if a new simdjson needed
// another symbol, `mcre` would link libsimdjson.so again, and the ctest
// cli_mcre_loads_no_cxx_runtime_at_start_up would fail.

#include <dlfcn.h>
#include <link.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#ifndef MCRE_SIMDJSON_SONAME
#error "MCRE_SIMDJSON_SONAME must name the simdjson library to open (cli/CMakeLists.txt)"
#endif

namespace simdjson {
class implementation;
namespace internal {
template <typename T>
class atomic_ptr;
// The sizes are simdjson's (nm -S libsimdjson.so); load() checks them against the library.
bool structural_or_whitespace[256];
bool structural_or_whitespace_negated[256];
std::uint64_t power_of_five_128[2 * (308 + 342 + 1)];
double from_chars(const char* first) noexcept;
}  // namespace internal
internal::atomic_ptr<const implementation>& get_active_implementation();
}  // namespace simdjson

namespace {

using ActiveImplementation = simdjson::internal::atomic_ptr<const simdjson::implementation>& (*)();
using FromChars = double (*)(const char*) noexcept;

struct Library {
    ActiveImplementation active_implementation = nullptr;
    FromChars from_chars = nullptr;
};

[[noreturn]] void fail(const char* what) {
    // As the dynamic linker would have said at start-up, had the library been linked.
    std::fprintf(stderr, "mcre: cannot read JSON applications: %s (%s)\n", what,
                 MCRE_SIMDJSON_SONAME);
    std::fflush(stderr);
    std::_Exit(70);  // exit_internal (cli/commands.hpp)
}

void* symbol(void* library, const char* name) {
    void* address = dlsym(library, name);
    if (address == nullptr) fail(dlerror());
    return address;
}

void copy_table(void* library, const char* name, void* table, std::size_t bytes) {
    void* address = symbol(library, name);
    Dl_info info{};
    void* entry = nullptr;  // the library's ElfW(Sym) for the table
    if (dladdr1(address, &info, &entry, RTLD_DL_SYMENT) == 0 || entry == nullptr ||
        static_cast<const ElfW(Sym)*>(entry)->st_size != bytes) {
        fail("its tables are not the size this mcre was built for");
    }
    std::memcpy(table, address, bytes);
}

Library load() {
    void* library = dlopen(MCRE_SIMDJSON_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) fail(dlerror());
    namespace in = simdjson::internal;
    copy_table(library, "_ZN8simdjson8internal24structural_or_whitespaceE",
               in::structural_or_whitespace, sizeof in::structural_or_whitespace);
    copy_table(library, "_ZN8simdjson8internal32structural_or_whitespace_negatedE",
               in::structural_or_whitespace_negated, sizeof in::structural_or_whitespace_negated);
    copy_table(library, "_ZN8simdjson8internal17power_of_five_128E", in::power_of_five_128,
               sizeof in::power_of_five_128);
    Library loaded;
    loaded.active_implementation = reinterpret_cast<ActiveImplementation>(
        symbol(library, "_ZN8simdjson25get_active_implementationEv"));
    loaded.from_chars =
        reinterpret_cast<FromChars>(symbol(library, "_ZN8simdjson8internal10from_charsEPKc"));
    return loaded;
}

// Opened once, by whichever thread reads JSON first; the others wait for it.
const Library& library() {
    static const Library loaded = load();
    return loaded;
}

}  // namespace

simdjson::internal::atomic_ptr<const simdjson::implementation>&
simdjson::get_active_implementation() {
    return library().active_implementation();
}

double simdjson::internal::from_chars(const char* first) noexcept {
    return library().from_chars(first);
}
