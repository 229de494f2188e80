#!/usr/bin/env bash
# Make torchaudio importable beside a CPU build of torch by removing its C++ extension.
#
# PyPI's torchaudio 2.11.1 wheel for Linux x86-64 links CUDA builds of torch
# (libc10_cuda.so, libtorch_cuda.so), so `import torchaudio` fails with OSError
# beside the CPU torch 2.13 of this project. torchaudio imports without its
# extension when the library files are absent (torchaudio/_extension/utils.py,
# _load_lib), and pyannote.audio 4.0.7 uses only its Python code (Kaldi fbank,
# resampling, MFCC). Functions that need the extension (forced alignment, RNN-T
# loss, CTC decoder) then raise when called.
#
# Usage: scripts/torchaudio-without-extension.sh PYTHON
set -euo pipefail

python="${1:?usage: $0 PYTHON}"

check='import torchaudio'
if "$python" -c "$check" 2>/dev/null; then
  exit 0
fi

traceback="$("$python" -c "$check" 2>&1 || true)"
error="$(printf '%s\n' "$traceback" | tail -n 1)"
case "$traceback" in
  *"No module named 'torchaudio'"*)
    exit 0
    ;;
  *_cuda.so*)
    ;;
  *)
    echo "torchaudio failed to import for another reason than missing CUDA libraries:" >&2
    printf '%s\n' "$traceback" >&2
    exit 1
    ;;
esac
cuda_library="$(printf '%s\n' "$traceback" | grep -o '[A-Za-z0-9_]*_cuda\.so' | head -n 1)"

library_dir="$("$python" -c 'import importlib.util, pathlib; spec = importlib.util.find_spec("torchaudio"); print(pathlib.Path(spec.origin).parent / "lib")')"
echo "torchaudio's C++ extension needs CUDA torch ($cuda_library: $error); removing it from $library_dir"
rm -f "$library_dir"/*.so
"$python" -c "$check"
