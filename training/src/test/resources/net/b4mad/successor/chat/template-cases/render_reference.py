"""Writes CASE.expected.txt for each CASE.json given: the Qwen3 chat template rendered the way transformers'
apply_chat_template renders it (jinja2 sandbox, trim_blocks, lstrip_blocks, tojson = json.dumps(ensure_ascii=False)).
Needs only jinja2. Run from this folder:  python3 render_reference.py *.json
"""
import json
import sys
from pathlib import Path

import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

# The repository's parent holds shared/, as on developer machines and in CI.
REPO = next(p for p in Path(__file__).resolve().parents if (p / "pom.xml").exists() and (p / "training").is_dir())
TOKENIZER_CONFIG = REPO.parent / "shared" / "fixtures" / "qwen3-tokenizer" / "tokenizer_config.json"


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def render(conversation, template):
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    extra = {"enable_thinking": conversation["enable_thinking"]} if "enable_thinking" in conversation else {}
    return env.from_string(template).render(
        messages=conversation["messages"],
        tools=conversation.get("tools"),
        add_generation_prompt=conversation.get("add_generation_prompt", False),
        **extra,
    )


if __name__ == "__main__":
    with open(TOKENIZER_CONFIG, encoding="utf-8") as f:
        template = json.load(f)["chat_template"]
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            text = render(json.load(f), template)
        with open(path[: -len(".json")] + ".expected.txt", "w", encoding="utf-8", newline="") as f:
            f.write(text)
        print(path)
