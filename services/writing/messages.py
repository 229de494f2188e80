"""Localised texts of the writing service's errors (codes `writing.*`)."""

from services.core.i18n import register_messages

register_messages(
    {
        "writing.empty_title": {
            "zh": "标题为空。请填写要撰写的文稿标题。",
            "en": "The title is empty. Give the title of the text to write.",
        },
        "writing.outline_empty": {
            "zh": "提纲 {outline_id} 没有任何章节。请至少添加一个含标题的章节后再起草。",
            "en": "Outline {outline_id} has no sections. Add at least one section with a heading before drafting.",
        },
        "writing.outline_not_found": {
            "zh": "找不到提纲 {outline_id}。请先调用 POST /api/v1/writing/outline 生成提纲，再使用返回的 id。",
            "en": "Outline {outline_id} was not found. Create one with POST /api/v1/writing/outline and use the id it returns.",
        },
        "writing.document_not_found": {
            "zh": "找不到文稿 {document_id}。请使用起草任务结果中的 document_id。",
            "en": "Document {document_id} was not found. Use the document_id from the draft job's result.",
        },
        "writing.citation_not_found": {
            "zh": "文稿 {document_id} 中没有引用 [{number}]。该文稿的引用编号：{accepted}。",
            "en": "Document {document_id} has no citation [{number}]. Its citation numbers are: {accepted}.",
        },
        "writing.citation_passage_missing": {
            "zh": "文稿 {document_id} 的引用 [{number}] 所指的参考段落未保存：文稿没有关联的提纲，或该提纲已被删除。文稿中的引用摘录仍可查看。",
            "en": "The reference passage of citation [{number}] in document {document_id} is not stored, because the document has no outline or its outline was deleted. The excerpt in the document is still available.",
        },
        "writing.reference_unreadable": {
            "zh": "参考文件 {filename} 无法读取：{reason}",
            "en": "Reference file {filename} cannot be read: {reason}",
        },
        "writing.reference_empty": {
            "zh": "参考材料 {filename} 没有文字内容。请提供含正文的文件或文本。",
            "en": "Reference {filename} contains no text. Supply a file or text with content.",
        },
        "writing.too_many_references": {
            "zh": "参考材料共 {count} 份，超过上限 {limit} 份（设置项 XINGCHEN_WRITING_MAX_REFERENCES）。请减少参考材料。",
            "en": "{count} references exceed the limit of {limit} (setting XINGCHEN_WRITING_MAX_REFERENCES). Send fewer references.",
        },
        "writing.structure_model_unknown": {
            "zh": "结构范本 {name} 不在参考材料中。可选值：{accepted}。",
            "en": "Structure model {name} is not one of the references. Accepted values: {accepted}.",
        },
        "writing.structure_model_no_headings": {
            "zh": "结构范本 {filename} 中没有可识别的标题，无法模仿其结构。请使用带标题（Markdown #、Word 标题样式或“第一章”）的文件，或不指定结构范本。",
            "en": "Structure model {filename} has no headings to imitate. Use a file with headings (Markdown #, Word heading styles or 第一章 lines), or name no structure model.",
        },
        "writing.invalid_document_type": {
            "zh": "文种 {value} 无效。可选值：{accepted}。",
            "en": "Document type {value} is invalid. Accepted values: {accepted}.",
        },
        "writing.empty_selection": {
            "zh": "选中的文字为空。请先选中要{operation_zh}的段落。",
            "en": "The selection is empty. Select the passage to {operation_en} first.",
        },
        "writing.unknown_operation": {
            "zh": "编辑操作 {operation} 无效。可选值：{accepted}。",
            "en": "Edit operation {operation} is invalid. Accepted values: {accepted}.",
        },
        "writing.selection_too_long": {
            "zh": "选中的文字有 {length} 个字符，超过上限 {limit}。请缩小选区。",
            "en": "The selection has {length} characters, more than the limit of {limit}. Select a shorter passage.",
        },
        "writing.outline_file_not_found": {
            "zh": "找不到提纲文件 {filename}。请先用 xingchen writing outline --output 文件名 生成提纲文件。",
            "en": "Outline file {filename} was not found. Create one with xingchen writing outline --output FILE first.",
        },
        "writing.outline_file_not_utf8": {
            "zh": "提纲文件 {filename} 不是 UTF-8 编码的文本文件。",
            "en": "Outline file {filename} is not a UTF-8 text file.",
        },
        "writing.outline_file_not_json": {
            "zh": "提纲文件 {filename} 不是有效的 JSON：第 {line} 行第 {column} 列有语法错误。",
            "en": "Outline file {filename} is not valid JSON: syntax error at line {line}, column {column}.",
        },
        "writing.outline_file_not_object": {
            "zh": "提纲文件 {filename} 不是有效的提纲：内容应为含 title 和 sections 字段的 JSON 对象。",
            "en": "Outline file {filename} is not a valid outline: it must contain a JSON object with the fields title and sections.",
        },
        "writing.outline_file_field_missing": {
            "zh": "提纲文件 {filename} 不是有效的提纲：缺少字段 {field}。",
            "en": "Outline file {filename} is not a valid outline: the field {field} is missing.",
        },
        "writing.outline_file_field_invalid": {
            "zh": "提纲文件 {filename} 不是有效的提纲：字段 {field} 的值无效。请对照 xingchen writing outline --output 生成的文件修改。",
            "en": "Outline file {filename} is not a valid outline: the field {field} has an invalid value. Compare it with a file written by xingchen writing outline --output.",
        },
        "writing.invalid_request_body": {
            "zh": "请求体无效：{reason}",
            "en": "The request body is invalid: {reason}",
        },
    }
)
