"""Augmentations for training the descriptor: what a generative model does to a work.

Every function takes and returns uint8 RGB (H, W, 3) numpy arrays and draws from a
`numpy.random.Generator`, so a seeded run is reproducible. Kinds held out of training (so that
`hashmark eval` measures generalisation, see Sources/HashmarkTransforms/RegenerativeOps*.swift):
Kuwahara "oil paint" and halftone dithering are deliberately absent here.
"""
import cv2
import numpy as np

WORDS = ["SALE", "AI ART", "wow", "#trending", "Generated", "© 2026", "remix", "HD", "NEW", "lol"]


def area_resize(img, w, h):
    """Box-filter resize with fractional coverage: the same definition as the Swift `AreaResize`."""
    src = img.astype(np.float32)
    ry = _coverage(img.shape[0], h)
    rx = _coverage(img.shape[1], w)
    out = np.einsum("yh,hwc->ywc", ry, src)
    out = np.einsum("xw,ywc->yxc", rx, out)
    return out  # float32, not rounded


def _coverage(n_in, n_out):
    """(n_out, n_in) weights: output cell i covers [i * s, (i + 1) * s) of the input, s = n_in / n_out."""
    s = n_in / n_out
    m = np.zeros((n_out, n_in), dtype=np.float32)
    for i in range(n_out):
        a, b = i * s, (i + 1) * s
        j0, j1 = int(np.floor(a)), min(n_in, int(np.ceil(b)))
        for j in range(j0, j1):
            m[i, j] = min(b, j + 1) - max(a, j)
        m[i] /= m[i].sum()
    return m


def read_rgb(path):
    """RGB (or RGBA when the file has alpha) uint8 of an image file; None if OpenCV cannot read it."""
    img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if img is None:
        return None
    if img.ndim == 2:
        img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    return cv2.cvtColor(img, cv2.COLOR_BGRA2RGBA if img.shape[2] == 4 else cv2.COLOR_BGR2RGB)


def u8(x):
    return np.clip(np.rint(x), 0, 255).astype(np.uint8)


# ---- regenerative (pixel statistics change, composition stays)

def painterly(img, r):
    return cv2.stylization(img, sigma_s=float(r.uniform(20, 90)), sigma_r=float(r.uniform(0.25, 0.6)))


def sketch(img, r):
    grey, colour = cv2.pencilSketch(img, sigma_s=float(r.uniform(20, 80)), sigma_r=float(r.uniform(0.05, 0.12)),
                                    shade_factor=float(r.uniform(0.02, 0.08)))
    return colour if r.random() < 0.4 else cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB)


def cartoon(img, r):
    s = img
    for _ in range(int(r.integers(1, 4))):
        s = cv2.bilateralFilter(s, 7, float(r.uniform(30, 90)), 7)
    s = posterise(s, r, levels=int(r.integers(3, 8)))
    grey = cv2.medianBlur(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), 5)
    edges = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 9, int(r.integers(2, 9)))
    return np.where(edges[..., None] == 0, (s * 0.2).astype(np.uint8), s)


def posterise(img, r, levels=None):
    levels = levels or int(r.integers(2, 7))
    step = 255.0 / (levels - 1)
    return u8(np.rint(img / step) * step)


def outlines(img, r):
    p = posterise(cv2.medianBlur(img, 5), r)
    e = cv2.Canny(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), 60, 160)
    e = cv2.dilate(e, np.ones((2, 2), np.uint8))
    return np.where(e[..., None] > 0, np.uint8(20), p)


def quantise(img, r):
    k = int(r.integers(4, 17))
    px = img.reshape(-1, 3).astype(np.float32)
    sample = px[r.choice(len(px), size=min(len(px), 4000), replace=False)]
    crit = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 10, 1.0)
    cv2.setRNGSeed(int(r.integers(0, 2**31)))
    _, _, centres = cv2.kmeans(sample, k, None, crit, 1, cv2.KMEANS_PP_CENTERS)
    d = ((px[:, None, :] - centres[None]) ** 2).sum(-1)
    return u8(centres[d.argmin(1)]).reshape(img.shape)


def channels(img, r):
    return np.ascontiguousarray(img[..., r.permutation(3)])


def hue(img, r):
    hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
    hsv[..., 0] = (hsv[..., 0].astype(int) + int(r.integers(15, 165))) % 180
    if r.random() < 0.5:
        hsv[..., 1] = u8(hsv[..., 1] * r.uniform(0.3, 1.6))
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)


def invert(img, r):
    return 255 - img


def duotone(img, r):
    t = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)[..., None] / 255.0
    dark, light = r.integers(0, 120, 3), r.integers(140, 256, 3)
    return u8(dark + (light - dark) * t)


def grey(img, r):
    return cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)


def blur_unsharp(img, r):
    b = cv2.GaussianBlur(img, (0, 0), float(r.uniform(0.8, 3.0)))
    if r.random() < 0.5:
        return b
    return u8(img + (img.astype(np.float32) - b) * r.uniform(0.5, 2.0))


def down_up(img, r):
    h, w = img.shape[:2]
    f = r.uniform(0.15, 0.5)
    small = cv2.resize(img, (max(8, int(w * f)), max(8, int(h * f))), interpolation=cv2.INTER_AREA)
    up = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC if r.random() < 0.5 else cv2.INTER_NEAREST)
    return u8(up + r.normal(0, r.uniform(2, 14), up.shape))


def jpeg(img, r):
    ok, buf = cv2.imencode(".jpg", img[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, int(r.integers(15, 80))])
    return np.ascontiguousarray(cv2.imdecode(buf, cv2.IMREAD_COLOR)[..., ::-1])


REGENERATIVE = [painterly, sketch, cartoon, posterise, outlines, quantise, channels, hue, invert, duotone,
                grey, blur_unsharp, down_up]

# ---- geometric and overlays


def crop(img, r):
    h, w = img.shape[:2]
    s = r.uniform(0.5, 0.95)
    a = r.uniform(0.75, 1.33)
    cw, ch = int(min(w, w * s * np.sqrt(a))), int(min(h, h * s / np.sqrt(a)))
    x, y = int(r.integers(0, w - cw + 1)), int(r.integers(0, h - ch + 1))
    return img[y:y + ch, x:x + cw]


def pad(img, r):
    h, w = img.shape[:2]
    p = int(max(h, w) * r.uniform(0.03, 0.25))
    colour = [int(c) for c in r.integers(0, 256, 3)]
    return cv2.copyMakeBorder(img, p, p, int(p * r.uniform(0, 1.5)), int(p * r.uniform(0, 1.5)),
                              cv2.BORDER_CONSTANT, value=colour)


def flip(img, r):
    return np.ascontiguousarray(img[:, ::-1])


def rotate(img, r):
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), float(r.uniform(-15, 15)), 1.0)
    return cv2.warpAffine(img, m, (w, h), borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))


def aspect(img, r):
    h, w = img.shape[:2]
    return cv2.resize(img, (int(w * r.uniform(0.7, 1.4)), h), interpolation=cv2.INTER_AREA)


def text(img, r):
    out = img.copy()
    h, w = out.shape[:2]
    for _ in range(int(r.integers(1, 4))):
        scale = max(h, w) / 400 * r.uniform(0.6, 2.0)
        colour = [int(c) for c in r.integers(0, 256, 3)]
        cv2.putText(out, str(r.choice(WORDS)), (int(r.integers(0, w // 2 + 1)), int(r.integers(h // 8, h))),
                    cv2.FONT_HERSHEY_SIMPLEX, scale, colour, max(1, int(2 * scale)), cv2.LINE_AA)
    return out


def logo(img, r, other=None):
    out = img.copy()
    h, w = out.shape[:2]
    s = int(min(h, w) * r.uniform(0.1, 0.25))
    x, y = int(r.integers(0, w - s + 1)), int(r.integers(0, h - s + 1))
    if other is not None:
        out[y:y + s, x:x + s] = cv2.resize(other, (s, s), interpolation=cv2.INTER_AREA)
    else:
        colour = [int(c) for c in r.integers(0, 256, 3)]
        cv2.circle(out, (x + s // 2, y + s // 2), s // 2, colour, -1)
    return out


GEOMETRIC = [crop, pad, flip, rotate, aspect]


def composite(rgba, background):
    """Alpha-blend an RGBA work over an RGB background of the same size."""
    a = rgba[..., 3:4].astype(np.float32) / 255.0
    return u8(rgba[..., :3] * a + background * (1 - a))


def over_white(work):
    """The work as the corpus registers it: transparent works over white."""
    return composite(work, np.full(work.shape[:2] + (3,), 255, np.uint8)) if work.shape[2] == 4 else work


def background_for(rgba, r, photos):
    h, w = rgba.shape[:2]
    k = r.integers(0, 4)
    if k == 0:
        return np.full((h, w, 3), 255, np.uint8)
    if k == 1:
        return np.zeros((h, w, 3), np.uint8)
    if k == 2:
        return np.full((h, w, 3), r.integers(0, 256, 3), np.uint8)
    p = photos[int(r.integers(0, len(photos)))]
    return cv2.resize(p, (w, h), interpolation=cv2.INTER_AREA)


def strong_view(work, r, photos):
    """A copy as a generative model might make it: 1–2 regenerative kinds, then geometry and overlays."""
    img = composite(work, background_for(work, r, photos)) if work.shape[2] == 4 else work
    for f in r.choice(REGENERATIVE, size=int(r.integers(1, 3)), replace=False):
        img = f(img, r)
    for f in GEOMETRIC:
        if r.random() < 0.35:
            img = f(img, r)
    if r.random() < 0.25:
        img = text(img, r)
    if r.random() < 0.15:
        img = logo(img, r, photos[int(r.integers(0, len(photos)))])
    if r.random() < 0.5:
        img = jpeg(img, r)
    return img


def light_view(work, r):
    """The registered work as the corpus holds it (transparent works over white), lightly disturbed."""
    img = over_white(work)
    if r.random() < 0.3:
        img = crop(img, r) if r.random() < 0.5 else jpeg(img, r)
    return img
