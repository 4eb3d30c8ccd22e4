#include "dsl/content_hash.hpp"

#include <array>
#include <cstdint>
#include <cstdio>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define MCRE_SHA256_X86 1
#endif

namespace mcre::dsl {

namespace {

// FIPS 180-4 constants.
constexpr std::array<std::uint32_t, 64> k_round = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void compress(std::array<std::uint32_t, 8>& h, const unsigned char* block) {
    std::array<std::uint32_t, 64> w{};
    for (int i = 0; i < 16; ++i) {
        w[static_cast<std::size_t>(i)] =
            (std::uint32_t{block[i * 4]} << 24) | (std::uint32_t{block[i * 4 + 1]} << 16) |
            (std::uint32_t{block[i * 4 + 2]} << 8) | std::uint32_t{block[i * 4 + 3]};
    }
    for (std::size_t i = 16; i < 64; ++i) {
        std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    auto [a, b, c, d, e, f, g, hh] = h;
    // Eight rounds per turn, each naming the variables in its own order, so that no round
    // moves all eight values along (a third fewer instructions than one round per turn).
    auto round = [&w](std::uint32_t x, std::uint32_t y, std::uint32_t z, std::uint32_t& u,
                      std::uint32_t p, std::uint32_t q, std::uint32_t r, std::uint32_t& v,
                      std::size_t i) {
        std::uint32_t t1 =
            v + (rotr(p, 6) ^ rotr(p, 11) ^ rotr(p, 25)) + (r ^ (p & (q ^ r))) + k_round[i] + w[i];
        std::uint32_t t2 = (rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22)) + ((x & y) | (z & (x | y)));
        u += t1;
        v = t1 + t2;
    };
    for (std::size_t i = 0; i < 64; i += 8) {
        round(a, b, c, d, e, f, g, hh, i);
        round(hh, a, b, c, d, e, f, g, i + 1);
        round(g, hh, a, b, c, d, e, f, i + 2);
        round(f, g, hh, a, b, c, d, e, i + 3);
        round(e, f, g, hh, a, b, c, d, i + 4);
        round(d, e, f, g, hh, a, b, c, i + 5);
        round(c, d, e, f, g, hh, a, b, i + 6);
        round(b, c, d, e, f, g, hh, a, i + 7);
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
}

using State = std::array<std::uint32_t, 8>;
using CompressBlocks = void (*)(State&, const unsigned char*, std::size_t);

void compress_portable(State& h, const unsigned char* data, std::size_t blocks) {
    for (std::size_t i = 0; i < blocks; ++i) compress(h, data + i * 64);
}

#ifdef MCRE_SHA256_X86
// The same compression with the processor's SHA extensions (SHA-NI: AMD since Zen, Intel
// since Goldmont and Ice Lake): 165 instructions per block against 3,300; the policy's
// content hash was over a quarter of `mcre check` on georgia.policy (docs/performance.md).
// Four rounds per step; the state is held as ABEF and CDGH, the order sha256rnds2 wants.
__attribute__((target("sha,sse4.1,ssse3"))) void compress_sha_ni(State& h,
                                                                 const unsigned char* data,
                                                                 std::size_t blocks) {
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h.data()));
    __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h.data() + 4));
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);

    for (std::size_t block = 0; block < blocks; ++block, data += 64) {
        const __m128i abef_before = abef;
        const __m128i cdgh_before = cdgh;
        __m128i w[4];  // message words 4i..4i+3 of step i, in w[i % 4]
#pragma GCC unroll 16
        for (std::size_t i = 0; i < 16; ++i) {
            __m128i& wi = w[i % 4];
            if (i < 4) {
                wi = _mm_shuffle_epi8(
                    _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i * 16)), byte_swap);
            } else {
                // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four at a time.
                const __m128i& w1 = w[(i - 1) % 4];
                const __m128i& w2 = w[(i - 2) % 4];
                __m128i sum = _mm_add_epi32(_mm_sha256msg1_epu32(wi, w[(i - 3) % 4]),
                                            _mm_alignr_epi8(w1, w2, 4));
                wi = _mm_sha256msg2_epu32(sum, w1);
            }
            __m128i wk = _mm_add_epi32(
                wi, _mm_loadu_si128(reinterpret_cast<const __m128i*>(k_round.data() + i * 4)));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));
        }
        abef = _mm_add_epi32(abef, abef_before);
        cdgh = _mm_add_epi32(cdgh, cdgh_before);
    }

    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    dcba = _mm_blend_epi16(feba, dchg, 0xF0);
    hgfe = _mm_alignr_epi8(dchg, feba, 8);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(h.data()), dcba);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(h.data() + 4), hgfe);
}

bool cpu_has_sha_ni() {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (__get_cpuid(1, &a, &b, &c, &d) == 0) return false;
    const bool ssse3_sse41 = (c & bit_SSSE3) != 0 && (c & bit_SSE4_1) != 0;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) return false;
    return ssse3_sse41 && (b & bit_SHA) != 0;
}
#endif

CompressBlocks best_compress() {
#ifdef MCRE_SHA256_X86
    static const CompressBlocks best = cpu_has_sha_ni() ? compress_sha_ni : compress_portable;
    return best;
#else
    return compress_portable;
#endif
}

std::string sha256_hex_with(std::string_view bytes, CompressBlocks compress_blocks) {
    State h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::size_t full = bytes.size() / 64;
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    compress_blocks(h, data, full);

    unsigned char tail[128] = {};
    std::size_t rest = bytes.size() - full * 64;
    for (std::size_t i = 0; i < rest; ++i) tail[i] = data[full * 64 + i];
    tail[rest] = 0x80;
    std::size_t tail_len = rest + 1 + 8 <= 64 ? 64 : 128;
    std::uint64_t bits = static_cast<std::uint64_t>(bytes.size()) * 8;
    for (int i = 0; i < 8; ++i) {
        tail[tail_len - 1 - static_cast<std::size_t>(i)] =
            static_cast<unsigned char>(bits >> (8 * i));
    }
    compress_blocks(h, tail, tail_len / 64);

    std::string out;
    char buf[9];
    for (std::uint32_t word : h) {
        std::snprintf(buf, sizeof buf, "%08x", word);
        out += buf;
    }
    return out;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) { return sha256_hex_with(bytes, best_compress()); }

namespace detail {
std::string sha256_hex_portable(std::string_view bytes) {
    return sha256_hex_with(bytes, compress_portable);
}
}  // namespace detail

}  // namespace mcre::dsl
