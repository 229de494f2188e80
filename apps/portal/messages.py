"""Message texts of the web portal (codes `portal.*`)."""

from services.core.i18n import Language, register_messages

MESSAGES: dict[str, dict[Language, str]] = {
    "portal.csrf_invalid": {
        "zh": "页面的安全令牌缺失或无效。请刷新页面后重试；如果仍然失败，请重新登录。",
        "en": "The page's security token is missing or invalid. Reload the page and try again; if it still fails, sign in again.",
    },
    "portal.sign_in_csrf_invalid": {
        "zh": "登录表单的安全令牌缺失或无效（表单可能已过期，或浏览器未保存 Cookie）。请在本页重新输入 API 密钥后登录。",
        "en": "The sign-in form's security token is missing or invalid (the form may have expired, or the browser kept no cookie). Enter the API key on this page again to sign in.",
    },
    "portal.session_expired": {
        "zh": "登录已失效（API 密钥可能已被吊销）。请重新登录。",
        "en": "Your sign-in is no longer valid (the API key may have been revoked). Sign in again.",
    },
    "portal.service_forbidden": {
        "zh": "此 API 密钥无权使用“{service}”服务。如需使用，请联系管理员开通。",
        "en": "This API key may not use the {service} service. Ask your administrator for access.",
    },
    "portal.chart_missing": {
        "zh": "问题“{turn_id}”的结果没有图表。",
        "en": "The answer '{turn_id}' has no chart.",
    },
}

register_messages(MESSAGES)
