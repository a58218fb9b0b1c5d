#ifndef HASHMARK_CNEURALKERNELS_H
#define HASHMARK_CNEURALKERNELS_H

#include <stdint.h>

/// 1 when this CPU and kernel run AVX-512 with VNNI (CPUID and XGETBV; 0 off x86-64): then
/// `hm_int16_panel_linear` may be called. Swift cannot emit `vpdpwssd` for a portable build, so
/// this one kernel is C, chosen at run time; `NeuralKernelsScalar.linearInt16` is its twin.
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

#endif
