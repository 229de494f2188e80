"""Message texts of the knowledge service (codes `knowledge.*`)."""

from services.core.i18n import Language, register_messages

MESSAGES: dict[str, dict[Language, str]] = {
    "knowledge.bad_field_type": {
        "zh": "类别“{category}”的字段“{field}”类型“{type}”无效。可用类型：{accepted}。请改为其中之一。",
        "en": (
            "Field '{field}' of category '{category}' has the invalid type '{type}'. "
            "Accepted types: {accepted}. Change it to one of them."
        ),
    },
    "knowledge.invalid_category": {
        "zh": "类别“{category}”的定义无效：{detail}。请按字段说明修改后重新提交。",
        "en": "The definition of category '{category}' is invalid: {detail}. Correct it and submit it again.",
    },
    "knowledge.category_not_found": {
        "zh": "类别“{category}”不存在。已有类别：{known}。",
        "en": "Category '{category}' was not found. Known categories: {known}.",
    },
    "knowledge.category_exists": {
        "zh": "类别“{category}”已存在。如需修改，请用 PUT 更新该类别。",
        "en": "Category '{category}' already exists. Use PUT to change it.",
    },
    "knowledge.category_builtin": {
        "zh": "类别“{category}”是系统内置类别，不能删除。可以用 PUT 在数据库中覆盖其定义。",
        "en": "Category '{category}' is built in and cannot be deleted. Use PUT to override its definition.",
    },
    "knowledge.record_not_found": {
        "zh": "知识记录“{record_id}”不存在。",
        "en": "Knowledge record '{record_id}' was not found.",
    },
    "knowledge.unknown_field": {
        "zh": "类别“{category}”没有字段“{field}”。可用字段：{accepted}。",
        "en": "Category '{category}' has no field '{field}'. Accepted fields: {accepted}.",
    },
    "knowledge.bad_field_value": {
        "zh": "字段“{field}”的值“{value}”无法转换为类型“{type}”：{reason}。",
        "en": "The value '{value}' of field '{field}' cannot be converted to type '{type}': {reason}.",
    },
    "knowledge.no_input": {
        "zh": "请上传一个文件（file），或提供文本（text），二者只能选其一。",
        "en": "Upload one file (file) or send text (text), not both and not neither.",
    },
    "knowledge.empty_text": {
        "zh": "提交的文本为空。请提供要抽取知识的资料正文。",
        "en": "The submitted text is empty. Send the text to extract knowledge from.",
    },
    "knowledge.bad_export_format": {
        "zh": "导出格式“{format}”无效。可用格式：{accepted}。",
        "en": "The export format '{format}' is invalid. Accepted formats: {accepted}.",
    },
    "knowledge.bad_status": {
        "zh": "状态“{status}”无效。可用状态：{accepted}。",
        "en": "The status '{status}' is invalid. Accepted statuses: {accepted}.",
    },
    "knowledge.no_answer": {
        "zh": "已审核的知识中没有与该问题相关的内容，无法回答。请补充并审核相关资料，或转人工处理。",
        "en": (
            "No approved knowledge is relevant to this question, so it cannot be answered. "
            "Add and approve the relevant material, or pass the question to a person."
        ),
    },
}

register_messages(MESSAGES)
