#ifndef HASHMARK_CKERNELS_H
#define HASHMARK_CKERNELS_H

#include <stdint.h>

/// 1 when this CPU and kernel run AVX-512 with VNNI (CPUID and XGETBV; 0 off x86-64): then the
/// functions below may be called. Swift cannot emit `vpdpwssd` for a portable build, so these
/// kernels are C, chosen at run time; each has a Swift scalar twin.
int hm_vnni_available(void);

/// One panel of 32 outputs of a linear layer with int16 activations and int8 weights:
/// `y[t * ldy + o] = bias[o] + xscale[t] · Σ_g scales[g * 32 + o] · Σ_{k in g} w[k][o] · x[t * cols + k]`
/// for t < tokens, o < 32. Each group's sum is exact (int32); the groups are added in order by
/// fused multiply-adds from zero, then the token's scale and the bias by one more.
/// `panel` is int8 `[cols / 2][32][2]` (`w[k][o]` at `(k / 2) * 64 + 2 * o + k % 2`), `scales`
/// `[cols / group][32]`; `group` even and ≤ 512 (no int32 overflow), `cols` a multiple of it.
/// Only when `hm_vnni_available()`.
void hm_int16_panel_linear(const int16_t *x, int tokens, int cols, const int8_t *panel, const float *scales,
                           int group, const float *xscale, const float *bias, float *y, int ldy);

/// Integer dot products of four int16 queries (`q`, row-major `[4][n]`) with the rows of `panels`
/// (1–4) consecutive panels of 16 rows, each `[n / 2][16][2]` int16 (dimensions in pairs):
/// `out[i * 64 + p * 16 + r]` for query i, panel p, row r. `n` even, and `n · max|q| · max|row|`
/// below 2^31 (sums are int32). The twin is `VectorScan.dotInt16Scalar`.
void hm_int16_scores4(const int16_t *q, int n, const int16_t *panels, int count, int32_t *out);

#endif
