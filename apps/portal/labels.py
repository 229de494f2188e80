"""Labels of the portal's pages and scripts, in Simplified Chinese and English.

Templates read them as `t.<key>`; scripts get the same table as JSON and
fill `{name}` placeholders themselves.
"""

from __future__ import annotations

from services.core.i18n import Language

LABELS: dict[str, dict[Language, str]] = {
    # --- frame ---------------------------------------------------------------
    "brand": {"zh": "星辰套件", "en": "Xingchen Suite"},
    "nav_label": {"zh": "服务", "en": "Services"},
    "nav_writing": {"zh": "行文写作", "en": "Writing"},
    "nav_knowledge": {"zh": "知识采编", "en": "Knowledge"},
    "nav_analytics": {"zh": "经营分析", "en": "Analytics"},
    "nav_meetings": {"zh": "会议纪要", "en": "Meetings"},
    "sign_in": {"zh": "登录", "en": "Sign in"},
    "sign_out": {"zh": "退出登录", "en": "Sign out"},
    "sign_in_hint": {
        "zh": "请输入管理员发给您的 API 密钥。密钥只用于本次登录，页面中不会保存密钥原文。",
        "en": "Enter the API key your administrator gave you. The page never stores the key itself.",
    },
    "sign_in_failed": {"zh": "API 密钥无效或已被吊销，请检查后重试。", "en": "The API key is invalid or revoked."},
    "api_key": {"zh": "API 密钥", "en": "API key"},
    "home": {"zh": "首页", "en": "Home"},
    "forbidden_allowed": {"zh": "此密钥可使用的服务", "en": "Services this key may use"},
    "home_heading": {"zh": "选择一项服务", "en": "Choose a service"},
    "home_writing": {
        "zh": "根据参考资料生成大纲，逐节撰写带引用的文稿。",
        "en": "Outline and cited drafts from your references.",
    },
    "home_knowledge": {
        "zh": "从产品和资费说明中提取结构化知识并审核。",
        "en": "Extract and review structured product knowledge.",
    },
    "home_analytics": {
        "zh": "用自然语言提问，得到 SQL、表格、图表和分析报告。",
        "en": "Questions to SQL, tables, charts and reports.",
    },
    "home_meetings": {
        "zh": "上传会议录音，得到分角色转写和会议纪要。",
        "en": "Meeting audio to a transcript with speakers and minutes.",
    },
    "working": {"zh": "处理中…", "en": "Working…"},
    "done": {"zh": "完成", "en": "Done"},
    "saved": {"zh": "已保存", "en": "Saved"},
    "download_docx": {"zh": "下载 Word 文档", "en": "Download .docx"},
    "download_md": {"zh": "下载 Markdown", "en": "Download Markdown"},
    "error_network": {
        "zh": "无法连接服务器，请检查网络后重试。",
        "en": "The server could not be reached. Check the connection and retry.",
    },
    "error_request_id": {"zh": "请求编号", "en": "Request ID"},
    "error_sign_in_again": {"zh": "重新登录", "en": "Sign in again"},
    "job_failed": {"zh": "任务失败：{message}", "en": "The job failed: {message}"},
    "job_progress": {"zh": "进度 {percent}%：{message}", "en": "{percent}% done: {message}"},
    # --- writing ---------------------------------------------------------------
    "writing_step_outline": {"zh": "第一步：标题与参考资料", "en": "Step 1: title and references"},
    "writing_title": {"zh": "标题", "en": "Title"},
    "writing_document_type": {"zh": "文种", "en": "Document type"},
    "doctype_article": {"zh": "文章", "en": "Article"},
    "doctype_notice": {"zh": "通知", "en": "Notice"},
    "doctype_request": {"zh": "请示", "en": "Request for instructions"},
    "doctype_report": {"zh": "报告", "en": "Report"},
    "doctype_plan": {"zh": "方案", "en": "Work plan"},
    "writing_references": {
        "zh": "参考资料（.docx/.pdf/.md/.txt/.html，可多选）",
        "en": "References (.docx/.pdf/.md/.txt/.html)",
    },
    "writing_requirements": {"zh": "写作要求（可选）", "en": "Requirements (optional)"},
    "writing_make_outline": {"zh": "生成大纲", "en": "Make outline"},
    "writing_step_edit": {"zh": "第二步：编辑大纲", "en": "Step 2: edit the outline"},
    "writing_edit_hint": {
        "zh": "可以修改标题、增删章节、调整顺序和层级，然后开始撰写。",
        "en": "Rename, add, remove, reorder or indent sections, then write the draft.",
    },
    "writing_section_heading": {"zh": "章节标题", "en": "Section heading"},
    "writing_new_section": {"zh": "新章节", "en": "New section"},
    "writing_add_section": {"zh": "添加章节", "en": "Add section"},
    "writing_move_up": {"zh": "上移", "en": "Move up"},
    "writing_move_down": {"zh": "下移", "en": "Move down"},
    "writing_indent": {"zh": "降级", "en": "Indent"},
    "writing_outdent": {"zh": "升级", "en": "Outdent"},
    "writing_remove": {"zh": "删除", "en": "Remove"},
    "writing_save_outline": {"zh": "保存大纲", "en": "Save outline"},
    "writing_write_draft": {"zh": "开始撰写", "en": "Write draft"},
    "writing_outline_ready": {"zh": "大纲已生成，共 {count} 个章节", "en": "Outline ready: {count} sections"},
    "writing_outline_empty": {"zh": "大纲至少需要一个章节。", "en": "The outline needs at least one section."},
    "writing_section_progress": {
        "zh": "正在撰写第 {number}/{total} 节：{heading}",
        "en": "Writing section {number} of {total}: {heading}",
    },
    "writing_draft_done": {"zh": "全文已完成，可下载 Word 文档", "en": "Draft finished; download the .docx"},
    "writing_citation": {"zh": "引用来源", "en": "Citation"},
    "writing_citation_hint": {
        "zh": "点击正文中的引用编号，查看对应的参考段落。",
        "en": "Click a citation number in the draft to see its passage.",
    },
    "writing_citation_pending": {
        "zh": "全文完成后即可查看引用内容。",
        "en": "Citations can be opened once the draft is finished.",
    },
    "writing_citation_loading": {"zh": "正在读取完整段落……", "en": "Loading the whole passage…"},
    "writing_citation_span": {
        "zh": "原文第 {start}–{end} 字",
        "en": "Characters {start}–{end} of the source",
    },
    "writing_citation_page": {"zh": "第 {page} 页", "en": "page {page}"},
    # --- knowledge --------------------------------------------------------------
    "knowledge_category": {"zh": "知识类别", "en": "Category"},
    "knowledge_document": {"zh": "文档", "en": "Document"},
    "knowledge_extract": {"zh": "提取字段", "en": "Extract fields"},
    "knowledge_fields": {"zh": "字段", "en": "Fields"},
    "knowledge_evidence": {"zh": "原文依据", "en": "Evidence"},
    "knowledge_no_evidence": {"zh": "原文未提及", "en": "Not stated in the document"},
    "knowledge_reviewer": {"zh": "审核人", "en": "Reviewer"},
    "knowledge_approve": {"zh": "保存并通过", "en": "Save and approve"},
    "knowledge_reject": {"zh": "驳回", "en": "Reject"},
    "knowledge_status_draft": {"zh": "待审核", "en": "Draft"},
    "knowledge_status_approved": {"zh": "已通过", "en": "Approved"},
    "knowledge_status_rejected": {"zh": "已驳回", "en": "Rejected"},
    "knowledge_export": {"zh": "导出已审核知识", "en": "Export approved knowledge"},
    "knowledge_export_hint": {
        "zh": "导出当前类别中已通过审核的全部记录。",
        "en": "Exports every approved record of the chosen category.",
    },
    "knowledge_export_format": {"zh": "导出格式", "en": "Export format"},
    "knowledge_extracted": {"zh": "已提取 {count} 个字段", "en": "{count} fields extracted"},
    # --- analytics ----------------------------------------------------------------
    "analytics_question": {"zh": "业务问题", "en": "Business question"},
    "analytics_question_example": {"zh": "例如：2025年各地区收入排名", "en": "e.g. revenue by region in 2025"},
    "analytics_source": {"zh": "数据源", "en": "Data source"},
    "analytics_ask": {"zh": "提问", "en": "Ask"},
    "analytics_followup": {"zh": "继续追问", "en": "Ask a follow-up"},
    "analytics_sql": {"zh": "查看 SQL", "en": "Show SQL"},
    "analytics_analysis": {"zh": "分析", "en": "Analysis"},
    "analytics_rows": {"zh": "共 {total} 行", "en": "{total} rows"},
    "analytics_rows_page": {"zh": "共 {total} 行，显示前 {shown} 行", "en": "{total} rows, the first {shown} shown"},
    "analytics_no_chart": {"zh": "该结果不适合绘制图表。", "en": "This result has no chart."},
    "analytics_chart_alt": {"zh": "图表：{question}", "en": "Chart: {question}"},
    "analytics_report": {"zh": "生成并下载报告", "en": "Make and download the report"},
    # --- meetings -------------------------------------------------------------------
    "meetings_audio": {"zh": "会议录音", "en": "Meeting recording"},
    "meetings_language": {"zh": "会议语言", "en": "Spoken language"},
    "meetings_language_auto": {"zh": "自动识别", "en": "Detect"},
    "meetings_upload": {"zh": "上传并转写", "en": "Upload and transcribe"},
    "meetings_transcript": {"zh": "转写文本", "en": "Transcript"},
    "meetings_duration": {"zh": "时长 {duration}", "en": "Length {duration}"},
    "meetings_speakers": {"zh": "发言人", "en": "Speakers"},
    "meetings_speaker_name": {"zh": "{label} 的姓名", "en": "Name of {label}"},
    "meetings_rename": {"zh": "保存姓名", "en": "Save names"},
    "meetings_minutes": {"zh": "会议纪要", "en": "Minutes"},
    "meetings_summary": {"zh": "概要", "en": "Summary"},
    "meetings_topics": {"zh": "议题", "en": "Topics"},
    "meetings_decisions": {"zh": "决定事项", "en": "Decisions"},
    "meetings_actions": {"zh": "待办事项", "en": "Action items"},
    "meetings_by_speaker": {"zh": "各发言人要点", "en": "Points by speaker"},
    "meetings_owner": {"zh": "负责人", "en": "Owner"},
    "meetings_due": {"zh": "期限", "en": "Due"},
    "meetings_unsupported": {
        "zh": "待核实：记录中找不到依据的条目",
        "en": "To check: items the transcript does not support",
    },
    "meetings_unsupported_item": {"zh": "第 {line} 行", "en": "line {line}"},
    "meetings_no_minutes": {"zh": "本次会议没有生成纪要。", "en": "No minutes were written for this meeting."},
    "meetings_no_speech": {"zh": "录音中没有识别到语音。", "en": "No speech was recognised in the recording."},
}


def labels_for(language: Language) -> dict[str, str]:
    """Return every label in `language`."""
    return {key: texts[language] for key, texts in LABELS.items()}
