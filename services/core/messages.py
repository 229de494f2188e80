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
        "model.not_ready": {
            "zh": "模型尚未加载完成，请稍后重试。",
            "en": "The model is still loading. Retry shortly.",
        },
        "database.unavailable": {
            "zh": "数据库暂时无法访问：{reason}",
            "en": "The database is unreachable: {reason}",
        },
    }
)
