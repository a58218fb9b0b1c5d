// The int16 × int8 linear-layer kernel (AVX-512 VNNI `vpdpwssd`); see CNeuralKernels.h.
#include "CNeuralKernels.h"

#if defined(__x86_64__)

#include <cpuid.h>
#include <immintrin.h>

/// A pair of int16 activations read as one int32, wherever the buffer starts.
typedef int32_t pair_t __attribute__((aligned(2)));

int hm_vnni_available(void) {
    unsigned a, b, c, d, ok = 0;
    if (__get_cpuid(1, &a, &b, &c, &d) && (c & bit_OSXSAVE)) {
        unsigned lo, hi;
        __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        // SSE, AVX and the three AVX-512 state components enabled by the kernel.
        if ((lo & 0xE6) == 0xE6 && __get_cpuid_count(7, 0, &a, &b, &c, &d))
            ok = (b & bit_AVX512F) && (b & bit_AVX512BW) && (c & bit_AVX512VNNI);
    }
    return ok ? 1 : 0;
}

#define TARGET __attribute__((target("avx512f,avx512bw,avx512vnni")))

#define ROWS(M) M(0) M(1) M(2) M(3) M(4) M(5)

/// Up to six tokens × 32 outputs; with fewer, the last token is computed again in the spare rows
/// and not stored (as the float kernel does).
TARGET static void kernel6(const int16_t *x, int cols, int count, const int8_t *panel, const float *scales,
                           int group, const float *xscale, const float *bias, float *y, int ldy) {
    const pair_t *xr[6];
    for (int i = 0; i < 6; i++) xr[i] = (const pair_t *)(x + (i < count ? i : count - 1) * cols);
#define ZERO_F(i) __m512 fa##i = _mm512_setzero_ps(), fb##i = _mm512_setzero_ps();
    ROWS(ZERO_F)
    const int half = group / 2;
    for (int g = 0; g < cols / group; g++) {
#define ZERO_I(i) __m512i ia##i = _mm512_setzero_si512(), ib##i = _mm512_setzero_si512();
        ROWS(ZERO_I)
        for (int j = g * half; j < (g + 1) * half; j++) {
            // The pair's weights of outputs 0–15 and 16–31, widened to int16.
            const __m512i w0 = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(panel + j * 64)));
            const __m512i w1 = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(panel + j * 64 + 32)));
#define DOT(i) { const __m512i s = _mm512_set1_epi32(xr[i][j]); \
                 ia##i = _mm512_dpwssd_epi32(ia##i, w0, s); ib##i = _mm512_dpwssd_epi32(ib##i, w1, s); }
            ROWS(DOT)
        }
        const __m512 s0 = _mm512_loadu_ps(scales + g * 32), s1 = _mm512_loadu_ps(scales + g * 32 + 16);
#define SCALE(i) fa##i = _mm512_fmadd_ps(_mm512_cvtepi32_ps(ia##i), s0, fa##i); \
                 fb##i = _mm512_fmadd_ps(_mm512_cvtepi32_ps(ib##i), s1, fb##i);
        ROWS(SCALE)
    }
    const __m512 b0 = _mm512_loadu_ps(bias), b1 = _mm512_loadu_ps(bias + 16);
#define STORE(i) if (i < count) { const __m512 t = _mm512_set1_ps(xscale[i]); \
                     _mm512_storeu_ps(y + i * ldy, _mm512_fmadd_ps(fa##i, t, b0)); \
                     _mm512_storeu_ps(y + i * ldy + 16, _mm512_fmadd_ps(fb##i, t, b1)); }
    ROWS(STORE)
}

TARGET void hm_int16_panel_linear(const int16_t *x, int tokens, int cols, const int8_t *panel, const float *scales,
                                  int group, const float *xscale, const float *bias, float *y, int ldy) {
    for (int t = 0; t < tokens; t += 6) {
        int count = tokens - t < 6 ? tokens - t : 6;
        kernel6(x + t * cols, cols, count, panel, scales, group, xscale + t, bias, y + t * ldy, ldy);
    }
}

#else

int hm_vnni_available(void) { return 0; }

void hm_int16_panel_linear(const int16_t *x, int tokens, int cols, const int8_t *panel, const float *scales,
                           int group, const float *xscale, const float *bias, float *y, int ldy) {
    (void)x; (void)tokens; (void)cols; (void)panel; (void)scales; (void)group; (void)xscale; (void)bias; (void)y;
    (void)ldy;  // never called: hm_vnni_available() is 0 on other architectures
}

#endif
