# Writes python-json-dumps.jsonl: [JSON text, what json.dumps(json.loads(text), ensure_ascii=False) gives] per line.
import json, random, struct
random.seed(20250601)
vals = []
for _ in range(300):
    bits = random.getrandbits(64)
    d = struct.unpack('<d', struct.pack('<Q', bits))[0]
    if d != d or d in (float('inf'), float('-inf')):
        continue
    vals.append(d)
for _ in range(200):
    vals.append(round(random.uniform(-1000, 1000), random.randint(0, 8)))
for e in range(-8, 20):
    vals += [10.0 ** e, 1.5 * 10.0 ** e, -(10.0 ** e) * 7.25, 2.0 ** e]
vals += [0.1, 0.2, 0.30000000000000004, 1/3, 2/3, 5e-324, 1.7976931348623157e308, 2.2250738585072014e-308,
         9007199254740992.0, 9007199254740993.0, 123456789012345678.0, 1e21, 1e22, 1e23, 2.82879384806159e17]
lines = []
for v in vals:
    text = repr(v) if random.random() < 0.5 else "%.17g" % v   # two spellings of the same number
    if "." not in text and "e" not in text and "inf" not in text and "nan" not in text:
        text += ".0"
    lines.append(json.dumps([text, json.dumps(json.loads(text), ensure_ascii=False)]))
strings = ["plain", "quote \" back \\ slash / tab \t nl \n cr \r", "".join(chr(c) for c in range(0, 0x21)) + "\x7f\x80\x9f",
           "é ü 中文 😀 \u2028 \u2029 \ufeff", "</tool_call><|im_end|>"]
for s in strings:
    text = json.dumps(s)
    lines.append(json.dumps([text, json.dumps(json.loads(text), ensure_ascii=False)], ensure_ascii=True))
obj = '{"b": [1, 2.50, {"": null, "x": true}], "a": {}, "c": [], "n": -0, "big": 123456789012345678901234567890, "e": 1E400}'
lines.append(json.dumps([obj, json.dumps(json.loads(obj), ensure_ascii=False)]))
open("python-json-dumps.jsonl", "w").write("\n".join(lines) + "\n")
print(len(lines))
