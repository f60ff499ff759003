"""Cross-check of Successor's Java training path against transformers + PEFT (+ bitsandbytes) on a GPU machine."""
import json, os, sys, torch
out = os.environ.get("OUT", "/tmp/out")
here = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
report = {"versions": {}}
import transformers, peft
report["versions"] = {"torch": torch.__version__, "transformers": transformers.__version__, "peft": peft.__version__}
from transformers import AutoModelForCausalLM
from peft import PeftModel
inputs = json.load(open(os.path.join(here, "inputs.json")))
java = json.load(open(os.path.join(here, "java.json")))
torch.use_deterministic_algorithms(False)
dev = "cpu"  # float64-free reference on CPU in fp32, as Java computes; the GPU is used for the bnb check only

def logprobs(model, seq):
    ids = torch.tensor([seq])
    with torch.no_grad():
        lp = model(ids).logits.float().log_softmax(-1)[0]
    return [lp[t, seq[t + 1]].item() for t in range(len(seq) - 1)]

base = AutoModelForCausalLM.from_pretrained(os.path.join(here, "base"), torch_dtype=torch.float32, attn_implementation="eager")
model = PeftModel.from_pretrained(base, os.path.join(here, "adapter"), is_trainable=True)
report["peft_logprobs"] = logprobs(model, inputs["sequence"])
report["max_abs_diff_logprobs"] = max(abs(a - b) for a, b in zip(report["peft_logprobs"], java["logprobs"]))

rows = inputs["rows"]; T = max(len(r) for r in rows)
ids = torch.tensor([r + [0] * (T - len(r)) for r in rows])
mask = torch.tensor([[1] * len(r) + [0] * (T - len(r)) for r in rows])
model.train()
for n, p in model.named_parameters():
    if p.grad is not None: p.grad = None
logits = model(input_ids=ids, attention_mask=mask).logits.float()
lp = logits.log_softmax(-1)
total, count = 0.0, 0
for b, r in enumerate(rows):
    for t in range(inputs["trained_from"][b], len(r)):
        total = total - lp[b, t - 1, r[t]]
        count += 1
loss = total / count
loss.backward()
report["peft_loss"] = loss.item()
grads = {}
for n, p in model.named_parameters():
    if p.requires_grad and p.grad is not None:
        grads[n.replace(".default", "")] = p.grad.flatten().tolist()
report["peft_grads"] = grads
diffs = {}
for k, g in grads.items():
    j = java["grads"].get(k)
    if j is None:
        diffs[k] = "missing in java"; continue
    num = max(abs(a - b) for a, b in zip(g, j)); den = max(abs(a) for a in g) or 1
    diffs[k] = num / den
report["grad_rel_max_diff"] = max(v for v in diffs.values() if isinstance(v, float))
report["grad_keys_missing"] = [k for k, v in diffs.items() if not isinstance(v, float)] + [k for k in java["grads"] if k not in grads]
report["loss_diff"] = abs(report["peft_loss"] - java["loss"])

model.eval()
merged_ref = model.merge_and_unload()
report["peft_merged_logprobs"] = logprobs(merged_ref, inputs["sequence"])
for dtype in ["f32", "bf16"]:
    m = AutoModelForCausalLM.from_pretrained(os.path.join(here, "merged-" + dtype), torch_dtype=torch.float32, attn_implementation="eager")
    lp_m = logprobs(m, inputs["sequence"])
    report["java_merged_" + dtype + "_logprobs"] = lp_m
    report["java_merged_" + dtype + "_max_abs_diff_vs_peft"] = max(abs(a - b) for a, b in zip(lp_m, report["peft_logprobs"]))
    report["java_merged_" + dtype + "_config_dtype"] = json.load(open(os.path.join(here, "merged-" + dtype, "config.json"))).get("torch_dtype")

try:
    import bitsandbytes as bnb, bitsandbytes.functional as F
    report["versions"]["bitsandbytes"] = bnb.__version__
    nf4 = json.load(open(os.path.join(here, "nf4.json")))
    from safetensors.torch import load_file
    w = load_file(os.path.join(here, "base", "model.safetensors"))[nf4["tensor"]].float().cuda()
    packed, state = F.quantize_4bit(w, blocksize=64, quant_type="nf4", compress_statistics=True)
    deq = F.dequantize_4bit(packed, state).float().cpu().flatten()
    ours = torch.tensor(nf4["dequantised"])
    report["nf4_max_abs_diff_dequantised"] = (deq - ours).abs().max().item()
    report["nf4_max_abs_weight"] = w.abs().max().item()
    codes = packed.flatten().cpu().tolist()
    report["nf4_codes_equal"] = codes == nf4["codes"]
    report["nf4_codes_mismatch"] = sum(1 for a, b in zip(codes, nf4["codes"]) if a != b)
    report["nf4_bnb_dequantised_head"] = deq[:16].tolist()
except Exception as e:  # bitsandbytes is optional on the machine
    report["nf4_error"] = repr(e)

os.makedirs(out, exist_ok=True)
json.dump(report, open(os.path.join(out, "reference.json"), "w"))
summary = {k: v for k, v in report.items() if not isinstance(v, (list, dict)) or k in ("versions", "grad_keys_missing")}
print(json.dumps(summary, indent=1))
