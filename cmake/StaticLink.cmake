# MCRE_STATIC_LINK: link what Debian ships as static archives into the programs, so that
# starting `mcre` loads fewer shared libraries and the dynamic linker resolves fewer symbols
# (docs/performance.md, "Start-up"). Every `mcre` command pays this before it reads a byte.
#
# - yaml-cpp and SQLite from their archives (libyaml-cpp-dev and libsqlite3-dev ship them):
#   `mcre --version` 4.0 M to 2.5 M instructions, nearly all of it the dynamic linker;
# - libstdc++ and libgcc into `mcre` itself (-static-libstdc++ -static-libgcc, from
#   libstdc++-12-dev and libgcc-12-dev), see mcre_static_runtime(): 2.5 M to 2.25 M.
#
# Debian ships no archive of fmt or simdjson (libfmt-dev, libsimdjson-dev), and both
# libraries load libstdc++.so.6: `mcre` has fmt compiled in and opens libsimdjson.so at its
# first JSON application instead (mcre_fmt_compiled_in, mcre_simdjson_on_demand below;
# section 2.11), so it starts with libc and libm alone. -Wl,-O1 changed nothing measurable
# (3,000 instructions); -no-pie saved 85,000 instructions but was left out (section 2.11).
#
# Off under MCRE_SANITIZE: AddressSanitizer needs the shared C++ runtime, and the sanitized
# build should see the libraries as a user's build of them would.
if(MCRE_SANITIZE)
    set(mcre_static_link_default OFF)
else()
    set(mcre_static_link_default ON)
endif()
option(MCRE_STATIC_LINK
    "Link yaml-cpp, SQLite and (into mcre) the C++ runtime statically, for start-up"
    ${mcre_static_link_default})
if(MCRE_STATIC_LINK AND MCRE_SANITIZE)
    message(FATAL_ERROR "MCRE_STATIC_LINK and MCRE_SANITIZE do not mix: AddressSanitizer "
        "needs the shared C++ runtime; configure with -DMCRE_STATIC_LINK=OFF")
endif()

# Points the imported library TARGET at the static archive beside its shared library
# (libX.so -> libX.a) when that archive exists; leaves it alone otherwise.
function(mcre_prefer_static_archive target)
    get_target_property(configs ${target} IMPORTED_CONFIGURATIONS)
    set(properties IMPORTED_LOCATION)
    if(configs)
        foreach(config IN LISTS configs)
            list(APPEND properties IMPORTED_LOCATION_${config})
        endforeach()
    endif()
    foreach(property IN LISTS properties)
        get_target_property(location ${target} ${property})
        if(NOT location)
            continue()
        endif()
        string(REGEX REPLACE "\\.so(\\.[0-9.]+)?$" ".a" archive "${location}")
        if(archive STREQUAL location OR NOT EXISTS "${archive}")
            message(STATUS "MCRE_STATIC_LINK: no static archive for ${target} (${location})")
            return()
        endif()
        string(REPLACE "IMPORTED_LOCATION" "IMPORTED_SONAME" soname_property ${property})
        set_target_properties(${target} PROPERTIES ${property} "${archive}"
            ${soname_property} "")
        message(STATUS "MCRE_STATIC_LINK: ${target} from ${archive}")
    endforeach()
endfunction()

# Links the C++ runtime into TARGET. libsimdjson.so still loads libstdc++.so.6 beside it,
# but its calls into the runtime (operator new, std::string's allocation) bind to the copy
# the program exports (LD_DEBUG=bindings). Only `mcre` gets it: mcre-serve runs for hours,
# so its start-up does not count, and it hands C++ objects to spdlog, a shared library.
function(mcre_static_runtime target)
    if(MCRE_STATIC_LINK)
        target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc)
    endif()
endfunction()

if(MCRE_STATIC_LINK)
    mcre_prefer_static_archive(yaml-cpp)
endif()

# Defines in TARGET, from SOURCE (cli/simdjson_on_demand.cpp), the few simdjson symbols the
# JSON reader's inline code needs, so that the library is opened with dlopen() when the
# first JSON application is read instead of at start-up; --as-needed then leaves
# libsimdjson.so, and libstdc++.so.6 and libgcc_s.so.1 which it needs, out of the libraries
# the program loads (docs/performance.md, section 2.11). Without a SONAME to open (a
# simdjson built otherwise) the library stays linked as before.
function(mcre_simdjson_on_demand target source)
    if(NOT MCRE_STATIC_LINK)
        return()
    endif()
    find_package(simdjson 3 REQUIRED CONFIG)
    get_target_property(configs simdjson::simdjson IMPORTED_CONFIGURATIONS)
    set(soname "")
    foreach(config IN LISTS configs)
        get_target_property(soname simdjson::simdjson IMPORTED_SONAME_${config})
        if(soname)
            break()
        endif()
    endforeach()
    if(NOT soname)
        message(STATUS "MCRE_STATIC_LINK: no SONAME for simdjson::simdjson; linked at start-up")
        return()
    endif()
    message(STATUS "MCRE_STATIC_LINK: ${target} opens ${soname} at its first JSON application")
    target_sources(${target} PRIVATE ${source})
    target_compile_definitions(${target} PRIVATE MCRE_SIMDJSON_SONAME="${soname}")
    target_link_options(${target} PRIVATE LINKER:--as-needed)
    target_link_libraries(${target} PRIVATE ${CMAKE_DL_LIBS})
endfunction()

# Compiles fmt's library part into TARGET from SOURCE (cli/fmt_compiled_in.cpp): Debian
# ships no libfmt.a, and libfmt.so would load libstdc++.so.6 at start-up. --as-needed then
# drops libfmt.so from the libraries TARGET loads.
function(mcre_fmt_compiled_in target source)
    if(NOT MCRE_STATIC_LINK)
        return()
    endif()
    target_sources(${target} PRIVATE ${source})
    target_link_options(${target} PRIVATE LINKER:--as-needed)
endfunction()
