"""Message texts of the core, model, documents and gateway errors."""

from services.core.i18n import register_messages

MESSAGES = {
    "internal_error": {
        "zh": "服务器内部错误，请稍后重试；如果问题持续，请把请求编号提供给管理员。",
        "en": "Internal server error. Try again later; if it persists, give the request id to an administrator.",
    },
    "bad_request": {"zh": "请求无效：{reason}", "en": "Invalid request: {reason}"},
    "validation_failed": {
        "zh": "请求参数无效：{errors}",
        "en": "Invalid request parameters: {errors}",
    },
    "not_found": {"zh": "未找到{kind}“{id}”。", "en": "{kind} '{id}' was not found."},
    "conflict": {"zh": "操作冲突：{reason}", "en": "Conflict: {reason}"},
    "invalid_input": {"zh": "输入无效：{reason}", "en": "Invalid input: {reason}"},
    "multipart.invalid": {
        "zh": "无法解析 multipart/form-data 请求体（缺少 boundary、分段格式错误或分段过多）；请由 HTTP 客户端生成表单请求，不要手写 Content-Type。",
        "en": "The multipart/form-data body cannot be parsed (missing boundary, malformed or too many parts); let the HTTP client build the form instead of writing Content-Type by hand.",
    },
    "upload.one_file": {
        "zh": "表单字段 {field} 只能有一个文件，实际收到 {count} 个；请只发送一个文件。",
        "en": "Send exactly one file in form field {field}; the request has {count}.",
    },
    "unsupported_media_type": {
        "zh": "不支持的文件类型“{media_type}”；支持的类型：{accepted}。",
        "en": "Unsupported file type '{media_type}'; accepted types: {accepted}.",
    },
    "payload_too_large": {
        "zh": "请求体过大：{size} 字节，上限为 {limit} 字节（设置项 {setting}）。",
        "en": "Request body too large: {size} bytes; the limit is {limit} bytes (setting {setting}).",
    },
    "payload_too_large.limit": {
        "zh": "请求体超过上限 {limit} 字节（设置项 {setting}）。",
        "en": "The request body exceeds the limit of {limit} bytes (setting {setting}).",
    },
    "rate_limited": {
        "zh": "请求过多，已达到并发上限，请在 {retry_after} 秒后重试。",
        "en": "Too many requests: the concurrency limit is reached. Retry in {retry_after} s.",
    },
    "retryable": {
        "zh": "服务暂时不可用，请在 {retry_after} 秒后重试。",
        "en": "The service is temporarily unavailable. Retry in {retry_after} s.",
    },
    "upstream.failed": {"zh": "上游服务 {service} 出错：{reason}", "en": "Upstream service {service} failed: {reason}"},
    "upstream.unavailable": {
        "zh": "无法连接 {service}（{target}），共尝试 {attempts} 次：{reason}",
        "en": "Cannot reach {service} ({target}) after {attempts} attempts: {reason}",
    },
    "upstream.timeout": {
        "zh": "{service} 在 {timeout} 秒内没有响应。",
        "en": "{service} did not respond within {timeout} s.",
    },
    "config.invalid": {"zh": "配置错误：{reason}", "en": "Configuration error: {reason}"},
    "auth.missing_key": {
        "zh": "缺少 API 密钥。请在请求头中加入 “Authorization: Bearer <密钥>” 或 “X-API-Key: <密钥>”。",
        "en": "Missing API key. Send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.",
    },
    "auth.invalid_key": {
        "zh": "API 密钥无效或已被吊销。",
        "en": "The API key is invalid or has been revoked.",
    },
    "auth.forbidden": {
        "zh": "此 API 密钥无权使用服务“{service}”；它可使用：{allowed}。",
        "en": "This API key may not use the service '{service}'; it may use: {allowed}.",
    },
    "job.not_found": {"zh": "未找到任务 “{job_id}”。", "en": "Job '{job_id}' was not found."},
    "job.interrupted": {
        "zh": "任务因服务重启而中断，请重新提交。",
        "en": "The job was interrupted by a service restart. Submit it again.",
    },
    "job.cancelled": {"zh": "任务已取消。", "en": "The job was cancelled."},
    "job.unknown_kind": {
        "zh": "未知的任务类型“{kind}”；已注册的类型：{known}。",
        "en": "Unknown job kind '{kind}'; registered kinds: {known}.",
    },
    "job.broker_unavailable": {
        "zh": "任务未能发送到任务队列，请检查 Celery 消息代理是否可用后重新提交。",
        "en": "The job could not be sent to the job queue. Check that the Celery broker is reachable, then submit it again.",
    },
    "job.failed": {"zh": "任务失败：{reason}", "en": "The job failed: {reason}"},
    "job.not_cancellable": {
        "zh": "任务 “{job_id}” 已处于 {status} 状态，无法取消。",
        "en": "Job '{job_id}' is already {status} and cannot be cancelled.",
    },
}

register_messages(MESSAGES)

register_messages(
    {
        "apikey.bad_services": {
            "zh": "未知的服务：{services}。可选的服务：{accepted}，或用 * 表示全部。",
            "en": "Unknown services: {services}. Accepted services: {accepted}, or * for all.",
        },
        "apikey.empty_name": {
            "zh": "API 密钥的名称不能为空。请给出一个便于识别的名称，例如使用它的门户或团队。",
            "en": "The API key's name must not be empty. Give a name that identifies it, such as the portal or team that uses it.",
        },
        "apikey.not_found": {
            "zh": "未找到 API 密钥“{id}”。请用 xingchen keys list 查看已有密钥的编号。",
            "en": "API key '{id}' was not found. Run xingchen keys list to see the ids of the existing keys.",
        },
        "model.not_ready": {
            "zh": "模型尚未加载完成，请稍后重试。",
            "en": "The model is still loading. Retry shortly.",
        },
        "serve.port_in_use": {
            "zh": "无法在 {host}:{port} 上启动服务：该端口已被其他程序占用。请用 --port 选项或设置项 XINGCHEN_PORT 换一个端口。",
            "en": "Cannot start the server on {host}:{port}: the port is already in use. Choose another port with the --port option or the setting XINGCHEN_PORT.",
        },
        "serve.cannot_bind": {
            "zh": "无法在 {host}:{port} 上启动服务（{reason}）。请用 --host、--port 选项或设置项 XINGCHEN_HOST、XINGCHEN_PORT 换一个地址。",
            "en": "Cannot start the server on {host}:{port} ({reason}). Choose another address with the --host and --port options or the settings XINGCHEN_HOST and XINGCHEN_PORT.",
        },
        "database.unavailable": {
            "zh": "数据库暂时无法访问：{reason}",
            "en": "The database is unreachable: {reason}",
        },
        "cli.invalid_choice": {
            "zh": "选项 {option} 的值 {value} 无效。可选值：{accepted}。",
            "en": "The value {value} of option {option} is invalid. Accepted values: {accepted}.",
        },
        "cli.invalid_suffix": {
            "zh": "选项 {option} 的文件 {value} 扩展名不受支持。可用的扩展名：{accepted}。",
            "en": "The file {value} of option {option} has an unsupported extension. Accepted extensions: {accepted}.",
        },
        "cli.out_of_range": {
            "zh": "选项 {option} 的值 {value} 超出范围。允许的范围：{minimum} 到 {maximum}。",
            "en": "The value {value} of option {option} is out of range. Accepted range: {minimum} to {maximum}.",
        },
        "cli.below_minimum": {
            "zh": "选项 {option} 的值 {value} 太小。最小值：{minimum}。",
            "en": "The value {value} of option {option} is too small. Minimum: {minimum}.",
        },
    }
)

# Texts of pydantic's common validation error types (see services/core/validation.py);
# the parameters are the error's `ctx` values.
register_messages(
    {
        "validation.missing": {"zh": "缺少必填项", "en": "Field required"},
        "validation.too_short": {
            "zh": "至少需要 {min_length} 项，实际为 {actual_length} 项",
            "en": "Should have at least {min_length} item(s), got {actual_length}",
        },
        "validation.too_long": {
            "zh": "最多允许 {max_length} 项，实际为 {actual_length} 项",
            "en": "Should have at most {max_length} item(s), got {actual_length}",
        },
        "validation.string_too_short": {
            "zh": "至少需要 {min_length} 个字符",
            "en": "Should have at least {min_length} characters",
        },
        "validation.string_too_long": {
            "zh": "最多允许 {max_length} 个字符",
            "en": "Should have at most {max_length} characters",
        },
        "validation.string_type": {"zh": "应为字符串", "en": "Should be a string"},
        "validation.int_type": {"zh": "应为整数", "en": "Should be an integer"},
        "validation.float_type": {"zh": "应为数字", "en": "Should be a number"},
        "validation.bool_type": {"zh": "应为布尔值（true 或 false）", "en": "Should be a boolean (true or false)"},
        "validation.list_type": {"zh": "应为列表", "en": "Should be a list"},
        "validation.dict_type": {"zh": "应为对象", "en": "Should be an object"},
        "validation.json_invalid": {
            "zh": "JSON 解析失败，请检查请求体是否为有效的 JSON",
            "en": "JSON decode error: check that the request body is valid JSON",
        },
        "validation.literal_error": {
            "zh": "取值不被允许，可选：{expected}",
            "en": "Value not permitted; expected {expected}",
        },
        "validation.greater_than": {"zh": "应大于 {gt}", "en": "Should be greater than {gt}"},
        "validation.greater_than_equal": {"zh": "应大于或等于 {ge}", "en": "Should be greater than or equal to {ge}"},
        "validation.less_than": {"zh": "应小于 {lt}", "en": "Should be less than {lt}"},
        "validation.less_than_equal": {"zh": "应小于或等于 {le}", "en": "Should be less than or equal to {le}"},
        "validation.extra_forbidden": {"zh": "不允许此字段", "en": "Extra fields are not permitted"},
        "validation.placeholder_secret": {
            "zh": "{setting} 仍是本地占位值；当 XINGCHEN_ENVIRONMENT={environment} 时，请设置自己的密钥（例如用 openssl rand -hex 32 生成）或将其留空",
            "en": "{setting} still has the local placeholder value; when XINGCHEN_ENVIRONMENT={environment}, set a secret of your own (for example from openssl rand -hex 32) or leave it empty",
        },
        "validation.string_pattern_mismatch": {
            "zh": "格式不符合要求（应匹配 {pattern}）",
            "en": "Should match the pattern {pattern}",
        },
    }
)
