// Integer kernels on AVX-512 VNNI (`vpdpwssd`): MiniLM's linear layers and the vector scan's first
// pass; see CKernels.h.
#include "CKernels.h"

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

TARGET void hm_int16_scores4(const int16_t *q, int n, const int16_t *panels, int count, int32_t *out) {
    const pair_t *q0 = (const pair_t *)q, *q1 = (const pair_t *)(q + n), *q2 = (const pair_t *)(q + 2 * n),
                 *q3 = (const pair_t *)(q + 3 * n);
    const int stride = n * 16;  // int16 values a panel
    if (count == 4) {
#define ACC(i) __m512i a##i##0 = _mm512_setzero_si512(), a##i##1 = _mm512_setzero_si512(), \
                       a##i##2 = _mm512_setzero_si512(), a##i##3 = _mm512_setzero_si512();
        ACC(0) ACC(1) ACC(2) ACC(3)
        for (int j = 0; j < n / 2; j++) {
            const __m512i p0 = _mm512_loadu_si512(panels + j * 32), p1 = _mm512_loadu_si512(panels + stride + j * 32);
            const __m512i p2 = _mm512_loadu_si512(panels + 2 * stride + j * 32);
            const __m512i p3 = _mm512_loadu_si512(panels + 3 * stride + j * 32);
#define QUERY(i) { const __m512i b = _mm512_set1_epi32(q##i[j]); \
                   a##i##0 = _mm512_dpwssd_epi32(a##i##0, p0, b); a##i##1 = _mm512_dpwssd_epi32(a##i##1, p1, b); \
                   a##i##2 = _mm512_dpwssd_epi32(a##i##2, p2, b); a##i##3 = _mm512_dpwssd_epi32(a##i##3, p3, b); }
            QUERY(0) QUERY(1) QUERY(2) QUERY(3)
        }
#define OUT(i) _mm512_storeu_si512(out + i * 64, a##i##0); _mm512_storeu_si512(out + i * 64 + 16, a##i##1); \
               _mm512_storeu_si512(out + i * 64 + 32, a##i##2); _mm512_storeu_si512(out + i * 64 + 48, a##i##3);
        OUT(0) OUT(1) OUT(2) OUT(3)
        return;
    }
    for (int p = 0; p < count; p++) {
        __m512i a0 = _mm512_setzero_si512(), a1 = _mm512_setzero_si512(), a2 = _mm512_setzero_si512(),
                a3 = _mm512_setzero_si512();
        for (int j = 0; j < n / 2; j++) {
            const __m512i v = _mm512_loadu_si512(panels + p * stride + j * 32);
            a0 = _mm512_dpwssd_epi32(a0, v, _mm512_set1_epi32(q0[j]));
            a1 = _mm512_dpwssd_epi32(a1, v, _mm512_set1_epi32(q1[j]));
            a2 = _mm512_dpwssd_epi32(a2, v, _mm512_set1_epi32(q2[j]));
            a3 = _mm512_dpwssd_epi32(a3, v, _mm512_set1_epi32(q3[j]));
        }
        _mm512_storeu_si512(out + p * 16, a0);
        _mm512_storeu_si512(out + 64 + p * 16, a1);
        _mm512_storeu_si512(out + 128 + p * 16, a2);
        _mm512_storeu_si512(out + 192 + p * 16, a3);
    }
}

#else

int hm_vnni_available(void) { return 0; }

void hm_int16_scores4(const int16_t *q, int n, const int16_t *panels, int count, int32_t *out) {
    (void)q; (void)n; (void)panels; (void)count; (void)out;  // never called off x86-64
}

void hm_int16_panel_linear(const int16_t *x, int tokens, int cols, const int8_t *panel, const float *scales,
                           int group, const float *xscale, const float *bias, float *y, int ldy) {
    (void)x; (void)tokens; (void)cols; (void)panel; (void)scales; (void)group; (void)xscale; (void)bias; (void)y;
    (void)ldy;  // never called: hm_vnni_available() is 0 on other architectures
}

#endif
