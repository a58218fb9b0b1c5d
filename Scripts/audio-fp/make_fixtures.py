#!/usr/bin/env python3
"""Writes the FFT golden fixtures in Tests/Fixtures/audio-fp: inputs and numpy.fft.rfft outputs.

Each case is one text file: line 1 `size N`, then N input samples, then N/2+1 lines `re im`,
all printed with repr-exact float32-representable precision (%.9g). Re-run to re-record:
    python3 Scripts/audio-fp/make_fixtures.py
"""
import os
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures", "audio-fp")


README = """# Audio fingerprint FFT goldens

Written by `Scripts/audio-fp/make_fixtures.py` with numpy {version} (`numpy.fft.rfft`, computed in
float64 on the float32 inputs). Licence: generated data, no rights claimed (CC0).

Each `*.txt`: line 1 `size N`; N input samples; N/2+1 lines `re im` of the real spectrum.
Cases for N = 512 and 1024: `random-N` (uniform in [-1, 1], numpy seed 20240518), `sine-N`
(0.8 sin(2π·37.3·t/N), off-bin so it leaks), `impulse-N` (1 at t = 5).

Re-record: `python3 Scripts/audio-fp/make_fixtures.py` and commit the diff.
"""


def cases():
    rng = np.random.default_rng(20240518)
    for n in (512, 1024):
        yield f"random-{n}", rng.uniform(-1, 1, n).astype(np.float32)
        t = np.arange(n)
        yield f"sine-{n}", (0.8 * np.sin(2 * np.pi * 37.3 * t / n)).astype(np.float32)
        x = np.zeros(n, dtype=np.float32)
        x[5] = 1.0
        yield f"impulse-{n}", x


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, x in cases():
        spec = np.fft.rfft(x.astype(np.float64))
        with open(os.path.join(OUT, name + ".txt"), "w") as f:
            f.write(f"size {len(x)}\n")
            for v in x:
                f.write("%.9g\n" % v)
            for c in spec:
                f.write("%.9g %.9g\n" % (c.real, c.imag))
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write(README.format(version=np.__version__))


if __name__ == "__main__":
    main()
