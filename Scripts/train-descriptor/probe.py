"""Diagnostic, not training: how well a descriptor checkpoint separates re-rendered copies of the
40 bundled Corpus images from the other 39, with and without the background subtraction.

    python3 Scripts/train-descriptor/probe.py CHECKPOINT.pt

For each re-rendering (OpenCV/numpy approximations of the evaluation's: stylise, posterise, pencil
sketch, channel permutation, a median "oil"), prints the copies' cosines with their own work, the
best cosine with any other work and the top-1 rate; then, with the dev pool as background set
(k = 1, 3, 10), how many copies score above every unrelated pair. Reads ../shared/data/dev.
"""
import sys, glob, os, numpy as np, cv2, torch
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '../..'))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import augment
from model import Descriptor, normalise, INPUT_SIZE
ck = sys.argv[1]
m = Descriptor(); m.load_state_dict(torch.load(ck, weights_only=True)); m.eval()
files = sorted(glob.glob(os.path.join(ROOT, 'Corpus/images/*')))
def load(f):
    im = cv2.imread(f, cv2.IMREAD_UNCHANGED)
    if im.ndim==2: im=cv2.cvtColor(im,cv2.COLOR_GRAY2BGR)
    if im.shape[2]==4:
        a=im[...,3:4]/255.0; im=(im[...,:3]*a+255*(1-a)).astype(np.uint8)
    return np.ascontiguousarray(im[...,::-1])
imgs=[load(f) for f in files]
def emb(ims):
    x=np.stack([augment.u8(augment.area_resize(i,INPUT_SIZE,INPUT_SIZE)) for i in ims])
    with torch.no_grad(): return m(normalise(x)).numpy()
R=emb(imgs)
def median3(i): return cv2.medianBlur(i,3)
def stylise(i,passes,levels):
    s=i
    for _ in range(passes): s=median3(s)
    step=255/(levels-1); p=np.clip(np.rint(np.rint(s/step)*step),0,255).astype(np.uint8)
    l=cv2.cvtColor(s,cv2.COLOR_RGB2GRAY).astype(np.float32)
    gx=cv2.Sobel(l,cv2.CV_32F,1,0); gy=cv2.Sobel(l,cv2.CV_32F,0,1)
    e=np.sqrt(gx*gx+gy*gy)>96
    p[e]=(p[e]*0.3).astype(np.uint8); return p
def sketch(i,s):
    g=cv2.cvtColor(i,cv2.COLOR_RGB2GRAY).astype(np.float32)
    b=cv2.GaussianBlur(255-g,(0,0),s)
    o=np.where(b>=255,255,np.clip(g*255/(255-b+1e-6),0,255)).astype(np.uint8)
    return cv2.cvtColor(o,cv2.COLOR_GRAY2RGB)
def oil(i,r): return cv2.medianBlur(i, 2*r+1)
T={'stylise-1-8':lambda i:stylise(i,1,8),'stylise-3-5':lambda i:stylise(i,3,5),
   'resize50+stylise':lambda i:stylise(cv2.resize(i,(i.shape[1]//2,i.shape[0]//2),interpolation=cv2.INTER_AREA),2,6),
   'sketch-6':lambda i:sketch(i,6),'sketch-12':lambda i:sketch(i,12)[:, ::-1],
   'posterise-3':lambda i:stylise(i,0,3),'channels':lambda i:np.ascontiguousarray(i[...,[2,0,1]]),
   'oil~median7':lambda i:oil(i,3)}
allneg=[]
for name,f in T.items():
    Q=emb([f(i) for i in imgs]); S=Q@R.T
    pos=np.diag(S); S2=S.copy(); np.fill_diagonal(S2,-1); neg=S2.max(1)
    allneg+=list(neg)
    print(f"{name:18s} pos median {np.median(pos):.3f} p10 {np.percentile(pos,10):.3f} min {pos.min():.3f} | best-neg max {neg.max():.3f} | top1 {(S.argmax(1)==np.arange(len(imgs))).mean():.2f}")
print("max negative over all", max(allneg))

# --- similarity normalisation against a background set (dev pool works, clean)
import csv
bg=[]
for row in csv.DictReader(open(os.path.join(ROOT, '../shared/data/dev/manifest.csv'))):
    if row['kind']!='image': continue
    im=cv2.imread(os.path.join(ROOT, '../shared/data/dev', row['path']), cv2.IMREAD_UNCHANGED)
    if im is None: continue
    if im.ndim==2: im=cv2.cvtColor(im,cv2.COLOR_GRAY2BGR)
    if im.shape[2]==4:
        a=im[...,3:4]/255.0; im=(im[...,:3]*a+255*(1-a)).astype(np.uint8)
    bg.append(np.ascontiguousarray(im[...,::-1]))
B=np.concatenate([emb(bg[i:i+64]) for i in range(0,len(bg),64)])
for k in [1,3,10]:
  for beta in [1.0]:
    allneg=[]; rows=[]
    for name,f in T.items():
        Q=emb([f(i) for i in imgs]); S=Q@R.T
        bk=np.sort(Q@B.T,axis=1)[:,-k]
        N=S-beta*bk[:,None]
        pos=np.diag(N); N2=N.copy(); np.fill_diagonal(N2,-9); neg=N2.max(1)
        allneg+=list(neg); rows.append((name,pos))
    thr=max(allneg)
    print(f"k={k} beta={beta}: max negative {thr:.3f}; detection above it:", ", ".join(f"{n} {(p>thr).mean():.2f}" for n,p in rows))
    # also plain
allneg=[];rows=[]
for name,f in T.items():
    Q=emb([f(i) for i in imgs]); S=Q@R.T
    pos=np.diag(S); S2=S.copy(); np.fill_diagonal(S2,-9); allneg+=list(S2.max(1)); rows.append((name,pos))
thr=max(allneg); print(f"plain: max negative {thr:.3f}; detection above it:", ", ".join(f"{n} {(p>thr).mean():.2f}" for n,p in rows))
