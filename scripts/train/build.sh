#!/usr/bin/env bash
# Rebuild course-lm from scratch: corpus -> tokenizer -> grounded tutor documents -> token files -> training -> ONNX export
# -> 8-bit variant -> checks -> dev-set eval -> model card.
#
#   npm run model:build                       # the full run (about 60 minutes on 2 CPU cores: 45 of them training)
#   npm run model:build -- --steps 40         # any extra flags go to train.py (a smoke run)
#
# Everything is built in data/course-lm/ (gitignored); public/models/course-lm/ is replaced
# only at the end, after the checks have passed on the new files, so a failed or interrupted
# build never leaves the app without a working model.
#
# Needs Debian's Python packages (the python3 on PATH may be another build that cannot see them):
#   apt-get install -y python3-torch python3-onnx libopenblas0-pthread
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=${COURSE_LM_PYTHON:-/usr/bin/python3}
VOCAB=${COURSE_LM_VOCAB:-2048}          # why 2,048: lib/tokenizers/bpe/README.md
DATA=data/course-lm
STAGE=$DATA/build                       # the new public/models/course-lm, until it passes
SHIP=public/models/course-lm
TSX=node_modules/.bin/tsx
APT="apt-get install -y python3-torch python3-onnx libopenblas0-pthread"

die() { echo "model:build: $*" >&2; exit 1; }
step() { echo; echo "== $* =="; }

[ -x "$TSX" ] || die "node_modules missing: run npm ci first"
[ -x "$PY" ] || die "$PY not found. Install Debian's Python packages: $APT"
"$PY" -c "import torch" 2>/dev/null || die "PyTorch is not importable by $PY. Install it: $APT"
"$PY" -c "import onnx" 2>/dev/null || die "the onnx package is not importable by $PY. Install it: $APT"
if command -v dpkg-query >/dev/null; then
  # Without it torch falls back to the reference BLAS and training is 12-20x slower.
  dpkg-query -W -f='${Status}' libopenblas0-pthread 2>/dev/null | grep -q "install ok installed" ||
    die "libopenblas0-pthread is not installed (training would be 12-20x slower). Install it: $APT"
fi

rm -rf "$DATA"
mkdir -p "$STAGE"

step "corpus"
"$TSX" scripts/train/corpus.ts --out "$DATA"

step "tokenizer (vocab $VOCAB)"
"$TSX" scripts/train/tokenizer.ts --input "$DATA/tokenizer.txt" --vocab-size "$VOCAB" --out "$STAGE"

step "grounded tutor documents"
"$TSX" scripts/train/grounded.ts --data "$DATA" --model "$STAGE"

step "tokenize"
"$TSX" scripts/train/prepare.ts --data "$DATA" --model "$STAGE"

step "train"
"$PY" scripts/train/train.py --data "$DATA" --ckpt "$DATA/ckpt.pt" --log "$STAGE/training-log.json" --threads "${COURSE_LM_THREADS:-2}" "$@"

step "export"
"$PY" scripts/train/export.py --ckpt "$DATA/ckpt.pt" --meta "$DATA/meta.json" --out "$STAGE"
"$PY" scripts/train/quantize.py --dir "$STAGE"
"$PY" scripts/train/internals.py --dir "$STAGE" --ckpt "$DATA/ckpt.pt"

step "checks"
COURSE_LM_DIR="$STAGE" node_modules/.bin/vitest run test/integration/course-lm.test.ts test/integration/course-lm-internals.test.ts

step "dev-set eval"
COURSE_LM_DIR="$STAGE" "$TSX" scripts/train/eval.ts --quiet

step "model card"
COURSE_LM_DIR="$STAGE" "$TSX" scripts/train/card.ts

step "ship"
mkdir -p "$SHIP/onnx"
rm -f "$SHIP"/onnx/*.onnx
cp -r "$STAGE"/. "$SHIP"/
du -sh "$SHIP"
echo "course-lm rebuilt: $SHIP (see $SHIP/README.md)"
